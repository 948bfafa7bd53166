/**
 * The host API of the admin controllers: service records with their
 * zones, compute nodes and what they hold, aggregates, and the zones
 * servers may ask for. Built on the compute service (whose hosts run in
 * this process).
 *
 * Mirrors nova/compute/api.py `HostAPI` (`service_get_all`,
 * `service_get_by_id`, `compute_node_get_all`, `instance_get_all_by_host`)
 * and `availability_zones.get_availability_zones(get_only_available=True)`.
 *
 * @module
 */

import type { Services } from "../../services.ts";
import type { Instance } from "../servers/instance.ts";
import { INSTANCE_SELECT, instanceFromRow } from "../servers/instance.ts";
import { type ComputeService, computeService } from "../servers/service.ts";
import { AggregateStore } from "./aggregates_store.ts";
import type { HostStatusSource } from "../servers/views.ts";
import type { ServiceRecord, ServiceRecords } from "./services_store.ts";
import { availabilityZones, setAvailabilityZones, type ZonedService } from "./zones.ts";

/** A `compute_nodes` row. */
export interface ComputeNodeRow {
  id: number;
  uuid: string;
  host: string;
  hypervisor_hostname: string;
  created_at: string;
  updated_at: string | null;
}

/** The zones a server create may name (`get_only_available=True`). */
export function availableZones(svc: ComputeService): string[] {
  const aggregates = new AggregateStore(svc.db);
  const zoned = setAvailabilityZones(aggregates, svc.conf, svc.hosts.services.list());
  return availabilityZones(zoned).available;
}

/** The host API on one compute service. */
export class HostsApi {
  readonly aggregates: AggregateStore;
  readonly records: ServiceRecords;

  constructor(readonly compute: ComputeService) {
    this.aggregates = new AggregateStore(compute.db);
    this.records = compute.hosts.services;
  }

  /** `service_get_all(set_zones=True)` with optional filters. */
  services(filters: { disabled?: boolean; topic?: string } = {}): ZonedService[] {
    return setAvailabilityZones(this.aggregates, this.compute.conf, this.records.list(filters));
  }

  /** The zone of one service record. */
  zoned(record: Parameters<ServiceRecords["isUp"]>[0]): ZonedService {
    return setAvailabilityZones(this.aggregates, this.compute.conf, [record])[0];
  }

  /** Compute nodes in id order, a page after `markerId` (exclusive) when given. */
  computeNodes(page: { limit?: number | null; afterId?: number } = {}): ComputeNodeRow[] {
    return this.compute.db.all<ComputeNodeRow>(
      "SELECT * FROM compute_nodes WHERE id > ? ORDER BY id LIMIT ?",
      page.afterId ?? 0,
      page.limit ?? -1,
    );
  }

  /** One node by id or uuid, or null. */
  computeNode(id: number | string): ComputeNodeRow | null {
    const column = typeof id === "number" ? "id" : "uuid";
    return this.compute.db.get<ComputeNodeRow>(
      `SELECT * FROM compute_nodes WHERE ${column} = ?`,
      id,
    ) ?? null;
  }

  /** `compute_node_search_by_hypervisor`: nodes whose name contains `pattern` (SQL LIKE %x%). */
  searchNodes(pattern: string): ComputeNodeRow[] {
    return this.compute.db.all<ComputeNodeRow>(
      "SELECT * FROM compute_nodes WHERE hypervisor_hostname LIKE ? ORDER BY id",
      `%${pattern}%`,
    );
  }

  /** `instance_get_all_by_host`: the live instances on a host, in id order. */
  instancesOn(host: string, node?: string): Instance[] {
    const rows = node === undefined
      ? this.compute.db.all(
        `${INSTANCE_SELECT} WHERE i.host = ? AND i.deleted = 0 ORDER BY i.id`,
        host,
      )
      : this.compute.db.all(
        `${INSTANCE_SELECT} WHERE i.host = ? AND i.node = ? AND i.deleted = 0 ORDER BY i.id`,
        host,
        node,
      );
    return rows.map(instanceFromRow);
  }

  /** `InstanceList.get_count_by_hosts`. */
  countOn(hosts: readonly string[]): number {
    if (!hosts.length) return 0;
    return this.compute.db.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM instances WHERE deleted = 0 AND host IN (${
        hosts.map(() => "?").join(", ")
      })`,
      ...hosts,
    )!.n;
  }
}

/** The host API of these services (made on first use). */
export function hostsApi(services: Services): HostsApi {
  return services.get(makeHostsApi);
}

function makeHostsApi(services: Services): HostsApi {
  return new HostsApi(computeService(services));
}

/** The compute hosts' statuses for the server views' `host_status` (2.16). */
export function hostStatuses(svc: ComputeService): HostStatusSource {
  const statusOf = (record: ServiceRecord | null): string => {
    if (!record) return "";
    if (record.forced_down) return "DOWN";
    if (record.disabled) return "MAINTENANCE";
    return svc.hosts.services.isUp(record) ? "UP" : "UNKNOWN";
  };
  // One answer per host and request (the views are made per request).
  const seen = new Map<string, string>();
  return {
    of: (host) => {
      if (!seen.has(host)) seen.set(host, statusOf(svc.hosts.services.computeService(host)));
      return seen.get(host)!;
    },
    fingerprint: () =>
      svc.hosts.services.list({ topic: "compute" }).map((r) => `${r.host}=${statusOf(r)}`)
        .join(","),
  };
}
