/**
 * The server group a server being scheduled belongs to, as the affinity
 * filters and weighers need it (policy, members, rules).
 *
 * Mirrors the `instance_group` part of nova's RequestSpec
 * (nova/objects/request_spec.py `_populate_group_info`).
 *
 * @module
 */

import type { ComputeService } from "../servers/service.ts";
import type { GroupConstraint } from "./filters.ts";

/** Looks up the group of an instance; set by the server groups area. */
export type GroupLookup = (svc: ComputeService, instanceUuid: string) => GroupConstraint | null;

let lookup: GroupLookup | null = null;

/** Lets the server groups area tell the scheduler about group membership. */
export function setGroupLookup(fn: GroupLookup | null): void {
  lookup = fn;
}

/** The instance's group constraint, or null when it is in no group. */
export function groupConstraintOf(
  svc: ComputeService,
  instanceUuid: string,
): GroupConstraint | null {
  return lookup ? lookup(svc, instanceUuid) : null;
}
