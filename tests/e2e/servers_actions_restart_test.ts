/**
 * End to end: novalet killed (SIGKILL) while server actions are under way,
 * then started again on the same state: what nova-compute's init_host
 * does with each transitional state the actions add.
 */

import { strict as assert } from "node:assert";
import type { Novalet } from "../_server.ts";
import { act, until } from "./_actions.ts";
import { activeServer, call, startServersNovalet, waitForServer } from "./_servers.ts";

async function kill(n: Novalet): Promise<void> {
  n.signal("SIGKILL");
  await n.exited;
}

const SLOW = "[novalet_compute]\naction_delay_ms = 10000\n";
const SAME_HOST = "[DEFAULT]\nallow_resize_to_same_host = true\n";

Deno.test("restart: snapshot and resize tasks are cleared, a crashed resize reverted, suspending stays", async () => {
  const first = await startServersNovalet(SAME_HOST);
  let snap: string, resized: string, suspending: string;
  try {
    snap = (await activeServer(first, { name: "snap" })).id;
    resized = (await activeServer(first, { name: "resized" })).id;
    suspending = (await activeServer(first, { name: "suspending" })).id;
  } finally {
    await first.stop();
  }
  const second = await startServersNovalet(SAME_HOST + SLOW, first.stateDir);
  try {
    assert.equal((await act(second, snap, { createImage: { name: "i" } })).status, 202);
    assert.equal((await act(second, resized, { resize: { flavorRef: "2" } })).status, 202);
    assert.equal((await act(second, suspending, { suspend: null })).status, 202);
    await waitForServer(second, snap, (s) => s["OS-EXT-STS:task_state"] === "image_pending_upload");
    await waitForServer(second, resized, (s) => s["OS-EXT-STS:task_state"] === "resize_migrating");
  } finally {
    await kill(second);
  }
  const third = await startServersNovalet(SAME_HOST, first.stateDir);
  try {
    const s1 = (await call(third, "GET", `/servers/${snap}`)).body.server;
    assert.equal(s1.status, "ACTIVE");
    assert.equal(s1["OS-EXT-STS:task_state"], null);
    const s2 = await waitForServer(third, resized, (s) => s["OS-EXT-STS:task_state"] === null);
    assert.equal(s2.status, "ACTIVE");
    assert.equal(s2.flavor.id, "1");
    assert.equal(s2["OS-EXT-STS:power_state"], 1);
    const s3 = (await call(third, "GET", `/servers/${suspending}`)).body.server;
    assert.equal(s3["OS-EXT-STS:task_state"], "suspending", "nova leaves it to os-resetState");
    assert.equal(
      (await act(third, suspending, { "os-resetState": { state: "active" } })).status,
      202,
    );
    assert.equal((await call(third, "GET", `/servers/${suspending}`)).body.server.status, "ACTIVE");
  } finally {
    await third.stop();
  }
});

Deno.test("restart: a live migration under way is reset; an evacuation is completed", async () => {
  const hosts = "[novalet_compute]\nhosts = novalet, compute2\n";
  const first = await startServersNovalet(hosts);
  let moving: string, evacuated: string;
  try {
    moving = (await activeServer(first, { name: "moving" })).id;
    evacuated = (await activeServer(first, { name: "evacuated" })).id;
  } finally {
    await first.stop();
  }
  const second = await startServersNovalet(hosts + "action_delay_ms = 10000\n", first.stateDir);
  let source: string;
  try {
    const body = { "os-migrateLive": { host: null, block_migration: "auto" } };
    assert.equal((await act(second, moving, body, { version: "2.34" })).status, 202);
    await until(async () => {
      const all = (await call(second, "GET", `/os-migrations?instance_uuid=${moving}`)).body;
      return all.migrations.some((m: { status: string }) => m.status === "running");
    }, "a running live migration");
    source = (await call(second, "GET", `/servers/${evacuated}`, { version: "2.3" })).body.server[
      "OS-EXT-SRV-ATTR:host"
    ];
    const list = await call(second, "GET", `/os-services?binary=nova-compute&host=${source}`, {
      version: "2.53",
    });
    await call(second, "PUT", `/os-services/${list.body.services[0].id}`, {
      version: "2.53",
      body: { forced_down: true },
    });
  } finally {
    await kill(second);
  }
  const third = await startServersNovalet(hosts, first.stateDir);
  try {
    const reset = await waitForServer(third, moving, (s) => s["OS-EXT-STS:task_state"] === null);
    assert.equal(reset.status, "ACTIVE");
    const m = (await call(third, "GET", `/os-migrations?instance_uuid=${moving}`)).body.migrations;
    assert.equal(m[0].status, "error");
    assert.equal((await act(third, evacuated, { evacuate: {} }, { version: "2.14" })).status, 200);
    await waitForServer(
      third,
      evacuated,
      (s) => s.status === "ACTIVE" && !s["OS-EXT-STS:task_state"],
    );
  } finally {
    await kill(third);
  }
  const fourth = await startServersNovalet(hosts, first.stateDir);
  try {
    const m = (await call(fourth, "GET", `/os-migrations?instance_uuid=${evacuated}`)).body
      .migrations;
    assert.equal(m[0].status, "completed");
    const list = await call(fourth, "GET", `/os-services?binary=nova-compute&host=${source}`, {
      version: "2.53",
    });
    const up = await call(fourth, "PUT", `/os-services/${list.body.services[0].id}`, {
      version: "2.53",
      body: { forced_down: false },
    });
    assert.equal(up.status, 200, up.text);
  } finally {
    await fourth.stop();
  }
});
