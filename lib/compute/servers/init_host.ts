/**
 * What nova-compute does with its instances when it starts: an instance
 * caught building goes to ERROR, a half-done delete is finished, a reboot
 * or power action that was under way is run again, a task whose guest
 * already reached the target state is cleared.
 *
 * Mirrors nova/compute/manager.py `init_host` → `_init_instance`
 * (`_retry_reboot`, `compute_utils.get_reboot_type`).
 *
 * @module
 */

import { getLogger } from "../../log.ts";
import type { RequestContext } from "./context.ts";
import { type Instance, INSTANCE_SELECT, instanceFromRow } from "./instance.ts";
import {
  clearTransitionalTasks,
  destroyEvacuatedInstances,
  errorNeedsInit,
  recoverMoves,
} from "./init_host_actions.ts";
import type { ComputeService } from "./service.ts";
import {
  ALLOW_HARD_REBOOT,
  ALLOW_SOFT_REBOOT,
  POWER,
  SOFT_REBOOT_STATES,
  TASK,
  VM,
} from "./states.ts";

const LOG = getLogger("nova.compute.manager");

const BUILD_TASKS: readonly (string | null)[] = [
  TASK.SCHEDULING,
  TASK.BLOCK_DEVICE_MAPPING,
  TASK.NETWORKING,
  TASK.SPAWNING,
];
const REBUILD_TASKS: readonly (string | null)[] = [
  TASK.REBUILDING,
  TASK.REBUILD_BLOCK_DEVICE_MAPPING,
  TASK.REBUILD_SPAWNING,
];

/** The instances of this process's hosts (and builds never placed), each through `_init_instance`. */
export function initHost(svc: ComputeService): void {
  const rows = svc.db.all(
    // Instances at rest (no task, not building) need nothing: only the others are read.
    `${INSTANCE_SELECT} WHERE i.deleted = 0 AND (i.task_state IS NOT NULL OR
       i.vm_state IN ('building', 'deleted')) AND
       (i.host IS NULL OR i.host IN (SELECT value FROM json_each(?)))`,
    // Every compute host runs in this process (the fake driver serves them all).
    JSON.stringify([svc.host.name, ...svc.hosts.all.map((h) => h.name)]),
  );
  destroyEvacuatedInstances(svc);
  const ctx: RequestContext = {
    auth: { userId: null, projectId: null, roles: ["admin"], isAdmin: true, remoteAddress: "" },
    requestId: `req-${crypto.randomUUID()}`,
  };
  for (const row of rows) {
    try {
      initInstance(svc, ctx, instanceFromRow(row));
    } catch (err) {
      LOG.exception(`Failed to recover instance ${row.uuid}`, err);
    }
  }
}

function initInstance(svc: ComputeService, ctx: RequestContext, inst: Instance): void {
  // NOTE: `inst` is reassigned once transitional tasks are cleared.
  const { db, instances } = svc;
  if (
    inst.vm_state === VM.SOFT_DELETED ||
    (inst.vm_state === VM.ERROR && inst.task_state !== TASK.DELETING && !errorNeedsInit(inst))
  ) return;
  if (inst.vm_state === VM.DELETED) {
    db.transaction(() => instances.destroy(inst.uuid));
    return;
  }
  if (inst.vm_state === VM.BUILDING || BUILD_TASKS.includes(inst.task_state)) {
    LOG.debug(`Instance failed to spawn correctly, setting to ERROR state (${inst.uuid})`);
    db.transaction(() => instances.update(inst.uuid, { vm_state: VM.ERROR, task_state: null }));
    return;
  }
  if (REBUILD_TASKS.includes(inst.task_state)) {
    db.transaction(() => instances.update(inst.uuid, { vm_state: VM.ERROR, task_state: null }));
    return;
  }
  inst = clearTransitionalTasks(svc, inst);
  if (inst.task_state === TASK.DELETING) {
    LOG.info(
      `Service started deleting the instance during the previous run, but did not finish. Restarting the deletion now. (${inst.uuid})`,
    );
    svc.manager.terminateInstance(ctx, inst.uuid);
    return;
  }
  recoverPowerTask(svc, ctx, inst);
}

/** The reboot, stop and start cases of `_init_instance`. */
function recoverPowerTask(svc: ComputeService, ctx: RequestContext, inst: Instance): void {
  const power = currentPowerState(svc, inst);
  const task = inst.task_state;
  const soft = SOFT_REBOOT_STATES.includes(task ?? "") && power === POWER.RUNNING;
  // NOTE(parity): nova leaves rebooting/rebooting_hard to the RPC message
  // still queued for it; novalet has no queue, so it treats them as pending.
  const pendingSoft = (task === TASK.REBOOT_PENDING || task === TASK.REBOOTING) &&
    ALLOW_SOFT_REBOOT.includes(inst.vm_state ?? "");
  const pendingHard = (task === TASK.REBOOT_PENDING_HARD || task === TASK.REBOOTING_HARD) &&
    ALLOW_HARD_REBOOT.includes(inst.vm_state ?? "");
  const startedNotRunning = (task === TASK.REBOOT_STARTED || task === TASK.REBOOT_STARTED_HARD) &&
    power !== POWER.RUNNING;
  if (pendingSoft || pendingHard || startedNotRunning) {
    const type = soft ? "SOFT" : "HARD";
    const next = type === "SOFT" ? TASK.REBOOT_PENDING : TASK.REBOOT_PENDING_HARD;
    svc.db.transaction(() => svc.instances.update(inst.uuid, { task_state: next }));
    svc.manager.rebootInstance(ctx, inst.uuid, type);
    return;
  }
  const clearing = [TASK.REBOOT_STARTED, TASK.REBOOT_STARTED_HARD, TASK.PAUSING, TASK.UNPAUSING];
  if (power === POWER.RUNNING && clearing.includes(task as typeof clearing[number])) {
    svc.db.transaction(() =>
      svc.instances.update(inst.uuid, { task_state: null, vm_state: VM.ACTIVE })
    );
    return;
  }
  if (task === TASK.POWERING_OFF) svc.manager.stopInstance(ctx, inst.uuid);
  else if (task === TASK.POWERING_ON) svc.manager.startInstance(ctx, inst.uuid);
  else recoverMoves(svc, ctx, inst, power);
}

/** `_get_power_state`: the driver's, NOSTATE for a guest it does not know. */
function currentPowerState(svc: ComputeService, inst: Instance): number {
  try {
    return svc.driver.getInfo(svc.manager.driverInstance(inst)).state;
  } catch {
    return POWER.NOSTATE;
  }
}
