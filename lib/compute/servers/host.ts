/**
 * The compute hosts of this cloud and their resources. `[novalet_compute]
 * hosts` names them, each with its own inventory (`name:vcpus:memory_mb:
 * local_gb`, missing parts from `[novalet_compute]` vcpus, memory_mb,
 * local_gb); unset, there is one host named `[DEFAULT] host`; empty, none
 * (novalet then runs as nova-api alone). Each host has one node (the fake
 * driver's node is named after its host), an inventory with nova's
 * reserved_* and *_allocation_ratio options, and the allocations servers
 * hold on it. A claim succeeds only when every resource class still fits,
 * as placement's allocation candidates decide.
 *
 * Mirrors what nova's resource tracker reports
 * (nova/compute/resource_tracker.py, nova/virt/fake.py
 * `update_provider_tree`) and placement's capacity rule `(total -
 * reserved) * allocation_ratio >= used + requested`, with `max_unit = total`.
 *
 * @module
 */

import { ConfigError } from "../../config/conf.ts";
import type { Conf } from "../../config/conf.ts";
import type { Store } from "../../store/db.ts";
import { utcnow } from "../../store/timestamps.ts";
import { ServiceRecords } from "../hosts/services_store.ts";

/** One resource class's inventory, as placement keeps it. */
export interface Inventory {
  readonly total: number;
  readonly reserved: number;
  readonly allocation_ratio: number;
}

/** What a server asks of a host (or holds on it). */
export interface ResourceRequest {
  readonly vcpus: number;
  readonly memory_mb: number;
  readonly disk_gb: number;
}

/** A configured compute host: its name and hypervisor size. */
export interface HostSpec {
  readonly name: string;
  readonly vcpus: number;
  readonly memory_mb: number;
  readonly local_gb: number;
}

/** The resource classes of a host. */
export type HostInventory = Readonly<Record<"VCPU" | "MEMORY_MB" | "DISK_GB", Inventory>>;

/** One compute host (one node) on a store. */
export class ComputeHost {
  readonly name: string;
  readonly nodeName: string;
  readonly inventory: HostInventory;

  constructor(readonly db: Store, conf: Conf, readonly spec: HostSpec) {
    const d = conf.DEFAULT;
    this.name = spec.name;
    this.nodeName = spec.name;
    this.inventory = {
      VCPU: {
        total: spec.vcpus,
        reserved: d.reserved_host_cpus,
        allocation_ratio: d.cpu_allocation_ratio ?? d.initial_cpu_allocation_ratio,
      },
      MEMORY_MB: {
        total: spec.memory_mb,
        reserved: d.reserved_host_memory_mb,
        allocation_ratio: d.ram_allocation_ratio ?? d.initial_ram_allocation_ratio,
      },
      DISK_GB: {
        total: spec.local_gb,
        reserved: Math.ceil(d.reserved_host_disk_mb / 1024),
        allocation_ratio: d.disk_allocation_ratio ?? d.initial_disk_allocation_ratio,
      },
    };
  }

  /** Records the compute node (nova-compute's `_init_compute_node`) unless it exists. */
  register(): void {
    this.db.run(
      `INSERT OR IGNORE INTO compute_nodes (uuid, host, hypervisor_hostname, created_at)
       VALUES (?, ?, ?, ?)`,
      crypto.randomUUID(),
      this.name,
      this.nodeName,
      utcnow(),
    );
  }

  /** What is allocated on this host's node now, per resource class. */
  usage(): ResourceRequest {
    // node_usage is the sum of the node's allocations (kept by triggers).
    const row = this.db.get<ResourceRequest>(
      "SELECT vcpus, memory_mb, disk_gb FROM node_usage WHERE node = ?",
      this.nodeName,
    );
    return { vcpus: row?.vcpus ?? 0, memory_mb: row?.memory_mb ?? 0, disk_gb: row?.disk_gb ?? 0 };
  }

  /** Whether `request` fits on top of `used` (placement's capacity check). */
  fits(request: ResourceRequest, used: ResourceRequest = this.usage()): boolean {
    return fitsOne(this.inventory.VCPU, used.vcpus, request.vcpus) &&
      fitsOne(this.inventory.MEMORY_MB, used.memory_mb, request.memory_mb) &&
      fitsOne(this.inventory.DISK_GB, used.disk_gb, request.disk_gb);
  }

  /** Memory still free for the RAM weigher: `(total - reserved) * ratio - used`. */
  freeRamMb(used: ResourceRequest = this.usage()): number {
    const inv = this.inventory.MEMORY_MB;
    return (inv.total - inv.reserved) * inv.allocation_ratio - used.memory_mb;
  }

  /**
   * Claims `request` for `consumerId` on this host inside the caller's
   * transaction (replacing what the consumer held). Returns false when it
   * does not fit (the scheduler's NoValidHost).
   */
  claim(consumerId: string, request: ResourceRequest): boolean {
    const held = this.db.get<ResourceRequest & { node: string }>(
      "SELECT node, vcpus, memory_mb, disk_gb FROM allocations WHERE consumer_id = ?",
      consumerId,
    );
    const used = this.usage();
    const base = held?.node === this.nodeName
      ? {
        vcpus: used.vcpus - held.vcpus,
        memory_mb: used.memory_mb - held.memory_mb,
        disk_gb: used.disk_gb - held.disk_gb,
      }
      : used;
    if (!this.fits(request, base)) return false;
    this.db.run(
      `INSERT INTO allocations (consumer_id, node, vcpus, memory_mb, disk_gb, created_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (consumer_id) DO UPDATE SET node = excluded.node, vcpus = excluded.vcpus,
         memory_mb = excluded.memory_mb, disk_gb = excluded.disk_gb`,
      consumerId,
      this.nodeName,
      request.vcpus,
      request.memory_mb,
      request.disk_gb,
      utcnow(),
    );
    return true;
  }

  /** `delete_allocation_for_instance`: frees what the consumer holds (on any host). */
  release(consumerId: string): void {
    this.db.run("DELETE FROM allocations WHERE consumer_id = ?", consumerId);
  }
}

function fitsOne(inv: Inventory, used: number, wanted: number): boolean {
  if (wanted === 0) return true;
  if (wanted > inv.total) return false;
  return used + wanted <= (inv.total - inv.reserved) * inv.allocation_ratio;
}

/**
 * All compute hosts of the configuration, the service records of this
 * process (`nova-osapi_compute`, and with compute hosts `nova-scheduler`,
 * `nova-conductor` and a `nova-compute` per host) and their heartbeat.
 */
export class ComputeHosts {
  /** The compute hosts, in configuration order. */
  readonly all: readonly ComputeHost[];
  /** This process's host (`[DEFAULT] host`): a compute host of that name, else an unlisted one. */
  readonly local: ComputeHost;
  readonly services: ServiceRecords;

  constructor(readonly db: Store, readonly conf: Conf) {
    this.all = parseHostSpecs(conf).map((spec) => new ComputeHost(db, conf, spec));
    const name = conf.DEFAULT.host ?? "novalet";
    this.local = this.get(name) ??
      new ComputeHost(db, conf, { name, ...defaultSize(conf) });
    this.services = new ServiceRecords(db, conf);
  }

  /** The compute host named `name`, or undefined. */
  get(name: string): ComputeHost | undefined {
    return this.all.find((h) => h.name === name);
  }

  /** The compute host whose node is `node`, or undefined. */
  byNode(node: string): ComputeHost | undefined {
    return this.all.find((h) => h.nodeName === node);
  }

  /** The host a consumer's allocation is on, or undefined. */
  allocationHost(consumerId: string): ComputeHost | undefined {
    const row = this.db.get<{ node: string }>(
      "SELECT node FROM allocations WHERE consumer_id = ?",
      consumerId,
    );
    return row ? this.byNode(row.node) : undefined;
  }

  /** `delete_allocation_for_instance`. */
  release(consumerId: string): void {
    this.db.run("DELETE FROM allocations WHERE consumer_id = ?", consumerId);
  }

  /** Registers the services and compute nodes (as each service does at start) and heartbeats. */
  start(): void {
    const apiHost = this.conf.DEFAULT.host ?? "novalet";
    this.db.transaction(() => {
      this.services.register(apiHost, "nova-osapi_compute", null);
      if (!this.all.length) return;
      this.services.register(apiHost, "nova-scheduler", "scheduler");
      this.services.register(apiHost, "nova-conductor", "conductor");
      for (const host of this.all) {
        this.services.register(host.name, "nova-compute", "compute");
        host.register();
      }
    });
    this.services.startHeartbeat();
  }

  /** Stops the heartbeat. */
  stop(): void {
    this.services.stopHeartbeat();
  }
}

function defaultSize(conf: Conf): Omit<HostSpec, "name"> {
  const c = conf.novalet_compute;
  return { vcpus: c.vcpus, memory_mb: c.memory_mb, local_gb: c.local_gb };
}

/**
 * `[novalet_compute] hosts` as host specs: `name[:vcpus[:memory_mb[:local_gb]]]`
 * per entry, an empty part taking the default size.
 *
 * @throws {ConfigError} for a malformed entry, a bad number or a repeated name
 */
export function parseHostSpecs(conf: Conf): HostSpec[] {
  const entries = conf.novalet_compute.hosts;
  const size = defaultSize(conf);
  if (entries === null) return [{ name: conf.DEFAULT.host ?? "novalet", ...size }];
  const specs: HostSpec[] = [];
  for (const entry of entries) {
    const fail = (why: string) =>
      new ConfigError(
        `Invalid value for [novalet_compute] hosts: ${JSON.stringify(entry)} (${why})`,
      );
    const [name, ...numbers] = entry.split(":").map((p) => p.trim());
    if (!name || numbers.length > 3) throw fail("expected name[:vcpus[:memory_mb[:local_gb]]]");
    if (specs.some((s) => s.name === name)) throw fail(`host ${name} is listed twice`);
    const keys = ["vcpus", "memory_mb", "local_gb"] as const;
    const spec: Record<string, number | string> = { name, ...size };
    numbers.forEach((text, i) => {
      if (text === "") return;
      if (!/^\d+$/.test(text)) throw fail(`${keys[i]} must be a non-negative integer`);
      spec[keys[i]] = Number(text);
    });
    specs.push(spec as unknown as HostSpec);
  }
  return specs;
}

/** The resources a flavor asks for (`resources_from_flavor`): swap MiB round up to GiB. */
export function resourcesFromFlavor(
  flavor: { vcpus: number; memory_mb: number; root_gb: number; ephemeral_gb: number; swap: number },
  isBfv: boolean,
): ResourceRequest {
  const root = isBfv ? 0 : flavor.root_gb;
  return {
    vcpus: flavor.vcpus,
    memory_mb: flavor.memory_mb,
    disk_gb: root + flavor.ephemeral_gb + Math.ceil(flavor.swap / 1024),
  };
}
