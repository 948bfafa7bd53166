/**
 * End to end: POST /servers against the real novalet — the 202 answer per
 * microversion, BUILD → ACTIVE, multi-create, networks, validation and
 * nova's 400s, failures that end in ERROR with a fault.
 */

import { strict as assert } from "node:assert";
import {
  activeServer,
  ALT,
  call,
  createServer,
  DEMO,
  IMAGE,
  NETWORK,
  waitForServer,
  withServers,
} from "./_servers.ts";

Deno.test("servers create: 202 with Location, adminPass, diskConfig, default security group", async () => {
  await withServers(async (n) => {
    const res = await createServer(n, { name: "web-1" });
    assert.equal(res.status, 202);
    const server = res.body.server;
    assert.deepEqual(Object.keys(server), [
      "id",
      "links",
      "OS-DCF:diskConfig",
      "security_groups",
      "adminPass",
    ]);
    assert.match(server.id, /^[0-9a-f-]{36}$/);
    assert.equal(res.headers.get("location"), `${n.url}/v2.1/servers/${server.id}`);
    assert.deepEqual(server.links[1], { rel: "bookmark", href: `${n.url}/servers/${server.id}` });
    assert.equal(server["OS-DCF:diskConfig"], "MANUAL");
    assert.deepEqual(server.security_groups, [{ name: "default" }]);
    assert.match(server.adminPass, /^[2-9A-HJ-NP-Za-km-z]{12}$/);
    const built = await waitForServer(n, server.id, (s) => s.status === "ACTIVE", {
      version: "2.3",
    });
    assert.equal(built["OS-EXT-STS:power_state"], 1);
    assert.equal(built["OS-EXT-STS:vm_state"], "active");
    assert.equal(built["OS-EXT-SRV-ATTR:hostname"], "web-1");
    assert.equal(built.addresses.private[0]["OS-EXT-IPS:type"], "fixed");
    assert.match(built.addresses.private[0].addr, /^10\.0\.\d+\.\d+$/);
    assert.match(built["OS-SRV-USG:launched_at"], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    assert.match(built.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});

Deno.test("servers create: a BUILD server hides its addresses while it spawns", async () => {
  await withServers(async (n) => {
    const res = await createServer(n, {});
    const shown = await call(n, "GET", `/servers/${res.body.server.id}`);
    assert.equal(shown.body.server.status, "BUILD");
    assert.deepEqual(shown.body.server.addresses, {});
    assert.equal(shown.body.server["OS-EXT-STS:task_state"], "spawning");
    assert.equal(shown.body.server.progress, 0);
  }, "[novalet_compute]\nspawn_delay_ms = 2000\n");
});

Deno.test("servers create: min/max count, reservation ids, names and hostnames", async () => {
  await withServers(async (n) => {
    const res = await createServer(n, {
      name: "batch",
      min_count: 2,
      max_count: 3,
      return_reservation_id: true,
    });
    assert.equal(res.status, 202);
    assert.deepEqual(Object.keys(res.body), ["reservation_id"]);
    assert.match(res.body.reservation_id, /^r-[0-9a-z]{8}$/);
    const list = await call(n, "GET", `/servers/detail?reservation_id=${res.body.reservation_id}`, {
      version: "2.3",
    });
    const names = list.body.servers.map((s: { name: string }) => s.name).sort();
    assert.deepEqual(names, ["batch-1", "batch-2", "batch-3"]);
    const hostnames = list.body.servers.map((s: Record<string, string>) =>
      s["OS-EXT-SRV-ATTR:hostname"]
    ).sort();
    assert.deepEqual(hostnames, ["batch-1", "batch-2", "batch-3"]);
    const bad = await createServer(n, { min_count: 5, max_count: 2 });
    assert.deepEqual(bad.body, {
      badRequest: { code: 400, message: "min_count must be <= max_count" },
    });
  });
});

Deno.test("servers create: networks auto, none, the flat network's uuid, a fixed IP, unknown networks", async () => {
  await withServers(async (n) => {
    const none = await activeServer(n, { networks: "none" }, { version: "2.37" });
    assert.deepEqual(none.addresses, {});
    assert.equal(none.security_groups, undefined);
    const fixed = await activeServer(n, { networks: [{ uuid: NETWORK, fixed_ip: "10.0.7.7" }] }, {
      version: "2.37",
    });
    assert.equal(fixed.addresses.private[0].addr, "10.0.7.7");
    const taken = await createServer(n, { networks: [{ uuid: NETWORK, fixed_ip: "10.0.7.7" }] }, {
      version: "2.37",
    });
    assert.equal(taken.status, 400);
    assert.equal(
      taken.body.badRequest.message,
      `Fixed IP address 10.0.7.7 is already in use on instance ${fixed.id}.`,
    );
    const unknown = "11111111-2222-3333-4444-555555555555";
    const missing = await createServer(n, { networks: [{ uuid: unknown }] }, { version: "2.37" });
    assert.deepEqual(missing.body, {
      badRequest: { code: 400, message: `Network ${unknown} could not be found.` },
    });
    const port = await createServer(n, { networks: [{ port: unknown }] }, { version: "2.37" });
    assert.equal(port.body.badRequest.message, `Port id ${unknown} could not be found.`);
    const required = await createServer(n, {}, { version: "2.37" });
    assert.match(required.body.badRequest.message, /'networks' is a required property$/);
    const outside = await createServer(n, {
      networks: [{ uuid: NETWORK, fixed_ip: "192.168.9.9" }],
    }, { version: "2.37" });
    const failed = await waitForServer(n, outside.body.server.id, (s) => s.status === "ERROR");
    assert.equal(
      failed.fault.message,
      `Build of instance ${outside.body.server.id} aborted: Failed to allocate the network(s), not rescheduling.`,
    );
  });
});

Deno.test("servers create: nova's 400s for images, flavors, key pairs, volumes, zones", async () => {
  await withServers(async (n) => {
    const expect400 = async (
      server: Record<string, unknown>,
      message: string,
      version?: string,
    ) => {
      const res = await createServer(n, server, { version });
      assert.equal(res.status, 400, res.text);
      assert.deepEqual(res.body, { badRequest: { code: 400, message } });
    };
    const other = "70a599e0-31e7-49b7-b260-868f441e862b";
    await expect400({ imageRef: other }, "Can not find requested image");
    await expect400({ flavorRef: "nope" }, "Flavor nope could not be found.");
    await expect400({ key_name: "nokey" }, "Invalid key_name provided.");
    await expect400(
      { availability_zone: "elsewhere" },
      "The requested availability zone is not available",
    );
    await expect400(
      {
        imageRef: "",
        block_device_mapping_v2: [{
          boot_index: 0,
          uuid: other,
          source_type: "volume",
          destination_type: "volume",
        }],
      },
      `Block Device Mapping is Invalid: failed to get volume ${other}.`,
    );
    await expect400(
      {
        block_device_mapping_v2: [{
          boot_index: 1,
          uuid: other,
          source_type: "volume",
          destination_type: "volume",
        }],
      },
      `Volume ${other} could not be found.`,
    );
    await expect400({ imageRef: "" }, "Missing imageRef attribute");
    await expect400(
      { user_data: "not base64!" },
      "Invalid input for field/attribute user_data. Value: not base64!. 'not base64!' is not a 'base64'",
    );
    await expect400(
      { hostname: "a", networks: "auto" },
      "Invalid input for field/attribute hostname. Value: a. 'a' is too short",
      "2.90",
    );
    await expect400(
      { name: "x", hostname: "ab", max_count: 2, networks: "auto" },
      "Unable to allocate a single hostname to multiple instances",
      "2.90",
    );
    await expect400(
      { trusted_image_certificates: [], networks: "auto" },
      "Invalid input for field/attribute trusted_image_certificates. Value: []. [] is too short",
      "2.63",
    );
    await expect400(
      { tags: ["a,b"], networks: "auto" },
      "Invalid input for field/attribute 0. Value: a,b. 'a,b' does not match '^[^,/]*$'",
      "2.52",
    );
  });
});

Deno.test("servers create: description, tags and hostname per microversion; key pairs", async () => {
  await withServers(async (n) => {
    const described = await activeServer(n, {
      name: "d",
      description: "hello",
      tags: ["t1", "t2"],
      hostname: "my-host",
      networks: "auto",
    }, {
      version: "2.90",
    });
    assert.equal(described.id.length, 36);
    const shown = await call(n, "GET", `/servers/${described.id}`, { version: "2.90" });
    assert.equal(shown.body.server.description, "hello");
    assert.deepEqual(shown.body.server.tags, ["t1", "t2"]);
    assert.equal(shown.body.server["OS-EXT-SRV-ATTR:hostname"], "my-host");
    const old = await createServer(n, { description: "x" }, { version: "2.18" });
    assert.match(
      old.body.badRequest.message,
      /Additional properties are not allowed \('description' was unexpected\)/,
    );
    const key = await call(n, "POST", "/os-keypairs", {
      version: "2.2",
      body: { keypair: { name: "k1" } },
    });
    assert.equal(key.status, 201);
    const keyed = await activeServer(n, { key_name: "k1" });
    assert.equal(keyed.key_name, "k1");
  });
});

Deno.test("servers create: a spawn failure and a host too small end in ERROR with nova's faults", async () => {
  await withServers(async (n) => {
    const flavor = await call(n, "POST", "/flavors", {
      body: { flavor: { name: "failing", ram: 64, vcpus: 1, disk: 1, id: "fail" } },
    });
    assert.equal(flavor.status, 200);
    await call(n, "POST", "/flavors/fail/os-extra_specs", {
      body: { extra_specs: { "novalet:fail_spawn": "true" } },
    });
    const res = await createServer(n, { flavorRef: "fail" }, { token: DEMO });
    const id = res.body.server.id;
    const failed = await waitForServer(n, id, (s) => s.status === "ERROR", { token: DEMO });
    assert.equal(failed.fault.code, 500);
    assert.equal(
      failed.fault.message,
      `Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance ${id}.`,
    );
    assert.equal(failed.fault.details, undefined, "members do not see a 500's details");
    assert.match(failed.fault.created, /Z$/);
    const adminView = (await call(n, "GET", `/servers/${id}`)).body.server;
    assert.match(adminView.fault.details, /^Traceback \(most recent call last\):\n/);
    assert.equal(adminView["OS-EXT-SRV-ATTR:host"], null);
    await call(n, "POST", "/flavors", {
      body: { flavor: { name: "huge", ram: 8192, vcpus: 1, disk: 1, id: "huge" } },
    });
    const big = await createServer(n, { flavorRef: "huge" });
    const buried = await waitForServer(n, big.body.server.id, (s) => s.status === "ERROR");
    assert.equal(buried.fault.message, "No valid host was found. ");
    const forced = await createServer(n, { availability_zone: "nova:elsewhere" });
    const unplaced = await waitForServer(n, forced.body.server.id, (s) => s.status === "ERROR");
    assert.equal(unplaced.fault.message, "No valid host was found. ");
    const wrongHost = await createServer(n, { host: "elsewhere", networks: "auto" }, {
      version: "2.74",
    });
    assert.equal(wrongHost.body.badRequest.message, "Compute host elsewhere could not be found.");
    const volume = await createServer(n, {
      imageRef: "",
      block_device_mapping_v2: [{
        boot_index: 0,
        uuid: IMAGE,
        source_type: "image",
        destination_type: "volume",
        volume_size: 1,
      }],
    });
    assert.equal(volume.status, 202, volume.text);
    const bfv = await waitForServer(n, volume.body.server.id, (s) => s.status === "ERROR");
    assert.equal(
      bfv.fault.message,
      `Build of instance ${volume.body.server.id} aborted: Failure prepping block device.`,
    );
    assert.equal(bfv.image, "");
  }, "[novalet_compute]\nmemory_mb = 4096\n");
});

Deno.test("servers create: members of a project see their own servers only", async () => {
  await withServers(async (n) => {
    const mine = await activeServer(n, {}, { token: DEMO });
    assert.equal(mine.tenant_id, "demoproject");
    assert.equal(mine["OS-EXT-SRV-ATTR:host"], undefined, "no extended attributes for members");
    const theirs = await call(n, "GET", `/servers/${mine.id}`, { token: ALT });
    assert.deepEqual(theirs.body, {
      itemNotFound: { code: 404, message: `Instance ${mine.id} could not be found.` },
    });
    const admin = await call(n, "GET", `/servers/${mine.id}`);
    assert.equal(admin.status, 200);
    assert.equal(admin.body.server["OS-EXT-SRV-ATTR:host"], "novalet");
    const forced = await createServer(n, { availability_zone: "nova:novalet" }, { token: DEMO });
    assert.equal(forced.status, 403);
    assert.equal(IMAGE.length, 36);
  });
});
