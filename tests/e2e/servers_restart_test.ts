/**
 * End to end: novalet killed with SIGKILL in the middle of builds and
 * actions, started again on the same state dir: what nova-compute's
 * init_host does with each instance, and nothing half-written.
 */

import { strict as assert } from "node:assert";
import type { Novalet } from "../_server.ts";
import {
  activeServer,
  call,
  createServer,
  startServersNovalet,
  waitForServer,
  waitGone,
} from "./_servers.ts";

async function kill(n: Novalet): Promise<void> {
  n.signal("SIGKILL");
  await n.exited;
}

Deno.test("restart: a build killed half-way ends in ERROR; running servers stay ACTIVE", async () => {
  const slow = "[novalet_compute]\nspawn_delay_ms = 10000\naction_delay_ms = 10000\n";
  const first = await startServersNovalet("[novalet_compute]\naction_delay_ms = 10000\n");
  const stateDir = first.stateDir;
  let running: { id: string; addresses: { private: { addr: string }[] } };
  let stopping: string;
  let deleting: string;
  try {
    running = await activeServer(first, { name: "running" });
    stopping = (await activeServer(first, { name: "stopping" })).id;
    deleting = (await activeServer(first, { name: "deleting" })).id;
    assert.equal(
      (await call(first, "POST", `/servers/${stopping}/action`, { body: { "os-stop": null } }))
        .status,
      202,
    );
    assert.equal((await call(first, "DELETE", `/servers/${deleting}`)).status, 204);
  } finally {
    await kill(first);
  }
  const second = await startServersNovalet(slow, stateDir);
  let building: string;
  try {
    building = (await createServer(second, { name: "building" })).body.server.id;
    const shown = (await call(second, "GET", `/servers/${building}`)).body.server;
    assert.equal(shown.status, "BUILD");
  } finally {
    await kill(second);
  }
  const third = await startServersNovalet("", stateDir);
  try {
    const errored = await waitForServer(third, building, (s) => s.status !== "BUILD");
    assert.equal(errored.status, "ERROR");
    assert.equal(errored["OS-EXT-STS:task_state"], null);
    const stillRunning = (await call(third, "GET", `/servers/${running.id}`)).body.server;
    assert.equal(stillRunning.status, "ACTIVE");
    assert.equal(stillRunning.addresses.private[0].addr, running.addresses.private[0].addr);
    const stopped = await waitForServer(third, stopping, (s) => s.status === "SHUTOFF");
    assert.equal(stopped["OS-EXT-STS:power_state"], 4);
    await waitGone(third, deleting);
    const list = (await call(third, "GET", "/servers")).body.servers.map((s: { name: string }) =>
      s.name
    );
    assert.deepEqual(list.sort(), ["building", "running", "stopping"]);
    const actions = await call(third, "GET", `/servers/${stopping}/os-instance-actions`);
    assert.equal(actions.body.instanceActions[0].action, "stop");
  } finally {
    await third.stop();
  }
});

Deno.test("restart: a graceful stop keeps every committed server", async () => {
  const first = await startServersNovalet();
  const ids: string[] = [];
  try {
    for (let i = 0; i < 5; i++) ids.push((await activeServer(first, { name: `s${i}` })).id);
  } finally {
    assert.equal(await first.stop(), 0);
  }
  const second = await startServersNovalet("", first.stateDir);
  try {
    const detail = (await call(second, "GET", "/servers/detail")).body.servers;
    assert.deepEqual(detail.map((s: { id: string }) => s.id).sort(), [...ids].sort());
    assert.ok(detail.every((s: { status: string }) => s.status === "ACTIVE"));
    const ips = detail.map((s: { addresses: { private: { addr: string }[] } }) =>
      s.addresses.private[0].addr
    );
    assert.equal(new Set(ips).size, 5);
    const more = await activeServer(second, { name: "after" });
    assert.ok(!ips.includes(more.addresses.private[0].addr), "a new server gets a new address");
  } finally {
    await second.stop();
  }
});
