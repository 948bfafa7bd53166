/**
 * The route table: every route/method pair of nova 26's ROUTE_LIST (205)
 * gets one request, and must answer what nova answers to it — never the
 * router's "resource could not be found" page (no route) and never a
 * status nova would not give (a 500, a 404 where nova has the thing).
 * Prints how many of the pairs answer as nova.
 */

import { strict as assert } from "node:assert";
import { ROUTE_LIST } from "../../lib/compute/routes.ts";
import { activeServer, call, IMAGE, NETWORK, withServers } from "./_servers.ts";

/** One request and the statuses nova answers it with. */
interface Probe {
  method: string;
  path: string;
  expect: number[];
  body?: unknown;
  version?: string;
}

type Ids = { server: string; aggregate: number; group: string };

/** The probes, one per route/method pair. */
function probes(ids: Ids): Probe[] {
  const s = `/servers/${ids.server}`;
  const p = (method: string, path: string, expect: number[], body?: unknown, version?: string) => ({
    method,
    path,
    expect,
    body,
    version,
  });
  const gone = (method: string, path: string, body?: unknown) => p(method, path, [410], body);
  return [
    p("GET", "/", [200]),
    p("GET", "/versions/v2.1", [200]),
    p("GET", "/extensions", [200]),
    p("GET", "/extensions/OS-DCF", [200]),
    p("GET", "/flavors", [200]),
    p("POST", "/flavors", [400], {}),
    p("GET", "/flavors/detail", [200]),
    p("GET", "/flavors/1", [200]),
    p("PUT", "/flavors/1", [200], { flavor: { description: "d" } }, "2.55"),
    p("DELETE", "/flavors/nope", [404]),
    p("POST", "/flavors/1/action", [400], {}),
    p("GET", "/flavors/1/os-extra_specs", [200]),
    p("POST", "/flavors/1/os-extra_specs", [400], {}),
    p("GET", "/flavors/1/os-extra_specs/k", [404]),
    p("PUT", "/flavors/1/os-extra_specs/k", [400], {}),
    p("DELETE", "/flavors/1/os-extra_specs/k", [404]),
    p("GET", "/flavors/1/os-flavor-access", [404]),
    p("GET", "/images", [200]),
    p("GET", "/images/detail", [200]),
    p("GET", `/images/${IMAGE}`, [200]),
    p("DELETE", "/images/nope", [404]),
    p("GET", `/images/${IMAGE}/metadata`, [200]),
    p("POST", `/images/${IMAGE}/metadata`, [400], {}),
    p("PUT", `/images/${IMAGE}/metadata`, [400], {}),
    p("GET", `/images/${IMAGE}/metadata/k`, [404]),
    p("PUT", `/images/${IMAGE}/metadata/k`, [400], {}),
    p("DELETE", `/images/${IMAGE}/metadata/k`, [404]),
    p("GET", "/limits", [200]),
    gone("GET", "/os-agents"),
    gone("POST", "/os-agents", {}),
    gone("PUT", "/os-agents/1", {}),
    gone("DELETE", "/os-agents/1"),
    p("GET", "/os-aggregates", [200]),
    p("POST", "/os-aggregates", [400], {}),
    p("GET", `/os-aggregates/${ids.aggregate}`, [200]),
    p("PUT", `/os-aggregates/${ids.aggregate}`, [400], {}),
    p("DELETE", "/os-aggregates/9999", [404]),
    p("POST", `/os-aggregates/${ids.aggregate}/action`, [400], {}),
    p("POST", `/os-aggregates/${ids.aggregate}/images`, [400], {}, "2.81"),
    p("POST", "/os-assisted-volume-snapshots", [400], {}),
    p("DELETE", "/os-assisted-volume-snapshots/x", [400]),
    p("GET", "/os-availability-zone", [200]),
    p("GET", "/os-availability-zone/detail", [200]),
    p("GET", "/os-baremetal-nodes", [501]),
    p("POST", "/os-baremetal-nodes", [400], {}),
    p("GET", "/os-baremetal-nodes/x", [501]),
    p("DELETE", "/os-baremetal-nodes/x", [400]),
    p("POST", "/os-baremetal-nodes/x/action", [400], { add_interface: {} }),
    gone("POST", "/os-cells", {}),
    gone("GET", "/os-cells"),
    gone("GET", "/os-cells/capacities"),
    gone("GET", "/os-cells/detail"),
    gone("GET", "/os-cells/info"),
    gone("POST", "/os-cells/sync_instances", {}),
    gone("GET", "/os-cells/x"),
    gone("PUT", "/os-cells/x", {}),
    gone("DELETE", "/os-cells/x"),
    gone("GET", "/os-cells/x/capacities"),
    gone("POST", "/os-certificates", {}),
    gone("GET", "/os-certificates/x"),
    gone("GET", "/os-cloudpipe"),
    gone("POST", "/os-cloudpipe", {}),
    gone("PUT", "/os-cloudpipe/x", {}),
    p("GET", "/os-console-auth-tokens/x", [404], undefined, "2.31"),
    gone("GET", "/os-fixed-ips/x"),
    gone("POST", "/os-fixed-ips/x/action", { reserve: null }),
    gone("GET", "/os-floating-ip-dns"),
    gone("PUT", "/os-floating-ip-dns/x", {}),
    gone("DELETE", "/os-floating-ip-dns/x"),
    gone("GET", "/os-floating-ip-dns/x/entries/y"),
    gone("PUT", "/os-floating-ip-dns/x/entries/y", {}),
    gone("DELETE", "/os-floating-ip-dns/x/entries/y"),
    p("GET", "/os-floating-ip-pools", [200]),
    p("GET", "/os-floating-ips", [200]),
    p("POST", "/os-floating-ips", [404], {}),
    p("GET", "/os-floating-ips/x", [404]),
    p("DELETE", "/os-floating-ips/x", [404]),
    gone("GET", "/os-floating-ips-bulk"),
    gone("POST", "/os-floating-ips-bulk", {}),
    gone("GET", "/os-floating-ips-bulk/x"),
    gone("PUT", "/os-floating-ips-bulk/x", {}),
    gone("GET", "/os-fping"),
    gone("GET", "/os-fping/x"),
    p("GET", "/os-hosts", [200]),
    p("GET", "/os-hosts/novalet", [200]),
    p("PUT", "/os-hosts/novalet", [200], {}),
    p("GET", "/os-hosts/novalet/reboot", [200]),
    p("GET", "/os-hosts/novalet/shutdown", [200]),
    p("GET", "/os-hosts/novalet/startup", [200]),
    p("GET", "/os-hypervisors", [200]),
    p("GET", "/os-hypervisors/detail", [200]),
    p("GET", "/os-hypervisors/statistics", [200]),
    p("GET", "/os-hypervisors/1", [200]),
    p("GET", "/os-hypervisors/nova/search", [200]),
    p("GET", "/os-hypervisors/nova/servers", [200]),
    p("GET", "/os-hypervisors/1/uptime", [200]),
    p("GET", "/os-instance_usage_audit_log", [200]),
    p("GET", "/os-instance_usage_audit_log/2020-01-01%2000:00:00", [200]),
    p("GET", "/os-keypairs", [200]),
    p("POST", "/os-keypairs", [400], {}),
    p("GET", "/os-keypairs/kp", [200]),
    p("DELETE", "/os-keypairs/nope", [404]),
    p("GET", "/os-migrations", [200]),
    p("GET", "/os-networks", [200]),
    gone("POST", "/os-networks", {}),
    gone("POST", "/os-networks/add", {}),
    p("GET", `/os-networks/${NETWORK}`, [200]),
    gone("DELETE", "/os-networks/x"),
    gone("POST", "/os-networks/x/action", { disassociate: null }),
    p("GET", "/os-quota-class-sets/default", [200]),
    p("PUT", "/os-quota-class-sets/default", [400], {}),
    p("GET", "/os-quota-sets/admin", [200]),
    p("PUT", "/os-quota-sets/admin", [400], {}),
    p("DELETE", "/os-quota-sets/admin", [202]),
    p("GET", "/os-quota-sets/admin/detail", [200]),
    p("GET", "/os-quota-sets/admin/defaults", [200]),
    gone("GET", "/os-security-group-default-rules"),
    gone("POST", "/os-security-group-default-rules", {}),
    gone("GET", "/os-security-group-default-rules/x"),
    gone("DELETE", "/os-security-group-default-rules/x"),
    p("POST", "/os-security-group-rules", [400], {}),
    p("DELETE", "/os-security-group-rules/x", [400]),
    p("GET", "/os-security-groups", [200]),
    p("POST", "/os-security-groups", [400], {}),
    p("GET", "/os-security-groups/x", [400]),
    p("PUT", "/os-security-groups/x", [400], {}),
    p("DELETE", "/os-security-groups/x", [400]),
    p("POST", "/os-server-external-events", [400], {}),
    p("GET", "/os-server-groups", [200]),
    p("POST", "/os-server-groups", [400], {}),
    p("GET", `/os-server-groups/${ids.group}`, [200]),
    p("DELETE", "/os-server-groups/nope", [404]),
    p("GET", "/os-services", [200]),
    p("PUT", "/os-services/enable", [400], {}),
    p("DELETE", "/os-services/9999", [404]),
    p("GET", "/os-simple-tenant-usage", [200]),
    p("GET", "/os-simple-tenant-usage/admin", [200]),
    p("GET", "/os-snapshots", [200]),
    p("POST", "/os-snapshots", [400], {}),
    p("GET", "/os-snapshots/detail", [200]),
    p("GET", "/os-snapshots/x", [404]),
    p("DELETE", "/os-snapshots/x", [404]),
    p("GET", "/os-tenant-networks", [200]),
    gone("POST", "/os-tenant-networks", {}),
    p("GET", `/os-tenant-networks/${NETWORK}`, [200]),
    gone("DELETE", "/os-tenant-networks/x"),
    p("GET", "/os-volumes", [200]),
    p("POST", "/os-volumes", [400], {}),
    p("GET", "/os-volumes/detail", [200]),
    p("GET", "/os-volumes/x", [404]),
    p("DELETE", "/os-volumes/x", [404]),
    p("GET", "/os-volumes_boot", [200]),
    p("POST", "/os-volumes_boot", [400], {}),
    p("GET", "/os-volumes_boot/detail", [200]),
    p("GET", `/os-volumes_boot/${ids.server}`, [200]),
    p("PUT", `/os-volumes_boot/${ids.server}`, [400], {}),
    p("DELETE", "/os-volumes_boot/nope", [404]),
    p("POST", `/os-volumes_boot/${ids.server}/action`, [400], {}),
    p("GET", "/servers", [200]),
    p("POST", "/servers", [400], {}),
    p("GET", "/servers/detail", [200]),
    p("GET", s, [200]),
    p("PUT", s, [400], {}),
    p("DELETE", "/servers/nope", [404]),
    p("POST", `${s}/action`, [400], {}),
    gone("GET", `${s}/consoles`),
    gone("POST", `${s}/consoles`, {}),
    gone("GET", `${s}/consoles/x`),
    gone("DELETE", `${s}/consoles/x`),
    p("GET", `${s}/diagnostics`, [200]),
    p("GET", `${s}/ips`, [200]),
    p("GET", `${s}/ips/private`, [200]),
    p("GET", `${s}/metadata`, [200]),
    p("POST", `${s}/metadata`, [400], {}),
    p("PUT", `${s}/metadata`, [400], {}),
    p("GET", `${s}/metadata/k`, [404]),
    p("PUT", `${s}/metadata/k`, [400], {}),
    p("DELETE", `${s}/metadata/k`, [404]),
    p("GET", `${s}/migrations`, [200], undefined, "2.23"),
    p("GET", `${s}/migrations/1`, [404], undefined, "2.23"),
    p("DELETE", `${s}/migrations/1`, [409], undefined, "2.24"),
    p("POST", `${s}/migrations/1/action`, [409], { force_complete: null }, "2.22"),
    p("GET", `${s}/os-instance-actions`, [200]),
    p("GET", `${s}/os-instance-actions/req-nope`, [404]),
    p("GET", `${s}/os-interface`, [200]),
    p("POST", `${s}/os-interface`, [200], {}),
    p("GET", `${s}/os-interface/x`, [404]),
    p("DELETE", `${s}/os-interface/x`, [202]),
    p("GET", `${s}/os-server-password`, [200]),
    p("DELETE", `${s}/os-server-password`, [204]),
    gone("GET", `${s}/os-virtual-interfaces`),
    p("GET", `${s}/os-volume_attachments`, [200]),
    p("POST", `${s}/os-volume_attachments`, [400], {}),
    p("GET", `${s}/os-volume_attachments/x`, [404]),
    p("PUT", `${s}/os-volume_attachments/x`, [400], {}),
    p("DELETE", `${s}/os-volume_attachments/x`, [404]),
    p("POST", `${s}/remote-consoles`, [400], {}, "2.6"),
    p("GET", `${s}/os-security-groups`, [200]),
    p("GET", `${s}/tags`, [200], undefined, "2.26"),
    p("PUT", `${s}/tags`, [400], {}, "2.26"),
    p("DELETE", `${s}/tags`, [204], undefined, "2.26"),
    p("GET", `${s}/tags/t`, [404], undefined, "2.26"),
    p("PUT", `${s}/tags/t`, [201], undefined, "2.26"),
    p("DELETE", `${s}/tags/t`, [204], undefined, "2.26"),
    p("GET", `${s}/topology`, [200], undefined, "2.78"),
  ];
}

/** ROUTE_LIST's pairs as [method, regex of the path]. */
function routePairs(): { key: string; method: string; re: RegExp }[] {
  const pairs = [];
  for (const [path, methods] of ROUTE_LIST) {
    if (typeof methods === "string") continue;
    const re = new RegExp(`^${path.replace(/\{[a-z_]+\}/g, "[^/]+")}$`);
    for (const method of Object.keys(methods)) pairs.push({ key: `${method} ${path}`, method, re });
  }
  return pairs;
}

/** The router's own 404 (no route): webob's page, not a nova fault. */
function isRouterNotFound(status: number, text: string): boolean {
  return status === 404 && text.includes("The resource could not be found.<br /><br />");
}

Deno.test("route table: every route of nova 26 answers as nova does", async () => {
  await withServers(async (n) => {
    const server = await activeServer(n);
    await call(n, "POST", "/os-keypairs", { body: { keypair: { name: "kp" } } });
    const agg = await call(n, "POST", "/os-aggregates", { body: { aggregate: { name: "a" } } });
    const group = await call(n, "POST", "/os-server-groups", {
      body: { server_group: { name: "g", policies: ["affinity"] } },
    });
    const ids = {
      server: server.id,
      aggregate: agg.body.aggregate.id,
      group: group.body.server_group.id,
    };
    const pairs = routePairs();
    const list = probes(ids);
    const covered = pairs.map((pair) =>
      list.filter((pr) => pr.method === pair.method && pair.re.test(pr.path.split("?")[0])).length
    );
    assert.equal(pairs.length, 205);
    assert.equal(list.length, 205);
    const uncovered = pairs.filter((_, i) => covered[i] === 0).map((x) => x.key);
    assert.deepEqual(uncovered, []);
    const wrong: string[] = [];
    for (const pr of list) {
      const res = await call(n, pr.method, pr.path, { body: pr.body, version: pr.version });
      if (isRouterNotFound(res.status, res.text) || !pr.expect.includes(res.status)) {
        wrong.push(`${pr.method} ${pr.path} → ${res.status} ${res.text.slice(0, 160)}`);
      }
    }
    console.log(`route table: ${list.length - wrong.length} of ${list.length} answer as nova`);
    assert.deepEqual(wrong, []);
  });
});
