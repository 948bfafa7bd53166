/**
 * End to end: config drives. A server that asks for one (or any server,
 * with `[DEFAULT] force_config_drive`) is built with a drive holding the
 * metadata API's tree as files, plus the admin password and the injected
 * files, which the fake hypervisor keeps (its `fake_config_drives`).
 */

import { strict as assert } from "node:assert";
import { activeServer, call, createServer, waitForServer, waitGone } from "./_servers.ts";
import { b64, configDriveOf, fixedIpOf, mdGetAs, withMetadata } from "./_metadata.ts";

const PUBLIC_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMSn3LB3URZZrHMqxyWrJ8kB236Pm3hlqYnnqgHIZvLb root@vm";
const USER_DATA = Uint8Array.from([0x23, 0x21, 0x0a, 0xff, 0x00, 0xc3, 0x28, 0x0a]);
const MOTD = Uint8Array.from([0x68, 0x69, 0xff, 0x0a]);
const FORWARDED = "[api]\nuse_forwarded_for = true\n";
const OPENSTACK = [
  "2012-08-10",
  "2013-04-04",
  "2013-10-17",
  "2015-10-15",
  "2016-06-30",
  "2016-10-06",
  "2017-02-22",
  "2018-08-27",
  "2020-10-14",
  "latest",
];

/** The files nova lays out on a drive with user data and one injected file, in its order. */
function expectedPaths(): string[] {
  const paths: string[] = [];
  for (const v of ["2009-04-04", "latest"]) {
    paths.push(`ec2/${v}/user-data`, `ec2/${v}/meta-data.json`);
  }
  OPENSTACK.forEach((v, i) => {
    paths.push(`openstack/${v}/meta_data.json`, `openstack/${v}/user_data`);
    if (i >= 2) paths.push(`openstack/${v}/vendor_data.json`);
    if (i >= 3) paths.push(`openstack/${v}/network_data.json`);
    if (i >= 5) paths.push(`openstack/${v}/vendor_data2.json`);
  });
  return [...paths, "openstack/content/0000"];
}

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

Deno.test("config drive: the metadata tree, the admin password and injected files", async () => {
  await withMetadata(async ({ n, md }) => {
    await call(n, "POST", "/os-keypairs", {
      body: { keypair: { name: "key1", public_key: PUBLIC_KEY } },
    });
    const created = await createServer(n, {
      name: "drive",
      key_name: "key1",
      config_drive: true,
      user_data: b64(USER_DATA),
      personality: [{ path: "/etc/motd", contents: b64(MOTD) }],
    }, { version: "2.1" });
    assert.equal(created.status, 202, created.text);
    const { id, adminPass } = created.body.server;
    const server = await waitForServer(n, id, (s) => s.status === "ACTIVE", { version: "2.1" });
    assert.equal(server.config_drive, "True");
    const drive = configDriveOf(n, id);
    assert.deepEqual([...drive.keys()], expectedPaths());
    assert.deepEqual(drive.get("ec2/latest/user-data"), USER_DATA);
    assert.deepEqual(drive.get("openstack/latest/user_data"), USER_DATA);
    assert.deepEqual(drive.get("openstack/content/0000"), MOTD);
    const meta = JSON.parse(text(drive.get("openstack/latest/meta_data.json")));
    assert.equal(meta.uuid, id);
    assert.equal(meta.admin_pass, adminPass);
    assert.deepEqual(meta.files, [{ path: "/etc/motd", content_path: "/content/0000" }]);
    assert.deepEqual(Object.keys(meta).slice(0, 4), ["uuid", "files", "admin_pass", "public_keys"]);
    // The same documents the metadata API serves the instance.
    const ip = fixedIpOf(server).addr;
    const served = JSON.parse((await mdGetAs(md, ip, "/openstack/latest/meta_data.json")).text);
    for (const doc of [meta, served]) {
      delete doc.random_seed;
      delete doc.admin_pass;
      delete doc.files;
    }
    assert.deepEqual(meta, served);
    for (const name of ["network_data.json", "vendor_data.json", "vendor_data2.json"]) {
      const api = await mdGetAs(md, ip, `/openstack/latest/${name}`);
      assert.equal(text(drive.get(`openstack/latest/${name}`)), api.text, name);
    }
    assert.equal(
      JSON.parse(text(drive.get("openstack/2012-08-10/meta_data.json"))).random_seed,
      undefined,
    );
    // EC2 meta-data.json: the tree as JSON. NOTE(parity): the key keeps its `_name`.
    const ec2 = JSON.parse(text(drive.get("ec2/latest/meta-data.json")));
    assert.deepEqual(ec2["public-keys"], { "0": { _name: "0=key1", "openssh-key": PUBLIC_KEY } });
    assert.equal(ec2["local-ipv4"], ip);
    assert.equal(ec2.hostname, "drive.novalocal");
    assert.equal(ec2["instance-id"], (await mdGetAs(md, ip, "/latest/meta-data/instance-id")).text);
    // The drive goes with the guest.
    assert.equal((await call(n, "DELETE", `/servers/${id}`)).status, 204);
    await waitGone(n, id);
    assert.equal(configDriveOf(n, id).size, 0);
  }, FORWARDED);
});

Deno.test("config drive: none unless asked for; force_config_drive gives every server one", async () => {
  await withMetadata(async ({ n }) => {
    const plain = await activeServer(n, { name: "plain" }, { version: "2.1" });
    assert.equal(plain.config_drive, "");
    assert.equal(configDriveOf(n, plain.id).size, 0);
  });
  await withMetadata(async ({ n }) => {
    const forced = await activeServer(n, { name: "forced" }, { version: "2.1" });
    assert.equal(forced.config_drive, "True");
    const drive = configDriveOf(n, forced.id);
    // No user data and no injected files: no user_data and no content.
    assert.equal(drive.has("openstack/latest/user_data"), false);
    assert.equal(drive.has("openstack/content/0000"), false);
    assert.equal(drive.size, 2 + OPENSTACK.length + 8 + 7 + 5);
    const meta = JSON.parse(text(drive.get("openstack/latest/meta_data.json")));
    assert.equal(typeof meta.admin_pass, "string");
  }, "[DEFAULT]\nforce_config_drive = true\n");
});
