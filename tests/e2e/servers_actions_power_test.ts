/**
 * End to end: pause/unpause, suspend/resume, trigger_crash_dump,
 * changePassword, os-resetState, injectNetworkInfo and resetNetwork — the
 * task states they pass through, nova's 409s, policies and the instance
 * actions with their events.
 */

import { strict as assert } from "node:assert";
import { act, actionsOf } from "./_actions.ts";
import { activeServer, call, DEMO, waitForServer, withServers } from "./_servers.ts";

const SLOW = "[novalet_compute]\naction_delay_ms = 200\n";

Deno.test("pause and unpause: PAUSED via pausing, power state 3, 409s, events", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    const paused = await act(n, id, { pause: null }, { token: DEMO });
    assert.equal(paused.status, 202);
    assert.equal(paused.text, "");
    const during = (await call(n, "GET", `/servers/${id}`)).body.server;
    assert.equal(during["OS-EXT-STS:task_state"], "pausing");
    assert.equal(during.status, "ACTIVE");
    const again = await act(n, id, { pause: null }, { token: DEMO });
    assert.equal(again.status, 409);
    assert.equal(
      again.body.conflictingRequest.message,
      `Cannot 'pause' instance ${id} while it is in task_state pausing`,
    );
    const done = await waitForServer(n, id, (s) => s.status === "PAUSED");
    assert.equal(done["OS-EXT-STS:power_state"], 3);
    assert.equal(done["OS-EXT-STS:task_state"], null);
    const suspend = await act(n, id, { suspend: null }, { token: DEMO });
    assert.equal(
      suspend.body.conflictingRequest.message,
      `Cannot 'suspend' instance ${id} while it is in vm_state paused`,
    );
    assert.equal((await act(n, id, { unpause: null }, { token: DEMO })).status, 202);
    const active = await waitForServer(
      n,
      id,
      (s) => s.status === "ACTIVE" && !s["OS-EXT-STS:task_state"],
    );
    assert.equal(active["OS-EXT-STS:power_state"], 1);
    const unpause = await act(n, id, { unpause: null }, { token: DEMO });
    assert.equal(
      unpause.body.conflictingRequest.message,
      `Cannot 'unpause' instance ${id} while it is in vm_state active`,
    );
    const actions = await actionsOf(n, id);
    assert.deepEqual(actions.map((a) => a.action), ["unpause", "pause", "create"]);
    assert.deepEqual(actions[0].events.map((e) => [e.event, e.result]), [
      ["compute_unpause_instance", "Success"],
    ]);
    assert.deepEqual(actions[1].events.map((e) => e.event), ["compute_pause_instance"]);
  }, SLOW);
});

Deno.test("suspend and resume: SUSPENDED keeps the old vm_state; locked servers refuse", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    assert.equal((await act(n, id, { suspend: null }, { token: DEMO })).status, 202);
    const during = (await call(n, "GET", `/servers/${id}`)).body.server;
    assert.equal(during["OS-EXT-STS:task_state"], "suspending");
    const suspended = await waitForServer(n, id, (s) => s.status === "SUSPENDED");
    assert.equal(suspended["OS-EXT-STS:power_state"], 4);
    assert.equal((await act(n, id, { lock: null }, { token: DEMO })).status, 202);
    const locked = await act(n, id, { resume: null }, { token: DEMO });
    assert.deepEqual(locked.body, {
      conflictingRequest: { code: 409, message: `Instance ${id} is locked` },
    });
    assert.equal((await act(n, id, { resume: null })).status, 202, "admins act on locked servers");
    await waitForServer(n, id, (s) => s.status === "ACTIVE" && !s["OS-EXT-STS:task_state"]);
    const actions = await actionsOf(n, id);
    assert.deepEqual(actions.map((a) => a.action), ["resume", "lock", "suspend", "create"]);
    assert.equal(actions[0].events[0].event, "compute_resume_instance");
  }, SLOW);
});

Deno.test("trigger_crash_dump: 2.17+, 202 on a running server, 404 before 2.17", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n);
    const old = await act(n, id, { trigger_crash_dump: null }, { version: "2.16" });
    assert.equal(old.status, 404);
    const bad = await act(n, id, { trigger_crash_dump: {} }, { version: "2.17" });
    assert.equal(bad.status, 400);
    const ok = await act(n, id, { trigger_crash_dump: null }, { version: "2.17" });
    assert.equal(ok.status, 202);
    assert.equal(ok.headers.get("openstack-api-version"), "compute 2.17");
    await call(n, "POST", `/servers/${id}/action`, { body: { "os-stop": null } });
    await waitForServer(n, id, (s) => s.status === "SHUTOFF");
    const stopped = await act(n, id, { trigger_crash_dump: null }, { version: "2.17" });
    assert.equal(
      stopped.body.conflictingRequest.message,
      `Cannot 'trigger_crash_dump' instance ${id} while it is in vm_state stopped`,
    );
    const actions = await actionsOf(n, id);
    const dump = actions.find((a) => a.action === "trigger_crash_dump")!;
    assert.deepEqual(dump.events.map((e) => [e.event, e.result]), [
      ["compute_trigger_crash_dump", "Success"],
    ]);
  });
});

Deno.test("changePassword: 202 once set; not running is 409; schema and policy", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    const missing = await act(n, id, { changePassword: {} }, { token: DEMO });
    assert.equal(missing.status, 400);
    assert.match(missing.body.badRequest.message, /'adminPass' is a required property/);
    const ok = await act(n, id, { changePassword: { adminPass: "s3cret" } }, { token: DEMO });
    assert.equal(ok.status, 202);
    assert.equal(ok.text, "");
    const after = (await call(n, "GET", `/servers/${id}`)).body.server;
    assert.equal(after.status, "ACTIVE");
    assert.equal(after["OS-EXT-STS:task_state"], null);
    await call(n, "POST", `/servers/${id}/action`, { body: { "os-stop": null } });
    await waitForServer(n, id, (s) => s.status === "SHUTOFF");
    const stopped = await act(n, id, { changePassword: { adminPass: "x" } }, { token: DEMO });
    assert.equal(
      stopped.body.conflictingRequest.message,
      `Cannot 'changePassword' instance ${id} while it is in vm_state stopped`,
    );
    assert.equal((await act(n, id, { lock: null })).status, 202);
    const locked = await act(n, id, { changePassword: { adminPass: "x" } }, { token: DEMO });
    assert.equal(
      locked.body.conflictingRequest.message,
      `Instance ${id} is in an invalid state for 'changePassword'`,
    );
    const actions = await actionsOf(n, id);
    const change = actions.find((a) => a.action === "changePassword")!;
    assert.deepEqual(change.events.map((e) => [e.event, e.result]), [
      ["compute_set_admin_password", "Success"],
    ]);
  });
});

Deno.test("os-resetState: admin only, any state back to active or error, a finished action", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    const member = await act(n, id, { "os-resetState": { state: "error" } }, { token: DEMO });
    assert.equal(member.status, 403);
    assert.equal(
      member.body.forbidden.message,
      "Policy doesn't allow os_compute_api:os-admin-actions:reset_state to be performed.",
    );
    const bad = await act(n, id, { "os-resetState": { state: "paused" } });
    assert.equal(bad.status, 400);
    const reset = await act(n, id, { "os-resetState": { state: "error" } });
    assert.equal(reset.status, 202);
    assert.equal(reset.text, "");
    const shown = (await call(n, "GET", `/servers/${id}`)).body.server;
    assert.equal(shown.status, "ERROR");
    const back = await act(n, id, { "os-resetState": { state: "active" } });
    assert.equal(back.status, 202);
    assert.equal((await call(n, "GET", `/servers/${id}`)).body.server.status, "ACTIVE");
    const list = await call(n, "GET", `/servers/${id}/os-instance-actions`);
    const resets = list.body.instanceActions.filter((a: { action: string }) =>
      a.action === "resetState"
    );
    assert.equal(resets.length, 2);
    const one = await call(n, "GET", `/servers/${id}/os-instance-actions/${resets[0].request_id}`);
    assert.deepEqual(one.body.instanceAction.events, []);
  });
});

Deno.test("injectNetworkInfo is admin's 202; resetNetwork is gone (410)", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    assert.equal((await act(n, id, { injectNetworkInfo: null }, { token: DEMO })).status, 403);
    assert.equal((await act(n, id, { injectNetworkInfo: null })).status, 202);
    const gone = await act(n, id, { resetNetwork: null });
    assert.equal(gone.status, 410);
    assert.equal(gone.body.computeFault.code, 410);
  });
});
