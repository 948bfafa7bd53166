/**
 * Host filters: each decides whether one host may take the server being
 * placed. `[filter_scheduler] enabled_filters` names the ones to run; the
 * resource check (placement's allocation candidates) and the requested
 * zone (placement's availability zone pre-filter) always apply.
 *
 * Mirrors nova/scheduler/filters/compute_filter.py,
 * availability_zone_filter.py, affinity_filter.py (through the server
 * groups API's `allowedHosts`) and the placement
 * pre-filters of nova/scheduler/request_filter.py.
 *
 * @module
 */

import { getLogger } from "../../log.ts";
import { allowedHosts } from "../server_groups/api.ts";
import type { ResourceRequest } from "../servers/host.ts";
import type { HostState } from "./host_state.ts";

const LOG = getLogger("nova.scheduler.filters");

/** A server group as the affinity filters see it. */
export interface GroupConstraint {
  readonly uuid?: string;
  /** affinity, anti-affinity, soft-affinity or soft-anti-affinity. */
  readonly policy: string;
  /** The group's members (servers already in it, and those being placed). */
  readonly members: readonly string[];
  readonly rules?: { readonly max_server_per_host?: number };
}

/** What one server asks of the filters. */
export interface FilterSpec {
  readonly instanceUuid: string;
  readonly resources: ResourceRequest;
  readonly availabilityZone: string | null;
  readonly group: GroupConstraint | null;
}

/** `BaseHostFilter.host_passes`. */
export type HostFilter = (host: HostState, spec: FilterSpec) => boolean;

/** `ComputeFilter`: the compute service is enabled and up. */
function computeFilter(host: HostState): boolean {
  if (!host.service || host.service.disabled) {
    LOG.debug(`${host.host.name} is disabled, reason: ${host.service?.disabled_reason ?? "gone"}`);
    return false;
  }
  if (!host.up) {
    LOG.warning(`${host.host.name} has not been heard from in a while`);
    return false;
  }
  return true;
}

/** `AvailabilityZoneFilter` (and placement's zone pre-filter). */
function availabilityZoneFilter(host: HostState, spec: FilterSpec): boolean {
  return !spec.availabilityZone || host.availabilityZone === spec.availabilityZone;
}

/** The hosts as the server groups API sees candidates. */
function candidates(hosts: readonly HostState[]) {
  return hosts.map((h) => ({ name: h.host.name, instances: h.instances, state: h }));
}

/** The hard group policies, decided by the server groups API (`allowedHosts`). */
function groupAllows(host: HostState, spec: FilterSpec, all: readonly HostState[]): boolean {
  const group = spec.group!;
  const allowed = allowedHosts(
    { policy: group.policy, rules: group.rules ?? {}, members: [...group.members] },
    candidates(all),
    spec.instanceUuid,
  );
  return allowed.some((c) => c.state === host);
}

/** `ServerGroupAntiAffinityFilter`: fewer than max_server_per_host members on the host. */
function antiAffinityFilter(host: HostState, spec: FilterSpec, all: readonly HostState[]): boolean {
  return spec.group?.policy !== "anti-affinity" || groupAllows(host, spec, all);
}

/** `ServerGroupAffinityFilter`: on a host of the group's members, once there is one. */
function affinityFilter(host: HostState, spec: FilterSpec, all: readonly HostState[]): boolean {
  return spec.group?.policy !== "affinity" || groupAllows(host, spec, all);
}

/** Placement: every resource class still fits. */
export function resourcesFit(host: HostState, spec: FilterSpec): boolean {
  return host.host.fits(spec.resources, host.used);
}

/** The filters by their nova names (those that pass every host included). */
const FILTERS: Readonly<
  Record<string, (h: HostState, s: FilterSpec, all: HostState[]) => boolean>
> = {
  ComputeFilter: computeFilter,
  AvailabilityZoneFilter: availabilityZoneFilter,
  ServerGroupAntiAffinityFilter: antiAffinityFilter,
  ServerGroupAffinityFilter: affinityFilter,
  ComputeCapabilitiesFilter: () => true,
  ImagePropertiesFilter: () => true,
  RetryFilter: () => true,
};

/**
 * `get_filtered_hosts`: the hosts passing the placement checks and every
 * enabled filter (names novalet does not know are skipped; the scheduler
 * logs them once).
 */
export function filterHosts(
  hosts: HostState[],
  spec: FilterSpec,
  enabled: readonly string[],
): HostState[] {
  let passing = hosts.filter((h) => resourcesFit(h, spec) && availabilityZoneFilter(h, spec));
  for (const name of enabled) {
    const filter = FILTERS[name];
    if (!filter) continue;
    passing = passing.filter((h) => filter(h, spec, hosts));
    LOG.debug(`Filter ${name} returned ${passing.length} host(s)`);
  }
  return passing;
}

/** The enabled filter names novalet does not know. */
export function unknownFilters(enabled: readonly string[]): string[] {
  return enabled.filter((name) => !(name in FILTERS));
}
