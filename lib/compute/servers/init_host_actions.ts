/**
 * The parts of nova-compute's start-up recovery that concern the server
 * actions: snapshot and resize-prep tasks are cleared, a guest caught
 * unpausing is unpaused, a resize caught migrating its disk is reverted
 * on the source (task cleared), a live migration under way is reset (its
 * migration in `error`), and guests evacuated away while a host was down
 * are cleaned up (their evacuation `completed`). Every other transitional
 * state (pausing with the guest not running, suspending, rescuing,
 * shelving, unshelving, resize_migrated/finish/reverting, ...) stays as
 * nova leaves it: `os-resetState` clears it.
 *
 * Mirrors nova/compute/manager.py `_init_instance`,
 * `_reset_live_migration` and `_destroy_evacuated_instances`.
 *
 * @module
 */

import { getLogger } from "../../log.ts";
import type { RequestContext } from "./context.ts";
import type { Instance } from "./instance.ts";
import { MigrationStore } from "./migrations_store.ts";
import { unpause } from "./power_actions.ts";
import type { ComputeService } from "./service.ts";
import { POWER, TASK, VM } from "./states.ts";

const LOG = getLogger("nova.compute.manager");

const SNAPSHOT_TASKS: readonly (string | null)[] = [
  TASK.IMAGE_SNAPSHOT_PENDING,
  TASK.IMAGE_PENDING_UPLOAD,
  TASK.IMAGE_UPLOADING,
  TASK.IMAGE_SNAPSHOT,
];

/** Whether an ERROR instance still needs `_init_instance` (a resize caught migrating). */
export function errorNeedsInit(inst: Instance): boolean {
  return inst.task_state === TASK.RESIZE_MIGRATING;
}

/** Snapshot and resize-prep tasks are cleared (then the rest of `_init_instance` goes on). */
export function clearTransitionalTasks(svc: ComputeService, inst: Instance): Instance {
  if (inst.vm_state === VM.ERROR) return inst;
  const task = inst.task_state;
  if (!SNAPSHOT_TASKS.includes(task) && task !== TASK.RESIZE_PREP) return inst;
  LOG.debug(`Instance in transitional state ${task} at start-up clearing task state`);
  svc.db.transaction(() => svc.instances.update(inst.uuid, { task_state: null }));
  return { ...inst, task_state: null };
}

/**
 * The `_init_instance` branches after the power ones: unpausing a paused
 * guest again, reverting a resize caught migrating, resetting a live
 * migration. True when one applied.
 */
export function recoverMoves(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  power: number,
): boolean {
  if (power === POWER.PAUSED && inst.task_state === TASK.UNPAUSING) {
    LOG.warning(
      `Instance in transitional state unpausing at start-up, unpausing it (${inst.uuid})`,
    );
    svc.db.transaction(() => svc.instances.update(inst.uuid, { task_state: null }));
    unpause(svc, ctx, { ...inst, task_state: null });
    return true;
  }
  if (inst.task_state === TASK.RESIZE_MIGRATING) {
    revertCrashedMigration(svc, inst);
    return true;
  }
  if (inst.task_state === TASK.MIGRATING) {
    resetLiveMigration(svc, inst);
    return true;
  }
  return false;
}

function revertCrashedMigration(svc: ComputeService, inst: Instance): void {
  const powerOn = inst.system_metadata.old_vm_state !== VM.STOPPED;
  svc.worker.run(inst.uuid, async () => {
    try {
      await svc.driver.finishRevertMigration?.(svc.manager.driverInstance(inst), powerOn);
    } catch (err) {
      LOG.exception("Failed to revert crashed migration", err);
    } finally {
      LOG.info(`Instance found in migrating state during startup. Resetting task_state`);
      svc.db.transaction(() => svc.instances.update(inst.uuid, { task_state: null }));
    }
  });
}

/** `_reset_live_migration`: a running migration is `error`, the task cleared. */
function resetLiveMigration(svc: ComputeService, inst: Instance): void {
  const migrations = new MigrationStore(svc.db);
  svc.db.transaction(() => {
    const running = migrations.byInstanceAndStatus(inst.uuid, "running");
    if (running) migrations.update(running.id, { status: "error" });
    svc.instances.update(inst.uuid, { task_state: null }, [TASK.MIGRATING]);
  });
}

/**
 * `_destroy_evacuated_instances`: evacuations away from this process's
 * hosts are finished (`completed`). The fake driver keeps one guest per
 * server, now running on the destination, so nothing is destroyed.
 */
export function destroyEvacuatedInstances(svc: ComputeService): void {
  const migrations = new MigrationStore(svc.db);
  const hosts = new Set(svc.hosts.all.map((h) => h.name));
  const evacuations = migrations.list({
    migrationType: "evacuation",
    status: ["accepted", "pre-migrating", "done"],
  }).filter((m) => m.source_compute !== null && hosts.has(m.source_compute));
  svc.db.transaction(() => {
    for (const m of evacuations) {
      const inst = svc.instances.get(m.instance_uuid);
      if (inst && inst.host === m.source_compute) continue;
      migrations.update(m.id, { status: "completed" });
    }
  });
}
