/**
 * What the move actions ask about compute hosts: does one exist, is its
 * nova-compute service up, and which host takes a moving server (the
 * scheduler, with the server's group and without the hosts to avoid).
 *
 * Mirrors the `objects.ComputeNode.get_first_node_by_host_for_old_compat`,
 * `objects.Service.get_by_compute_host` + `servicegroup_api.service_is_up`
 * and `query_client.select_destinations` calls of nova/compute/api.py and
 * nova/conductor/tasks/*.py.
 *
 * @module
 */

import type { Flavor } from "../flavors/api.ts";
import { groupConstraintOf } from "../scheduler/groups.ts";
import { selectDestinations, type Selection } from "../scheduler/scheduler.ts";
import { NoValidHost } from "./errors.ts";
import { ComputeHostNotFound } from "./errors_actions.ts";
import { resourcesFromFlavor } from "./host.ts";
import type { Instance } from "./instance.ts";
import type { ComputeService } from "./service.ts";
import { isVolumeBacked } from "./snapshot.ts";

/**
 * `ComputeNode.get_first_node_by_host_for_old_compat`.
 *
 * @throws {ComputeHostNotFound}
 */
export function requireComputeHost(svc: ComputeService, host: string): void {
  if (!svc.hosts.get(host)) throw new ComputeHostNotFound(host);
}

/**
 * `Service.get_by_compute_host` + `service_is_up`.
 *
 * @throws {ComputeHostNotFound} when the host has no compute service
 */
export function computeServiceIsUp(svc: ComputeService, host: string): boolean {
  const record = svc.hosts.services.computeService(host);
  if (!record) throw new ComputeHostNotFound(host);
  return svc.hosts.services.isUp(record);
}

/** Where a moving server may go. */
export interface MoveRequest {
  readonly flavor: Flavor;
  /** `ignore_hosts` (the source, unless same-host moves are allowed). */
  readonly ignoreHosts: readonly string[];
  /** A requested destination host, or null. */
  readonly host?: string | null;
}

/**
 * `select_destinations` for a move: claims the flavor's resources for the
 * instance on the chosen host (inside the caller's transaction).
 *
 * @throws {NoValidHost}
 */
export function selectMoveDestination(
  svc: ComputeService,
  inst: Instance,
  r: MoveRequest,
): Selection {
  const resources = resourcesFromFlavor(r.flavor, isVolumeBacked(svc, inst));
  try {
    return selectDestinations(svc, {
      instanceUuids: [inst.uuid],
      resources,
      ignoreHosts: r.ignoreHosts,
      forcedHost: r.host ?? null,
      group: groupConstraintOf(svc, inst.uuid),
    })[0];
  } catch (err) {
    if (!(err instanceof NoValidHost)) throw err;
    // Placement offered hosts (the resources fit somewhere) but the
    // scheduler's filters and ignore_hosts left none.
    if (svc.hosts.all.some((h) => h.fits(resources))) {
      throw new NoValidHost("There are not enough hosts available.");
    }
    throw err;
  }
}

/** `replace_allocation_with_migration`: the instance's allocation now held by the migration. */
export function moveAllocationToMigration(
  svc: ComputeService,
  instanceUuid: string,
  migrationUuid: string,
): void {
  svc.db.run(
    "UPDATE allocations SET consumer_id = ? WHERE consumer_id = ?",
    migrationUuid,
    instanceUuid,
  );
}

/**
 * `revert_allocation_for_migration`: the migration's allocation back to the
 * instance (nothing when the migration holds none).
 */
export function revertAllocationFromMigration(
  svc: ComputeService,
  instanceUuid: string,
  migrationUuid: string,
): void {
  if (!svc.db.get("SELECT 1 FROM allocations WHERE consumer_id = ?", migrationUuid)) return;
  svc.db.run("DELETE FROM allocations WHERE consumer_id = ?", instanceUuid);
  svc.db.run(
    "UPDATE allocations SET consumer_id = ? WHERE consumer_id = ?",
    instanceUuid,
    migrationUuid,
  );
}
