/**
 * End to end: GET /limits of the real novalet — the absolute limits per
 * microversion (cases 123-126), the usage totals counted from servers and
 * server groups, another project's limits for admins.
 */

import { strict as assert } from "node:assert";
import { activeServer, call, DEMO, waitGone, withServers } from "./_servers.ts";

const ABSOLUTE_21 = {
  maxTotalInstances: 10,
  maxTotalCores: 20,
  maxTotalRAMSize: 51200,
  maxServerMeta: 128,
  maxImageMeta: 128,
  maxPersonality: 5,
  maxPersonalitySize: 10240,
  maxTotalKeypairs: 100,
  maxServerGroups: 10,
  maxServerGroupMembers: 10,
  maxTotalFloatingIps: -1,
  maxSecurityGroups: -1,
  maxSecurityGroupRules: -1,
  totalRAMUsed: 0,
  totalCoresUsed: 0,
  totalInstancesUsed: 0,
  totalFloatingIpsUsed: 0,
  totalSecurityGroupsUsed: 0,
  totalServerGroupsUsed: 0,
};

function without(keys: string[]): Record<string, number> {
  return Object.fromEntries(Object.entries(ABSOLUTE_21).filter(([k]) => !keys.includes(k)));
}

const NETWORK = [
  "maxTotalFloatingIps",
  "maxSecurityGroups",
  "maxSecurityGroupRules",
  "totalFloatingIpsUsed",
  "totalSecurityGroupsUsed",
];

Deno.test("limits: absolute limits per microversion (cases 123-125)", async () => {
  await withServers(async (n) => {
    const v21 = await call(n, "GET", "/limits");
    assert.equal(v21.status, 200);
    assert.deepEqual(v21.body, { limits: { rate: [], absolute: ABSOLUTE_21 } });
    // nova's order: the limits by resource, then the usage totals.
    assert.deepEqual(Object.keys(v21.body.limits.absolute), Object.keys(ABSOLUTE_21));
    const v236 = await call(n, "GET", "/limits", { version: "2.36" });
    assert.deepEqual(v236.body.limits.absolute, without(NETWORK));
    const v239 = await call(n, "GET", "/limits", { version: "2.39" });
    assert.deepEqual(v239.body.limits.absolute, without([...NETWORK, "maxImageMeta"]));
    const v257 = await call(n, "GET", "/limits", { version: "2.57" });
    assert.deepEqual(
      v257.body.limits.absolute,
      without([...NETWORK, "maxImageMeta", "maxPersonality", "maxPersonalitySize"]),
    );
    const demo = await call(n, "GET", "/limits", { token: DEMO });
    assert.deepEqual(demo.body.limits.absolute, ABSOLUTE_21);
  });
});

Deno.test("limits: usage totals from servers and server groups; limits from quotas", async () => {
  await withServers(async (n) => {
    // m1.medium: 2 vCPUs, 4096 MiB; m1.tiny: 1 vCPU, 512 MiB.
    const medium = await activeServer(n, { flavorRef: "3" }, { token: DEMO });
    await activeServer(n, { flavorRef: "1" }, { token: DEMO });
    await call(n, "POST", "/os-server-groups", {
      token: DEMO,
      body: { server_group: { name: "g", policies: ["affinity"] } },
    });
    await call(n, "PUT", "/os-quota-sets/demoproject", {
      body: { quota_set: { instances: 7, cores: 9 } },
    });
    const used = (await call(n, "GET", "/limits", { token: DEMO, version: "2.57" })).body;
    assert.deepEqual(used.limits.absolute, {
      maxTotalInstances: 7,
      maxTotalCores: 9,
      maxTotalRAMSize: 51200,
      maxServerMeta: 128,
      maxTotalKeypairs: 100,
      maxServerGroups: 10,
      maxServerGroupMembers: 10,
      totalRAMUsed: 4608,
      totalCoresUsed: 3,
      totalInstancesUsed: 2,
      totalServerGroupsUsed: 1,
    });
    // The admin's own project uses nothing.
    const admin = (await call(n, "GET", "/limits")).body.limits.absolute;
    assert.equal(admin.totalInstancesUsed, 0);
    assert.equal(admin.maxTotalInstances, 10);

    await call(n, "DELETE", `/servers/${medium.id}`, { token: DEMO });
    await waitGone(n, medium.id);
    const after = (await call(n, "GET", "/limits", { token: DEMO })).body.limits.absolute;
    assert.equal(after.totalInstancesUsed, 1);
    assert.equal(after.totalCoresUsed, 1);
    assert.equal(after.totalRAMUsed, 512);
  });
});

Deno.test("limits: tenant_id for admins only (case 126); unknown parameters at 2.75", async () => {
  await withServers(async (n) => {
    await activeServer(n, {}, { token: DEMO });
    const other = await call(n, "GET", "/limits?tenant_id=demoproject");
    assert.equal(other.status, 200);
    assert.equal(other.body.limits.absolute.totalInstancesUsed, 1);
    const denied = await call(n, "GET", "/limits?tenant_id=admin", { token: DEMO });
    assert.equal(denied.status, 403);
    assert.equal(
      Object.values(denied.body as Record<string, { message: string }>)[0].message,
      "Policy doesn't allow os_compute_api:limits:other_project to be performed.",
    );
    assert.equal((await call(n, "GET", "/limits?bogus=1", { version: "2.74" })).status, 200);
    const strict = await call(n, "GET", "/limits?bogus=1", { version: "2.75" });
    assert.equal(strict.status, 400);
    assert.match(strict.text, /Additional properties are not allowed \('bogus' was unexpected\)/);
  });
});
