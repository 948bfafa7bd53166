/**
 * End to end: a cloud of several compute hosts (`[novalet_compute]
 * hosts`) — servers spread by free RAM, anti-affinity across hosts, a host
 * disabled or forced down through os-services gets nothing, a zone from an
 * aggregate, a forced host — and the hosts in the services, hypervisors
 * and zones views.
 */

import { strict as assert } from "node:assert";
import {
  activeServer,
  call,
  createServer,
  DEMO,
  startServersNovalet,
  waitForServer,
  withServers,
} from "./_servers.ts";

const TWO_HOSTS = `
[DEFAULT]
reserved_host_memory_mb = 0
[novalet_compute]
hosts = c1:8:4096:100, c2:8:4096:100
spawn_delay_ms = 5
`;

const hostOf = (server: Record<string, unknown>) => server["OS-EXT-SRV-ATTR:host"];

Deno.test("scheduling: servers spread over equal hosts by free RAM", async () => {
  await withServers(async (n) => {
    const first = await activeServer(n, { name: "a" });
    const second = await activeServer(n, { name: "b" });
    const third = await activeServer(n, { name: "c" });
    assert.equal(hostOf(first), "c1");
    assert.equal(hostOf(second), "c2");
    assert.equal(hostOf(third), "c1");
    assert.equal(first["OS-EXT-SRV-ATTR:hypervisor_hostname"], "c1");
    assert.equal(first["OS-EXT-AZ:availability_zone"], "nova");
    const hyp = await call(n, "GET", "/os-hypervisors/detail");
    const used = Object.fromEntries(
      hyp.body.hypervisors.map((
        h: Record<string, number>,
      ) => [h.hypervisor_hostname, h.running_vms]),
    );
    assert.deepEqual(used, { c1: 2, c2: 1 });
  }, TWO_HOSTS);
});

Deno.test("scheduling: the host with the most free RAM takes the next server", async () => {
  await withServers(async (n) => {
    const big = await activeServer(n, { name: "a" });
    assert.equal(hostOf(big), "c2");
  }, TWO_HOSTS.replace("c2:8:4096:100", "c2:8:8192:100"));
});

Deno.test("scheduling: anti-affinity puts group members on different hosts, then finds no host", async () => {
  await withServers(async (n) => {
    const group = await call(n, "POST", "/os-server-groups", {
      body: { server_group: { name: "g", policies: ["anti-affinity"] } },
    });
    const hints = { group: group.body.server_group.id };
    const create = (name: string) =>
      call(n, "POST", "/servers", {
        body: {
          server: { name, imageRef: "5c5e1b6f-3b5e-4a39-9d6a-6a2f4b0e7c01", flavorRef: "1" },
          "os:scheduler_hints": hints,
        },
      });
    const a = (await create("a")).body.server.id;
    const sa = await waitForServer(n, a, (s) => s.status === "ACTIVE");
    const b = (await create("b")).body.server.id;
    const sb = await waitForServer(n, b, (s) => s.status === "ACTIVE");
    assert.notEqual(hostOf(sa), hostOf(sb));
    const c = (await create("c")).body.server.id;
    const sc = await waitForServer(n, c, (s) => s.status === "ERROR");
    assert.equal(sc.fault.message, "No valid host was found. ");
    assert.equal(sc.fault.code, 500);
  }, TWO_HOSTS);
});

Deno.test("scheduling: a host disabled or forced down through os-services gets no servers", async () => {
  await withServers(async (n) => {
    const onC1 = await activeServer(n, { name: "x" });
    assert.equal(hostOf(onC1), "c1");
    const status = async (path: string) => {
      const res = await call(n, "GET", path, { version: "2.16" });
      const servers = res.body.server ? [res.body.server] : res.body.servers;
      return servers.find((x: { id: string }) => x.id === onC1.id).host_status;
    };
    assert.equal(await status(`/servers/${onC1.id}`), "UP");
    assert.equal(await status("/servers/detail"), "UP");
    const services = (await call(n, "GET", "/os-services", { version: "2.53" })).body.services;
    const c1 = services.find((s: Record<string, string>) => s.host === "c1");
    const off = await call(n, "PUT", `/os-services/${c1.id}`, {
      version: "2.53",
      body: { status: "disabled", disabled_reason: "maintenance" },
    });
    assert.equal(off.status, 200);
    assert.equal(off.body.service.status, "disabled");
    assert.equal(await status(`/servers/${onC1.id}`), "MAINTENANCE");
    assert.equal(await status("/servers/detail"), "MAINTENANCE");
    for (const name of ["a", "b"]) assert.equal(hostOf(await activeServer(n, { name })), "c2");
    await call(n, "PUT", `/os-services/${c1.id}`, { version: "2.53", body: { status: "enabled" } });
    const down = await call(n, "PUT", `/os-services/${c1.id}`, {
      version: "2.53",
      body: { forced_down: true },
    });
    assert.equal(down.body.service.state, "down");
    assert.equal(await status("/servers/detail"), "DOWN");
    assert.equal(hostOf(await activeServer(n, { name: "c" })), "c2");
    await call(n, "PUT", `/os-services/${c1.id}`, {
      version: "2.53",
      body: { forced_down: false },
    });
    assert.equal(hostOf(await activeServer(n, { name: "d" })), "c1");
  }, TWO_HOSTS);
});

Deno.test("scheduling: an aggregate's zone places servers on its hosts; unknown zones are refused", async () => {
  await withServers(async (n) => {
    const agg = await call(n, "POST", "/os-aggregates", {
      body: { aggregate: { name: "fast", availability_zone: "az1" } },
    });
    const id = agg.body.aggregate.id;
    const added = await call(n, "POST", `/os-aggregates/${id}/action`, {
      body: { add_host: { host: "c2" } },
    });
    assert.deepEqual(added.body.aggregate.hosts, ["c2"]);
    const zones = await call(n, "GET", "/os-availability-zone");
    assert.deepEqual(zones.body.availabilityZoneInfo.map((z: { zoneName: string }) => z.zoneName), [
      "az1",
      "nova",
    ]);
    for (const name of ["a", "b"]) {
      const s = await activeServer(n, { name, availability_zone: "az1" });
      assert.equal(hostOf(s), "c2");
      assert.equal(s["OS-EXT-AZ:availability_zone"], "az1");
    }
    const bad = await createServer(n, { availability_zone: "nope" });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.badRequest.message, "The requested availability zone is not available");
    const moved = await call(n, "POST", `/os-aggregates/${id}/action`, {
      body: { set_metadata: { metadata: { availability_zone: "az2" } } },
    });
    assert.equal(moved.status, 400);
    assert.equal(
      moved.body.badRequest.message,
      `Cannot update metadata of aggregate ${id}. Reason: One or more hosts contain instances in this zone.`,
    );
  }, TWO_HOSTS);
});

Deno.test("scheduling: a forced host (zone:host) for admins, and members may not force", async () => {
  await withServers(async (n) => {
    for (const name of ["a", "b", "c"]) {
      assert.equal(hostOf(await activeServer(n, { name, availability_zone: "nova:c2" })), "c2");
    }
    const demo = await createServer(n, { availability_zone: "nova:c2" }, { token: DEMO });
    assert.equal(demo.status, 403);
    const unknown = await createServer(n, { availability_zone: "nova:c9" });
    const failed = await waitForServer(n, unknown.body.server.id, (s) => s.status === "ERROR");
    assert.equal(failed.fault.message, "No valid host was found. ");
  }, TWO_HOSTS);
});

Deno.test("scheduling: 2.74's requested host still passes the filters; a forced one skips them", async () => {
  await withServers(async (n) => {
    const services = (await call(n, "GET", "/os-services", { version: "2.53" })).body.services;
    const c2 = services.find((s: Record<string, string>) => s.host === "c2");
    await call(n, "PUT", `/os-services/${c2.id}`, {
      version: "2.53",
      body: { status: "disabled" },
    });
    const forced = await activeServer(n, { name: "forced", availability_zone: "nova:c2" });
    assert.equal(hostOf(forced), "c2", "az:host skips ComputeFilter");
    const asked = await createServer(n, { name: "asked", host: "c2", networks: "auto" }, {
      version: "2.74",
    });
    assert.equal(asked.status, 202, asked.text);
    const failed = await waitForServer(n, asked.body.server.id, (s) => s.status === "ERROR");
    assert.equal(failed.fault.message, "No valid host was found. ");
    const onC1 = await createServer(
      n,
      { name: "c1", hypervisor_hostname: "c1", networks: "auto" },
      {
        version: "2.74",
      },
    );
    const placed = await waitForServer(n, onC1.body.server.id, (s) => s.status === "ACTIVE");
    assert.equal(hostOf(placed), "c1");
  }, TWO_HOSTS);
});

Deno.test("scheduling: no compute host at all — novalet runs as nova-api alone", async () => {
  await withServers(async (n) => {
    assert.deepEqual((await call(n, "GET", "/os-services")).body, { services: [] });
    assert.deepEqual((await call(n, "GET", "/os-hypervisors")).body, { hypervisors: [] });
    const detail = await call(n, "GET", "/os-availability-zone/detail");
    assert.deepEqual(detail.body.availabilityZoneInfo, [
      { zoneName: "internal", zoneState: { available: true }, hosts: {} },
    ]);
    const res = await createServer(n);
    const failed = await waitForServer(n, res.body.server.id, (s) => s.status === "ERROR");
    assert.equal(failed.fault.message, "No valid host was found. ");
  }, "[novalet_compute]\nhosts =\n");
});

Deno.test("scheduling: a malformed hosts option stops novalet with one line", async () => {
  const n = await startServersNovalet("[novalet_compute]\nhosts = c1:x\n");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise((r) => timer = setTimeout(() => r("running"), 10_000));
  const code = await Promise.race([n.exited, timeout]);
  clearTimeout(timer);
  if (code === "running") await n.stop();
  assert.equal(code, 2);
  assert.match(
    n.log(),
    /novalet: Invalid value for \[novalet_compute\] hosts: "c1:x" \(vcpus must be a non-negative integer\)/,
  );
});
