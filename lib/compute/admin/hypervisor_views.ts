/**
 * What a hypervisor (compute node) reports, as nova-compute's resource
 * tracker keeps it in `compute_nodes` with the fake driver: the host's
 * size, the usage of its servers plus the reserved amounts, the workload,
 * and the fake driver's type, version and CPU info; and the hypervisor
 * view per microversion (2.28 cpu_info as an object, 2.53 uuids, 2.75
 * `servers: []`, 2.88 without the usage fields and with `uptime`).
 *
 * Mirrors nova/compute/resource_tracker.py (`_update_usage`,
 * `_update_usage_from_instances`), nova/compute/stats.py, nova/virt/fake.py
 * `get_available_resource` and
 * nova/api/openstack/compute/hypervisors.py `_view_hypervisor`.
 *
 * @module
 */

import type { ApiRequest } from "../../request.ts";
import { isSupported } from "../common.ts";
import type { ComputeNodeRow, HostsApi } from "../hosts/api.ts";
import type { ServiceRecord } from "../hosts/services_store.ts";
import type { Instance } from "../servers/instance.ts";

// nova/virt/fake.py's cpu_info, as jsonutils.dumps writes it.
const FAKE_CPU_INFO = '{"arch": "x86_64", "model": "Nehalem", "vendor": "Intel", ' +
  '"features": ["pge", "clflush"], "topology": {"cores": 1, "threads": 1, "sockets": 4}}';
const STARTED = Date.now();

/** The resource tracker's fields of one node. */
export interface NodeStats {
  vcpus: number;
  memory_mb: number;
  local_gb: number;
  vcpus_used: number;
  memory_mb_used: number;
  local_gb_used: number;
  free_ram_mb: number;
  free_disk_gb: number;
  current_workload: number;
  running_vms: number;
  disk_available_least: number;
}

/** The stats of a node from its host's inventory, allocations and servers. */
export function nodeStats(api: HostsApi, node: ComputeNodeRow): NodeStats {
  const host = api.compute.hosts.byNode(node.hypervisor_hostname);
  const d = api.compute.conf.DEFAULT;
  const spec = host?.spec ?? { vcpus: 0, memory_mb: 0, local_gb: 0 };
  const used = host?.usage() ?? { vcpus: 0, memory_mb: 0, disk_gb: 0 };
  const counts = api.compute.db.get<{ vms: number; busy: number }>(
    `SELECT COUNT(*) AS vms, COALESCE(SUM(task_state IS NOT NULL), 0) AS busy FROM instances
     WHERE host = ? AND node = ? AND deleted = 0 AND vm_state NOT IN ('deleted', 'shelved_offloaded')`,
    node.host,
    node.hypervisor_hostname,
  )!;
  const memoryUsed = d.reserved_host_memory_mb + used.memory_mb;
  const diskUsed = Math.trunc(d.reserved_host_disk_mb / 1024) + used.disk_gb;
  return {
    vcpus: spec.vcpus,
    memory_mb: spec.memory_mb,
    local_gb: spec.local_gb,
    vcpus_used: d.reserved_host_cpus + used.vcpus,
    memory_mb_used: memoryUsed,
    local_gb_used: diskUsed,
    free_ram_mb: spec.memory_mb - memoryUsed,
    free_disk_gb: spec.local_gb - diskUsed,
    current_workload: counts.busy,
    running_vms: counts.vms,
    disk_available_least: 0,
  };
}

/**
 * The host's uptime as the `uptime` command prints it (libvirt's
 * `get_host_uptime`), counted from novalet's start.
 */
export function hostUptime(now = Date.now()): string {
  const t = new Date(now);
  const clock = [t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()]
    .map((n) => String(n).padStart(2, "0")).join(":");
  const minutes = Math.floor((now - STARTED) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hhmm = `${Math.floor((minutes % 1440) / 60)}:${String(minutes % 60).padStart(2, "0")}`;
  const up = days ? `${days} day${days === 1 ? "" : "s"}, ${hhmm}` : hhmm;
  return ` ${clock} up ${up},  1 user,  load average: 0.00, 0.00, 0.00`;
}

/** What `_view_hypervisor` is given. */
export interface HypervisorViewArgs {
  readonly node: ComputeNodeRow;
  readonly service: ServiceRecord;
  readonly detail: boolean;
  readonly servers?: readonly Instance[] | null;
  readonly withServers?: boolean;
}

/** `instance.name`: `[DEFAULT] instance_name_template` (`instance-%08x`). */
export function instanceName(inst: { id: number }): string {
  return `instance-${inst.id.toString(16).padStart(8, "0")}`;
}

/** `_view_hypervisor`. */
export function viewHypervisor(
  api: HostsApi,
  req: ApiRequest,
  a: HypervisorViewArgs,
): Record<string, unknown> {
  const uuids = isSupported(req, "2.53");
  const view: Record<string, unknown> = {
    id: uuids ? a.node.uuid : a.node.id,
    hypervisor_hostname: a.node.hypervisor_hostname,
    state: api.records.isUp(a.service) ? "up" : "down",
    status: a.service.disabled ? "disabled" : "enabled",
  };
  if (a.detail) {
    view.hypervisor_type = "fake";
    view.hypervisor_version = 1000;
    view.host_ip = api.compute.conf.DEFAULT.my_ip;
    view.service = {
      id: uuids ? a.service.uuid : a.service.id,
      host: a.node.host,
      disabled_reason: a.service.disabled_reason,
    };
    if (!isSupported(req, "2.88")) {
      Object.assign(view, nodeStats(api, a.node));
      view.cpu_info = isSupported(req, "2.28") ? JSON.parse(FAKE_CPU_INFO) : FAKE_CPU_INFO;
    } else {
      // NOTE(parity): nova's fake driver has no uptime (null); novalet
      // answers as libvirt does.
      view.uptime = hostUptime();
    }
  }
  if (a.servers?.length) {
    view.servers = a.servers.map((s) => ({ name: instanceName(s), uuid: s.uuid }));
  } else if (a.withServers && isSupported(req, "2.75")) {
    view.servers = [];
  }
  return view;
}
