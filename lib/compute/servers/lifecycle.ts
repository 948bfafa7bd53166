/**
 * The API half of the lifecycle actions: check the instance's lock, host
 * and state as nova's decorators do, move task_state and record the
 * instance action in one transaction, then cast the work to the compute
 * manager (which runs it in the background).
 *
 * Mirrors nova/compute/api.py `delete`, `force_delete`,
 * `_delete`, `_delete_while_booting`, `_local_delete`, `reboot`
 * (`_soft_reboot`, `_hard_reboot`), `start`, `stop` / `force_stop`.
 *
 * @module
 */

import { utcnow } from "../../store/timestamps.ts";
import { deleteImage } from "../images/snapshots.ts";
import { ACTION } from "./actions.ts";
import { requireHost } from "./compute_task.ts";
import { actionContext, type RequestContext } from "./context.ts";
import type { Instance } from "./instance.ts";
import type { ComputeService } from "./service.ts";
import { checkInstanceHost, checkInstanceLock, checkInstanceState } from "./state_checks.ts";
import { ALLOW_HARD_REBOOT, ALLOW_REBOOT, ALLOW_SOFT_REBOOT, TASK, VM } from "./states.ts";

/** `delete`: any state, launched or not. @throws {InstanceIsLocked} */
export function deleteInstance(svc: ComputeService, ctx: RequestContext, inst: Instance): void {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  checkInstanceState(inst, { vmState: null, taskState: null, mustHaveLaunched: false }, "delete");
  doDelete(svc, ctx, inst);
}

/** `force_delete`: only without a task. @throws {InstanceIsLocked} / {InstanceInvalidState} */
export function forceDelete(svc: ComputeService, ctx: RequestContext, inst: Instance): void {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  checkInstanceState(
    inst,
    { vmState: null, taskState: [null], mustHaveLaunched: false },
    "force_delete",
  );
  doDelete(svc, ctx, inst);
}

/**
 * `_delete(context, instance, 'delete', _do_delete, task_state=DELETING)`.
 * `originalTaskState` is the task before the delete began (when a resize
 * was confirmed first, the task_state is `deleting` already).
 */
export function doDelete(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  originalTaskState: string | null = inst.task_state,
): void {
  deleteShelvedImage(svc, inst);
  const mayHavePorts = inst.vm_state === VM.ERROR || inst.vm_state === VM.SHELVED_OFFLOADED;
  if (!inst.host && !mayHavePorts) {
    // NOTE(parity): still a build request in nova (`_delete_while_booting`):
    // the instance is destroyed at once and the build stops.
    svc.db.transaction(() => {
      releaseResources(svc, inst.uuid);
      svc.instances.destroy(inst.uuid);
    });
    return;
  }
  if (!inst.host || !hostServiceUp(svc, inst.host)) {
    // `_local_delete`: nothing runs on a host, so the API finishes the delete.
    svc.db.transaction(() => {
      svc.instances.update(inst.uuid, { task_state: TASK.DELETING, progress: 0 });
      releaseResources(svc, inst.uuid);
      svc.instances.update(inst.uuid, {
        vm_state: VM.DELETED,
        task_state: null,
        terminated_at: utcnow(),
      });
      svc.instances.destroy(inst.uuid);
    });
    return;
  }
  svc.db.transaction(() => {
    svc.instances.update(inst.uuid, { task_state: TASK.DELETING, progress: 0 });
    if (originalTaskState !== TASK.DELETING) {
      svc.actions.start(actionContext(ctx), inst.uuid, ACTION.DELETE);
    }
  });
  // "Instance is already in deleting state, ignoring this request".
  if (originalTaskState === TASK.DELETING) return;
  svc.manager.terminateInstance(ctx, inst.uuid);
}

/** Whether the instance's compute service is up (a missing one: no, a local delete). */
function hostServiceUp(svc: ComputeService, host: string): boolean {
  const record = svc.hosts.services.computeService(host);
  return record !== null && svc.hosts.services.isUp(record);
}

/** The snapshot a shelved server keeps (`shelved_image_id`) goes with it. */
export function deleteShelvedImage(svc: ComputeService, inst: Instance): void {
  const imageId = inst.system_metadata.shelved_image_id;
  if (imageId && (inst.vm_state === VM.SHELVED || inst.vm_state === VM.SHELVED_OFFLOADED)) {
    svc.db.transaction(() => deleteImage(svc.images, imageId));
  }
}

/** Ports and allocations of an instance that never reached (or left) a host. */
export function releaseResources(svc: ComputeService, uuid: string): void {
  svc.network.release(uuid);
  svc.host.release(uuid);
}

/**
 * `reboot`: SOFT needs ACTIVE and no task; HARD allows more.
 *
 * @throws {InstanceIsLocked} / {InstanceInvalidState}, also for an
 *   instance on no host (nova answers 500 there, after setting task_state
 *   rebooting_hard for good; novalet refuses before changing anything:
 *   "Cannot 'reboot' instance X while it is in vm_state error")
 */
export function reboot(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  type: "SOFT" | "HARD",
): void {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  const soft = type === "SOFT";
  if (soft) {
    checkInstanceState(inst, { vmState: ALLOW_SOFT_REBOOT, taskState: [null] }, "_soft_reboot");
  } else {checkInstanceState(
      inst,
      { vmState: ALLOW_HARD_REBOOT, taskState: ALLOW_REBOOT },
      "_hard_reboot",
    );}
  requireHost(inst, soft ? "_soft_reboot" : "_hard_reboot");
  const expected = soft ? [null] : ALLOW_REBOOT;
  svc.db.transaction(() => {
    svc.instances.update(
      inst.uuid,
      { task_state: soft ? TASK.REBOOTING : TASK.REBOOTING_HARD },
      expected,
    );
    svc.actions.start(actionContext(ctx), inst.uuid, ACTION.REBOOT);
  });
  svc.manager.rebootInstance(ctx, inst.uuid, type);
}

/** `start`: a stopped instance on a host. @throws {InstanceIsLocked} / {InstanceNotReady} / {InstanceInvalidState} */
export function start(svc: ComputeService, ctx: RequestContext, inst: Instance): void {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  checkInstanceHost(inst);
  checkInstanceState(inst, { vmState: [VM.STOPPED] }, "start");
  svc.db.transaction(() => {
    svc.instances.update(inst.uuid, { task_state: TASK.POWERING_ON }, [null]);
    svc.actions.start(actionContext(ctx), inst.uuid, ACTION.START);
  });
  svc.manager.startInstance(ctx, inst.uuid);
}

/** `stop` / `force_stop`: an active or errored instance on a host. */
export function stop(svc: ComputeService, ctx: RequestContext, inst: Instance): void {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  checkInstanceHost(inst);
  checkInstanceState(inst, { vmState: [VM.ACTIVE, VM.ERROR] }, "stop");
  svc.db.transaction(() => {
    svc.instances.update(inst.uuid, { task_state: TASK.POWERING_OFF, progress: 0 }, [null]);
    svc.actions.start(actionContext(ctx), inst.uuid, ACTION.STOP);
  });
  svc.manager.stopInstance(ctx, inst.uuid);
}

/**
 * `lock`: an owner's lock of a locked instance is a no-op; otherwise the
 * lock is recorded (action and `api_lock` event) with who holds it and why.
 */
export function lock(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  reason: string | null,
) {
  const isOwner = inst.project_id === ctx.auth.projectId;
  if (inst.locked && isOwner) return;
  recordApiAction(svc, ctx, inst.uuid, ACTION.LOCK, () => {
    svc.instances.update(inst.uuid, { locked: 1, locked_by: isOwner ? "owner" : "admin" });
    if (reason) svc.instances.setSystemMetadata(inst.uuid, { locked_reason: reason });
  });
}

/** `is_expected_locked_by`: false when locked by the other party (owner vs admin). */
export function isExpectedLockedBy(ctx: RequestContext, inst: Instance): boolean {
  const expected = inst.project_id === ctx.auth.projectId ? "owner" : "admin";
  return !inst.locked_by || inst.locked_by === expected;
}

/** `unlock`. */
export function unlock(svc: ComputeService, ctx: RequestContext, inst: Instance): void {
  recordApiAction(svc, ctx, inst.uuid, ACTION.UNLOCK, () => {
    svc.instances.update(inst.uuid, { locked: 0, locked_by: null });
    svc.instances.setSystemMetadata(inst.uuid, { locked_reason: null });
  });
}

/** An action done by the API itself (`@wrap_instance_event(prefix='api')`), in one transaction. */
function recordApiAction(
  svc: ComputeService,
  ctx: RequestContext,
  uuid: string,
  action: string,
  change: () => void,
): void {
  svc.db.transaction(() => {
    svc.actions.start(actionContext(ctx), uuid, action);
    svc.actions.eventStart(ctx.requestId, uuid, `api_${action}`, svc.host.name);
    change();
    svc.actions.eventFinish(ctx.requestId, uuid, `api_${action}`);
  });
}
