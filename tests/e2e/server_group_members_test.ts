/**
 * End to end: server group membership in the real novalet — servers join
 * through the `group` scheduler hint (400 for an unknown group), show it
 * from 2.71, leave the members list when deleted, count against
 * server_group_members, and are placed as the policy says: on one host a
 * second anti-affinity member finds no valid host; on two hosts
 * anti-affinity spreads and affinity packs.
 */

import { strict as assert } from "node:assert";
import { DatabaseSync } from "node:sqlite";
import type { Novalet } from "../_server.ts";
import {
  type Answer,
  call,
  type CallOptions,
  createServer,
  DEMO,
  waitForServer,
  waitGone,
  withServers,
} from "./_servers.ts";

function message(res: Answer): string {
  return Object.values(res.body as Record<string, { message: string }>)[0].message;
}

async function group(n: Novalet, policy: string, o: CallOptions = {}): Promise<string> {
  const res = await call(n, "POST", "/os-server-groups", {
    body: { server_group: { name: policy, policies: [policy] } },
    ...o,
  });
  assert.equal(res.status, 200, res.text);
  return res.body.server_group.id;
}

/** Creates a server in `groupId` and waits until it settles (ACTIVE or ERROR). */
async function member(
  n: Novalet,
  groupId: string,
  server: Record<string, unknown> = {},
  o: CallOptions = {},
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const res = await call(n, "POST", "/servers", {
    ...o,
    body: {
      server: {
        name: "m",
        imageRef: "5c5e1b6f-3b5e-4a39-9d6a-6a2f4b0e7c01",
        flavorRef: "1",
        ...server,
      },
      "os:scheduler_hints": { group: groupId },
    },
  });
  assert.equal(res.status, 202, res.text);
  return await waitForServer(n, res.body.server.id, (s) => ["ACTIVE", "ERROR"].includes(s.status), {
    ...o,
    version: "2.3",
  });
}

async function members(n: Novalet, groupId: string, o: CallOptions = {}): Promise<string[]> {
  return (await call(n, "GET", `/os-server-groups/${groupId}`, o)).body.server_group.members;
}

Deno.test("server group members: the hint, the 2.71 view, delete, unknown groups", async () => {
  await withServers(async (n) => {
    const gid = await group(n, "affinity");
    const s1 = await member(n, gid);
    assert.equal(s1.status, "ACTIVE");
    assert.deepEqual(await members(n, gid), [s1.id]);
    const v271 = await call(n, "GET", `/servers/${s1.id}`, { version: "2.71" });
    assert.deepEqual(v271.body.server.server_groups, [gid]);
    const v270 = await call(n, "GET", `/servers/${s1.id}`, { version: "2.70" });
    assert.equal("server_groups" in v270.body.server, false);
    const renamed = await call(n, "PUT", `/servers/${s1.id}`, {
      version: "2.71",
      body: { server: { name: "renamed" } },
    });
    assert.deepEqual(renamed.body.server.server_groups, [gid]);
    const loner = await waitForServer(
      n,
      (await createServer(n)).body.server.id,
      (s) => s.status === "ACTIVE",
    );
    const alone = await call(n, "GET", `/servers/${loner.id}`, { version: "2.71" });
    assert.deepEqual(alone.body.server.server_groups, []);

    // The legacy hint key works too.
    const s2 = await call(n, "POST", "/servers", {
      body: {
        server: { name: "x", imageRef: "5c5e1b6f-3b5e-4a39-9d6a-6a2f4b0e7c01", flavorRef: "1" },
        "OS-SCH-HNT:scheduler_hints": { group: gid },
      },
    });
    assert.equal(s2.status, 202);
    assert.equal((await members(n, gid)).length, 2);

    await call(n, "DELETE", `/servers/${s1.id}`);
    await waitGone(n, s1.id);
    assert.deepEqual(await members(n, gid), [s2.body.server.id]);

    const missing = "0e2ac4b9-5f2b-4f5b-8d11-3a2f8c4d9e01";
    const unknown = await call(n, "POST", "/servers", {
      body: {
        server: { name: "x", imageRef: "5c5e1b6f-3b5e-4a39-9d6a-6a2f4b0e7c01", flavorRef: "1" },
        "os:scheduler_hints": { group: missing },
      },
    });
    assert.equal(unknown.status, 400);
    assert.equal(message(unknown), `Instance group ${missing} could not be found.`);
    // Another project's group is unknown to a member.
    const hidden = await call(n, "POST", "/servers", {
      token: DEMO,
      body: {
        server: { name: "x", imageRef: "5c5e1b6f-3b5e-4a39-9d6a-6a2f4b0e7c01", flavorRef: "1" },
        "os:scheduler_hints": { group: gid },
      },
    });
    assert.equal(hidden.status, 400);
    assert.equal(message(hidden), `Instance group ${gid} could not be found.`);
    const bad = await call(n, "POST", "/servers", {
      body: {
        server: { name: "x", imageRef: "5c5e1b6f-3b5e-4a39-9d6a-6a2f4b0e7c01", flavorRef: "1" },
        "os:scheduler_hints": { group: "not-a-uuid" },
      },
    });
    assert.equal(bad.status, 400);
    assert.match(message(bad), /^Invalid input for field\/attribute group\. Value: not-a-uuid\./);
  });
});

Deno.test("server group members: the server_group_members quota; refused creates leave nothing", async () => {
  await withServers(async (n) => {
    await call(n, "PUT", "/os-quota-sets/demoproject", {
      body: { quota_set: { server_group_members: 1 } },
    });
    const gid = await group(n, "affinity", { token: DEMO });
    const first = await member(n, gid, {}, { token: DEMO });
    assert.equal(first.status, "ACTIVE");
    const body = (server: Record<string, unknown>) => ({
      server: {
        name: "y",
        imageRef: "5c5e1b6f-3b5e-4a39-9d6a-6a2f4b0e7c01",
        flavorRef: "1",
        ...server,
      },
      "os:scheduler_hints": { group: gid },
    });
    const second = await call(n, "POST", "/servers", { token: DEMO, body: body({}) });
    assert.equal(second.status, 403);
    assert.equal(message(second), "Quota exceeded, too many servers in group");

    const fresh = await group(n, "anti-affinity", { token: DEMO });
    const pair = await call(n, "POST", "/servers", {
      token: DEMO,
      body: { ...body({ min_count: 2 }), "os:scheduler_hints": { group: fresh } },
    });
    assert.equal(pair.status, 403);
    const db = new DatabaseSync(`${n.stateDir}/nova.sqlite`, { readOnly: true });
    try {
      const count = (sql: string) => Number((db.prepare(sql).get() as { n: number }).n);
      assert.equal(
        count("SELECT COUNT(*) AS n FROM instances WHERE project_id = 'demoproject'"),
        1,
      );
      assert.equal(count("SELECT COUNT(*) AS n FROM instance_group_member"), 1);
    } finally {
      db.close();
    }
    assert.deepEqual(await members(n, fresh, { token: DEMO }), []);
  });
});

Deno.test("server group members: anti-affinity on one host finds no valid host for a second member", async () => {
  await withServers(async (n) => {
    const anti = await group(n, "anti-affinity");
    assert.equal((await member(n, anti)).status, "ACTIVE");
    const second = await member(n, anti);
    assert.equal(second.status, "ERROR");
    assert.equal(second.fault.message, "No valid host was found. ");
    // An ERROR server is still a member.
    assert.equal((await members(n, anti)).length, 2);

    const fresh = await group(n, "anti-affinity");
    const both = await call(n, "POST", "/servers", {
      body: {
        server: {
          name: "p",
          imageRef: "5c5e1b6f-3b5e-4a39-9d6a-6a2f4b0e7c01",
          flavorRef: "1",
          min_count: 2,
        },
        "os:scheduler_hints": { group: fresh },
      },
    });
    assert.equal(both.status, 202);
    for (const id of await members(n, fresh)) {
      const s = await waitForServer(n, id, (x) => x.status === "ERROR");
      assert.equal(
        s.fault.message,
        "No valid host was found. There are not enough hosts available.",
      );
    }

    // Affinity and the soft policies place every member on the one host.
    for (const policy of ["affinity", "soft-anti-affinity"]) {
      const gid = await group(n, policy, { version: "2.15" });
      assert.equal((await member(n, gid)).status, "ACTIVE");
      assert.equal((await member(n, gid)).status, "ACTIVE");
    }
  });
});

Deno.test("server group members: on two hosts anti-affinity spreads, affinity packs", async () => {
  await withServers(async (n) => {
    const hostOf = (s: Record<string, unknown>) => s["OS-EXT-SRV-ATTR:host"];
    const anti = await group(n, "anti-affinity");
    const a1 = await member(n, anti);
    const a2 = await member(n, anti);
    assert.equal(a1.status, "ACTIVE");
    assert.equal(a2.status, "ACTIVE");
    assert.notEqual(hostOf(a1), hostOf(a2));
    assert.equal((await member(n, anti)).status, "ERROR");

    const aff = await group(n, "affinity");
    const f1 = await member(n, aff);
    const f2 = await member(n, aff);
    assert.equal(f2.status, "ACTIVE");
    assert.equal(hostOf(f1), hostOf(f2));
  }, "[novalet_compute]\nhosts = compute1, compute2\n");
});
