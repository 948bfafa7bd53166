/**
 * End to end: shelve (the -shelved snapshot, SHELVED_OFFLOADED at once by
 * default, SHELVED with shelved_offload_time and the periodic offload),
 * shelveOffload, unshelve (2.77 availability zone, 2.91 host, the states
 * on the way back), rescue and unrescue.
 */

import { strict as assert } from "node:assert";
import { act, actionsOf, waitImage } from "./_actions.ts";
import { activeServer, call, DEMO, IMAGE, waitForServer, withServers } from "./_servers.ts";

Deno.test("shelve offloads at once by default; unshelve spawns it again and drops the snapshot", async () => {
  await withServers(async (n) => {
    const { id, addresses } = await activeServer(n, { name: "web" }, { token: DEMO });
    const res = await act(n, id, { shelve: null }, { token: DEMO });
    assert.equal(res.status, 202);
    assert.equal(res.text, "");
    const during = (await call(n, "GET", `/servers/${id}`)).body.server;
    assert.match(during["OS-EXT-STS:task_state"], /^shelving/);
    const offloaded = await waitForServer(n, id, (s) => s.status === "SHELVED_OFFLOADED", {
      version: "2.3",
    });
    assert.equal(offloaded["OS-EXT-SRV-ATTR:host"], null);
    assert.equal(offloaded["OS-EXT-STS:power_state"], 4);
    assert.equal(offloaded["OS-EXT-AZ:availability_zone"], "");
    assert.deepEqual(offloaded.addresses, addresses, "the ports stay");
    const images = (await call(n, "GET", "/images/detail")).body.images;
    const snapshot = images.find((i: { name: string }) => i.name === "web-shelved");
    assert.ok(snapshot, "a web-shelved image");
    assert.equal(snapshot.status, "ACTIVE");
    const again = await act(n, id, { shelve: null }, { token: DEMO });
    assert.equal(
      again.body.conflictingRequest.message,
      `Cannot 'shelve' instance ${id} while it is in vm_state shelved_offloaded`,
    );
    assert.equal((await act(n, id, { unshelve: null }, { token: DEMO })).status, 202);
    const back = await waitForServer(n, id, (s) => s.status === "ACTIVE", { version: "2.3" });
    assert.equal(back["OS-EXT-SRV-ATTR:host"], "novalet");
    assert.equal(back["OS-EXT-AZ:availability_zone"], "nova");
    assert.equal((await call(n, "GET", `/images/${snapshot.id}`)).status, 404);
    const actions = await actionsOf(n, id);
    assert.deepEqual(actions.map((a) => a.action), ["unshelve", "shelve", "create"]);
    assert.deepEqual(actions[1].events.map((e) => e.event), ["compute_shelve_instance"]);
    assert.deepEqual(actions[0].events.map((e) => e.event).sort(), [
      "compute_unshelve_instance",
      "get_image_info",
      "schedule_instances",
    ]);
  }, "[novalet_compute]\naction_delay_ms = 100\n");
});

Deno.test("shelved_offload_time keeps SHELVED; shelveOffload and the periodic task offload", async () => {
  await withServers(async (n) => {
    const a = await activeServer(n, { name: "a" });
    const b = await activeServer(n, { name: "b" });
    for (const s of [a, b]) assert.equal((await act(n, s.id, { shelve: null })).status, 202);
    await waitForServer(n, a.id, (s) => s.status === "SHELVED");
    const unshelveAz = await act(n, a.id, { unshelve: { availability_zone: "nova" } }, {
      version: "2.77",
    });
    assert.equal(unshelveAz.status, 409);
    assert.equal(
      unshelveAz.body.conflictingRequest.message,
      `Specifying an availability zone or a host when unshelving server "${a.id}" with status ` +
        `"shelved" is not supported. The server status must be SHELVED_OFFLOADED.`,
    );
    assert.equal((await act(n, a.id, { shelveOffload: null })).status, 202);
    await waitForServer(n, a.id, (s) => s.status === "SHELVED_OFFLOADED");
    await waitForServer(n, b.id, (s) => s.status === "SHELVED_OFFLOADED");
    const bActions = await actionsOf(n, b.id);
    assert.equal(bActions[0].action, "shelve", "the periodic offload records no action");
    const badAz = await act(n, a.id, { unshelve: { availability_zone: "mars" } }, {
      version: "2.77",
    });
    assert.equal(badAz.body.badRequest.message, "The requested availability zone is not available");
    const noAz = await act(n, a.id, { unshelve: {} }, { version: "2.77" });
    assert.equal(noAz.status, 400, "2.77 needs availability_zone in an object");
    const badHost = await act(n, a.id, { unshelve: { host: "mars" } }, { version: "2.91" });
    assert.equal(badHost.body.badRequest.message, "Compute host mars could not be found.");
    const ok = await act(n, a.id, { unshelve: { availability_zone: "nova" } }, { version: "2.77" });
    assert.equal(ok.status, 202);
    await waitForServer(n, a.id, (s) => s.status === "ACTIVE");
  }, "[DEFAULT]\nshelved_offload_time = 1\nshelved_poll_interval = 1\n");
});

Deno.test("unshelve a SHELVED server powers it on; 2.91 host is admin only", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    await act(n, id, { shelve: null }, { token: DEMO });
    await waitForServer(n, id, (s) => s.status === "SHELVED");
    assert.equal((await act(n, id, { unshelve: null }, { token: DEMO })).status, 202);
    await waitForServer(n, id, (s) => s.status === "ACTIVE");
    const events = (await actionsOf(n, id))[0].events.map((e) => e.event);
    assert.deepEqual(events, ["compute_start_instance"]);
    await act(n, id, { shelve: null }, { token: DEMO });
    await waitForServer(n, id, (s) => s.status === "SHELVED");
    await act(n, id, { shelveOffload: null });
    await waitForServer(n, id, (s) => s.status === "SHELVED_OFFLOADED");
    const member = await act(n, id, { unshelve: { host: "novalet" } }, {
      token: DEMO,
      version: "2.91",
    });
    assert.equal(member.status, 403);
    const admin = await act(n, id, { unshelve: { host: "novalet" } }, { version: "2.91" });
    assert.equal(admin.status, 202);
    await waitForServer(n, id, (s) => s.status === "ACTIVE");
  }, "[DEFAULT]\nshelved_offload_time = -1\n");
});

Deno.test("rescue: 200 with adminPass, RESCUE, unrescue; bad rescue image; states", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    const bad = await act(n, id, {
      rescue: { rescue_image_ref: "11111111-2222-3333-4444-555555555555" },
    }, { token: DEMO });
    assert.deepEqual(bad.body, {
      badRequest: {
        code: 400,
        message: "Requested rescue image '11111111-2222-3333-4444-555555555555' is not supported",
      },
    });
    const res = await act(n, id, { rescue: { adminPass: "pw", rescue_image_ref: IMAGE } }, {
      token: DEMO,
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { adminPass: "pw" });
    const rescued = await waitForServer(n, id, (s) => s.status === "RESCUE");
    assert.equal(rescued["OS-EXT-STS:power_state"], 1);
    const twice = await act(n, id, { rescue: null }, { token: DEMO });
    assert.equal(
      twice.body.conflictingRequest.message,
      `Cannot 'rescue' instance ${id} while it is in vm_state rescued`,
    );
    assert.equal((await act(n, id, { unrescue: null }, { token: DEMO })).status, 202);
    await waitForServer(n, id, (s) => s.status === "ACTIVE");
    const generated = await act(n, id, { rescue: null }, { token: DEMO });
    assert.equal(generated.body.adminPass.length, 12);
    await waitForServer(n, id, (s) => s.status === "RESCUE");
    const actions = await actionsOf(n, id);
    assert.deepEqual(actions.map((a) => a.action), ["rescue", "unrescue", "rescue", "create"]);
    assert.equal(actions[1].events[0].event, "compute_unrescue_instance");
    const notRescued = await activeServer(n, { name: "other" }, { token: DEMO });
    const unrescue = await act(n, notRescued.id, { unrescue: null }, { token: DEMO });
    assert.equal(
      unrescue.body.conflictingRequest.message,
      `Cannot 'unrescue' instance ${notRescued.id} while it is in vm_state active`,
    );
  });
});

Deno.test("rescue_timeout unrescues by itself", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n);
    await act(n, id, { rescue: null });
    await waitForServer(n, id, (s) => s.status === "RESCUE");
    await waitForServer(n, id, (s) => s.status === "ACTIVE");
    const actions = await actionsOf(n, id);
    assert.equal(actions[0].action, "unrescue");
  }, "[DEFAULT]\nrescue_timeout = 1\n[novalet_compute]\nperiodic_interval = 0.2\n");
});

Deno.test("shelve snapshot image is removed when the shelved server is deleted", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, { name: "gone" });
    await act(n, id, { shelve: null });
    await waitForServer(n, id, (s) => s.status === "SHELVED_OFFLOADED");
    const image = (await call(n, "GET", "/images/detail")).body.images
      .find((i: { name: string }) => i.name === "gone-shelved");
    await waitImage(n, image.id, "ACTIVE");
    assert.equal((await call(n, "DELETE", `/servers/${id}`)).status, 204);
    assert.equal((await call(n, "GET", `/images/${image.id}`)).status, 404);
  });
});
