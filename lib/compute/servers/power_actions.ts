/**
 * The simple state actions, both halves: pause/unpause, suspend/resume,
 * trigger_crash_dump, changePassword (a call: the API waits for the
 * compute host), os-resetState and injectNetworkInfo.
 *
 * Mirrors nova/compute/api.py (`pause`, `unpause`, `suspend`, `resume`,
 * `trigger_crash_dump`, `set_admin_password`, `inject_network_info`),
 * nova/api/openstack/compute/admin_actions.py `_reset_state` and
 * nova/compute/manager.py (`pause_instance`, `unpause_instance`,
 * `suspend_instance`, `resume_instance`, `trigger_crash_dump`,
 * `set_admin_password`, `inject_network_info`).
 *
 * @module
 */

import { GuestNotRunning } from "../../virt/driver.ts";
import { ACTION } from "./actions.ts";
import {
  actionContext,
  beginTask,
  callCompute,
  castToCompute,
  requireHost,
} from "./compute_task.ts";
import type { RequestContext } from "./context.ts";
import { InstanceNotRunning, InstancePasswordSetFailed } from "./errors_actions.ts";
import type { Instance } from "./instance.ts";
import type { ComputeService } from "./service.ts";
import { checkInstanceHost, checkInstanceLock, checkInstanceState } from "./state_checks.ts";
import { ALLOW_TRIGGER_CRASH_DUMP, POWER, TASK, VM } from "./states.ts";

/** `NotImplementedError` of a driver without the method. */
export class DriverNotImplemented extends Error {
  constructor(method: string) {
    super(`${method} is not implemented by this driver`);
    this.name = "NotImplementedError";
  }
}

/** A power transition: API checks and states, then the driver call on the host. */
interface Transition {
  readonly method: string;
  readonly action: string;
  readonly from: readonly string[];
  readonly task: string;
  readonly to: string;
  readonly driver: "pause" | "unpause" | "suspend" | "resume";
}

const PAUSE: Transition = {
  method: "pause_instance",
  action: ACTION.PAUSE,
  from: [VM.ACTIVE],
  task: TASK.PAUSING,
  to: VM.PAUSED,
  driver: "pause",
};
const UNPAUSE: Transition = {
  method: "unpause_instance",
  action: ACTION.UNPAUSE,
  from: [VM.PAUSED],
  task: TASK.UNPAUSING,
  to: VM.ACTIVE,
  driver: "unpause",
};
const SUSPEND: Transition = {
  method: "suspend_instance",
  action: ACTION.SUSPEND,
  from: [VM.ACTIVE],
  task: TASK.SUSPENDING,
  to: VM.SUSPENDED,
  driver: "suspend",
};
const RESUME: Transition = {
  method: "resume_instance",
  action: ACTION.RESUME,
  from: [VM.SUSPENDED],
  task: TASK.RESUMING,
  to: VM.ACTIVE,
  driver: "resume",
};

/** `pause`. @throws {InstanceIsLocked} / {InstanceInvalidState} */
export function pause(svc: ComputeService, ctx: RequestContext, inst: Instance): void {
  transition(svc, ctx, inst, PAUSE, "pause");
}

/** `unpause`. */
export function unpause(svc: ComputeService, ctx: RequestContext, inst: Instance): void {
  transition(svc, ctx, inst, UNPAUSE, "unpause");
}

/** `suspend` (the vm_state before it is kept in `old_vm_state`). */
export function suspend(svc: ComputeService, ctx: RequestContext, inst: Instance): void {
  transition(svc, ctx, inst, SUSPEND, "suspend");
}

/** `resume`. */
export function resume(svc: ComputeService, ctx: RequestContext, inst: Instance): void {
  transition(svc, ctx, inst, RESUME, "resume");
}

function transition(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  t: Transition,
  apiMethod: string,
): void {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  checkInstanceState(inst, { vmState: t.from }, apiMethod);
  requireHost(inst, apiMethod);
  beginTask(svc, ctx, inst, t.action, { task_state: t.task });
  castToCompute(svc, {
    requestId: ctx.requestId,
    uuid: inst.uuid,
    event: `compute_${t.method}`,
    expected: [t.task],
    run: async (current) => {
      const call = svc.driver[t.driver]?.bind(svc.driver);
      if (!call) throw new DriverNotImplemented(t.driver);
      if (t === SUSPEND) {
        svc.db.transaction(() =>
          svc.instances.setSystemMetadata(current.uuid, { old_vm_state: current.vm_state })
        );
      }
      await call(svc.manager.driverInstance(current));
      const to = t === RESUME ? current.system_metadata.old_vm_state ?? VM.ACTIVE : t.to;
      svc.db.transaction(() => {
        svc.instances.update(current.uuid, {
          power_state: powerStateOf(svc, current),
          vm_state: to,
          task_state: null,
        }, [t.task]);
        if (t === RESUME) svc.instances.setSystemMetadata(current.uuid, { old_vm_state: null });
      });
    },
  });
}

/** `_get_power_state`: the driver's, NOSTATE for a guest it does not know. */
export function powerStateOf(svc: ComputeService, inst: Instance): number {
  try {
    return svc.driver.getInfo(svc.manager.driverInstance(inst)).state;
  } catch {
    return POWER.NOSTATE;
  }
}

/** `trigger_crash_dump` (2.17): recorded and cast; the task_state does not move. */
export function triggerCrashDump(svc: ComputeService, ctx: RequestContext, inst: Instance): void {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  checkInstanceHost(inst);
  checkInstanceState(inst, { vmState: ALLOW_TRIGGER_CRASH_DUMP }, "trigger_crash_dump");
  svc.db.transaction(() =>
    svc.actions.start(actionContext(ctx), inst.uuid, ACTION.TRIGGER_CRASH_DUMP)
  );
  castToCompute(svc, {
    requestId: ctx.requestId,
    uuid: inst.uuid,
    event: "compute_trigger_crash_dump",
    expected: null,
    keepTaskState: true,
    run: async (current) => {
      if (!svc.driver.triggerCrashDump) throw new DriverNotImplemented("trigger_crash_dump");
      try {
        await svc.driver.triggerCrashDump(svc.manager.driverInstance(current));
      } catch (err) {
        if (err instanceof GuestNotRunning) throw new InstanceNotRunning(current.uuid);
        throw err;
      }
    },
  });
}

/**
 * `set_admin_password`: an RPC call, so the API answers once the host has
 * set it (PASSWORD while it does).
 *
 * @throws {InstancePasswordSetFailed} when the guest is not running
 * @throws {DriverNotImplemented} when the driver cannot set passwords
 */
export async function setAdminPassword(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  password: string,
): Promise<void> {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  checkInstanceState(inst, { vmState: [VM.ACTIVE] }, "set_admin_password");
  requireHost(inst, "set_admin_password");
  beginTask(svc, ctx, inst, ACTION.CHANGE_PASSWORD, { task_state: TASK.UPDATING_PASSWORD });
  const failure = await callCompute(svc, {
    requestId: ctx.requestId,
    uuid: inst.uuid,
    event: "compute_set_admin_password",
    expected: [TASK.UPDATING_PASSWORD],
    run: async (current) => {
      if (powerStateOf(svc, current) !== POWER.RUNNING) {
        throw new InstancePasswordSetFailed(
          current.uuid,
          `instance ${current.uuid} is not running`,
        );
      }
      if (!svc.driver.setAdminPassword) throw new DriverNotImplemented("set_admin_password");
      try {
        await svc.driver.setAdminPassword(svc.manager.driverInstance(current), password);
      } catch {
        throw new InstancePasswordSetFailed(current.uuid, "error setting admin password");
      }
      svc.db.transaction(() =>
        svc.instances.update(current.uuid, { task_state: null }, [TASK.UPDATING_PASSWORD])
      );
    },
  });
  if (failure) throw failure;
}

/** os-resetState: the vm_state set, the task cleared, a `resetState` action (finished). */
export function resetState(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  state: "active" | "error",
): void {
  svc.db.transaction(() => {
    svc.actions.start(actionContext(ctx), inst.uuid, ACTION.RESET_STATE);
    svc.instances.update(inst.uuid, { vm_state: state, task_state: null });
    svc.actions.finish(ctx.requestId, inst.uuid);
  });
}

/**
 * `inject_network_info`: a cast the host answers by re-plugging the
 * guest's network (nothing to change on the flat network).
 *
 * @throws {InstanceIsLocked}
 */
export function injectNetworkInfo(_svc: ComputeService, ctx: RequestContext, inst: Instance): void {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  requireHost(inst, "inject_network_info");
}
