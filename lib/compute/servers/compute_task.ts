/**
 * The two halves every server action shares. The API half moves the
 * task_state (only from the expected one) and records the instance action
 * in one transaction. The compute half runs in the background, one task at
 * a time per instance, as nova's manager decorators wrap each method: an
 * event on the request's action (`@wrap_instance_event`), on failure a
 * fault (`@wrap_instance_fault`) and the task_state back to None
 * (`@reverts_task_state`), and steps that each commit on their own.
 *
 * Mirrors nova/compute/api.py (`instance.save(expected_task_state=[None])`
 * + `_record_action_start`) and nova/compute/manager.py
 * (`wrap_instance_event`, `reverts_task_state`, `wrap_instance_fault`),
 * nova/compute/utils.py `EventReporter`.
 *
 * @module
 */

import { getLogger } from "../../log.ts";
import { GuestNotFound } from "../../virt/driver.ts";
import { actionContext, type RequestContext } from "./context.ts";
import { hostlessInstance, InstanceNotFound, NovaException } from "./errors.ts";
import { faultFromError, type Frame } from "./faults.ts";
import type { Instance } from "./instance.ts";
import type { InstanceValues } from "./instance_store.ts";
import { UnexpectedTaskState } from "./instance_store.ts";
import type { ComputeService } from "./service.ts";
import { WorkerStopped } from "./worker.ts";

const LOG = getLogger("nova.compute.manager");

/**
 * The API half: `values` (a task_state, ...) saved only while the task
 * state is one of `expected`, and the `action` recorded, in one transaction.
 *
 * @throws {UnexpectedTaskState} when another request moved the instance on
 */
export function beginTask(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  action: string | null,
  values: InstanceValues,
  expected: readonly (string | null)[] = [null],
): void {
  svc.db.transaction(() => {
    svc.instances.update(inst.uuid, values, expected);
    if (action) svc.actions.start(actionContext(ctx), inst.uuid, action);
  });
}

/**
 * What `compute_rpcapi` needs to cast to an instance's host; called before
 * the API half changes anything.
 *
 * @param method the compute API method, named in the state error
 * @throws {InstanceInvalidState} without a host (see {@link hostlessInstance})
 */
export function requireHost(inst: Instance, method: string): string {
  if (!inst.host) throw hostlessInstance(inst.uuid, inst.vm_state, method);
  return inst.host;
}

/** One compute-side method run in the background. */
export interface ComputeTask {
  readonly requestId: string;
  readonly uuid: string;
  /** The event name (`compute_<method>`, `conductor_<method>`, ...). */
  readonly event: string;
  /** Task states the instance must still be in; the task is dropped otherwise. null: any. */
  readonly expected: readonly (string | null)[] | null;
  /** Saved with task_state None when the task fails (e.g. `{vm_state: "error"}`). */
  readonly onError?: InstanceValues;
  /** Whether a failure leaves the task_state as it is (no `@reverts_task_state`). */
  readonly keepTaskState?: boolean;
  /** The stack the fault's traceback names. */
  readonly frames?: readonly Frame[];
  /** The host it runs on (the event's host); default: the instance's. */
  readonly host?: string;
  /** The work; each of its state changes is its own transaction. */
  readonly run: (inst: Instance) => Promise<void>;
}

/** Casts `task` to the compute service (runs after the instance's earlier tasks). */
export function castToCompute(svc: ComputeService, task: ComputeTask): void {
  svc.worker.run(task.uuid, async () => {
    await runComputeTask(svc, task);
  });
}

/**
 * Calls `task` on the compute service and waits for it (an RPC call):
 * resolves with the error it failed with, or null.
 */
export function callCompute(svc: ComputeService, task: ComputeTask): Promise<Error | null> {
  return svc.worker.call(task.uuid, () => runComputeTask(svc, task));
}

/** Runs `task` now (inside a worker task of the same instance); the error it failed with, or null. */
export async function runComputeTask(
  svc: ComputeService,
  task: ComputeTask,
): Promise<Error | null> {
  const inst = svc.instances.get(task.uuid);
  if (!inst) return null;
  if (task.expected && !task.expected.includes(inst.task_state)) {
    LOG.debug(`${task.event} dropped: task_state ${inst.task_state} (${task.uuid})`);
    return null;
  }
  try {
    await withEvent(svc, task.requestId, inst, task.event, async () => {
      try {
        await task.run(inst);
      } catch (err) {
        if (err instanceof WorkerStopped) throw err;
        taskFailed(svc, task, inst, err as Error);
        throw err;
      }
    }, task.host);
    return null;
  } catch (err) {
    if (err instanceof WorkerStopped) throw err;
    return err as Error;
  }
}

/**
 * `EventReporter` / `@wrap_instance_event`: the event starts, `fn` runs,
 * the event finishes (with the failure when `fn` throws, which is rethrown).
 */
export async function withEvent<T>(
  svc: ComputeService,
  requestId: string,
  inst: Instance,
  event: string,
  fn: () => Promise<T>,
  onHost?: string,
): Promise<T> {
  const host = onHost ?? inst.host ?? svc.host.name;
  svc.db.transaction(() => svc.actions.eventStart(requestId, inst.uuid, event, host));
  try {
    const result = await fn();
    svc.db.transaction(() => svc.actions.eventFinish(requestId, inst.uuid, event));
    return result;
  } catch (err) {
    if (err instanceof WorkerStopped) throw err;
    const fault = faultFromError(asNovaError(err as Error, inst.uuid), host, []);
    svc.db.transaction(() =>
      svc.actions.eventFinish(requestId, inst.uuid, event, {
        message: fault.message,
        traceback: fault.details,
      })
    );
    throw err;
  }
}

/** The driver's "no such guest" is nova's InstanceNotFound. */
function asNovaError(err: Error, uuid: string): Error {
  return err instanceof GuestNotFound ? new InstanceNotFound(uuid) : err;
}

/** `@wrap_instance_fault` + `@reverts_task_state` (+ the task's own error updates). */
function taskFailed(svc: ComputeService, task: ComputeTask, inst: Instance, raised: Error): void {
  const err = asNovaError(raised, inst.uuid);
  if (err instanceof NovaException) {
    LOG.error(`${task.event} failed for ${inst.uuid}: ${err.message}`);
  } else LOG.exception(`${task.event} failed for ${inst.uuid}`, err);
  svc.db.transaction(() => {
    if (!svc.instances.get(inst.uuid)) return;
    if (!(err instanceof InstanceNotFound) && !(err instanceof UnexpectedTaskState)) {
      recordFault(svc, inst, err, task.frames ?? []);
    }
    // NOTE(parity): reverts_task_state leaves the task of an
    // UnexpectedTaskStateError alone: another request preempted this one
    // (a hard reboot during a pause), and its own task must still run.
    const preempted = err instanceof UnexpectedTaskState;
    const updates: InstanceValues = {
      ...(task.keepTaskState || preempted ? {} : { task_state: null }),
      ...task.onError,
    };
    if (Object.keys(updates).length) svc.instances.update(inst.uuid, updates);
  });
}

/** `add_instance_fault_from_exc` (inside the caller's transaction). */
export function recordFault(
  svc: ComputeService,
  inst: Instance,
  err: Error,
  frames: readonly Frame[],
  message?: string,
): void {
  const fault = faultFromError(err, inst.host ?? svc.host.name, frames);
  svc.instances.addFault(inst.uuid, message ? { ...fault, message } : fault);
}

/** A context of the compute service's own (periodic tasks, restarts): admin, no user. */
export function serviceContext(): RequestContext {
  return {
    auth: { userId: null, projectId: null, roles: ["admin"], isAdmin: true, remoteAddress: "" },
    requestId: `req-${crypto.randomUUID()}`,
  };
}

export { actionContext };
