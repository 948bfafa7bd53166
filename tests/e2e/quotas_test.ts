/**
 * End to end: os-quota-sets and os-quota-class-sets of the real novalet —
 * the views per microversion (cases 127-139), updates per project and per
 * user with nova's bounds, the default class, the no-op driver.
 */

import { strict as assert } from "node:assert";
import { call, DEMO, withServers } from "./_servers.ts";

const DEFAULTS = {
  cores: 20,
  fixed_ips: -1,
  floating_ips: -1,
  injected_file_content_bytes: 10240,
  injected_file_path_bytes: 255,
  injected_files: 5,
  instances: 10,
  key_pairs: 100,
  metadata_items: 128,
  ram: 51200,
  security_group_rules: -1,
  security_groups: -1,
  server_group_members: 10,
  server_groups: 10,
};
const NETWORK = ["fixed_ips", "floating_ips", "security_group_rules", "security_groups"];
const FILES = ["injected_file_content_bytes", "injected_file_path_bytes", "injected_files"];

function without(set: Record<string, number>, keys: string[]): Record<string, number> {
  return Object.fromEntries(Object.entries(set).filter(([k]) => !keys.includes(k)));
}

function message(body: Record<string, { message: string }>): string {
  return Object.values(body)[0].message;
}

Deno.test("quota sets: show, detail and defaults per microversion (cases 127-130)", async () => {
  await withServers(async (n) => {
    const show = await call(n, "GET", "/os-quota-sets/admin");
    assert.equal(show.status, 200);
    assert.deepEqual(show.body, { quota_set: { id: "admin", ...DEFAULTS } });
    // nova's view lists the resources sorted, after the id.
    assert.deepEqual(Object.keys(show.body.quota_set), ["id", ...Object.keys(DEFAULTS)]);

    const at236 = await call(n, "GET", "/os-quota-sets/admin", { version: "2.36" });
    assert.deepEqual(at236.body.quota_set, { id: "admin", ...without(DEFAULTS, NETWORK) });
    const at257 = await call(n, "GET", "/os-quota-sets/admin", { version: "2.57" });
    assert.deepEqual(at257.body.quota_set, {
      id: "admin",
      ...without(DEFAULTS, [...NETWORK, ...FILES]),
    });

    const detail = await call(n, "GET", "/os-quota-sets/demoproject/detail");
    assert.equal(detail.status, 200);
    assert.deepEqual(detail.body.quota_set.cores, { limit: 20, in_use: 0, reserved: 0 });
    assert.deepEqual(detail.body.quota_set.fixed_ips, { limit: -1, in_use: 0, reserved: 0 });
    assert.equal(detail.body.quota_set.id, "demoproject");

    const defaults = await call(n, "GET", "/os-quota-sets/demoproject/defaults");
    assert.deepEqual(defaults.body, { quota_set: { id: "demoproject", ...DEFAULTS } });
    const defaults257 = await call(n, "GET", "/os-quota-sets/demoproject/defaults", {
      version: "2.57",
    });
    assert.deepEqual(Object.keys(defaults257.body.quota_set), [
      "id",
      "cores",
      "instances",
      "key_pairs",
      "metadata_items",
      "ram",
      "server_group_members",
      "server_groups",
    ]);
  });
});

Deno.test("quota sets: members read their own project only; 2.75 refuses unknown parameters", async () => {
  await withServers(async (n) => {
    const own = await call(n, "GET", "/os-quota-sets/demoproject", { token: DEMO });
    assert.equal(own.status, 200);
    const other = await call(n, "GET", "/os-quota-sets/admin", { token: DEMO });
    assert.equal(other.status, 403);
    assert.equal(
      message(other.body),
      "Policy doesn't allow os_compute_api:os-quota-sets:show to be performed.",
    );
    const detail = await call(n, "GET", "/os-quota-sets/admin/detail", { token: DEMO });
    assert.equal(detail.status, 403);
    assert.equal((await call(n, "GET", "/os-quota-sets/admin?bogus=1")).status, 200);
    const strict = await call(n, "GET", "/os-quota-sets/admin?bogus=1", { version: "2.75" });
    assert.equal(strict.status, 400);
    assert.match(message(strict.body), /Additional properties are not allowed/);
  });
});

Deno.test("quota sets: update and its 400s and 403 (cases 131-138)", async () => {
  await withServers(async (n) => {
    const put = (body: unknown, o: { version?: string; token?: string; query?: string } = {}) =>
      call(n, "PUT", `/os-quota-sets/demoproject${o.query ?? ""}`, { body, ...o });
    const updated = await put({ quota_set: { instances: 20, cores: "40" } });
    assert.equal(updated.status, 200);
    // No id in the update's answer.
    assert.deepEqual(updated.body, { quota_set: { ...DEFAULTS, instances: 20, cores: 40 } });
    const shown = await call(n, "GET", "/os-quota-sets/demoproject");
    assert.deepEqual(shown.body.quota_set, {
      id: "demoproject",
      ...DEFAULTS,
      instances: 20,
      cores: 40,
    });

    const cases: [unknown, string, string?][] = [
      [
        { quota_set: { instances: "abc" } },
        "Invalid input for field/attribute instances. Value: abc. 'abc' does not match '^-?[0-9]+$'",
      ],
      [
        { quota_set: { instances: -2 } },
        "Invalid input for field/attribute instances. Value: -2. -2 is less than the minimum of -1",
      ],
      [
        { quota_set: { bogus: 10 } },
        "Invalid input for field/attribute quota_set. Value: {'bogus': 10}. Additional properties are not allowed ('bogus' was unexpected)",
      ],
      [
        { quota_set: { injected_files: 10 } },
        "Invalid input for field/attribute quota_set. Value: {'injected_files': 10}. Additional properties are not allowed ('injected_files' was unexpected)",
        "2.57",
      ],
      [
        { quota_set: { floating_ips: 10 } },
        "Invalid input for field/attribute quota_set. Value: {'floating_ips': 10}. Additional properties are not allowed ('floating_ips' was unexpected)",
        "2.36",
      ],
      [{ quota_set: { networks: 10 } }, "The networks quota has been removed"],
    ];
    for (const [body, text, version] of cases) {
      const res = await put(body, { version });
      assert.equal(res.status, 400, text);
      assert.equal(message(res.body), text);
    }
    // Network quotas are settable (and shown) before 2.36.
    assert.equal((await put({ quota_set: { floating_ips: 7 } })).body.quota_set.floating_ips, 7);

    const demo = await put({ quota_set: { instances: 100 } }, { token: DEMO });
    assert.equal(demo.status, 403);
    assert.equal(
      message(demo.body),
      "Policy doesn't allow os_compute_api:os-quota-sets:update to be performed.",
    );

    const deleted = await call(n, "DELETE", "/os-quota-sets/demoproject");
    assert.equal(deleted.status, 202);
    assert.equal(deleted.text, "");
    const after = await call(n, "GET", "/os-quota-sets/demoproject");
    assert.deepEqual(after.body.quota_set, { id: "demoproject", ...DEFAULTS });
  });
});

Deno.test("quota sets: per-user limits bounded by the project's", async () => {
  await withServers(async (n) => {
    const put = (query: string, quotaSet: Record<string, unknown>) =>
      call(n, "PUT", `/os-quota-sets/demoproject${query}`, { body: { quota_set: quotaSet } });
    const user = await put("?user_id=demo", { instances: 4, key_pairs: 3 });
    assert.equal(user.status, 200);
    assert.equal(user.body.quota_set.instances, 4);
    const shown = await call(n, "GET", "/os-quota-sets/demoproject?user_id=demo");
    assert.equal(shown.body.quota_set.instances, 4);
    assert.equal(shown.body.quota_set.key_pairs, 3);
    // The project keeps its own limit.
    const project = await call(n, "GET", "/os-quota-sets/demoproject");
    assert.equal(project.body.quota_set.instances, 10);

    // 10 for the project, 4 given to demo: 6 left for another user.
    const tooMuch = await put("?user_id=other", { instances: 7 });
    assert.equal(tooMuch.status, 400);
    assert.equal(
      message(tooMuch.body),
      "Quota limit 7 for instances must be less than or equal to 6.",
    );
    assert.equal((await put("?user_id=other", { instances: 6 })).status, 200);
    // The project may not go below what its users were given.
    const below = await put("", { instances: 9 });
    assert.equal(below.status, 400);
    assert.equal(
      message(below.body),
      "Quota limit 9 for instances must be greater than or equal to already used and reserved 10.",
    );
    assert.equal((await put("", { instances: 9, force: true })).status, 200);

    // Deleting a user's limits leaves the others.
    assert.equal((await call(n, "DELETE", "/os-quota-sets/demoproject?user_id=demo")).status, 202);
    const back = await call(n, "GET", "/os-quota-sets/demoproject?user_id=demo");
    assert.equal(back.body.quota_set.instances, 9);
    const other = await call(n, "GET", "/os-quota-sets/demoproject?user_id=other");
    assert.equal(other.body.quota_set.instances, 6);
  });
});

Deno.test("quota class sets: show and update per microversion; the default class (case 139)", async () => {
  await withServers(async (n) => {
    const show = await call(n, "GET", "/os-quota-class-sets/default");
    assert.equal(show.status, 200);
    assert.deepEqual(show.body, {
      quota_class_set: {
        id: "default",
        ...without(DEFAULTS, ["server_group_members", "server_groups"]),
      },
    });
    const at250 = await call(n, "GET", "/os-quota-class-sets/default", { version: "2.50" });
    assert.deepEqual(at250.body.quota_class_set, { id: "default", ...without(DEFAULTS, NETWORK) });
    const at257 = await call(n, "GET", "/os-quota-class-sets/default", { version: "2.57" });
    assert.deepEqual(at257.body.quota_class_set, {
      id: "default",
      ...without(DEFAULTS, [...NETWORK, ...FILES]),
    });

    const updated = await call(n, "PUT", "/os-quota-class-sets/default", {
      version: "2.50",
      body: { quota_class_set: { instances: 5, server_groups: "3" } },
    });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.quota_class_set.id, undefined);
    assert.equal(updated.body.quota_class_set.instances, 5);
    assert.equal(updated.body.quota_class_set.server_groups, 3);
    // The default class is every project's default.
    const defaults = await call(n, "GET", "/os-quota-sets/anyproject/defaults");
    assert.equal(defaults.body.quota_set.instances, 5);
    assert.equal(defaults.body.quota_set.server_groups, 3);
    assert.equal((await call(n, "GET", "/os-quota-sets/anyproject")).body.quota_set.instances, 5);

    // Another class is kept but changes nobody's defaults.
    await call(n, "PUT", "/os-quota-class-sets/gold", {
      body: { quota_class_set: { instances: 50 } },
    });
    const gold = await call(n, "GET", "/os-quota-class-sets/gold");
    assert.equal(gold.body.quota_class_set.instances, 50);
    assert.equal(gold.body.quota_class_set.cores, 20);
    assert.equal((await call(n, "GET", "/os-quota-sets/anyproject")).body.quota_set.instances, 5);

    const long = await call(n, "PUT", `/os-quota-class-sets/${"x".repeat(256)}`, {
      body: { quota_class_set: { instances: 1 } },
    });
    assert.equal(long.status, 400);
    assert.equal(message(long.body), "quota_class_name has 256 characters, more than 255.");
    const removed = await call(n, "PUT", "/os-quota-class-sets/default", {
      version: "2.57",
      body: { quota_class_set: { injected_files: 1 } },
    });
    assert.equal(removed.status, 400);
    const demo = await call(n, "GET", "/os-quota-class-sets/default", { token: DEMO });
    assert.equal(demo.status, 403);
  });
});

Deno.test("quota sets: the no-op driver shows every limit and usage as -1", async () => {
  await withServers(async (n) => {
    const show = await call(n, "GET", "/os-quota-sets/admin", { version: "2.57" });
    assert.ok(Object.entries(show.body.quota_set).every(([k, v]) => k === "id" || v === -1));
    const detail = await call(n, "GET", "/os-quota-sets/admin/detail", { version: "2.57" });
    assert.deepEqual(detail.body.quota_set.instances, { limit: -1, in_use: -1, reserved: -1 });
    const limits = await call(n, "GET", "/limits");
    assert.equal(limits.body.limits.absolute.maxTotalInstances, -1);
    assert.equal(limits.body.limits.absolute.totalInstancesUsed, -1);
  }, "[quota]\ndriver = nova.quota.NoopQuotaDriver\n");
});
