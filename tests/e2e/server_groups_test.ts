/**
 * End to end: os-server-groups of the real novalet — the views and
 * schemas per microversion (cases 228-237), listing and paging, the
 * server_groups quota; membership through the `group` scheduler hint,
 * shown in server views from 2.71, and honoured when servers are placed
 * (one host, two hosts).
 */

import { strict as assert } from "node:assert";
import type { Novalet } from "../_server.ts";
import { type Answer, call, DEMO, withServers } from "./_servers.ts";

function message(res: Answer): string {
  return Object.values(res.body as Record<string, { message: string }>)[0].message;
}

function createGroup(n: Novalet, group: Record<string, unknown>, o = {}): Promise<Answer> {
  return call(n, "POST", "/os-server-groups", { body: { server_group: group }, ...o });
}

Deno.test("server groups: create, show, delete per microversion (cases 228-237)", async () => {
  await withServers(async (n) => {
    const v21 = await createGroup(n, { name: "ref-group1", policies: ["anti-affinity"] });
    assert.equal(v21.status, 200);
    const id = v21.body.server_group.id;
    assert.deepEqual(v21.body, {
      server_group: {
        id,
        name: "ref-group1",
        policies: ["anti-affinity"],
        metadata: {},
        members: [],
      },
    });
    const v213 = await call(n, "GET", `/os-server-groups/${id}`, { version: "2.13" });
    assert.deepEqual(Object.keys(v213.body.server_group), [
      "id",
      "name",
      "policies",
      "metadata",
      "members",
      "project_id",
      "user_id",
    ]);
    const v264 = await call(n, "GET", `/os-server-groups/${id}`, { version: "2.64" });
    assert.deepEqual(v264.body.server_group, {
      id,
      name: "ref-group1",
      policy: "anti-affinity",
      rules: {},
      members: [],
      project_id: "admin",
      user_id: "admin",
    });

    const soft = await createGroup(n, { name: "s", policies: ["soft-affinity"] }, {
      version: "2.14",
    });
    assert.equal(soft.status, 400);
    assert.equal(
      message(soft),
      "Invalid input for field/attribute 0. Value: soft-affinity. 'soft-affinity' is not one of ['anti-affinity', 'affinity']",
    );
    const soft215 = await createGroup(n, { name: "s", policies: ["soft-affinity"] }, {
      version: "2.15",
    });
    assert.deepEqual(soft215.body.server_group.policies, ["soft-affinity"]);

    const rules = await createGroup(n, {
      name: "r",
      policy: "anti-affinity",
      rules: { max_server_per_host: "2" },
    }, { version: "2.64" });
    assert.equal(rules.status, 200);
    assert.deepEqual(rules.body.server_group.rules, { max_server_per_host: 2 });
    const affinityRules = await createGroup(n, {
      name: "bad2",
      policy: "affinity",
      rules: { max_server_per_host: 3 },
    }, { version: "2.64" });
    assert.equal(affinityRules.status, 400);
    assert.equal(message(affinityRules), "Only anti-affinity policy supports rules.");
    const oldShape = await createGroup(n, { name: "x", policies: ["affinity"] }, {
      version: "2.64",
    });
    assert.equal(oldShape.status, 400);

    const missing = "9d5a6a1b-2f43-4b8e-9a76-1c5e5f0e0b1d";
    const notFound = await call(n, "GET", `/os-server-groups/${missing}`);
    assert.equal(notFound.status, 404);
    assert.equal(message(notFound), `Instance group ${missing} could not be found.`);
    const deleted = await call(n, "DELETE", `/os-server-groups/${id}`);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, "");
    const again = await call(n, "DELETE", `/os-server-groups/${id}`);
    assert.equal(again.status, 404);
    assert.equal(message(again), `Instance group ${id} could not be found.`);
  });
});

Deno.test("server groups: max_server_per_host > 1 needs a compute service (case 229)", async () => {
  await withServers(async (n) => {
    const res = await createGroup(n, {
      name: "ref-group2",
      policy: "anti-affinity",
      rules: { max_server_per_host: 3 },
    }, { version: "2.64" });
    assert.equal(res.status, 409);
    assert.equal(
      message(res),
      "Creating an anti-affinity group with rule max_server_per_host > 1 is not yet supported.",
    );
    // A rule of 1 is what anti-affinity means anyway.
    const one = await createGroup(n, {
      name: "g",
      policy: "anti-affinity",
      rules: { max_server_per_host: 1 },
    }, { version: "2.64" });
    assert.equal(one.status, 200);
  }, "[novalet_compute]\nhosts =\n");
});

Deno.test("server groups: list own project, all_projects for admins, paging", async () => {
  await withServers(async (n) => {
    const names: string[] = [];
    for (const name of ["a1", "a2", "a3"]) {
      names.push((await createGroup(n, { name, policies: ["affinity"] })).body.server_group.id);
    }
    const demoGroup = await createGroup(n, { name: "d1", policies: ["affinity"] }, {
      token: DEMO,
    });
    const list = (q = "", o = {}) => call(n, "GET", `/os-server-groups${q}`, o);
    const ids = (res: Answer) => res.body.server_groups.map((g: { id: string }) => g.id);
    assert.deepEqual(ids(await list()), names);
    assert.deepEqual(ids(await list("?all_projects=True")), [
      ...names,
      demoGroup.body.server_group.id,
    ]);
    // Members asking for every project get their own.
    assert.deepEqual(ids(await list("?all_projects=True", { token: DEMO })), [
      demoGroup.body.server_group.id,
    ]);
    assert.deepEqual(ids(await list("?limit=2")), names.slice(0, 2));
    assert.deepEqual(ids(await list("?offset=1&limit=1")), names.slice(1, 2));
    assert.deepEqual(ids(await list("?limit=0")), names);
    assert.equal((await list("?limit=-1")).status, 400);
    assert.equal((await list("?bogus=1", { version: "2.74" })).status, 200);
    assert.equal((await list("?bogus=1", { version: "2.75" })).status, 400);

    // A member cannot see another project's group; an admin can.
    const hidden = await call(n, "GET", `/os-server-groups/${names[0]}`, { token: DEMO });
    assert.equal(hidden.status, 404);
    assert.equal(message(hidden), `Instance group ${names[0]} could not be found.`);
    const seen = await call(n, "GET", `/os-server-groups/${demoGroup.body.server_group.id}`);
    assert.equal(seen.status, 200);
  });
});

Deno.test("server groups: the server_groups quota per project", async () => {
  await withServers(async (n) => {
    await call(n, "PUT", "/os-quota-sets/demoproject", {
      body: { quota_set: { server_groups: 1 } },
    });
    const first = await createGroup(n, { name: "one", policies: ["affinity"] }, { token: DEMO });
    assert.equal(first.status, 200);
    const second = await createGroup(n, { name: "two", policies: ["affinity"] }, {
      token: DEMO,
    });
    assert.equal(second.status, 403);
    assert.equal(message(second), "Quota exceeded, too many server groups.");
    const mine = await call(n, "GET", "/os-server-groups", { token: DEMO });
    assert.equal(mine.body.server_groups.length, 1);
    // Another project has its own count.
    assert.equal((await createGroup(n, { name: "a", policies: ["affinity"] })).status, 200);
  });
});
