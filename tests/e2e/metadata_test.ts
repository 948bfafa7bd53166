/**
 * End to end: the metadata API (`[composite:metadata]` on its own
 * listener) answering instances created through the compute API, which
 * it tells apart by their fixed IPs (the client address, or
 * X-Forwarded-For with `[api] use_forwarded_for`): the EC2 format and its
 * listings, the OpenStack format, user_data byte for byte,
 * network_data.json, vendor data and the password.
 */

import { strict as assert } from "node:assert";
import { activeServer, call, type CallOptions } from "./_servers.ts";
import {
  b64,
  fixedIpOf,
  mdGetAs,
  mdGetFrom,
  mdRequest,
  type MetadataNovalet,
  withMetadata,
} from "./_metadata.ts";

const PUBLIC_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMSn3LB3URZZrHMqxyWrJ8kB236Pm3hlqYnnqgHIZvLb root@vm";
/** user_data that is not UTF-8 (0xff 0xfe, a NUL) and ends without a newline. */
const USER_DATA = Uint8Array.from([
  ...new TextEncoder().encode("#!/bin/sh\necho h\u00e9\n"),
  0xff,
  0xfe,
  0x00,
  0x80,
]);
const NOT_FOUND = "404 Not Found\n\nThe resource could not be found.\n\n   ";
const FORWARDED = "[api]\nuse_forwarded_for = true\n";
const V2_1: CallOptions = { version: "2.1" };

/** A server with a key pair, user_data and metadata; its view (2.1) once ACTIVE. */
// deno-lint-ignore no-explicit-any
async function richServer(m: MetadataNovalet, name = "web-1"): Promise<any> {
  await call(m.n, "POST", "/os-keypairs", {
    body: { keypair: { name: "key1", public_key: PUBLIC_KEY } },
  });
  return await activeServer(m.n, {
    name,
    key_name: "key1",
    user_data: b64(USER_DATA),
    metadata: { role: "web", owner: "\u00fc" },
  }, V2_1);
}

Deno.test("metadata: / lists the EC2 versions to anyone; an unknown address is a 404", async () => {
  await withMetadata(async ({ md }) => {
    const root = await mdRequest(md, "/");
    assert.equal(root.status, 200);
    assert.equal(root.headers.get("content-type"), "text/plain; charset=UTF-8");
    assert.equal(
      root.text,
      "1.0\n2007-01-19\n2007-03-01\n2007-08-29\n2007-10-10\n2007-12-15\n2008-02-01\n" +
        "2008-09-01\n2009-04-04\nlatest",
    );
    for (const path of ["/latest/meta-data/", "/openstack", "/ec2"]) {
      const res = await mdGetAs(md, "10.0.99.99", path);
      assert.equal(res.status, 404, path);
      assert.equal(res.text, NOT_FOUND);
      assert.equal(res.headers.get("content-type"), "text/plain; charset=UTF-8");
    }
  }, FORWARDED);
});

Deno.test("metadata: the EC2 tree of an instance found by its fixed IP (X-Forwarded-For)", async () => {
  await withMetadata(async (m) => {
    const server = await richServer(m);
    const { addr } = fixedIpOf(server);
    const get = async (path: string) => {
      const res = await mdGetAs(m.md, addr, path);
      assert.equal(res.status, 200, `${path}: ${res.text}`);
      assert.equal(res.headers.get("content-type"), "text/plain; charset=UTF-8");
      return res.text;
    };
    assert.equal(await get("/latest"), "meta-data/\nuser-data");
    assert.equal(
      await get("/latest/meta-data/"),
      "ami-id\nami-launch-index\nami-manifest-path\nblock-device-mapping/\nhostname\n" +
        "instance-action\ninstance-id\ninstance-type\nlocal-hostname\nlocal-ipv4\nplacement/\n" +
        "public-hostname\npublic-ipv4\npublic-keys/\nreservation-id\nsecurity-groups",
    );
    assert.equal(await get("/latest/meta-data/hostname"), "web-1.novalocal");
    assert.equal(await get("/latest/meta-data/local-ipv4"), addr);
    assert.equal(await get("/latest/meta-data/public-ipv4"), "");
    assert.match(await get("/latest/meta-data/instance-id"), /^i-[0-9a-f]{8}$/);
    assert.match(await get("/latest/meta-data/ami-id"), /^ami-[0-9a-f]{8}$/);
    assert.equal(await get("/latest/meta-data/ami-launch-index"), "0");
    assert.equal(await get("/latest/meta-data/ami-manifest-path"), "FIXME");
    assert.equal(await get("/latest/meta-data/instance-type"), "m1.tiny");
    assert.equal(await get("/latest/meta-data/instance-action"), "none");
    assert.equal(await get("/latest/meta-data/security-groups"), "default");
    assert.match(await get("/latest/meta-data/reservation-id"), /^r-[0-9a-z]{8}$/);
    assert.equal(await get("/latest/meta-data/placement/"), "availability-zone");
    assert.equal(await get("/latest/meta-data/placement/availability-zone"), "nova");
    assert.equal(await get("/latest/meta-data/block-device-mapping/"), "ami\nroot");
    assert.equal(await get("/latest/meta-data/block-device-mapping/root"), "/dev/vda");
    // Public keys: `0=name` without a slash, then the dict under 0.
    assert.equal(await get("/latest/meta-data/public-keys/"), "0=key1");
    assert.equal(await get("/latest/meta-data/public-keys/0/"), "openssh-key");
    assert.equal(await get("/latest/meta-data/public-keys/0/openssh-key"), PUBLIC_KEY);
    // The same ids on every request (mapping rows made once).
    assert.equal(
      await get("/2009-04-04/meta-data/instance-id"),
      await get("/ec2/latest/meta-data/instance-id"),
    );
    // Older versions have fewer keys.
    assert.equal(
      await get("/1.0/meta-data/"),
      "ami-id\nami-launch-index\nami-manifest-path\nhostname\ninstance-id\nlocal-ipv4\n" +
        "public-keys/\nreservation-id\nsecurity-groups",
    );
    assert.equal((await get("/2008-02-01/meta-data/")).includes("instance-action"), false);
    for (const path of ["/2010-01-01/meta-data/", "/latest/meta-data/nothing", "/foo"]) {
      const res = await mdGetAs(m.md, addr, path);
      assert.equal(res.status, 404, path);
      assert.equal(res.text, NOT_FOUND);
    }
  }, FORWARDED);
});

Deno.test("metadata: user_data comes back byte for byte (EC2 and OpenStack), 404 without", async () => {
  await withMetadata(async (m) => {
    const server = await richServer(m);
    const { addr } = fixedIpOf(server);
    for (
      const path of ["/latest/user-data", "/2009-04-04/user-data", "/openstack/latest/user_data"]
    ) {
      const res = await mdGetAs(m.md, addr, path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get("content-type"), "text/plain; charset=UTF-8");
      assert.deepEqual(res.bytes, USER_DATA, path);
    }
    const bare = await activeServer(m.n, { name: "bare" }, V2_1);
    const bareIp = fixedIpOf(bare).addr;
    assert.equal((await mdGetAs(m.md, bareIp, "/latest")).text, "meta-data/");
    assert.equal((await mdGetAs(m.md, bareIp, "/latest/user-data")).status, 404);
    const osUser = await mdGetAs(m.md, bareIp, "/openstack/latest/user_data");
    assert.equal(osUser.status, 404);
    assert.equal(osUser.text, NOT_FOUND);
    assert.equal(
      (await mdGetAs(m.md, bareIp, "/openstack/latest")).text,
      "meta_data.json\npassword\nvendor_data.json\nnetwork_data.json\nvendor_data2.json",
    );
  }, FORWARDED);
});

Deno.test("metadata: the OpenStack versions, their files, and meta_data.json's keys", async () => {
  await withMetadata(async (m) => {
    const server = await richServer(m);
    const { addr } = fixedIpOf(server);
    const openstack = await mdGetAs(m.md, addr, "/openstack/");
    assert.equal(
      openstack.text,
      "2012-08-10\n2013-04-04\n2013-10-17\n2015-10-15\n2016-06-30\n2016-10-06\n2017-02-22\n" +
        "2018-08-27\n2020-10-14\nlatest",
    );
    assert.equal(
      (await mdGetAs(m.md, addr, "/openstack/2012-08-10")).text,
      "meta_data.json\nuser_data",
    );
    assert.equal(
      (await mdGetAs(m.md, addr, "/openstack/2013-10-17")).text,
      "meta_data.json\nuser_data\npassword\nvendor_data.json",
    );
    const latest = await mdGetAs(m.md, addr, "/openstack/latest/meta_data.json");
    assert.equal(latest.headers.get("content-type"), "application/json");
    const doc = JSON.parse(latest.text);
    assert.deepEqual(Object.keys(doc), [
      "uuid",
      "meta",
      "public_keys",
      "keys",
      "hostname",
      "name",
      "launch_index",
      "availability_zone",
      "random_seed",
      "project_id",
      "devices",
      "dedicated_cpus",
    ]);
    assert.equal(doc.uuid, server.id);
    assert.deepEqual(doc.meta, { role: "web", owner: "\u00fc" });
    assert.ok(latest.text.includes('"owner": "\\u00fc"'), "json.dumps escapes non-ASCII");
    assert.deepEqual(doc.public_keys, { key1: PUBLIC_KEY });
    assert.deepEqual(doc.keys, [{ name: "key1", type: "ssh", data: PUBLIC_KEY }]);
    assert.equal(doc.hostname, "web-1.novalocal");
    assert.equal(doc.name, "web-1");
    assert.equal(doc.project_id, "admin");
    assert.equal(atob(doc.random_seed).length, 512);
    assert.deepEqual([doc.devices, doc.dedicated_cpus], [[], []]);
    const folsom = JSON.parse(
      (await mdGetAs(m.md, addr, "/openstack/2012-08-10/meta_data.json")).text,
    );
    assert.equal("random_seed" in folsom || "project_id" in folsom || "devices" in folsom, false);
    const grizzlyPassword = await mdGetAs(m.md, addr, "/openstack/2012-08-10/password");
    assert.equal(grizzlyPassword.status, 404);
    assert.equal((await mdGetAs(m.md, addr, "/openstack/2099-01-01/meta_data.json")).status, 404);
  }, FORWARDED);
});

Deno.test("metadata: network_data.json is built from the instance's port", async () => {
  await withMetadata(async (m) => {
    const server = await richServer(m);
    const { addr, mac } = fixedIpOf(server);
    const res = await mdGetAs(m.md, addr, "/openstack/latest/network_data.json");
    assert.equal(res.status, 200);
    // NOTE(parity): nova answers it as text/plain.
    assert.equal(res.headers.get("content-type"), "text/plain; charset=UTF-8");
    const doc = JSON.parse(res.text);
    const link = doc.links[0];
    assert.match(link.id, /^tap[0-9a-f-]{11}$/);
    assert.deepEqual(doc, {
      links: [{
        id: link.id,
        vif_id: link.vif_id,
        type: "ovs",
        mtu: 1500,
        ethernet_mac_address: mac,
      }],
      networks: [{
        id: "network0",
        type: "ipv4",
        link: link.id,
        ip_address: addr,
        netmask: "255.255.0.0",
        routes: [{ network: "0.0.0.0", netmask: "0.0.0.0", gateway: "10.0.0.1" }],
        network_id: "c4f6ca9e-7b0a-4d4e-9a53-2f0c1c8e6a10",
        services: [],
      }],
      services: [],
    });
    assert.equal(link.id, `tap${link.vif_id}`.slice(0, 14));
  }, FORWARDED);
});

Deno.test("metadata: without use_forwarded_for the client address itself names the instance", async () => {
  // The instances get 127.x addresses, so a test socket can come from one.
  await withMetadata(async (m) => {
    const server = await richServer(m);
    const { addr } = fixedIpOf(server);
    assert.match(addr, /^127\./);
    const hostname = await mdGetFrom(m.md, addr, "/latest/meta-data/hostname");
    assert.equal(hostname.status, 200);
    assert.equal(hostname.text, "web-1.novalocal");
    const user = await mdGetFrom(m.md, addr, "/openstack/latest/user_data");
    assert.deepEqual(user.bytes, USER_DATA);
    // X-Forwarded-For is not believed: the request came from 127.0.0.1.
    const forwarded = await mdGetAs(m.md, addr, "/latest/meta-data/hostname");
    assert.equal(forwarded.status, 404);
    assert.equal((await mdGetFrom(m.md, "127.0.0.99", "/latest/meta-data/")).status, 404);
  }, "[novalet_network]\ncidr = 127.0.0.0/8\n");
});

Deno.test("metadata: where nova crashes (500), novalet answers a 4xx: past a leaf, content/, empty X-Forwarded-For, bad password bodies", async () => {
  await withMetadata(async (m) => {
    const server = await richServer(m, "web-crash");
    const { addr } = fixedIpOf(server);
    for (
      const path of [
        "/latest/meta-data/hostname/x",
        "/openstack/latest/content",
        "/latest/meta-data/public-keys/0/x/y",
      ]
    ) {
      const res = await mdGetAs(m.md, addr, path);
      assert.equal(res.status, 404, `${path}: ${res.text}`);
      assert.equal(res.text, NOT_FOUND);
    }
    const empty = await mdRequest(m.md, "/latest/meta-data/", {
      headers: { "X-Forwarded-For": "" },
    });
    assert.equal(empty.status, 404);
    const bad = await mdRequest(m.md, "/openstack/latest/password", {
      method: "POST",
      headers: { "X-Forwarded-For": addr },
      body: Uint8Array.from([0xff, 0xfe]),
    });
    assert.equal(bad.status, 400);
    // A chunked body (no Content-Length) is read, within the size limit.
    const chunked = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode("secret"));
        c.close();
      },
    });
    const res = await fetch(`${m.md}/openstack/latest/password`, {
      method: "POST",
      headers: { "X-Forwarded-For": addr },
      body: chunked,
    });
    await res.body?.cancel();
    assert.equal(res.status, 200);
    const read = await mdGetAs(m.md, addr, "/openstack/latest/password");
    assert.equal(read.text, "secret");
  }, FORWARDED);
});
