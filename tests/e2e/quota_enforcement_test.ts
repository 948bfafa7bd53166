/**
 * End to end: what the quotas refuse, with nova's 403 texts — servers
 * (instances, cores, ram; per project and per user; as many as fit
 * between min_count and max_count), metadata items, personality files,
 * image metadata, key pairs — and that a refused create leaves no row.
 */

import { strict as assert } from "node:assert";
import { DatabaseSync } from "node:sqlite";
import type { Novalet } from "../_server.ts";
import {
  activeServer,
  ADMIN,
  call,
  createServer,
  DEMO,
  IMAGE,
  waitGone,
  withServers,
} from "./_servers.ts";

const ED_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIbcw8PEkzAzgBu65Sn/mB4JBnEl1pgXbaWAFL1D6wEE nova-ref-ed@example";

function message(body: Record<string, { message: string }>): string {
  return Object.values(body)[0].message;
}

/** Sets demoproject's (or one of its users') limits as admin. */
async function setQuota(n: Novalet, quotaSet: Record<string, number>, userId?: string) {
  const query = userId ? `?user_id=${userId}` : "";
  const res = await call(n, "PUT", `/os-quota-sets/demoproject${query}`, {
    body: { quota_set: quotaSet },
  });
  assert.equal(res.status, 200, res.text);
}

/** Rows of a table in novalet's database (read beside the running server). */
function rowCount(n: Novalet, sql: string): number {
  const db = new DatabaseSync(`${n.stateDir}/nova.sqlite`, { readOnly: true });
  try {
    return Number((db.prepare(sql).get() as { n: number }).n);
  } finally {
    db.close();
  }
}

const demoInstances = (n: Novalet) =>
  rowCount(n, "SELECT COUNT(*) AS n FROM instances WHERE project_id = 'demoproject'");

Deno.test("quota enforcement: instances, and as many as fit between min and max", async () => {
  await withServers(async (n) => {
    await setQuota(n, { instances: 2 });
    const tooMany = await createServer(n, { min_count: 3 }, { token: DEMO });
    assert.equal(tooMany.status, 403);
    assert.equal(
      message(tooMany.body),
      "Quota exceeded for instances: Requested 3, but already used 0 of 2 instances",
    );
    assert.equal(demoInstances(n), 0);

    // max_count 5 with room for 2: nova creates 2.
    const some = await createServer(n, { max_count: 5, return_reservation_id: true }, {
      token: DEMO,
    });
    assert.equal(some.status, 202);
    const list = await call(n, "GET", `/servers?reservation_id=${some.body.reservation_id}`, {
      token: DEMO,
    });
    assert.equal(list.body.servers.length, 2);

    const full = await createServer(n, {}, { token: DEMO });
    assert.equal(full.status, 403);
    assert.equal(
      message(full.body),
      "Quota exceeded for instances: Requested 1, but already used 2 of 2 instances",
    );
    const range = await createServer(n, { min_count: 2, max_count: 3 }, { token: DEMO });
    assert.equal(
      message(range.body),
      "Quota exceeded for instances: Requested 2-3, but already used 2 of 2 instances",
    );
    assert.equal(demoInstances(n), 2);
    const detail = await call(n, "GET", "/os-quota-sets/demoproject/detail");
    assert.deepEqual(detail.body.quota_set.instances, { limit: 2, in_use: 2, reserved: 0 });

    // A deleted server frees its place; other projects are not affected.
    await call(n, "DELETE", `/servers/${list.body.servers[0].id}`, { token: DEMO });
    await waitGone(n, list.body.servers[0].id);
    assert.equal((await createServer(n, {}, { token: DEMO })).status, 202);
    assert.equal((await createServer(n, {}, { token: ADMIN })).status, 202);
  });
});

Deno.test("quota enforcement: cores, ram, and a user's own instance limit", async () => {
  await withServers(async (n) => {
    await setQuota(n, { cores: 3, ram: 1000 });
    // m1.medium: 2 vCPUs, 4096 MiB.
    const cores = await createServer(n, { flavorRef: "3", min_count: 2 }, { token: DEMO });
    assert.equal(cores.status, 403);
    assert.equal(
      message(cores.body),
      "Quota exceeded for cores, ram: Requested 4, 8192, but already used 0, 0 of 3, 1000 cores, ram",
    );
    // m1.tiny: 1 vCPU, 512 MiB.
    const ram = await createServer(n, { min_count: 2 }, { token: DEMO });
    assert.equal(
      message(ram.body),
      "Quota exceeded for ram: Requested 1024, but already used 0 of 1000 ram",
    );
    assert.equal(demoInstances(n), 0);

    await setQuota(n, { cores: 20, ram: 51200 });
    await setQuota(n, { instances: 1 }, "demo");
    assert.equal((await createServer(n, {}, { token: DEMO })).status, 202);
    const second = await createServer(n, {}, { token: DEMO });
    assert.equal(second.status, 403);
    assert.equal(
      message(second.body),
      "Quota exceeded for instances: Requested 1, but already used 1 of 1 instances",
    );
    // Another user of the project still has the project's limit.
    assert.equal((await createServer(n, {}, { token: "other:demoproject" })).status, 202);
    assert.equal(demoInstances(n), 2);
  });
});

Deno.test("quota enforcement: metadata items on create, server metadata and image metadata", async () => {
  await withServers(async (n) => {
    await setQuota(n, { metadata_items: 2 });
    const three = { a: "1", b: "2", c: "3" };
    const create = await createServer(n, { metadata: three }, { token: DEMO });
    assert.equal(create.status, 403);
    assert.equal(message(create.body), "Maximum number of metadata items exceeds 2");
    assert.equal(demoInstances(n), 0);

    const { id } = await activeServer(n, { metadata: { a: "1", b: "2" } }, { token: DEMO });
    const add = await call(n, "POST", `/servers/${id}/metadata`, {
      token: DEMO,
      body: { metadata: { c: "3" } },
    });
    assert.equal(add.status, 403);
    assert.equal(message(add.body), "Maximum number of metadata items exceeds 2");
    const replace = await call(n, "PUT", `/servers/${id}/metadata`, {
      token: DEMO,
      body: { metadata: three },
    });
    assert.equal(replace.status, 403);
    const meta = await call(n, "GET", `/servers/${id}/metadata`, { token: DEMO });
    assert.deepEqual(meta.body.metadata, { a: "1", b: "2" });

    // The image metadata proxy counts against the caller's metadata_items.
    await call(n, "PUT", "/os-quota-sets/admin", { body: { quota_set: { metadata_items: 1 } } });
    const image = await call(n, "PUT", `/images/${IMAGE}/metadata`, {
      version: "2.38",
      body: { metadata: { x: "1", y: "2" } },
    });
    assert.equal(image.status, 403);
    assert.equal(message(image.body), "Image metadata limit exceeded");
  });
});

Deno.test("quota enforcement: personality files (up to 2.56)", async () => {
  await withServers(async (n) => {
    await setQuota(n, {
      injected_files: 1,
      injected_file_path_bytes: 5,
      injected_file_content_bytes: 4,
    });
    const file = (path: string, contents: string) => ({ path, contents });
    const attempts: [unknown[], string][] = [
      [[file("/a", "YQ=="), file("/b", "YQ==")], "Personality file limit exceeded"],
      [[file("/etc/hosts", "YQ==")], "Personality file path exceeds maximum 5"],
      [[file("/a", "aGVsbG8=")], "Personality file content exceeds maximum 4"],
    ];
    for (const [personality, text] of attempts) {
      const res = await createServer(n, { personality, networks: "none" }, {
        token: DEMO,
        version: "2.56",
      });
      assert.equal(res.status, 403, text);
      assert.equal(message(res.body), text);
    }
    assert.equal(demoInstances(n), 0);
    const fits = await createServer(n, { personality: [file("/a", "YQ==")], networks: "none" }, {
      token: DEMO,
      version: "2.56",
    });
    assert.equal(fits.status, 202);
  });
});

Deno.test("quota enforcement: key pairs per user, against the caller's limits", async () => {
  await withServers(async (n) => {
    await setQuota(n, { key_pairs: 1 });
    const importKey = (name: string, token: string, extra: Record<string, unknown> = {}) =>
      call(n, "POST", "/os-keypairs", {
        token,
        version: "2.10",
        body: { keypair: { name, public_key: ED_KEY, ...extra } },
      });
    assert.equal((await importKey("k1", DEMO)).status, 201);
    const second = await importKey("k2", DEMO);
    assert.equal(second.status, 403);
    assert.equal(message(second.body), "Quota exceeded, too many key pairs.");
    const generated = await call(n, "POST", "/os-keypairs", {
      token: DEMO,
      body: { keypair: { name: "k3" } },
    });
    assert.equal(generated.status, 403);
    assert.equal(rowCount(n, "SELECT COUNT(*) AS n FROM key_pairs WHERE user_id = 'demo'"), 1);
    // An admin adding one for demo is held to the admin's own limits.
    assert.equal((await importKey("k4", ADMIN, { user_id: "demo" })).status, 201);
    // Unlimited: -1.
    await setQuota(n, { key_pairs: -1 });
    assert.equal((await importKey("k5", DEMO)).status, 201);
  });
});
