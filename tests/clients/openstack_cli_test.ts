/**
 * The README's "Use it with the OpenStack CLI" flow, end to end: Debian's
 * openstack, nova and openstacksdk against novalet with Keystone auth and
 * the real Keystone. One novalet for the file; each step is one part of the
 * flow and relies on the steps before it. Outputs are parsed (`-f json`,
 * novaclient's tables) and checked against what novalet holds.
 *
 * With `NOVALET_EXECUTABLE` set, the same flow runs against that
 * executable (CI: the `bun build --compile` binary).
 */

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { ensureKeystone, issueToken } from "../keystone/_keystone.ts";
import {
  type Cloud,
  keystone,
  parsePropertyTable,
  parseTable,
  REGION_PREFIX,
  startCloud,
  type User,
  waitForServer,
} from "./_clients.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const POLICY_DENIED =
  "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.";

/** What earlier steps made, for the later ones. */
interface Made {
  flavorId?: string;
  imageId?: string;
  serverId?: string;
  fingerprint?: string;
}

Deno.test("OpenStack CLI flow of the README against novalet and Keystone", async (t) => {
  const cloud = await startCloud();
  const made: Made = {};
  // Each step builds on the ones before: after a failure the rest are ignored, not failed again.
  let failed = false;
  const step = async (name: string, fn: () => unknown) => {
    const ok = await t.step({ name, ignore: failed, fn: async () => void (await fn()) });
    failed ||= !ok;
  };
  try {
    await step(
      "admin: flavor create/list/show, quota set/show, zones, hypervisors, services",
      () => adminSetUp(cloud, made),
    );
    await step(
      "member: image create/show, keypair create/list/show",
      () => imageAndKeypair(cloud, made),
    );
    await step("member: server create --wait, list, show, set", () => serverCreate(cloud, made));
    await step(
      "member: server reboot, stop, start, pause, unpause",
      () => serverPower(cloud, made),
    );
    await step(
      "member: server resize, resize confirm, rebuild, event list, 2.latest",
      () => serverMoves(cloud, made),
    );
    await step("member: limits show --absolute, quota show", () => limitsAndQuota(cloud));
    await step("novaclient: boot --poll, list, show", () => novaclient(cloud, made));
    await step("openstacksdk: create, wait for ACTIVE, list, delete", () => sdk(cloud, made));
    await step("member: server delete --wait, keypair delete", () => cleanUp(cloud));
    await step("errors show nova's message (policy)", () => policyErrors(cloud));
    await step("admin: flavor delete", () => flavorDelete(cloud, made));
    await step("version discovery went through the catalog URLs", () => discovery(cloud));
  } finally {
    await cloud.stop();
  }
});

Deno.test("the client tests' Keystone region: stale ones removed, their own removed at the end", async () => {
  const f = await ensureKeystone();
  const admin = await issueToken(f, "admin");
  // A region left by a run that was killed: its pid (above Linux's pid_max) is not running.
  const stale = `${REGION_PREFIX}999999999-1`;
  await keystone(f, admin, "POST", "/regions", { region: { id: stale } });
  const regions = async () =>
    ((await keystone(f, admin, "GET", "/regions"))!.regions as { id: string }[]).map((r) => r.id);
  const cloud = await startCloud();
  let stopped = false;
  try {
    const present = await regions();
    assert.ok(!present.includes(stale), "the stale region is gone");
    assert.ok(present.includes(cloud.region));
    assert.match(cloud.region, new RegExp(`^${REGION_PREFIX}${Deno.pid}-\\d+$`));
    const list = await keystone(f, admin, "GET", `/endpoints?region_id=${cloud.region}`);
    const urls = (list!.endpoints as { interface: string; url: string; service_id: string }[])
      .map((e) => [e.interface, e.url]).sort();
    assert.deepEqual(
      urls,
      [
        ["public", `${await cloud.novalet.apiUrl("image")}`],
        ["public", `${cloud.novalet.url}/v2.1`],
        ["public", f.auth_url],
      ].sort(),
    );
    await cloud.stop();
    stopped = true;
    assert.ok(!(await regions()).includes(cloud.region), "removed at the end");
  } finally {
    if (!stopped) await cloud.stop();
  }
});

/** A compute API call of the test itself (no CLI): status and parsed body. */
async function api(
  cloud: Cloud,
  user: User,
  path: string,
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${cloud.novalet.url}/v2.1${path}`, {
    headers: { "X-Auth-Token": await cloud.token(user), Accept: "application/json" },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** `[{"Name": k, "Value": v}, ...]` (openstack's list output of name/value pairs) as an object. */
function pairs(rows: { Name: string; Value: unknown }[]): Record<string, unknown> {
  return Object.fromEntries(rows.map((r) => [r.Name, r.Value]));
}

async function adminSetUp(cloud: Cloud, made: Made): Promise<void> {
  const flavor = await cloud.json<Json>(
    "admin",
    "openstack flavor create --ram 256 --disk 1 --vcpus 1 m1.cli -f json",
  );
  assert.match(flavor.id, UUID);
  assert.deepEqual(
    [flavor.name, flavor.ram, flavor.disk, flavor.vcpus, flavor["os-flavor-access:is_public"]],
    ["m1.cli", 256, 1, 1, true],
  );
  made.flavorId = flavor.id;
  const [list, shown] = await Promise.all([
    cloud.json<Json[]>("admin", "openstack flavor list -f json"),
    cloud.json<Json>("admin", "openstack flavor show m1.cli -f json"),
    cloud.cli("admin", "openstack quota set --instances 5 --cores 8 demo"),
  ]);
  const row = list.find((f) => f.Name === "m1.cli");
  assert.deepEqual(row, {
    ID: flavor.id,
    Name: "m1.cli",
    RAM: 256,
    Disk: 1,
    Ephemeral: 0,
    VCPUs: 1,
    "Is Public": true,
  });
  assert.ok(list.some((f) => f.Name === "m1.small"), "the seeded flavors are listed too");
  assert.equal(shown.id, flavor.id);
  assert.deepEqual(shown.properties, {});

  const [quota, zones, hypervisors, services] = await Promise.all([
    cloud.json<Json>("admin", "openstack quota show demo -f json"),
    cloud.json<Json[]>("admin", "openstack availability zone list --compute -f json"),
    cloud.json<Json[]>("admin", "openstack hypervisor list -f json"),
    cloud.json<Json[]>("admin", "openstack compute service list -f json"),
  ]);
  assert.equal(quota.project, cloud.fixtures.projects.demo);
  assert.deepEqual([quota.instances, quota.cores, quota.ram], [5, 8, 51200]);
  assert.deepEqual(zones.find((z) => z["Zone Name"] === "nova"), {
    "Zone Name": "nova",
    "Zone Status": "available",
  });
  assert.equal(hypervisors.length, 1);
  assert.deepEqual(
    [
      hypervisors[0]["Hypervisor Hostname"],
      hypervisors[0]["Hypervisor Type"],
      hypervisors[0].State,
    ],
    ["novalet", "fake", "up"],
  );
  const compute = services.find((s) => s.Binary === "nova-compute");
  assert.deepEqual(
    [compute?.Host, compute?.Zone, compute?.Status, compute?.State],
    ["novalet", "nova", "enabled", "up"],
  );
  // openstackclient lists services through openstacksdk, which negotiated a microversion with
  // novalet: from 2.53 on, service ids are uuids.
  for (const s of services) assert.match(s.ID, UUID);
  assert.deepEqual(services.map((s) => s.Binary).sort(), [
    "nova-compute",
    "nova-conductor",
    "nova-scheduler",
  ]);
}

/**
 * nova's fingerprint of the public half of a PKCS#1 RSA private key: the
 * MD5 of the ssh-rsa blob (string "ssh-rsa", mpint e, mpint n), read
 * straight from the key's DER (RSAPrivateKey: version, n, e, ...).
 */
function rsaFingerprint(pem: string): string {
  const der = Uint8Array.from(atob(pem.replace(/-----[^-]+-----|\s/g, "")), (c) => c.charCodeAt(0));
  let at = 0;
  const header = () => {
    const tag = der[at++];
    let length = der[at++];
    if (length & 0x80) {
      const bytes = length & 0x7f;
      length = 0;
      for (let i = 0; i < bytes; i++) length = length * 256 + der[at++];
    }
    return { tag, length };
  };
  const integer = () => {
    const { tag, length } = header();
    assert.equal(tag, 0x02, "an ASN.1 INTEGER");
    return der.slice(at, at += length); // DER integers are already ssh mpints
  };
  assert.equal(header().tag, 0x30, "an ASN.1 SEQUENCE");
  integer(); // version
  const n = integer();
  const e = integer();
  const hash = createHash("md5");
  for (const part of [new TextEncoder().encode("ssh-rsa"), e, n]) {
    hash.update(new Uint8Array(new Uint32Array([part.length]).buffer).reverse());
    hash.update(part);
  }
  return hash.digest("hex").match(/../g)!.join(":");
}

async function imageAndKeypair(cloud: Cloud, made: Made): Promise<void> {
  const data = new Uint8Array(1 << 20);
  for (let at = 0; at < data.length; at += 65536) {
    crypto.getRandomValues(data.subarray(at, at + 65536));
  }
  Deno.writeFileSync(`${cloud.cwd}/cirros.img`, data);
  const created = await cloud.json<Json>(
    "demo",
    "openstack image create --file cirros.img --disk-format qcow2 --container-format bare cirros -f json",
  );
  assert.match(created.id, UUID);
  assert.deepEqual(
    [created.name, created.disk_format, created.container_format, created.owner],
    ["cirros", "qcow2", "bare", cloud.fixtures.projects.demo],
  );
  made.imageId = created.id;
  const image = await cloud.json<Json>("demo", "openstack image show cirros -f json");
  assert.deepEqual([image.id, image.status, image.size], [created.id, "active", data.length]);
  assert.equal(image.checksum, createHash("md5").update(data).digest("hex"));
  assert.equal(image.properties.os_hash_algo, "sha512");
  assert.equal(image.properties.os_hash_value, createHash("sha512").update(data).digest("hex"));

  await cloud.cli("demo", "openstack keypair create mykey > mykey.pem");
  const pem = Deno.readTextFileSync(`${cloud.cwd}/mykey.pem`);
  assert.match(
    pem,
    /^-----BEGIN RSA PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END RSA PRIVATE KEY-----\n+$/,
  );
  const [list, shown] = await Promise.all([
    cloud.json<Json[]>("demo", "openstack keypair list -f json"),
    cloud.json<Json>("demo", "openstack keypair show mykey -f json"),
  ]);
  const fingerprint = rsaFingerprint(pem);
  assert.deepEqual(list, [{ Name: "mykey", Fingerprint: fingerprint, Type: "ssh" }]);
  assert.deepEqual(
    [shown.name, shown.fingerprint, shown.type, shown.user_id],
    ["mykey", fingerprint, "ssh", cloud.fixtures.users.demo.id],
  );
  made.fingerprint = fingerprint;
}

async function serverCreate(cloud: Cloud, made: Made): Promise<void> {
  const created = await cloud.json<Json>(
    "demo",
    "openstack server create --image cirros --flavor m1.cli --key-name mykey --wait vm1 -f json",
  );
  assert.match(created.id, UUID);
  made.serverId = created.id;
  assert.deepEqual(
    [created.name, created.status, created.key_name, created.flavor, created.image],
    ["vm1", "ACTIVE", "mykey", `m1.cli (${made.flavorId})`, `cirros (${made.imageId})`],
  );
  assert.equal(created["OS-EXT-STS:vm_state"], "active");
  assert.ok(!("OS-EXT-SRV-ATTR:host" in created), "a member does not see the host (policy)");
  const [ip] = created.addresses.private;
  assert.match(ip, /^10\.0\.\d+\.\d+$/);

  const [list, shown] = await Promise.all([
    cloud.json<Json[]>("demo", "openstack server list -f json"),
    cloud.json<Json>("demo", "openstack server show vm1 -f json"),
  ]);
  assert.deepEqual(list, [{
    ID: created.id,
    Name: "vm1",
    Status: "ACTIVE",
    Networks: { private: [ip] },
    Image: "cirros",
    Flavor: "m1.cli",
  }]);
  assert.deepEqual(
    [shown.id, shown.status, shown["OS-EXT-STS:power_state"], shown.project_id],
    [created.id, "ACTIVE", 1, cloud.fixtures.projects.demo],
  );

  await cloud.cli("demo", "openstack server set --name web1 --property role=web vm1");
  const { body } = await api(cloud, "demo", `/servers/${created.id}`);
  assert.deepEqual([body.server.name, body.server.metadata], ["web1", { role: "web" }]);
}

async function serverPower(cloud: Cloud, made: Made): Promise<void> {
  const id = made.serverId!;
  const reboot = await cloud.cli("demo", "openstack server reboot --wait web1");
  assert.match(reboot.stdout, /Complete/);
  await waitForServer(cloud, "demo", id, "ACTIVE");
  const steps: [string, string][] = [
    ["openstack server stop web1", "SHUTOFF"],
    ["openstack server start web1", "ACTIVE"],
    ["openstack server pause web1", "PAUSED"],
    ["openstack server unpause web1", "ACTIVE"],
  ];
  for (const [line, status] of steps) {
    await cloud.cli("demo", line);
    await waitForServer(cloud, "demo", id, status);
  }
  const { body } = await api(cloud, "demo", `/servers/${id}`);
  assert.equal(body.server["OS-EXT-STS:power_state"], 1);
}

async function serverMoves(cloud: Cloud, made: Made): Promise<void> {
  const id = made.serverId!;
  await cloud.cli("demo", "openstack server resize --flavor m1.small web1");
  await waitForServer(cloud, "demo", id, "VERIFY_RESIZE");
  const resized = await api(cloud, "demo", `/servers/${id}`);
  assert.deepEqual(
    [resized.body.server.status, resized.body.server.flavor.id],
    ["VERIFY_RESIZE", "2"],
  );
  await cloud.cli("demo", "openstack server resize confirm web1");
  await waitForServer(cloud, "demo", id, "ACTIVE");

  const rebuilt = await cloud.json<Json>(
    "demo",
    "openstack server rebuild --image cirros web1 -f json",
  );
  assert.deepEqual(
    [rebuilt.id, rebuilt.status, rebuilt.image],
    [id, "REBUILD", `cirros (${made.imageId})`],
  );
  assert.match(rebuilt.adminPass, /^\w{12}$/);
  await waitForServer(cloud, "demo", id, "ACTIVE");

  const events = await cloud.json<Json[]>("demo", "openstack server event list web1 -f json");
  assert.deepEqual(events.map((e) => e.Action), [
    "rebuild",
    "confirmResize",
    "resize",
    "unpause",
    "pause",
    "start",
    "stop",
    "reboot",
    "create",
  ]);
  for (const e of events) {
    assert.equal(e["Server ID"], id);
    assert.match(e["Request ID"], /^req-[0-9a-f-]{36}$/);
  }

  // openstackclient asks for novaclient's newest microversion (2.92) and novalet grants it.
  const latest = await cloud.json<Json>(
    "demo",
    "openstack --os-compute-api-version 2.latest server show web1 -f json",
  );
  assert.equal(latest.flavor.original_name, "m1.small", "2.47: the flavor is embedded");
  assert.deepEqual([latest.flavor.ram, latest.flavor.vcpus], [2048, 1]);
  assert.equal(latest.locked, false);
  assert.ok("locked_reason" in latest, "2.73");
  assert.equal(latest.locked_reason, null);
  // NOTE(parity): a server created below 2.19 gets its name as its description.
  assert.equal(latest.description, "vm1");
  assert.deepEqual(latest.properties, { role: "web" });
}

async function limitsAndQuota(cloud: Cloud): Promise<void> {
  const [limits, quota] = await Promise.all([
    cloud.json<Json[]>("demo", "openstack limits show --absolute -f json"),
    cloud.json<Json>("demo", "openstack quota show -f json"),
  ]);
  const l = pairs(limits);
  assert.deepEqual(
    [l.maxTotalInstances, l.maxTotalCores, l.totalInstancesUsed, l.totalCoresUsed, l.totalRAMUsed],
    [5, 8, 1, 1, 2048],
  );
  assert.deepEqual(
    [quota.project, quota.instances, quota.cores],
    [cloud.fixtures.projects.demo, 5, 8],
  );
}

async function novaclient(cloud: Cloud, made: Made): Promise<void> {
  const boot = await cloud.cli(
    "demo",
    "nova boot --image cirros --flavor m1.cli --key-name mykey --poll vm2",
  );
  assert.match(boot.stdout, /Finished/);
  const booted = parsePropertyTable(boot.stdout);
  assert.match(booted.id, UUID);
  assert.deepEqual(
    [booted.name, booted.key_name, booted.image, booted["flavor:original_name"]],
    ["vm2", "mykey", `cirros (${made.imageId})`, "m1.cli"],
  );
  const [list, show] = await Promise.all([
    cloud.cli("demo", "nova list"),
    cloud.cli("demo", "nova show vm2"),
  ]);
  assert.deepEqual(
    parseTable(list.stdout).map((r) => [r.Name, r.Status, r["Power State"]]).sort(),
    [["vm2", "ACTIVE", "Running"], ["web1", "ACTIVE", "Running"]],
  );
  const shown = parsePropertyTable(show.stdout);
  assert.deepEqual([shown.id, shown.status, shown.tenant_id], [
    booted.id,
    "ACTIVE",
    cloud.fixtures.projects.demo,
  ]);
  // Fields of the microversion novaclient negotiated (2.92, its newest).
  assert.equal(shown.locked_reason, "-", "2.73");
  assert.equal(shown.server_groups, "[]", "2.71");
  assert.match(shown["private network"], /^10\.0\.\d+\.\d+$/);
}

async function sdk(cloud: Cloud, made: Made): Promise<void> {
  const run = await cloud.cli(
    "demo",
    "/usr/bin/python3 tests/clients/sdk_server.py --image cirros --flavor m1.cli vm3",
  );
  const out = JSON.parse(run.stdout);
  assert.equal(out.compute_url, `${cloud.novalet.url}/v2.1`);
  assert.equal(out.max_microversion, "2.93");
  assert.deepEqual([out.image_id, out.flavor_id], [made.imageId, made.flavorId]);
  assert.equal(out.status, "ACTIVE");
  assert.deepEqual(out.listed, [[out.id, "vm3", "ACTIVE"]]);
  assert.match(out.addresses.private[0].addr, /^10\.0\.\d+\.\d+$/);
  assert.equal(out.found_after_delete, false);
  assert.equal((await api(cloud, "demo", `/servers/${out.id}`)).status, 404);
}

async function cleanUp(cloud: Cloud): Promise<void> {
  await cloud.cli("demo", "openstack server delete --wait web1 vm2");
  assert.deepEqual((await api(cloud, "demo", "/servers")).body, { servers: [] });
  await cloud.cli("demo", "openstack keypair delete mykey");
  assert.deepEqual((await api(cloud, "demo", "/os-keypairs")).body, { keypairs: [] });
}

async function policyErrors(cloud: Cloud): Promise<void> {
  const [osc, nova] = await Promise.all([
    cloud.cli("demo", "openstack flavor create --ram 256 --disk 1 --vcpus 1 m1.denied", {
      expectFailure: true,
    }),
    cloud.cli("demo", "nova flavor-create m1.denied auto 256 1 1", { expectFailure: true }),
  ]);
  assert.equal(osc.code, 1);
  assert.match(
    osc.stderr,
    /HttpException: 403: Client Error for url: http:\/\/127\.0\.0\.1:\d+\/v2\.1\/flavors, /,
  );
  assert.ok(osc.stderr.includes(POLICY_DENIED), osc.stderr);
  const m = /ERROR \(Forbidden\): (.*) \(HTTP 403\) \(Request-ID: (req-[0-9a-f-]{36})\)/.exec(
    nova.stderr,
  );
  assert.ok(m, nova.stderr);
  assert.equal(m[1], POLICY_DENIED);
  assert.ok(cloud.novalet.log().includes(m[2]), "the request id is novalet's");
}

async function flavorDelete(cloud: Cloud, made: Made): Promise<void> {
  await cloud.cli("admin", "openstack flavor delete m1.cli");
  assert.equal((await api(cloud, "admin", `/flavors/${made.flavorId}`)).status, 404);
}

/** keystoneauth found the versions at the catalog's URLs: compute's /v2.1, the image root. */
function discovery(cloud: Cloud): void {
  const log = cloud.novalet.log();
  assert.match(log, /nova\.osapi_compute\.wsgi\.server .*"GET \/v2\.1 HTTP\/1\.1" status: 200/);
  assert.match(log, /nova\.image\.wsgi\.server .*"GET \/ HTTP\/1\.1" status: 300/);
}
