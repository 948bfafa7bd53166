/**
 * The checks nova's compute API runs before an action: the instance's
 * vm_state and task_state must be among the allowed ones and it must have
 * launched (`check_instance_state`), a locked instance refuses non-admins
 * (`check_instance_lock`), and an action that needs the compute host needs
 * `instance.host` (`check_instance_host`).
 *
 * Mirrors nova/compute/api.py (`check_instance_state`,
 * `check_instance_lock`, `check_instance_host`) and
 * `raise_http_conflict_for_instance_invalid_state` in
 * nova/api/openstack/common.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import { InstanceInvalidState, InstanceIsLocked, InstanceNotReady } from "./errors.ts";
import type { Instance } from "./instance.ts";

/** `@check_instance_state(vm_state=..., task_state=..., must_have_launched=...)` */
export interface StateRule {
  /** Allowed vm_states; null: any. */
  readonly vmState?: readonly string[] | null;
  /** Allowed task_states; null: any. Default: only None. */
  readonly taskState?: readonly (string | null)[] | null;
  /** Default true. */
  readonly mustHaveLaunched?: boolean;
}

/**
 * `check_instance_state` for the API method `method`.
 *
 * @throws {InstanceInvalidState} naming the first check that failed
 */
export function checkInstanceState(inst: Instance, rule: StateRule, method: string): void {
  const vmStates = rule.vmState ?? null;
  const taskStates = rule.taskState === undefined ? [null] : rule.taskState;
  if (vmStates !== null && !vmStates.includes(inst.vm_state ?? "")) {
    throw new InstanceInvalidState(inst.uuid, "vm_state", inst.vm_state, method);
  }
  if (taskStates !== null && !taskStates.includes(inst.task_state)) {
    throw new InstanceInvalidState(inst.uuid, "task_state", inst.task_state, method);
  }
  if ((rule.mustHaveLaunched ?? true) && !inst.launched_at) {
    throw new InstanceInvalidState(inst.uuid, "launched_at", inst.launched_at, method);
  }
}

/**
 * `check_instance_lock`: locked instances are for admins only.
 *
 * @throws {InstanceIsLocked}
 */
export function checkInstanceLock(inst: Instance, isAdmin: boolean): void {
  if (inst.locked && !isAdmin) throw new InstanceIsLocked(inst.uuid);
}

/**
 * `check_instance_host()`: the instance must be on a host.
 *
 * @throws {InstanceNotReady}
 */
export function checkInstanceHost(inst: Instance): void {
  if (!inst.host) throw new InstanceNotReady(inst.uuid);
}

/**
 * `raise_http_conflict_for_instance_invalid_state(exc, action, server_id)`:
 * the 409 the API answers for an InstanceInvalidState.
 */
export function conflictForInvalidState(
  err: InstanceInvalidState,
  action: string,
  serverId: string,
): HttpError {
  if (err.attr !== null && err.state !== null && err.state !== undefined) {
    return new HttpError(
      409,
      `Cannot '${action}' instance ${serverId} while it is in ${err.attr} ${err.state}`,
    );
  }
  return new HttpError(409, `Instance ${serverId} is in an invalid state for '${action}'`);
}
