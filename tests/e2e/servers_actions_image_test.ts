/**
 * End to end: createImage and createBackup (the image record and its
 * upload, Location before 2.45 and image_id from 2.45, rotation, image
 * metadata quota), and rebuild (task states, attributes per microversion,
 * the 2.75 answer, preserve_ephemeral, stopped servers, errors).
 */

import { strict as assert } from "node:assert";
import { activeServer, call, DEMO, IMAGE, waitForServer, withServers } from "./_servers.ts";
import { act, actionsOf, waitImage } from "./_actions.ts";

Deno.test("createImage: Location before 2.45, image_id from 2.45; the snapshot's states", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    const old = await act(n, id, { createImage: { name: "snap", metadata: { a: "b" } } }, {
      token: DEMO,
    });
    assert.equal(old.status, 202);
    assert.equal(old.text, "");
    assert.equal(old.headers.get("content-type"), "text/html; charset=UTF-8");
    const location = old.headers.get("location")!;
    assert.match(location, /^http:\/\/127\.0\.0\.1:9292\/images\/[0-9a-f-]{36}$/);
    const during = (await call(n, "GET", `/servers/${id}`)).body.server;
    assert.ok(
      ["image_snapshot_pending", "image_snapshot", "image_pending_upload", "image_uploading"]
        .includes(during["OS-EXT-STS:task_state"]),
      during["OS-EXT-STS:task_state"],
    );
    const imageId = location.split("/").at(-1)!;
    const image = await waitImage(n, imageId, "ACTIVE");
    assert.equal(image.name, "snap");
    assert.equal(image.metadata.a, "b");
    assert.equal(image.metadata.image_type, "snapshot");
    assert.equal(image.metadata.instance_uuid, id);
    assert.equal(image.server.id, id);
    await waitForServer(n, id, (s) => s["OS-EXT-STS:task_state"] === null);
    const v245 = await act(n, id, { createImage: { name: "two" } }, {
      token: DEMO,
      version: "2.45",
    });
    assert.equal(v245.status, 202);
    assert.equal(v245.headers.get("location"), null);
    assert.match(v245.body.image_id, /^[0-9a-f-]{36}$/);
    await waitImage(n, v245.body.image_id, "ACTIVE");
    await waitForServer(n, id, (s) => s["OS-EXT-STS:task_state"] === null);
    const actions = await actionsOf(n, id);
    assert.equal(actions[0].action, "createImage");
    assert.deepEqual(actions[0].events.map((e) => [e.event, e.result]), [
      ["compute_snapshot_instance", "Success"],
    ]);
    const noName = await act(n, id, { createImage: {} }, { token: DEMO });
    assert.equal(noName.status, 400);
  });
});

Deno.test("createImage: a server in BUILD is a 409; too much image metadata before 2.39 is 403", async () => {
  await withServers(async (n) => {
    const created = await call(n, "POST", "/servers", {
      body: { server: { name: "b", imageRef: IMAGE, flavorRef: "1" } },
    });
    const id = created.body.server.id;
    const early = await act(n, id, { createImage: { name: "x" } });
    assert.equal(early.status, 409);
    assert.equal(
      early.body.conflictingRequest.message,
      `Cannot 'createImage' instance ${id} while it is in vm_state building`,
    );
    await waitForServer(n, id, (s) => s.status === "ACTIVE");
    const metadata = Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`k${i}`, "v"]));
    const over = await act(n, id, { createImage: { name: "x", metadata } });
    assert.equal(over.status, 403);
    assert.equal(over.body.forbidden.message, "Image metadata limit exceeded");
    const v239 = await act(n, id, { createImage: { name: "x", metadata } }, { version: "2.39" });
    assert.equal(v239.status, 202);
  }, "[novalet_compute]\nspawn_delay_ms = 300\n[quota]\nmetadata_items = 2\n");
});

Deno.test("createBackup: Location only with a rotation, rotation keeps the newest backups", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n);
    const body = (rotation: number | string) => ({
      createBackup: { name: "bk", backup_type: "daily", rotation },
    });
    const zero = await act(n, id, body(0));
    assert.equal(zero.status, 202);
    assert.equal(zero.headers.get("location"), null);
    await waitForServer(n, id, (s) => s["OS-EXT-STS:task_state"] === null);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await act(n, id, body("2"));
      assert.equal(res.status, 202);
      const location = res.headers.get("location")!;
      assert.match(location, new RegExp(`^${n.url}/v2\\.1/images/[0-9a-f-]{36}$`));
      ids.push(location.split("/").at(-1)!);
      await waitForServer(n, id, (s) => s["OS-EXT-STS:task_state"] === null);
    }
    const backups = (await call(n, "GET", "/images/detail")).body.images
      .filter((i: { metadata: Record<string, string> }) => i.metadata.image_type === "backup");
    assert.deepEqual(backups.map((i: { id: string }) => i.id).sort(), ids.slice(1).sort());
    const v245 = await act(n, id, body(1), { version: "2.45" });
    assert.match(v245.body.image_id, /^[0-9a-f-]{36}$/);
    const bad = await act(n, id, body(-1));
    assert.equal(bad.status, 400);
    const member = await act(n, id, body(1), { token: DEMO });
    assert.equal(member.status, 404);
  });
});

Deno.test("rebuild: REBUILD states, new attributes, the 2.1 and 2.75 answers", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, { metadata: { old: "1" } }, { token: DEMO });
    const res = await act(n, id, {
      rebuild: { imageRef: IMAGE, name: "new", metadata: { fresh: "yes" }, adminPass: "pw" },
    }, { token: DEMO });
    assert.equal(res.status, 202);
    const server = res.body.server;
    assert.equal(res.headers.get("location"), server.links[0].href);
    assert.equal(server.status, "REBUILD");
    assert.equal(server.name, "new");
    assert.deepEqual(server.metadata, { fresh: "yes" });
    assert.equal(server.adminPass, "pw");
    assert.equal(server["OS-EXT-STS:task_state"], undefined, "2.1 shows fewer attributes");
    assert.equal(server.key_name, undefined);
    const done = await waitForServer(n, id, (s) => s.status === "ACTIVE");
    assert.equal(done["OS-EXT-STS:task_state"], null);
    const v275 = await act(n, id, {
      rebuild: { imageRef: IMAGE, description: "d", key_name: null, user_data: "aGk=" },
    }, { token: DEMO, version: "2.75" });
    assert.equal(v275.status, 202);
    assert.equal(v275.body.server["OS-EXT-STS:task_state"], "rebuilding");
    assert.equal(v275.body.server.description, "d");
    assert.equal(v275.body.server.key_name, null);
    assert.equal(v275.body.server.user_data, "aGk=");
    assert.equal(typeof v275.body.server.adminPass, "string");
    await waitForServer(n, id, (s) => s.status === "ACTIVE");
    const actions = await actionsOf(n, id);
    assert.deepEqual(actions.map((a) => a.action), ["rebuild", "rebuild", "create"]);
    assert.deepEqual(actions[0].events.map((e) => e.event).sort(), [
      "compute_rebuild_instance",
      "rebuild_server",
    ]);
  }, "[novalet_compute]\naction_delay_ms = 100\n");
});

Deno.test("rebuild: errors and a stopped server ends stopped; preserve_ephemeral is ERROR", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n);
    const missing = await act(n, id, {
      rebuild: { imageRef: "11111111-2222-3333-4444-555555555555" },
    });
    assert.equal(missing.body.badRequest.message, "Cannot find image for rebuild");
    const badKey = await act(n, id, { rebuild: { imageRef: IMAGE, key_name: "nope" } }, {
      version: "2.54",
    });
    assert.equal(badKey.body.badRequest.message, "Invalid key_name provided.");
    const oldKey = await act(n, id, { rebuild: { imageRef: IMAGE, key_name: "x" } });
    assert.equal(oldKey.status, 400, "key_name is not in the 2.1 schema");
    await act(n, id, { "os-stop": null });
    await waitForServer(n, id, (s) => s.status === "SHUTOFF");
    assert.equal((await act(n, id, { rebuild: { imageRef: IMAGE } })).status, 202);
    const stopped = await waitForServer(
      n,
      id,
      (s) => s.status === "SHUTOFF" && s["OS-EXT-STS:task_state"] === null,
    );
    assert.equal(stopped["OS-EXT-STS:power_state"], 4);
    const events = (await actionsOf(n, id))[0].events.map((e) => e.event);
    assert.ok(events.includes("compute_stop_instance"), events.join());
    await act(n, id, { "os-start": null });
    await waitForServer(n, id, (s) => s.status === "ACTIVE");
    const preserve = await act(n, id, { rebuild: { imageRef: IMAGE, preserve_ephemeral: true } });
    assert.equal(preserve.status, 202);
    const errored = await waitForServer(n, id, (s) => s.status === "ERROR");
    assert.equal(
      errored.fault.message,
      "The current driver does not support preserving ephemeral partitions.",
    );
    assert.equal(errored.fault.code, 400);
  });
});
