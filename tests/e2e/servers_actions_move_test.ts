/**
 * End to end: os-migrateLive and evacuate as nova answers them on a
 * one-host cloud (per microversion), and the moves that succeed with a
 * second compute host (resize, migrate, live migration, evacuation from a
 * host forced down).
 */

import { strict as assert } from "node:assert";
import { act, actionsOf, until } from "./_actions.ts";
import { activeServer, call, DEMO, waitForServer, withServers } from "./_servers.ts";

const live = (host: string | null, extra: Record<string, unknown> = {}) => ({
  "os-migrateLive": { host, block_migration: false, ...extra },
});

Deno.test("os-migrateLive on one host: nova's 400s before 2.34, 202 and the same answer after", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n);
    const noHost = await act(n, id, live(null, { disk_over_commit: false }));
    assert.deepEqual(noHost.body, {
      badRequest: {
        code: 400,
        message: "No valid host was found. There are not enough hosts available.",
      },
    });
    const back = (await call(n, "GET", `/servers/${id}`)).body.server;
    assert.equal(back.status, "ACTIVE");
    const self = await act(n, id, live("novalet", { disk_over_commit: false }));
    assert.equal(
      self.body.badRequest.message,
      `Unable to migrate instance (${id}) to current host (novalet).`,
    );
    const unknown = await act(n, id, live("bogus", { disk_over_commit: false }));
    assert.equal(unknown.body.badRequest.message, "Compute host bogus could not be found.");
    const noForceHost = await act(n, id, live(null, { force: true }), { version: "2.30" });
    assert.equal(noForceHost.body.badRequest.message, "Can't force to a non-provided destination");
    const scheduled = await act(n, id, live("novalet"), { version: "2.30" });
    assert.equal(
      scheduled.body.badRequest.message,
      "No valid host was found. There are not enough hosts available.",
    );
    const auto21 = await act(
      n,
      id,
      live(null, { block_migration: "auto", disk_over_commit: false }),
    );
    assert.equal(auto21.status, 400, "'auto' only from 2.25");
    const async = await act(n, id, live(null, { block_migration: "auto" }), { version: "2.34" });
    assert.equal(async.status, 202);
    assert.equal(async.text, "");
    await waitForServer(n, id, (s) => s["OS-EXT-STS:task_state"] === null);
    const actions = await actionsOf(n, id);
    assert.equal(actions[0].action, "live-migration");
    assert.deepEqual(actions[0].events.map((e) => [e.event, e.result]), [
      ["conductor_live_migrate_instance", "Error"],
    ]);
    assert.equal(actions[1].events[0].event, "conductor_migrate_server");
    const migrations = (await call(n, "GET", `/os-migrations?migration_type=live-migration`, {
      version: "2.23",
    })).body.migrations;
    assert.ok(migrations.length >= 4);
    assert.ok(migrations.every((m: { status: string }) => m.status === "error"));
    const member = await act(n, id, live(null, { block_migration: "auto" }), {
      token: DEMO,
      version: "2.34",
    });
    assert.equal(member.status, 404, "another project's server is not found");
    const own = await activeServer(n, { name: "own" }, { token: DEMO });
    const forbidden = await act(n, own.id, live(null, { block_migration: "auto" }), {
      token: DEMO,
      version: "2.34",
    });
    assert.equal(forbidden.status, 403, "live migration is for admins");
    assert.equal((await act(n, own.id, { migrate: null }, { token: DEMO })).status, 403);
    await act(n, id, { "os-stop": null });
    await waitForServer(n, id, (s) => s.status === "SHUTOFF");
    const stopped = await act(n, id, live(null, { block_migration: "auto" }), { version: "2.34" });
    assert.equal(
      stopped.body.conflictingRequest.message,
      `Cannot 'os-migrateLive' instance ${id} while it is in vm_state stopped`,
    );
  });
});

Deno.test("evacuate on one host: the host is up (400), same host, unknown host, schema, policy", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    const member = await act(n, id, { evacuate: { onSharedStorage: false } }, { token: DEMO });
    assert.equal(member.status, 403);
    const up = await act(n, id, { evacuate: { onSharedStorage: false } });
    assert.deepEqual(up.body, {
      badRequest: { code: 400, message: "Compute service of novalet is still in use." },
    });
    const same = await act(n, id, { evacuate: { host: "novalet" } }, { version: "2.14" });
    assert.equal(same.body.badRequest.message, "The target host can't be the same one.");
    const unknown = await act(n, id, { evacuate: { host: "bogus" } }, { version: "2.14" });
    assert.deepEqual(unknown.body, {
      itemNotFound: { code: 404, message: "Compute host bogus not found." },
    });
    const missing = await act(n, id, { evacuate: {} });
    assert.equal(missing.status, 400, "onSharedStorage is required before 2.14");
    const shared = await act(n, id, { evacuate: { onSharedStorage: true, adminPass: "x" } });
    assert.equal(
      shared.body.badRequest.message,
      "admin password can't be changed on existing disk",
    );
  });
});

/** Forces a host's nova-compute service down (or up) through os-services 2.53. */
async function forceDown(n: Parameters<typeof call>[0], host: string, down: boolean) {
  const list = await call(n, "GET", `/os-services?binary=nova-compute&host=${host}`, {
    version: "2.53",
  });
  const svc = list.body.services[0];
  const res = await call(n, "PUT", `/os-services/${svc.id}`, {
    version: "2.53",
    body: { forced_down: down },
  });
  assert.equal(res.status, 200, res.text);
}

Deno.test("evacuate from a forced-down host with nowhere to go: ERROR, migration error", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n);
    await forceDown(n, "novalet", true);
    const res = await act(n, id, { evacuate: {} }, { version: "2.14" });
    assert.equal(res.status, 200);
    assert.equal(res.text, "");
    const errored = await waitForServer(n, id, (s) => s.status === "ERROR");
    assert.equal(
      errored.fault.message,
      "No valid host was found. There are not enough hosts available.",
    );
    const actions = await actionsOf(n, id);
    assert.equal(actions[0].action, "evacuate");
    assert.deepEqual(actions[0].events.map((e) => [e.event, e.result]), [[
      "rebuild_server",
      "Error",
    ]]);
    const migrations = (await call(n, "GET", `/os-migrations?instance_uuid=${id}`, {
      version: "2.23",
    })).body.migrations;
    assert.deepEqual(migrations.map((m: Record<string, string>) => [m.migration_type, m.status]), [
      ["evacuation", "error"],
    ]);
    await forceDown(n, "novalet", false);
  });
});

const TWO_HOSTS = "[novalet_compute]\nhosts = novalet, compute2\n";

Deno.test("two hosts: resize and migrate move the server; live migration completes", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n);
    const hostOf = async () =>
      (await call(n, "GET", `/servers/${id}`, { version: "2.3" })).body.server[
        "OS-EXT-SRV-ATTR:host"
      ];
    const first = await hostOf();
    assert.equal((await act(n, id, { resize: { flavorRef: "2" } })).status, 202);
    await waitForServer(n, id, (s) => s.status === "VERIFY_RESIZE");
    assert.notEqual(await hostOf(), first);
    assert.equal((await act(n, id, { revertResize: null })).status, 202);
    await waitForServer(n, id, (s) => s.status === "ACTIVE");
    assert.equal(await hostOf(), first);
    assert.equal((await act(n, id, { migrate: null })).status, 202);
    await waitForServer(n, id, (s) => s.status === "VERIFY_RESIZE");
    const second = await hostOf();
    assert.notEqual(second, first);
    assert.equal((await act(n, id, { confirmResize: null })).status, 204);
    await waitForServer(n, id, (s) => s.status === "ACTIVE");
    const liveRes = await act(n, id, live(null, { block_migration: "auto" }), { version: "2.34" });
    assert.equal(liveRes.status, 202);
    await until(async () => (await hostOf()) === first, "the live migration");
    const migrations = (await call(n, "GET", `/os-migrations?instance_uuid=${id}`, {
      version: "2.23",
    })).body.migrations.map((m: Record<string, string>) => [m.migration_type, m.status]);
    assert.deepEqual(migrations.sort(), [
      ["live-migration", "completed"],
      ["migration", "confirmed"],
      ["resize", "reverted"],
    ]);
  }, TWO_HOSTS);
});

Deno.test("two hosts: evacuate from a forced-down host rebuilds the server on the other", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n);
    const host = (await call(n, "GET", `/servers/${id}`, { version: "2.3" })).body.server[
      "OS-EXT-SRV-ATTR:host"
    ];
    await forceDown(n, host, true);
    const res = await act(n, id, { evacuate: { onSharedStorage: false } });
    assert.equal(res.status, 200);
    assert.equal(typeof res.body.adminPass, "string");
    const moved = await waitForServer(
      n,
      id,
      (s) => s.status === "ACTIVE" && !s["OS-EXT-STS:task_state"],
      {
        version: "2.3",
      },
    );
    assert.notEqual(moved["OS-EXT-SRV-ATTR:host"], host);
    const migration = (await call(n, "GET", `/os-migrations?instance_uuid=${id}`)).body
      .migrations[0];
    assert.equal(migration.status, "done");
    const forceUp = await call(n, "GET", `/os-services?binary=nova-compute&host=${host}`, {
      version: "2.53",
    });
    const up = await call(n, "PUT", `/os-services/${forceUp.body.services[0].id}`, {
      version: "2.53",
      body: { forced_down: false },
    });
    assert.equal(up.status, 400, "nova keeps the host down until it cleans up the evacuation");
  }, TWO_HOSTS);
});
