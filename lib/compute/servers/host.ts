/**
 * The one compute host (`[DEFAULT] host`) and its resources: the inventory
 * (`[novalet_compute]` vcpus, memory_mb, local_gb with nova's reserved_*
 * and *_allocation_ratio options) and the allocations servers hold on it.
 * A claim succeeds only when every resource class still fits, as
 * placement's allocation candidates decide; otherwise the scheduler has
 * no valid host.
 *
 * Mirrors what nova's resource tracker reports
 * (nova/compute/resource_tracker.py `_get_inventory`-style totals) and
 * placement's capacity rule `(total - reserved) * allocation_ratio >= used
 * + requested`, with `max_unit = total`.
 *
 * @module
 */

import type { Conf } from "../../config/conf.ts";
import type { Store } from "../../store/db.ts";
import { utcnow } from "../../store/timestamps.ts";

/** One resource class's inventory, as placement keeps it. */
export interface Inventory {
  readonly total: number;
  readonly reserved: number;
  readonly allocation_ratio: number;
}

/** What a server asks of the host. */
export interface ResourceRequest {
  readonly vcpus: number;
  readonly memory_mb: number;
  readonly disk_gb: number;
}

/** The compute host on one store. */
export class ComputeHost {
  readonly name: string;
  readonly nodeName: string;
  readonly inventory: Readonly<Record<"VCPU" | "MEMORY_MB" | "DISK_GB", Inventory>>;

  constructor(readonly db: Store, conf: Conf) {
    const d = conf.DEFAULT;
    const c = conf.novalet_compute;
    this.name = d.host ?? "novalet";
    this.nodeName = this.name;
    this.inventory = {
      VCPU: {
        total: c.vcpus,
        reserved: d.reserved_host_cpus,
        allocation_ratio: d.cpu_allocation_ratio ?? d.initial_cpu_allocation_ratio,
      },
      MEMORY_MB: {
        total: c.memory_mb,
        reserved: d.reserved_host_memory_mb,
        allocation_ratio: d.ram_allocation_ratio ?? d.initial_ram_allocation_ratio,
      },
      DISK_GB: {
        total: c.local_gb,
        reserved: Math.ceil(d.reserved_host_disk_mb / 1024),
        allocation_ratio: d.disk_allocation_ratio ?? d.initial_disk_allocation_ratio,
      },
    };
  }

  /** Records the compute node on first start (nova-compute's `_update_available_resource`). */
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

  /** What is allocated now, per resource class. */
  usage(): ResourceRequest {
    const row = this.db.get<{ v: number | null; m: number | null; d: number | null }>(
      "SELECT SUM(vcpus) AS v, SUM(memory_mb) AS m, SUM(disk_gb) AS d FROM allocations WHERE node = ?",
      this.nodeName,
    );
    return { vcpus: row?.v ?? 0, memory_mb: row?.m ?? 0, disk_gb: row?.d ?? 0 };
  }

  /**
   * Claims `request` for `consumerId` inside the caller's transaction.
   * Returns false when it does not fit (the scheduler's NoValidHost).
   */
  claim(consumerId: string, request: ResourceRequest): boolean {
    const used = this.usage();
    const fits = this.#fits(this.inventory.VCPU, used.vcpus, request.vcpus) &&
      this.#fits(this.inventory.MEMORY_MB, used.memory_mb, request.memory_mb) &&
      this.#fits(this.inventory.DISK_GB, used.disk_gb, request.disk_gb);
    if (!fits) return false;
    this.db.run(
      `INSERT INTO allocations (consumer_id, node, vcpus, memory_mb, disk_gb, created_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (consumer_id) DO UPDATE SET vcpus = excluded.vcpus,
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

  /** `delete_allocation_for_instance`. */
  release(consumerId: string): void {
    this.db.run("DELETE FROM allocations WHERE consumer_id = ?", consumerId);
  }

  #fits(inv: Inventory, used: number, wanted: number): boolean {
    if (wanted === 0) return true;
    if (wanted > inv.total) return false;
    return used + wanted <= (inv.total - inv.reserved) * inv.allocation_ratio;
  }
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
