/**
 * What the scheduler knows of each compute host when it places one
 * server: its service (enabled, up), its availability zone, what is
 * allocated on it and which servers it holds.
 *
 * Mirrors nova/scheduler/host_manager.py `HostState` (read fresh for every
 * instance, as nova's `_get_all_host_states` plus `consume_from_request`
 * amount to).
 *
 * @module
 */

import { AggregateStore } from "../hosts/aggregates_store.ts";
import type { ServiceRecord } from "../hosts/services_store.ts";
import { hostAvailabilityZone } from "../hosts/zones.ts";
import type { ComputeHost, ResourceRequest } from "../servers/host.ts";
import type { ComputeService } from "../servers/service.ts";

/** One compute host as a scheduling candidate. */
export interface HostState {
  readonly host: ComputeHost;
  /** The host's nova-compute record (null: deleted through the API). */
  readonly service: ServiceRecord | null;
  readonly up: boolean;
  readonly availabilityZone: string;
  readonly used: ResourceRequest;
  /** Consumers (servers, migrations) holding resources on the host's node. */
  readonly instances: Holders;
}

/** Whether a consumer holds resources on a node (asked per consumer, never listed). */
export interface Holders {
  has(consumerId: string): boolean;
}

// Looked up one consumer at a time: reading every consumer of the node would
// cost a placement as many rows as the node holds servers.
function holdersOf(svc: ComputeService, node: string): Holders {
  const sql = "SELECT 1 FROM allocations WHERE consumer_id = ? AND node = ?";
  return { has: (consumerId) => svc.db.get(sql, consumerId, node) !== undefined };
}

/** The state of every configured compute host, in configuration order. */
export function hostStates(svc: ComputeService): HostState[] {
  const aggregates = new AggregateStore(svc.db);
  const records = svc.hosts.services;
  return svc.hosts.all.map((host) => {
    const service = records.computeService(host.name);
    return {
      host,
      service,
      up: service !== null && records.isUp(service),
      availabilityZone: hostAvailabilityZone(aggregates, svc.conf, host.name),
      used: host.usage(),
      instances: holdersOf(svc, host.nodeName),
    };
  });
}
