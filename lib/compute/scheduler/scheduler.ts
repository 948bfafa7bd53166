/**
 * The scheduler: places servers on compute hosts. For each server in
 * turn it reads the hosts' state, keeps those that pass placement (the
 * resources fit, the requested zone) and the enabled filters, weighs
 * them, and claims the resources on the best one; all servers of a
 * request are placed or none is (the claims share the caller's
 * transaction). A forced host (`az:host[:node]`) skips the filters but
 * must still have room. Used by server create, and by resize, migrate,
 * evacuate and unshelve through {@link selectDestinations}.
 *
 * Mirrors nova/scheduler/manager.py `select_destinations`, `_schedule`,
 * `_get_sorted_hosts`, `_consume_selected_host` and
 * host_manager.py `get_filtered_hosts` (force_hosts / force_nodes).
 *
 * @module
 */

import { getLogger } from "../../log.ts";
import type { Services } from "../../services.ts";
import { NoValidHost } from "../servers/errors.ts";
import type { ResourceRequest } from "../servers/host.ts";
import { type ComputeService, computeService } from "../servers/service.ts";
import { filterHosts, type FilterSpec, type GroupConstraint, unknownFilters } from "./filters.ts";
import { type HostState, hostStates } from "./host_state.ts";
import { weighHosts } from "./weights.ts";

export type { GroupConstraint } from "./filters.ts";

const LOG = getLogger("nova.scheduler.manager");

/** What to place (nova's RequestSpec, cut to what the filters read). */
export interface RequestSpec {
  /** The consumers to claim for, one server each, in order. */
  readonly instanceUuids: readonly string[];
  /** What each server needs (`resources_from_flavor`). */
  readonly resources: ResourceRequest;
  /** The requested availability zone, or null for any. */
  readonly availabilityZone?: string | null;
  /** `force_hosts` / requested destination host. */
  readonly forcedHost?: string | null;
  /** `force_nodes` / requested destination node. */
  readonly forcedNode?: string | null;
  /**
   * The forced host/node are a requested destination (2.74 `host`,
   * `hypervisor_hostname`): only they are candidates, and the filters run.
   */
  readonly requestedDestination?: boolean;
  /** Hosts the servers must not go to (`ignore_hosts`, e.g. a migration's source). */
  readonly ignoreHosts?: readonly string[];
  /** The server group the servers belong to. */
  readonly group?: GroupConstraint | null;
}

/** Where one server goes. */
export interface Selection {
  readonly instanceUuid: string;
  readonly host: string;
  readonly node: string;
  /** The zone of the chosen host (what the conductor sets on the instance). */
  readonly availabilityZone: string;
}

const warned = new WeakSet<ComputeService>();

/**
 * `select_destinations` with the claims: picks a host per server and
 * claims its resources there, inside the caller's transaction if any.
 *
 * @param target the compute service (or the services it is made from)
 * @throws {NoValidHost} "No valid host was found. " when the first server
 *   finds no host, "... There are not enough hosts available." for a later one
 *   (nothing stays claimed)
 */
export function selectDestinations(
  target: ComputeService | Services,
  spec: RequestSpec,
): Selection[] {
  const svc = "hosts" in target ? target : computeService(target);
  const enabled = svc.conf.filter_scheduler.enabled_filters;
  if (!warned.has(svc)) {
    warned.add(svc);
    for (const name of unknownFilters(enabled)) {
      LOG.warning(`Filter ${name} is not available in novalet and is ignored`);
    }
  }
  return svc.db.transaction(() =>
    spec.instanceUuids.map((uuid, index) => {
      const chosen = placeOne(svc, spec, uuid, enabled);
      if (!chosen) {
        throw new NoValidHost(index === 0 ? "" : "There are not enough hosts available.");
      }
      if (!chosen.host.claim(uuid, spec.resources)) throw new NoValidHost("");
      return {
        instanceUuid: uuid,
        host: chosen.host.name,
        node: chosen.host.nodeName,
        availabilityZone: chosen.availabilityZone,
      };
    })
  );
}

/** The best host for one server, or null. */
function placeOne(
  svc: ComputeService,
  spec: RequestSpec,
  instanceUuid: string,
  enabled: readonly string[],
): HostState | null {
  const filterSpec: FilterSpec = {
    instanceUuid,
    resources: spec.resources,
    availabilityZone: spec.availabilityZone ?? null,
    group: spec.group ?? null,
  };
  let hosts = hostStates(svc).filter((h) => !(spec.ignoreHosts ?? []).includes(h.host.name));
  const forced = forcedHosts(hosts, spec);
  if (forced && !spec.requestedDestination) {
    hosts = forced.filter((h) => h.host.fits(spec.resources, h.used));
  } else hosts = filterHosts(forced ?? hosts, filterSpec, enabled);
  if (!hosts.length) {
    LOG.debug(`Filtering removed all hosts for the request with instance ID '${instanceUuid}'`);
    return null;
  }
  return weighHosts(hosts, filterSpec, svc.conf.filter_scheduler.ram_weight_multiplier)[0];
}

/** `force_hosts` / `force_nodes`: only those hosts, unfiltered; null when none is forced. */
function forcedHosts(hosts: HostState[], spec: RequestSpec): HostState[] | null {
  if (!spec.forcedHost && !spec.forcedNode) return null;
  const matching = hosts.filter((h) =>
    (!spec.forcedHost || h.host.name === spec.forcedHost) &&
    (!spec.forcedNode || h.host.nodeName === spec.forcedNode)
  );
  if (!matching.length) {
    LOG.info(
      `No hosts matched due to not matching 'force_hosts' value of '${spec.forcedHost ?? ""}'` +
        ` or 'force_nodes' value of '${spec.forcedNode ?? ""}'`,
    );
  }
  return matching;
}
