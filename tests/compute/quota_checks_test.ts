/**
 * The quota checks the server actions call (through
 * lib/compute/servers/quota.ts) on a real store: a resize's extra cores
 * and ram, an instance coming back, the recheck after a create, with
 * nova's TooManyInstances texts; and allowedHosts, the affinity rules.
 */

import { strict as assert } from "node:assert";
import { Conf } from "../../lib/config/conf.ts";
import { allowedHosts } from "../../lib/compute/server_groups/api.ts";
import {
  checkInstanceReturns,
  checkNumInstances,
  checkUpsize,
  recheckNumInstances,
} from "../../lib/compute/servers/quota.ts";
import type { RequestContext } from "../../lib/compute/servers/context.ts";
import { quotaEngineFor } from "../../lib/compute/quotas/engine.ts";
import { openStore } from "./_store.ts";

const TINY = { vcpus: 1, memory_mb: 512 };
const MEDIUM = { vcpus: 2, memory_mb: 4096 };

function context(projectId: string, userId: string, isAdmin = false): RequestContext {
  return {
    requestId: "req-1",
    auth: { projectId, userId, isAdmin, roles: [], remoteAddress: "127.0.0.1" },
  };
}

function setup(conf = "") {
  const db = openStore();
  const svc = { conf: Conf.load([{ name: "t.conf", text: conf }]), db };
  let id = 0;
  const addInstance = (projectId: string, userId: string, flavor = TINY) => {
    id++;
    db.run(
      `INSERT INTO instances (uuid, created_at, project_id, user_id, vcpus, memory_mb, flavor,
         vm_state) VALUES (?, ?, ?, ?, ?, ?, '{}', 'active')`,
      `00000000-0000-0000-0000-${String(id).padStart(12, "0")}`,
      "2024-01-01T00:00:00.000000",
      projectId,
      userId,
      flavor.vcpus,
      flavor.memory_mb,
    );
  };
  return { svc, db, addInstance, engine: quotaEngineFor(svc.conf, db) };
}

Deno.test("checkUpsize() allows what fits and words the rest as nova's TooManyInstances", () => {
  const { svc, addInstance, engine } = setup("[quota]\ncores = 4\nram = 5000\n");
  addInstance("p1", "u1");
  addInstance("p1", "u1");
  const owner = { project_id: "p1", user_id: "u1" };
  // +1 core and +3584 MiB: 3 of 4 cores, 4608 of 5000 MiB.
  checkUpsize(svc, context("p1", "u1"), owner, TINY, MEDIUM);
  engine.store.setLimit("p1", "ram", 4000, null);
  assert.throws(
    () => checkUpsize(svc, context("p1", "u1"), owner, TINY, MEDIUM),
    { message: "Quota exceeded for ram: Requested 3584, but already used 1024 of 4000 ram" },
  );
  // A smaller flavor adds nothing to check.
  checkUpsize(svc, context("p1", "u1"), owner, MEDIUM, TINY);
  // An admin resizing another project's server is held to that project's quota.
  assert.throws(
    () => checkUpsize(svc, context("admin", "admin", true), owner, TINY, MEDIUM),
    { message: /^Quota exceeded for ram/ },
  );
  engine.store.setLimit("p1", "cores", 2, null);
  assert.throws(
    () => checkUpsize(svc, context("p1", "u1"), owner, TINY, { vcpus: 3, memory_mb: 512 }),
    { message: "Quota exceeded for cores: Requested 2, but already used 2 of 2 cores" },
  );
});

Deno.test("checkNumInstances() / checkInstanceReturns() / recheckNumInstances()", () => {
  const { svc, addInstance, engine } = setup("[quota]\ninstances = 3\n");
  addInstance("p1", "u1");
  addInstance("p1", "u1");
  assert.equal(checkNumInstances(svc, context("p1", "u1"), TINY, 1, 5), 1);
  assert.throws(() => checkNumInstances(svc, context("p1", "u1"), TINY, 2, 2), {
    message: "Quota exceeded for instances: Requested 2, but already used 2 of 3 instances",
  });
  addInstance("p1", "u1");
  // The owner's quota counts for a server coming back, whoever asks.
  assert.throws(
    () =>
      checkInstanceReturns(svc, context("admin", "admin", true), TINY, {
        project_id: "p1",
        user_id: "u1",
      }),
    { message: "Quota exceeded for instances: Requested 1, but already used 3 of 3 instances" },
  );
  recheckNumInstances(svc, context("p1", "u1"), TINY, 3);
  addInstance("p1", "u1");
  // Over after the write: nova's recheck names what was asked for.
  assert.throws(() => recheckNumInstances(svc, context("p1", "u1"), TINY, 2), {
    message: "Quota exceeded for instances: Requested 2, but already used 3 of 3 instances",
  });
  engine.store.setLimit("p1", "instances", -1, null);
  recheckNumInstances(svc, context("p1", "u1"), TINY, 2);
  const off = setup("[quota]\ninstances = 0\nrecheck_quota = False\n");
  off.addInstance("p1", "u1");
  recheckNumInstances(off.svc, context("p1", "u1"), TINY, 1);
});

Deno.test("allowedHosts() keeps what the affinity filters would", () => {
  const hosts = [
    { name: "h1", instances: new Set(["a"]) },
    { name: "h2", instances: ["b", "c"] },
    { name: "h3", instances: [] },
  ];
  const names = (hs: { name: string }[]) => hs.map((h) => h.name);
  const anti = { policy: "anti-affinity", rules: {}, members: ["a", "b", "new"] };
  assert.deepEqual(names(allowedHosts(anti, hosts, "new")), ["h3"]);
  // A server already on a host may stay there (a move to the same host).
  assert.deepEqual(names(allowedHosts(anti, hosts, "a")), ["h1", "h3"]);
  const two = { ...anti, rules: { max_server_per_host: 2 } };
  assert.deepEqual(names(allowedHosts(two, hosts, "new")), ["h1", "h2", "h3"]);
  const aff = { policy: "affinity", rules: {}, members: ["c", "new"] };
  assert.deepEqual(names(allowedHosts(aff, hosts, "new")), ["h2"]);
  const first = { policy: "affinity", rules: {}, members: ["new"] };
  assert.deepEqual(names(allowedHosts(first, hosts, "new")), ["h1", "h2", "h3"]);
  const soft = { policy: "soft-anti-affinity", rules: {}, members: ["a", "b", "c"] };
  assert.deepEqual(names(allowedHosts(soft, hosts, "new")), ["h1", "h2", "h3"]);
});

Deno.test("usage counts: from the servers, or their allocations with count_usage_from_placement", () => {
  for (const placement of [false, true]) {
    const { db, addInstance, engine } = setup(
      `[quota]\ncount_usage_from_placement = ${placement ? "True" : "False"}\n`,
    );
    addInstance("p1", "u1", MEDIUM);
    addInstance("p1", "u2");
    // Only the first server holds an allocation (the second was never placed).
    db.run(
      `INSERT INTO allocations (consumer_id, node, vcpus, memory_mb, disk_gb, created_at)
       VALUES ('00000000-0000-0000-0000-000000000001', 'n1', 2, 4096, 40, 'now')`,
    );
    const project = engine.driver.getProjectQuotas("p1", true);
    assert.equal(project.instances.in_use, 2);
    assert.equal(project.cores.in_use, placement ? 2 : 3);
    assert.equal(project.ram.in_use, placement ? 4096 : 4608);
    const user = engine.driver.getUserQuotas("p1", "u2", true);
    assert.equal(user.instances.in_use, 1);
    assert.equal(user.cores.in_use, placement ? 0 : 1);
  }
});

Deno.test("unlimited(): only when neither the project's nor the user's limit bounds a resource", () => {
  const { engine } = setup("[quota]\ninstances = -1\ncores = -1\nram = -1\n");
  const ctx = { projectId: "p1", userId: "u1" };
  const keys = ["instances", "cores", "ram"];
  assert.equal(engine.driver.unlimited(ctx, keys), true);
  engine.store.setLimit("p1", "cores", 8, "u1");
  assert.equal(engine.driver.unlimited(ctx, keys), false);
  assert.equal(engine.driver.unlimited(ctx, ["instances", "ram"]), true);
  assert.equal(engine.driver.unlimited({ projectId: "p1", userId: "u2" }, keys), true);
  engine.store.setLimit("p1", "ram", 4096, null);
  assert.equal(engine.driver.unlimited({ projectId: "p1", userId: "u2" }, keys), false);
  const { engine: limited } = setup("[quota]\ninstances = 10\n");
  assert.equal(limited.driver.unlimited(ctx, ["instances"]), false);
  const { engine: noop } = setup("[quota]\ndriver = nova.quota.NoopQuotaDriver\n");
  assert.equal(noop.driver.unlimited(ctx, keys), true);
});

Deno.test("checkNumInstances() with unlimited quotas allows any count, over any usage", () => {
  const { svc, addInstance } = setup("[quota]\ninstances = -1\ncores = -1\nram = -1\n");
  for (let i = 0; i < 20; i++) addInstance("p1", "u1");
  assert.equal(checkNumInstances(svc, context("p1", "u1"), TINY, 1, 500), 500);
  recheckNumInstances(svc, context("p1", "u1"), TINY, 500);
});
