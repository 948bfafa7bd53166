/**
 * End to end: GET /servers and /servers/detail — shapes per microversion,
 * nova's filters, sorting, paging links, admin-only options, projects.
 */

import { strict as assert } from "node:assert";
import type { Novalet } from "../_server.ts";
import {
  activeServer,
  ALT,
  call,
  createServer,
  DEMO,
  waitForServer,
  withServers,
} from "./_servers.ts";

const names = (body: { servers: { name: string }[] }) => body.servers.map((s) => s.name);

async function seed(n: Novalet): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const name of ["alpha", "beta", "gamma"]) ids[name] = (await activeServer(n, { name })).id;
  ids.demo = (await activeServer(n, { name: "demo-vm" }, { token: DEMO })).id;
  return ids;
}

Deno.test("servers list: index and detail shapes per microversion", async () => {
  await withServers(async (n) => {
    const ids = await seed(n);
    const index = await call(n, "GET", "/servers");
    assert.equal(index.status, 200);
    assert.deepEqual(index.body.servers.map((s: object) => Object.keys(s)), [
      ["id", "name", "links"],
      ["id", "name", "links"],
      ["id", "name", "links"],
    ]);
    assert.deepEqual(names(index.body), ["gamma", "beta", "alpha"], "newest first");
    const v21 = (await call(n, "GET", "/servers/detail")).body.servers[0];
    assert.equal(v21.flavor.id, "1");
    assert.equal(v21.locked, undefined);
    assert.equal(v21["OS-EXT-SRV-ATTR:hostname"], undefined);
    const latest = (await call(n, "GET", "/servers/detail", { version: "latest" })).body.servers[0];
    assert.deepEqual(latest.flavor, {
      vcpus: 1,
      ram: 512,
      disk: 1,
      ephemeral: 0,
      swap: 0,
      original_name: "m1.tiny",
      extra_specs: { "hw_rng:allowed": "True" },
    });
    assert.equal(latest.locked, false);
    assert.equal(latest.locked_reason, null);
    assert.deepEqual(latest.tags, []);
    assert.equal(latest.host_status, "UP");
    assert.equal(latest["OS-EXT-SRV-ATTR:hostname"], "gamma");
    assert.equal(latest.hostId.length, 56);
    const demo = (await call(n, "GET", "/servers/detail", { token: DEMO, version: "latest" })).body;
    assert.deepEqual(names(demo), ["demo-vm"]);
    assert.equal(demo.servers[0].host_status, undefined);
    assert.equal(demo.servers[0]["OS-EXT-SRV-ATTR:host"], undefined);
    assert.equal(demo.servers[0]["OS-EXT-SRV-ATTR:hostname"], "demo-vm");
    assert.ok(ids.demo);
  });
});

Deno.test("servers list: filters by name regex, status, flavor, image, ip, tags, changes-since", async () => {
  await withServers(async (n) => {
    const ids = await seed(n);
    assert.deepEqual(names((await call(n, "GET", "/servers?name=^.a")).body), ["gamma"]);
    assert.deepEqual(names((await call(n, "GET", "/servers?name=ta$")).body), ["beta"]);
    assert.deepEqual(names((await call(n, "GET", "/servers?status=BOGUS")).body), []);
    const bad = await call(n, "GET", "/servers?status=BOGUS", { version: "2.38" });
    assert.deepEqual(bad.body, { badRequest: { code: 400, message: "Invalid status value" } });
    assert.equal((await call(n, "GET", "/servers?status=active")).body.servers.length, 3);
    assert.equal((await call(n, "GET", "/servers?flavor=2")).body.servers.length, 0);
    assert.equal((await call(n, "GET", "/servers?flavor=nope")).body.servers.length, 0);
    assert.equal((await call(n, "GET", "/servers?flavor=1")).body.servers.length, 3);
    const image = "5c5e1b6f-3b5e-4a39-9d6a-6a2f4b0e7c01";
    assert.equal((await call(n, "GET", `/servers?image=${image}`)).body.servers.length, 3);
    assert.equal((await call(n, "GET", "/servers?image=other")).body.servers.length, 0);
    const beta = (await call(n, "GET", `/servers/${ids.beta}`)).body.server;
    const ip = beta.addresses.private[0].addr;
    const byIp = await call(n, "GET", `/servers?ip=${ip.replaceAll(".", "\\.")}$`);
    assert.deepEqual(names(byIp.body), ["beta"]);
    await call(n, "PUT", `/servers/${ids.alpha}/tags`, {
      version: "2.26",
      body: { tags: ["a", "b"] },
    });
    await call(n, "PUT", `/servers/${ids.beta}/tags`, { version: "2.26", body: { tags: ["b"] } });
    const tagged = (q: string) =>
      call(n, "GET", `/servers?${q}`, { version: "2.26" }).then((r) => names(r.body));
    assert.deepEqual(await tagged("tags=a,b"), ["alpha"]);
    assert.deepEqual(await tagged("tags-any=a,b"), ["beta", "alpha"]);
    assert.deepEqual(await tagged("not-tags=b"), ["gamma"]);
    assert.deepEqual(await tagged("not-tags-any=a"), ["gamma", "beta"]);
    const since = new Date(Date.now() + 60_000).toISOString();
    assert.deepEqual(names((await call(n, "GET", `/servers?changes-since=${since}`)).body), []);
    const wrongOrder = await call(
      n,
      "GET",
      `/servers?changes-since=${since}&changes-before=2000-01-01T00:00:00Z`,
      {
        version: "2.66",
      },
    );
    assert.equal(wrongOrder.status, 400);
  });
});

Deno.test("servers list: sorting, limit, marker and servers_links", async () => {
  await withServers(async (n) => {
    await seed(n);
    const sorted = await call(n, "GET", "/servers?sort_key=display_name&sort_dir=asc");
    assert.deepEqual(names(sorted.body), ["alpha", "beta", "gamma"]);
    const page = await call(n, "GET", "/servers?sort_key=display_name&sort_dir=asc&limit=2");
    assert.deepEqual(names(page.body), ["alpha", "beta"]);
    const next = page.body.servers_links[0];
    assert.equal(next.rel, "next");
    const last = page.body.servers[1].id;
    assert.equal(
      next.href,
      `${n.url}/v2.1/servers?limit=2&sort_dir=asc&sort_key=display_name&marker=${last}`,
    );
    const rest = await fetch(next.href, { headers: { "X-Auth-Token": "admin:admin" } }).then((r) =>
      r.json()
    );
    assert.deepEqual(names(rest), ["gamma"]);
    assert.equal(rest.servers_links, undefined);
    const unknown = await call(n, "GET", "/servers?marker=9d5a6a1b-2f43-4b8e-9a76-1c5e5f0e0b1d");
    assert.equal(
      unknown.body.badRequest.message,
      "marker [9d5a6a1b-2f43-4b8e-9a76-1c5e5f0e0b1d] not found",
    );
    const hostSort = await call(n, "GET", "/servers?sort_key=host", { token: DEMO });
    assert.deepEqual(hostSort.body, {
      forbidden: { code: 403, message: "Only administrators can sort servers by host" },
    });
    const badDir = await call(n, "GET", "/servers?sort_dir=up");
    assert.equal(
      badDir.body.badRequest.message,
      "Invalid input received: Unknown sort direction, must be 'desc' or 'asc'",
    );
  });
});

Deno.test("servers list: [api] max_limit caps pages and adds a next link", async () => {
  await withServers(async (n) => {
    await seed(n);
    const page = await call(n, "GET", "/servers/detail");
    assert.equal(page.body.servers.length, 2);
    assert.match(page.body.servers_links[0].href, /\/v2\.1\/servers\/detail\?marker=/);
  }, "[api]\nmax_limit = 2\n");
});

Deno.test("servers list: all_tenants, unknown filters, deleted servers, projects", async () => {
  await withServers(async (n) => {
    const ids = await seed(n);
    assert.equal((await call(n, "GET", "/servers")).body.servers.length, 3);
    assert.equal((await call(n, "GET", "/servers?all_tenants=1")).body.servers.length, 4);
    const scoped = await call(n, "GET", "/servers?all_tenants=1&project_id=demoproject");
    assert.deepEqual(names(scoped.body), ["demo-vm"]);
    const member = await call(n, "GET", "/servers?all_tenants=1", { token: DEMO });
    assert.equal(member.status, 403);
    assert.equal((await call(n, "GET", "/servers", { token: ALT })).body.servers.length, 0);
    assert.equal((await call(n, "GET", "/servers/detail?bogus=1")).status, 200);
    const strict = await call(n, "GET", "/servers/detail?bogus=1", { version: "2.75" });
    assert.equal(strict.body.badRequest.message, "'bogus' does not match any of the regexes: '^_'");
    const joined = await call(n, "GET", "/servers?metadata=x");
    assert.equal(joined.body.badRequest.message, "Invalid filter field: metadata.");
    assert.equal((await call(n, "DELETE", `/servers/${ids.alpha}`)).status, 204);
    await waitForServer(n, ids.beta, () => true);
    const deadline = Date.now() + 5000;
    let deleted: string[] = [];
    while (Date.now() < deadline) {
      deleted = names((await call(n, "GET", "/servers?deleted=true")).body);
      if (deleted.length) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.deepEqual(deleted, ["alpha"]);
    const status = await call(n, "GET", "/servers/detail?status=DELETED");
    assert.equal(status.body.servers[0].status, "DELETED");
    const memberDeleted = await call(n, "GET", "/servers?status=DELETED", { token: DEMO });
    assert.equal(
      memberDeleted.body.forbidden.message,
      "Only administrators may list deleted instances",
    );
    const locked = await call(n, "GET", "/servers?locked=maybe", { version: "2.73" });
    assert.match(
      locked.body.badRequest.message,
      /^Unrecognized value 'maybe', acceptable values are: '0', '1'/,
    );
    assert.equal((await createServer(n, {})).status, 202);
  });
});
