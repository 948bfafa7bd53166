/**
 * End to end: resize, confirmResize, revertResize and migrate on the one
 * host — nova's NoValidHost answer when the host may not take the server
 * again, VERIFY_RESIZE with `allow_resize_to_same_host`, the flavor
 * checks, the migration records (os-migrations), the auto-confirm window
 * and a delete while VERIFY_RESIZE.
 */

import { strict as assert } from "node:assert";
import { act, actionsOf, until } from "./_actions.ts";
import { activeServer, call, DEMO, waitForServer, waitGone, withServers } from "./_servers.ts";

const SAME_HOST = "[DEFAULT]\nallow_resize_to_same_host = true\n";

Deno.test("resize on one host without allow_resize_to_same_host: no valid host, back to ACTIVE", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    const res = await act(n, id, { resize: { flavorRef: "2" } }, { token: DEMO });
    assert.equal(res.status, 202);
    assert.equal(res.text, "");
    const back = await waitForServer(
      n,
      id,
      (s) => s.status === "ACTIVE" && s["OS-EXT-STS:task_state"] === null,
    );
    assert.equal(back.flavor.id, "1");
    const actions = await actionsOf(n, id);
    assert.equal(actions[0].action, "resize");
    assert.equal(actions[0].message, "Error");
    const events = Object.fromEntries(actions[0].events.map((e) => [e.event, e]));
    assert.equal(events.conductor_migrate_server.result, "Error");
    assert.equal(events.cold_migrate.result, "Error");
    const reset = await act(n, id, { "os-resetState": { state: "error" } });
    assert.equal(reset.status, 202);
    const errored = (await call(n, "GET", `/servers/${id}`)).body.server;
    assert.equal(
      errored.fault.message,
      "No valid host was found. There are not enough hosts available.",
    );
    const migrations = await call(n, "GET", `/os-migrations?instance_uuid=${id}`, {
      version: "2.23",
    });
    assert.equal(migrations.status, 200);
    assert.deepEqual(
      migrations.body.migrations.map((m: Record<string, unknown>) => [m.status, m.migration_type]),
      [["error", "resize"]],
    );
    const migrate = await act(n, id, { "os-resetState": { state: "active" } });
    assert.equal(migrate.status, 202);
    assert.equal((await act(n, id, { migrate: null })).status, 202);
    await waitForServer(n, id, (s) => s["OS-EXT-STS:task_state"] === null);
    const migrateAction = (await actionsOf(n, id))[0];
    assert.equal(migrateAction.action, "migrate");
    assert.equal(migrateAction.events.find((e) => e.event === "cold_migrate")?.result, "Error");
  });
});

Deno.test("resize to the same host: RESIZE states, VERIFY_RESIZE, confirm; migration records", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    assert.equal((await act(n, id, { resize: { flavorRef: "2" } }, { token: DEMO })).status, 202);
    const during = (await call(n, "GET", `/servers/${id}`)).body.server;
    assert.equal(during.status, "RESIZE");
    const verify = await waitForServer(n, id, (s) => s.status === "VERIFY_RESIZE");
    assert.equal(verify.flavor.id, "2");
    assert.equal(verify["OS-EXT-STS:vm_state"], "resized");
    const again = await act(n, id, { resize: { flavorRef: "3" } }, { token: DEMO });
    assert.equal(
      again.body.conflictingRequest.message,
      `Cannot 'resize' instance ${id} while it is in vm_state resized`,
    );
    const confirm = await act(n, id, { confirmResize: null }, { token: DEMO });
    assert.equal(confirm.status, 204);
    assert.equal(confirm.text, "");
    const active = await waitForServer(n, id, (s) => s.status === "ACTIVE");
    assert.equal(active.flavor.id, "2");
    const twice = await act(n, id, { confirmResize: null }, { token: DEMO });
    assert.equal(
      twice.body.conflictingRequest.message,
      `Cannot 'confirmResize' instance ${id} while it is in vm_state active`,
    );
    const actions = await actionsOf(n, id);
    assert.deepEqual(actions.map((a) => a.action), ["confirmResize", "resize", "create"]);
    assert.deepEqual(actions[1].events.map((e) => e.event).sort(), [
      "cold_migrate",
      "compute_finish_resize",
      "compute_prep_resize",
      "compute_resize_instance",
      "conductor_migrate_server",
    ]);
    assert.ok(actions[1].events.every((e) => e.result === "Success"));
    assert.equal(actions[0].events[0].event, "compute_confirm_resize");
    const migrations = (await call(n, "GET", "/os-migrations", { version: "2.59" })).body
      .migrations;
    assert.equal(migrations.length, 1);
    assert.equal(migrations[0].status, "confirmed");
    assert.equal(migrations[0].old_instance_type_id !== migrations[0].new_instance_type_id, true);
    assert.equal(migrations[0].dest_compute, "novalet");
  }, SAME_HOST + "[novalet_compute]\naction_delay_ms = 100\n");
});

Deno.test("revertResize: back to the old flavor; a stopped server stays stopped", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n);
    await act(n, id, { "os-stop": null });
    await waitForServer(n, id, (s) => s.status === "SHUTOFF");
    assert.equal((await act(n, id, { resize: { flavorRef: "2" } })).status, 202);
    const verify = await waitForServer(n, id, (s) => s.status === "VERIFY_RESIZE");
    assert.equal(verify["OS-EXT-STS:power_state"], 4);
    const revert = await act(n, id, { revertResize: null });
    assert.equal(revert.status, 202);
    const back = await waitForServer(n, id, (s) => s.status === "SHUTOFF");
    assert.equal(back.flavor.id, "1");
    const notResized = await act(n, id, { revertResize: null });
    assert.equal(notResized.status, 409);
    const events = (await actionsOf(n, id))[0];
    assert.equal(events.action, "revertResize");
    assert.deepEqual(events.events.map((e) => e.event).sort(), [
      "compute_finish_revert_resize",
      "compute_revert_resize",
    ]);
  }, SAME_HOST);
});

Deno.test("resize checks: same flavor, unknown flavor, disk down-size, locked, policy", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, { flavorRef: "2" }, { token: DEMO });
    const same = await act(n, id, { resize: { flavorRef: "2" } }, { token: DEMO });
    assert.deepEqual(same.body, {
      badRequest: { code: 400, message: "When resizing, instances must change flavor!" },
    });
    const unknown = await act(n, id, { resize: { flavorRef: "nope" } }, { token: DEMO });
    assert.equal(unknown.body.badRequest.message, "Flavor nope could not be found.");
    const down = await act(n, id, { resize: { flavorRef: "1" } }, { token: DEMO });
    assert.equal(down.status, 400);
    assert.equal(
      down.body.badRequest.message,
      "Flavor's disk is smaller than the minimum size specified in image metadata. " +
        "Flavor disk is 1073741824 bytes, minimum size is 21474836480 bytes.",
    );
    const noBody = await act(n, id, { resize: {} }, { token: DEMO });
    assert.equal(noBody.status, 400);
    await act(n, id, { lock: null }, { token: DEMO });
    const locked = await act(n, id, { resize: { flavorRef: "3" } }, { token: DEMO });
    assert.equal(locked.body.conflictingRequest.message, `Instance ${id} is locked`);
    const migrate = await act(n, id, { migrate: null }, { token: DEMO });
    assert.equal(migrate.status, 403);
    const notResized = await act(n, id, { confirmResize: null });
    assert.equal(
      notResized.body.conflictingRequest.message,
      `Cannot 'confirmResize' instance ${id} while it is in vm_state active`,
    );
  });
});

Deno.test("migrate 2.56: the server's own host is refused, an unknown host is not found", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n);
    const own = await act(n, id, { migrate: { host: "novalet" } }, { version: "2.56" });
    assert.deepEqual(own.body, {
      badRequest: { code: 400, message: "Cannot migrate to the host where the server exists." },
    });
    const unknown = await act(n, id, { migrate: { host: "elsewhere" } }, { version: "2.56" });
    assert.equal(unknown.body.badRequest.message, "Compute host elsewhere could not be found.");
    const bad = await act(n, id, { migrate: { bogus: 1 } }, { version: "2.56" });
    assert.equal(bad.status, 400);
    const ignored = await act(n, id, { migrate: { bogus: 1 } }, { version: "2.55" });
    assert.equal(ignored.status, 202, "no schema before 2.56");
  });
});

Deno.test("resize_confirm_window confirms a VERIFY_RESIZE server by itself", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n);
    await act(n, id, { resize: { flavorRef: "2" } });
    await waitForServer(n, id, (s) => s.status === "VERIFY_RESIZE");
    await until(async () => {
      const s = (await call(n, "GET", `/servers/${id}`)).body.server;
      return s.status === "ACTIVE";
    }, "the auto-confirm");
    const actions = await actionsOf(n, id);
    assert.equal(actions[0].action, "confirmResize");
    assert.equal(actions[0].user_id, null);
  }, SAME_HOST + "resize_confirm_window = 1\n[novalet_compute]\nperiodic_interval = 0.2\n");
});

Deno.test("deleting a VERIFY_RESIZE server confirms the resize first", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n);
    await act(n, id, { resize: { flavorRef: "2" } });
    await waitForServer(n, id, (s) => s.status === "VERIFY_RESIZE");
    assert.equal((await call(n, "DELETE", `/servers/${id}`)).status, 204);
    await waitGone(n, id);
    const actions =
      (await call(n, "GET", `/servers/${id}/os-instance-actions`, { version: "2.21" }))
        .body.instanceActions.map((a: { action: string }) => a.action);
    assert.deepEqual(actions, ["delete", "confirmResize", "resize", "create"]);
    const migrations = (await call(n, "GET", `/os-migrations?instance_uuid=${id}`)).body.migrations;
    assert.equal(migrations[0].status, "confirmed");
  }, SAME_HOST);
});
