/**
 * End to end: server actions and their state machine — stop, start, reboot
 * (SOFT/HARD), lock, update, delete, forceDelete — with nova's 202/204s
 * and 409s, and the instance actions they record.
 */

import { strict as assert } from "node:assert";
import {
  activeServer,
  ALT,
  call,
  createServer,
  DEMO,
  waitForServer,
  waitGone,
  withServers,
} from "./_servers.ts";

const act = (n: Parameters<typeof call>[0], id: string, body: unknown, token?: string) =>
  call(n, "POST", `/servers/${id}/action`, { body, token });

Deno.test("server actions: stop, start and reboot move through nova's states", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n);
    const stop = await act(n, id, { "os-stop": null });
    assert.equal(stop.status, 202);
    assert.equal(stop.text, "");
    const stopping = (await call(n, "GET", `/servers/${id}`)).body.server;
    assert.equal(stopping["OS-EXT-STS:task_state"], "powering-off");
    const stopped = await waitForServer(n, id, (s) => s.status === "SHUTOFF");
    assert.equal(stopped["OS-EXT-STS:power_state"], 4);
    const again = await act(n, id, { "os-stop": null });
    assert.deepEqual(again.body, {
      conflictingRequest: {
        code: 409,
        message: `Cannot 'stop' instance ${id} while it is in vm_state stopped`,
      },
    });
    const soft = await act(n, id, { reboot: { type: "SOFT" } });
    assert.equal(
      soft.body.conflictingRequest.message,
      `Cannot 'reboot' instance ${id} while it is in vm_state stopped`,
    );
    assert.equal((await act(n, id, { "os-start": null })).status, 202);
    const started = await waitForServer(n, id, (s) => s.status === "ACTIVE");
    assert.equal(started["OS-EXT-STS:power_state"], 1);
    const start = await act(n, id, { "os-start": null });
    assert.equal(
      start.body.conflictingRequest.message,
      `Cannot 'start' instance ${id} while it is in vm_state active`,
    );
    assert.equal((await act(n, id, { reboot: { type: "hard" } })).status, 202);
    const rebooting = (await call(n, "GET", `/servers/${id}`)).body.server;
    assert.ok(["HARD_REBOOT", "ACTIVE"].includes(rebooting.status), rebooting.status);
    await waitForServer(n, id, (s) => s.status === "ACTIVE" && s["OS-EXT-STS:task_state"] === null);
    const badType = await act(n, id, { reboot: { type: "MEDIUM" } });
    assert.equal(badType.status, 400);
  }, "[novalet_compute]\naction_delay_ms = 150\n");
});

Deno.test("server actions: a BUILD server cannot stop; an ERROR one without a host is not ready", async () => {
  await withServers(async (n) => {
    const res = await createServer(n);
    const id = res.body.server.id;
    const early = await act(n, id, { "os-stop": null });
    assert.equal(early.status, 409);
    assert.match(
      early.body.conflictingRequest.message,
      new RegExp(`^Cannot 'stop' instance ${id} while it is in vm_state building$`),
    );
    const soft = await act(n, id, { reboot: { type: "SOFT" } });
    assert.equal(
      soft.body.conflictingRequest.message,
      `Cannot 'reboot' instance ${id} while it is in vm_state building`,
    );
    await call(n, "POST", "/flavors", {
      body: { flavor: { name: "f", ram: 64, vcpus: 1, disk: 1, id: "f" } },
    });
    await call(n, "POST", "/flavors/f/os-extra_specs", {
      body: { extra_specs: { "novalet:fail_spawn": "yes" } },
    });
    const broken = await createServer(n, { flavorRef: "f" });
    const bid = broken.body.server.id;
    await waitForServer(n, bid, (s) => s.status === "ERROR");
    const stop = await act(n, bid, { "os-stop": null });
    assert.deepEqual(stop.body, {
      conflictingRequest: { code: 409, message: `Instance ${bid} is not ready` },
    });
  }, "[novalet_compute]\nspawn_delay_ms = 300\n");
});

Deno.test("server actions: locked servers refuse their owner, not admins", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    const lock = await call(n, "POST", `/servers/${id}/action`, {
      token: DEMO,
      version: "2.73",
      body: { lock: { locked_reason: "maintenance" } },
    });
    assert.equal(lock.status, 202);
    const shown =
      (await call(n, "GET", `/servers/${id}`, { token: DEMO, version: "2.73" })).body.server;
    assert.equal(shown.locked, true);
    assert.equal(shown.locked_reason, "maintenance");
    const stop = await act(n, id, { "os-stop": null }, DEMO);
    assert.deepEqual(stop.body, {
      conflictingRequest: { code: 409, message: `Instance ${id} is locked` },
    });
    const del = await call(n, "DELETE", `/servers/${id}`, { token: DEMO });
    assert.equal(del.status, 409);
    const meta = await call(n, "PUT", `/servers/${id}/metadata`, {
      token: DEMO,
      body: { metadata: { a: "b" } },
    });
    assert.equal(meta.body.conflictingRequest.message, `Instance ${id} is locked`);
    assert.equal(
      (await act(n, id, { "os-stop": null })).status,
      202,
      "admins may act on locked servers",
    );
    assert.equal((await act(n, id, { unlock: null }, DEMO)).status, 202);
    const unlocked = (await call(n, "GET", `/servers/${id}`, { version: "2.73" })).body.server;
    assert.equal(unlocked.locked, false);
    assert.equal(unlocked.locked_reason, null);
  });
});

Deno.test("server update: name, description, access IPs; views per microversion", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n);
    const v21 = await call(n, "PUT", `/servers/${id}`, {
      body: { server: { name: "renamed", accessIPv4: "1.2.3.4" } },
    });
    assert.equal(v21.status, 200);
    assert.equal(v21.body.server.name, "renamed");
    assert.equal(v21.body.server.accessIPv4, "1.2.3.4");
    assert.equal(v21.body.server["OS-EXT-STS:vm_state"], undefined, "before 2.75 PUT shows less");
    const v275 = await call(n, "PUT", `/servers/${id}`, {
      version: "2.75",
      body: { server: { description: "d" } },
    });
    assert.equal(v275.body.server.description, "d");
    assert.equal(v275.body.server["OS-EXT-STS:vm_state"], "active");
    const bad = await call(n, "PUT", `/servers/${id}`, {
      body: { server: { accessIPv4: "nope" } },
    });
    assert.equal(bad.status, 400);
    const other = await call(n, "PUT", `/servers/${id}`, {
      token: ALT,
      body: { server: { name: "x" } },
    });
    assert.equal(other.status, 404);
  });
});

Deno.test("server delete: 204, then gone; IPs are released and never shared", async () => {
  await withServers(async (n) => {
    const a = await activeServer(n, { name: "a" });
    const b = await activeServer(n, { name: "b" });
    const ipA = a.addresses.private[0].addr;
    assert.notEqual(ipA, b.addresses.private[0].addr);
    const del = await call(n, "DELETE", `/servers/${a.id}`);
    assert.equal(del.status, 204);
    assert.equal(del.text, "");
    await waitGone(n, a.id);
    const c = await activeServer(n, { name: "c" });
    const all = (await call(n, "GET", "/servers/detail")).body.servers
      .map((s: { addresses: { private: { addr: string }[] } }) => s.addresses.private[0].addr);
    assert.equal(new Set(all).size, all.length, "no address twice");
    assert.ok(c.addresses.private[0].addr);
    const force = await act(n, b.id, { forceDelete: null });
    assert.equal(force.status, 202);
    await waitGone(n, b.id);
    const missing = await call(n, "DELETE", `/servers/${a.id}`);
    assert.equal(missing.body.itemNotFound.message, `Instance ${a.id} could not be found.`);
    const restore = await act(n, c.id, { restore: null });
    assert.equal(
      restore.body.conflictingRequest.message,
      `Cannot 'restore' instance ${c.id} while it is in vm_state active`,
    );
  });
});

Deno.test("instance actions: list and show with events per microversion", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    await act(n, id, { "os-stop": null }, DEMO);
    await waitForServer(n, id, (s) => s.status === "SHUTOFF", { token: DEMO });
    const list = await call(n, "GET", `/servers/${id}/os-instance-actions`, { token: DEMO });
    assert.deepEqual(list.body.instanceActions.map((a: { action: string }) => a.action), [
      "stop",
      "create",
    ]);
    assert.deepEqual(Object.keys(list.body.instanceActions[0]), [
      "action",
      "instance_uuid",
      "request_id",
      "user_id",
      "project_id",
      "start_time",
      "message",
    ]);
    const create = list.body.instanceActions[1];
    const v21 = await call(n, "GET", `/servers/${id}/os-instance-actions/${create.request_id}`, {
      token: DEMO,
    });
    assert.equal(v21.body.instanceAction.events, undefined, "members see no events before 2.51");
    const v251 = await call(n, "GET", `/servers/${id}/os-instance-actions/${create.request_id}`, {
      token: DEMO,
      version: "2.51",
    });
    const event = v251.body.instanceAction.events[0];
    assert.equal(event.event, "compute__do_build_and_run_instance");
    assert.equal(event.result, "Success");
    assert.equal(event.traceback, undefined);
    const admin = await call(n, "GET", `/servers/${id}/os-instance-actions/${create.request_id}`, {
      version: "2.84",
    });
    const adminEvent = admin.body.instanceAction.events[0];
    assert.equal(adminEvent.host, "novalet");
    assert.equal(adminEvent.hostId.length, 56);
    assert.equal(adminEvent.details, null);
    const paged = await call(n, "GET", `/servers/${id}/os-instance-actions?limit=1`, {
      token: DEMO,
      version: "2.58",
    });
    assert.equal(paged.body.instanceActions.length, 1);
    assert.match(paged.body.links[0].href, /os-instance-actions\?limit=1&marker=req-/);
    const missing = await call(n, "GET", `/servers/${id}/os-instance-actions/req-nope`, {
      token: DEMO,
    });
    assert.equal(missing.body.itemNotFound.message, "Action req-nope not found");
    await call(n, "DELETE", `/servers/${id}`, { token: DEMO });
    await waitGone(n, id);
    const gone = await call(n, "GET", `/servers/${id}/os-instance-actions`, {
      token: DEMO,
      version: "2.21",
    });
    assert.equal(gone.body.instanceActions[0].action, "delete");
    assert.equal(
      (await call(n, "GET", `/servers/${id}/os-instance-actions`, { token: DEMO })).status,
      404,
    );
  });
});
