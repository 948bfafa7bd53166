/**
 * End to end: `[DEFAULT] reclaim_instance_interval` soft delete — DELETE
 * leaves SOFT_DELETED (powered off), restore brings the server back,
 * forceDelete and the periodic reclaim delete it for good; a server that
 * never ran is deleted at once.
 */

import { strict as assert } from "node:assert";
import { act, actionsOf } from "./_actions.ts";
import {
  activeServer,
  call,
  createServer,
  DEMO,
  waitForServer,
  waitGone,
  withServers,
} from "./_servers.ts";

const RECLAIM =
  "[DEFAULT]\nreclaim_instance_interval = 1\n[novalet_compute]\nperiodic_interval = 0.2\n";

Deno.test("soft delete: SOFT_DELETED, restore, forceDelete", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    assert.equal((await call(n, "DELETE", `/servers/${id}`, { token: DEMO })).status, 204);
    const soft = await waitForServer(n, id, (s) => s.status === "SOFT_DELETED", { token: DEMO });
    assert.equal(soft["OS-EXT-STS:power_state"], 4);
    assert.equal(soft["OS-EXT-STS:task_state"], null);
    const listed = (await call(n, "GET", "/servers", { token: DEMO })).body.servers;
    assert.ok(!listed.some((s: { id: string }) => s.id === id), "nova lists them only when asked");
    const restored = await act(n, id, { restore: null }, { token: DEMO });
    assert.equal(restored.status, 202);
    assert.equal(restored.text, "");
    const active = await waitForServer(n, id, (s) => s.status === "ACTIVE", { token: DEMO });
    assert.equal(active["OS-EXT-STS:power_state"], 1);
    const again = await act(n, id, { restore: null }, { token: DEMO });
    assert.equal(
      again.body.conflictingRequest.message,
      `Cannot 'restore' instance ${id} while it is in vm_state active`,
    );
    const actions = await actionsOf(n, id);
    assert.deepEqual(actions.map((a) => a.action), ["restore", "delete", "create"]);
    assert.equal(actions[0].events[0].event, "compute_restore_instance");
    assert.equal(actions[1].events[0].event, "compute_soft_delete_instance");
    await call(n, "DELETE", `/servers/${id}`, { token: DEMO });
    await waitForServer(n, id, (s) => s.status === "SOFT_DELETED", { token: DEMO });
    assert.equal((await act(n, id, { forceDelete: null }, { token: DEMO })).status, 202);
    await waitGone(n, id);
  }, "[DEFAULT]\nreclaim_instance_interval = 3600\n");
});

Deno.test("soft delete: the periodic task reclaims; a server that never ran goes at once", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n);
    assert.equal((await call(n, "DELETE", `/servers/${id}`)).status, 204);
    await waitForServer(n, id, (s) => s.status === "SOFT_DELETED");
    await waitGone(n, id);
    const gone = await call(n, "GET", `/servers/${id}/os-instance-actions`, { version: "2.21" });
    assert.deepEqual(
      gone.body.instanceActions.map((a: { action: string }) => a.action),
      ["delete", "create"],
    );
    const building = (await createServer(n)).body.server.id;
    assert.equal((await call(n, "DELETE", `/servers/${building}`)).status, 204);
    await waitGone(n, building);
  }, RECLAIM + "[novalet_compute]\nspawn_delay_ms = 500\n");
});

Deno.test("soft delete: locked servers refuse; restore needs SOFT_DELETED; policies", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    await act(n, id, { lock: null }, { token: DEMO });
    const locked = await call(n, "DELETE", `/servers/${id}`, { token: DEMO });
    assert.deepEqual(locked.body, {
      conflictingRequest: { code: 409, message: `Instance ${id} is locked` },
    });
    await act(n, id, { unlock: null }, { token: DEMO });
    await call(n, "DELETE", `/servers/${id}`, { token: DEMO });
    await waitForServer(n, id, (s) => s.status === "SOFT_DELETED");
    const other = await act(n, id, { restore: null }, { token: "x:otherproject" });
    assert.equal(other.status, 404);
    assert.equal((await act(n, id, { restore: null })).status, 202, "admins may restore");
    await waitForServer(n, id, (s) => s.status === "ACTIVE");
  }, "[DEFAULT]\nreclaim_instance_interval = 3600\n");
});
