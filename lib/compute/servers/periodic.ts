/**
 * The compute service's periodic tasks the server actions need: resizes
 * left in VERIFY_RESIZE confirmed after `[DEFAULT] resize_confirm_window`,
 * soft-deleted servers reclaimed after `reclaim_instance_interval`, rescued
 * servers unrescued after `rescue_timeout` (each checked every
 * `[novalet_compute] periodic_interval` seconds, nova's default 60), and
 * shelved servers offloaded after `shelved_offload_time` (checked every
 * `shelved_poll_interval`). `[DEFAULT] periodic_enable = false` turns them
 * off.
 *
 * Mirrors nova/compute/manager.py `_poll_unconfirmed_resizes`,
 * `_reclaim_queued_deletes`, `_poll_rescued_instances`,
 * `_poll_shelved_instances` and oslo.service's periodic task runner.
 *
 * @module
 */

import { getLogger } from "../../log.ts";
import { serviceContext } from "./compute_task.ts";
import { MigrationStore } from "./migrations_store.ts";
import { pollRescuedInstances } from "./rescue.ts";
import { confirmResize } from "./resize.ts";
import type { ComputeService } from "./service.ts";
import { pollShelvedInstances } from "./shelve.ts";
import { reclaimQueuedDeletes } from "./soft_delete.ts";
import { TASK, VM } from "./states.ts";
import { WorkerStopped } from "./worker.ts";

const LOG = getLogger("nova.compute.manager");

interface PeriodicTask {
  readonly name: string;
  /** Seconds between runs; 0: the default interval; negative: off. */
  readonly spacing: number;
  readonly run: (svc: ComputeService) => void;
}

/** Starts the periodic tasks in the background (they stop with the worker). */
export function startPeriodicTasks(svc: ComputeService): void {
  if (!svc.conf.DEFAULT.periodic_enable) return;
  const tasks: PeriodicTask[] = [
    { name: "_poll_unconfirmed_resizes", spacing: 0, run: pollUnconfirmedResizes },
    { name: "_reclaim_queued_deletes", spacing: 0, run: reclaimQueuedDeletes },
    { name: "_poll_rescued_instances", spacing: 0, run: pollRescuedInstances },
    {
      name: "_poll_shelved_instances",
      spacing: svc.conf.DEFAULT.shelved_poll_interval,
      run: pollShelvedInstances,
    },
  ];
  const defaultMs = svc.conf.novalet_compute.periodic_interval * 1000;
  const due = new Map(tasks.map((t) => [t, Date.now() + intervalMs(t, defaultMs)]));
  svc.worker.run("periodic-tasks", async () => {
    while (!svc.worker.stopped) {
      for (const [task, at] of due) {
        if (at > Date.now() || intervalMs(task, defaultMs) < 0) continue;
        due.set(task, Date.now() + intervalMs(task, defaultMs));
        try {
          task.run(svc);
        } catch (err) {
          if (err instanceof WorkerStopped) throw err;
          LOG.exception(`Error during ComputeManager.${task.name}`, err);
        }
      }
      const next = Math.min(...[...due].filter(([t]) => t.spacing >= 0).map(([, at]) => at));
      await svc.worker.sleep(Math.max(10, Math.min(next - Date.now(), defaultMs)));
    }
  });
}

function intervalMs(task: PeriodicTask, defaultMs: number): number {
  if (task.spacing < 0) return -1;
  return task.spacing === 0 ? defaultMs : task.spacing * 1000;
}

/** `_poll_unconfirmed_resizes`. */
export function pollUnconfirmedResizes(svc: ComputeService): void {
  const window = svc.conf.DEFAULT.resize_confirm_window;
  if (window === 0) return;
  const migrations = new MigrationStore(svc.db);
  const hosts = svc.hosts.all.map((h) => h.name);
  const found = hosts.flatMap((h) => migrations.unconfirmed(window, h));
  if (found.length) {
    LOG.info(`Found ${found.length} unconfirmed migrations older than ${window} seconds`);
  }
  for (const migration of found) {
    const error = (reason: string) => {
      LOG.warning(`Setting migration ${migration.id} to error: ${reason}`);
      svc.db.transaction(() => migrations.update(migration.id, { status: "error" }));
    };
    LOG.info(
      `Automatically confirming migration ${migration.id} for instance ${migration.instance_uuid}`,
    );
    const inst = svc.instances.get(migration.instance_uuid);
    if (!inst) {
      error(`Instance ${migration.instance_uuid} not found`);
      continue;
    }
    if (inst.vm_state === VM.ERROR) {
      error("In ERROR state");
      continue;
    }
    const task = inst.task_state;
    if (task === TASK.DELETING || task === TASK.SOFT_DELETING || task === TASK.RESIZE_FINISH) {
      continue;
    }
    if (inst.vm_state !== VM.RESIZED || task !== null) {
      error(`In states ${inst.vm_state}/${task}, not RESIZED/None`);
      continue;
    }
    try {
      confirmResize(svc, serviceContext(), inst, migration);
    } catch (err) {
      LOG.info(`Error auto-confirming resize: ${(err as Error).message}. Will retry later.`);
    }
  }
}
