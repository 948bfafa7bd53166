/**
 * End to end: the volume routes answered as nova answers with a volume
 * service that has no such volume (attachments, os-volumes, os-snapshots,
 * assisted snapshots), server external events (207 per-event codes,
 * power-update), extensions, bare metal without Ironic, server topology
 * and console auth tokens.
 */

import { strict as assert } from "node:assert";
import { activeServer, call, createServer, DEMO, waitForServer, withServers } from "./_servers.ts";

const VOLUME = "0a3c1b2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

Deno.test("volume attachments: none listed, unknown volumes not found, nova's checks first", async () => {
  await withServers(async (n) => {
    const server = await activeServer(n);
    const base = `/servers/${server.id}/os-volume_attachments`;
    assert.deepEqual((await call(n, "GET", base)).body, { volumeAttachments: [] });
    const attach = await call(n, "POST", base, {
      body: { volumeAttachment: { volumeId: VOLUME } },
    });
    assert.deepEqual(attach.body, {
      itemNotFound: { code: 404, message: `Volume ${VOLUME} could not be found.` },
    });
    const badDevice = await call(n, "POST", base, {
      body: { volumeAttachment: { volumeId: VOLUME, device: "sdb" } },
    });
    assert.equal(badDevice.status, 400);
    const show = await call(n, "GET", `${base}/${VOLUME}`);
    assert.equal(
      show.body.itemNotFound.message,
      `Instance ${server.id} is not attached to volume ${VOLUME}`,
    );
    const update = await call(n, "PUT", `${base}/${VOLUME}`, {
      version: "2.85",
      body: { volumeAttachment: { volumeId: VOLUME, delete_on_termination: true } },
    });
    assert.equal(
      update.body.itemNotFound.message,
      `No volume Block Device Mapping with id ${VOLUME}.`,
    );
    const swap = await call(n, "PUT", `${base}/${VOLUME}`, {
      body: { volumeAttachment: { volumeId: VOLUME } },
    });
    assert.equal(swap.body.itemNotFound.message, `Volume ${VOLUME} could not be found.`);
    assert.equal((await call(n, "DELETE", `${base}/${VOLUME}`)).status, 404);
    const mine = await activeServer(n, {}, { token: DEMO });
    await call(n, "POST", `/servers/${mine.id}/action`, { body: { lock: null } });
    const locked = await call(n, "POST", `/servers/${mine.id}/os-volume_attachments`, {
      token: DEMO,
      body: { volumeAttachment: { volumeId: VOLUME } },
    });
    assert.deepEqual(locked.body, {
      conflictingRequest: { code: 409, message: `Instance ${mine.id} is locked` },
    });
    const building = await createServer(n);
    const early = await call(
      n,
      "POST",
      `/servers/${building.body.server.id}/os-volume_attachments`,
      {
        body: { volumeAttachment: { volumeId: VOLUME } },
      },
    );
    assert.equal(early.status, 409);
  });
});

Deno.test("os-volumes and os-snapshots: an empty volume service", async () => {
  await withServers(async (n) => {
    assert.deepEqual((await call(n, "GET", "/os-volumes")).body, { volumes: [] });
    assert.deepEqual((await call(n, "GET", "/os-volumes/detail?limit=1")).body, { volumes: [] });
    assert.equal(
      (await call(n, "GET", "/os-volumes?limit=x")).body.badRequest.message,
      "Invalid input for query parameters limit. Value: x. 'x' does not match '^[0-9]*$'",
    );
    assert.equal(
      (await call(n, "GET", `/os-volumes/${VOLUME}`)).body.itemNotFound.message,
      `Volume ${VOLUME} could not be found.`,
    );
    assert.equal((await call(n, "DELETE", `/os-volumes/${VOLUME}`)).status, 404);
    const create = await call(n, "POST", "/os-volumes", { body: { volume: { size: 1 } } });
    assert.deepEqual(create.body, {
      forbidden: { code: 403, message: "Quota exceeded for resources: volumes" },
    });
    assert.equal((await call(n, "POST", "/os-volumes", { body: { volume: {} } })).status, 400);
    assert.equal((await call(n, "GET", "/os-volumes", { version: "2.36" })).status, 404);
    assert.deepEqual((await call(n, "GET", "/os-snapshots")).body, { snapshots: [] });
    assert.equal(
      (await call(n, "GET", "/os-snapshots/s1")).body.itemNotFound.message,
      "Snapshot s1 could not be found.",
    );
    const snap = await call(n, "POST", "/os-snapshots", {
      body: { snapshot: { volume_id: VOLUME } },
    });
    // nova answers 500 (an unexpected VolumeNotFound); a correct nova, 404.
    assert.deepEqual(snap.body, {
      itemNotFound: { code: 404, message: `Volume ${VOLUME} could not be found.` },
    });
  });
});

Deno.test("os-assisted-volume-snapshots: volumes no server has attached are refused", async () => {
  await withServers(async (n) => {
    const create = await call(n, "POST", "/os-assisted-volume-snapshots", {
      body: {
        snapshot: {
          volume_id: VOLUME,
          create_info: { snapshot_id: "s", type: "qcow2", new_file: "f" },
        },
      },
    });
    assert.equal(
      create.body.badRequest.message,
      `No volume Block Device Mapping with id ${VOLUME}.`,
    );
    const noInfo = await call(n, "DELETE", "/os-assisted-volume-snapshots/s");
    assert.equal(noInfo.body.badRequest.message, "'delete_info'");
    const info = encodeURIComponent(JSON.stringify({ volume_id: VOLUME }));
    const del = await call(n, "DELETE", `/os-assisted-volume-snapshots/s?delete_info=${info}`);
    assert.equal(del.status, 400);
    const demo = await call(n, "DELETE", `/os-assisted-volume-snapshots/s?delete_info=${info}`, {
      token: DEMO,
    });
    assert.equal(demo.status, 403);
  });
});

Deno.test("os-server-external-events: per-event answers, 207, power-update", async () => {
  await withServers(async (n) => {
    const server = await activeServer(n);
    const unknown = "9d5a6a1b-2f43-4b8e-9a76-1c5e5f0e0b1d";
    const mixed = await call(n, "POST", "/os-server-external-events", {
      body: {
        events: [
          { name: "network-changed", server_uuid: server.id, tag: "p" },
          { name: "network-vif-plugged", server_uuid: unknown },
        ],
      },
    });
    assert.equal(mixed.status, 207);
    assert.deepEqual(mixed.body.events, [
      { name: "network-changed", server_uuid: server.id, tag: "p", status: "completed", code: 200 },
      { name: "network-vif-plugged", server_uuid: unknown, status: "failed", code: 404 },
    ]);
    const ok = await call(n, "POST", "/os-server-external-events", {
      body: { events: [{ name: "network-vif-deleted", server_uuid: server.id, status: "failed" }] },
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.events[0].status, "completed");
    const early = await call(n, "POST", "/os-server-external-events", {
      body: { events: [{ name: "volume-extended", server_uuid: server.id }] },
    });
    assert.equal(early.status, 400);
    const noTag = await call(n, "POST", "/os-server-external-events", {
      version: "2.51",
      body: { events: [{ name: "volume-extended", server_uuid: server.id }] },
    });
    assert.deepEqual(noTag.body.events[0], {
      name: "volume-extended",
      server_uuid: server.id,
      status: "failed",
      code: 400,
    });
    const off = await call(n, "POST", "/os-server-external-events", {
      version: "2.76",
      body: { events: [{ name: "power-update", server_uuid: server.id, tag: "POWER_OFF" }] },
    });
    assert.equal(off.status, 200);
    const stopped = await waitForServer(n, server.id, (s) => s.status === "SHUTOFF");
    assert.equal(stopped["OS-EXT-STS:power_state"], 4);
    const actions = await call(n, "GET", `/servers/${server.id}/os-instance-actions`);
    assert.ok(actions.body.instanceActions.some((a: { action: string }) => a.action === "stop"));
    const demo = await call(n, "POST", "/os-server-external-events", {
      token: DEMO,
      body: { events: [{ name: "network-changed", server_uuid: server.id }] },
    });
    assert.equal(demo.status, 403);
  });
});

Deno.test("extensions, bare metal nodes, topology and console auth tokens", async () => {
  await withServers(async (n) => {
    const exts = await call(n, "GET", "/extensions", { token: DEMO });
    assert.equal(exts.body.extensions.length, 99);
    const one = await call(n, "GET", "/extensions/os-hypervisors");
    assert.equal(one.body.extension.name, "Hypervisors");
    assert.equal((await call(n, "GET", "/extensions/nope")).status, 404);
    const nodes = await call(n, "GET", "/os-baremetal-nodes");
    assert.deepEqual(nodes.body, {
      notImplemented: { code: 501, message: "The requested functionality is not supported." },
    });
    const create = await call(n, "POST", "/os-baremetal-nodes", { body: {} });
    assert.equal(
      create.body.badRequest.message,
      "Command Not supported. Please use Ironic command node-create to perform this action.",
    );
    assert.equal((await call(n, "GET", "/os-baremetal-nodes", { token: DEMO })).status, 403);
    const server = await activeServer(n);
    const topo = await call(n, "GET", `/servers/${server.id}/topology`, { version: "2.78" });
    assert.deepEqual(topo.body, { nodes: [], pagesize_kb: null });
    assert.equal(
      (await call(n, "GET", `/servers/${server.id}/topology`, { version: "2.77" })).status,
      404,
    );
    const token = await call(n, "GET", "/os-console-auth-tokens/abc", { version: "2.31" });
    assert.deepEqual(token.body, { itemNotFound: { code: 404, message: "Token not found" } });
    const console = await call(n, "POST", `/servers/${server.id}/remote-consoles`, {
      version: "2.6",
      body: { remote_console: { protocol: "vnc", type: "novnc" } },
    });
    assert.equal(console.status, 200, console.text);
    const granted = decodeURIComponent(console.body.remote_console.url).match(/token=([^&]+)/)![1];
    const info = await call(n, "GET", `/os-console-auth-tokens/${granted}`, { version: "2.31" });
    assert.equal(info.body.console.instance_uuid, server.id);
    assert.equal(typeof info.body.console.port, "number");
    const rdpOnly = await call(n, "GET", `/os-console-auth-tokens/${granted}`);
    assert.deepEqual(rdpOnly.body, {
      unauthorized: {
        code: 401,
        message: "The requested console type details are not accessible",
      },
    });
  });
});
