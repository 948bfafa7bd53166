/**
 * End to end: os-hypervisors — the compute nodes of a two-host cloud with
 * their inventory and usage per microversion (2.1 detail, 2.28 cpu_info,
 * 2.33 paging, 2.53 uuids/with_servers/pattern, 2.75 servers, 2.88 without
 * the usage fields), show/search/servers/uptime/statistics, nova's texts,
 * and os-hosts (the deprecated host API).
 */

import { strict as assert } from "node:assert";
import { activeServer, call, DEMO, withServers } from "./_servers.ts";

const HOSTS = `
[DEFAULT]
reserved_host_memory_mb = 256
[novalet_compute]
hosts = c1:16:8192:200, c2:8:4096:100
spawn_delay_ms = 5
`;

Deno.test("os-hypervisors: list and detail with inventory and usage", async () => {
  await withServers(async (n) => {
    const server = await activeServer(n);
    assert.equal(server["OS-EXT-SRV-ATTR:host"], "c1");
    const list = await call(n, "GET", "/os-hypervisors");
    assert.deepEqual(list.body.hypervisors, [
      { id: 1, hypervisor_hostname: "c1", state: "up", status: "enabled" },
      { id: 2, hypervisor_hostname: "c2", state: "up", status: "enabled" },
    ]);
    const detail = (await call(n, "GET", "/os-hypervisors/detail")).body.hypervisors[0];
    assert.equal(detail.hypervisor_type, "fake");
    assert.equal(detail.hypervisor_version, 1000);
    assert.deepEqual(detail.service, { id: 4, host: "c1", disabled_reason: null });
    assert.equal(detail.vcpus, 16);
    assert.equal(detail.memory_mb, 8192);
    assert.equal(detail.local_gb, 200);
    assert.equal(detail.vcpus_used, 1);
    assert.equal(detail.memory_mb_used, 256 + 512);
    assert.equal(detail.free_ram_mb, 8192 - 768);
    assert.equal(detail.local_gb_used, 1);
    assert.equal(detail.running_vms, 1);
    assert.equal(detail.current_workload, 0);
    assert.equal(typeof detail.cpu_info, "string");
    const v228 = (await call(n, "GET", "/os-hypervisors/detail", { version: "2.28" })).body;
    assert.deepEqual(v228.hypervisors[0].cpu_info.topology, { cores: 1, threads: 1, sockets: 4 });
    const v288 = (await call(n, "GET", "/os-hypervisors/detail", { version: "2.88" })).body;
    assert.equal(v288.hypervisors[0].vcpus, undefined);
    assert.match(v288.hypervisors[0].uptime, / up .*load average/);
    const stats = (await call(n, "GET", "/os-hypervisors/statistics")).body.hypervisor_statistics;
    assert.equal(stats.count, 2);
    assert.equal(stats.vcpus, 24);
    assert.equal(stats.running_vms, 1);
    assert.equal(stats.memory_mb_used, 256 * 2 + 512);
    const gone = await call(n, "GET", "/os-hypervisors/statistics", { version: "2.88" });
    assert.equal(gone.status, 404);
    const demo = await call(n, "GET", "/os-hypervisors", { token: DEMO });
    assert.equal(
      demo.body.forbidden.message,
      "Policy doesn't allow os_compute_api:os-hypervisors:list to be performed.",
    );
  }, HOSTS);
});

Deno.test("os-hypervisors: 2.33 paging and 2.53 uuids, servers and hostname patterns", async () => {
  await withServers(async (n) => {
    const server = await activeServer(n);
    const page = await call(n, "GET", "/os-hypervisors?limit=1", { version: "2.33" });
    assert.equal(page.body.hypervisors.length, 1);
    assert.match(page.body.hypervisors_links[0].href, /\/os-hypervisors\?limit=1&marker=1$/);
    const next = await call(n, "GET", "/os-hypervisors?limit=1&marker=1", { version: "2.33" });
    assert.equal(next.body.hypervisors[0].hypervisor_hostname, "c2");
    const badMarker = await call(n, "GET", "/os-hypervisors?marker=99", { version: "2.33" });
    assert.equal(badMarker.body.badRequest.message, "marker [99] not found");
    const v253 = await call(n, "GET", "/os-hypervisors?with_servers=true", { version: "2.53" });
    const [c1, c2] = v253.body.hypervisors;
    assert.match(c1.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(c1.servers, [{ name: "instance-00000001", uuid: server.id }]);
    assert.equal(c2.servers, undefined);
    const v275 = await call(n, "GET", "/os-hypervisors?with_servers=1", { version: "2.75" });
    assert.deepEqual(v275.body.hypervisors[1].servers, []);
    const byName = await call(n, "GET", "/os-hypervisors?hypervisor_hostname_pattern=c2", {
      version: "2.53",
    });
    assert.deepEqual(byName.body.hypervisors.map((h: { id: string }) => h.id), [c2.id]);
    const none = await call(n, "GET", "/os-hypervisors?hypervisor_hostname_pattern=zz", {
      version: "2.53",
    });
    assert.equal(none.body.itemNotFound.message, "No hypervisor matching 'zz' could be found.");
    const paged = await call(n, "GET", "/os-hypervisors?hypervisor_hostname_pattern=c&limit=1", {
      version: "2.53",
    });
    assert.equal(
      paged.body.badRequest.message,
      "Paging over hypervisors with the hypervisor_hostname_pattern query parameter is not supported.",
    );
    const show = await call(n, "GET", `/os-hypervisors/${c1.id}?with_servers=true`, {
      version: "2.53",
    });
    assert.equal(show.body.hypervisor.service.host, "c1");
    assert.equal(show.body.hypervisor.servers.length, 1);
    const bad = await call(n, "GET", "/os-hypervisors/1", { version: "2.53" });
    assert.equal(bad.body.badRequest.message, "Invalid uuid 1");
    const old = await call(n, "GET", "/os-hypervisors/x");
    assert.equal(old.body.itemNotFound.message, "Hypervisor with ID 'x' could not be found.");
  }, HOSTS);
});

Deno.test("os-hypervisors: search, servers and uptime before 2.53 / 2.88", async () => {
  await withServers(async (n) => {
    const server = await activeServer(n);
    const search = await call(n, "GET", "/os-hypervisors/c/search");
    assert.equal(search.body.hypervisors.length, 2);
    const servers = await call(n, "GET", "/os-hypervisors/c1/servers");
    assert.deepEqual(servers.body.hypervisors[0].servers, [
      { name: "instance-00000001", uuid: server.id },
    ]);
    const removed = await call(n, "GET", "/os-hypervisors/c1/search", { version: "2.53" });
    assert.equal(removed.status, 404);
    const uptime = await call(n, "GET", "/os-hypervisors/2/uptime");
    assert.equal(uptime.body.hypervisor.hypervisor_hostname, "c2");
    assert.match(uptime.body.hypervisor.uptime, /^ \d\d:\d\d:\d\d up /);
    assert.equal(
      (await call(n, "GET", "/os-hypervisors/2/uptime", { version: "2.88" })).status,
      404,
    );
  }, HOSTS);
});

Deno.test("os-hosts: hosts by zone, a host's resources, switches and power actions", async () => {
  await withServers(async (n) => {
    await activeServer(n);
    const hosts = await call(n, "GET", "/os-hosts");
    assert.deepEqual(hosts.body.hosts, [
      { host_name: "novalet", service: "scheduler", zone: "internal" },
      { host_name: "novalet", service: "conductor", zone: "internal" },
      { host_name: "c1", service: "compute", zone: "nova" },
      { host_name: "c2", service: "compute", zone: "nova" },
    ]);
    assert.equal((await call(n, "GET", "/os-hosts?zone=nova")).body.hosts.length, 2);
    const show = await call(n, "GET", "/os-hosts/c1");
    const projects = show.body.host.map((r: { resource: { project: string } }) =>
      r.resource.project
    );
    assert.deepEqual(projects, ["(total)", "(used_now)", "(used_max)", "admin"]);
    assert.equal(show.body.host[2].resource.memory_mb, 512);
    const missing = await call(n, "GET", "/os-hosts/zz");
    assert.equal(missing.body.itemNotFound.message, "Host 'zz' is not mapped to any cell");
    const update = await call(n, "PUT", "/os-hosts/c1", {
      body: { status: "disable", maintenance_mode: "Enable" },
    });
    assert.deepEqual(update.body, {
      host: "c1",
      status: "disabled",
      maintenance_mode: "on_maintenance",
    });
    const reboot = await call(n, "GET", "/os-hosts/c2/reboot");
    assert.deepEqual(reboot.body, { host: "c2", power_action: "reboot" });
    assert.equal((await call(n, "GET", "/os-hosts", { version: "2.43" })).status, 404);
  }, HOSTS);
});
