/**
 * The compute half of confirmResize and revertResize. Confirming frees the
 * source host (the migration's allocation) and leaves the server ACTIVE
 * or, when its guest is off, STOPPED (`confirmed`). Reverting powers the
 * guest off on the destination (`revert_resize`) and brings the old flavor
 * back on the source (`finish_revert_resize`: ACTIVE, or STOPPED when it
 * was stopped before the resize; `reverted`).
 *
 * Mirrors nova/compute/manager.py `confirm_resize` (`_confirm_resize`,
 * `@errors_out_migration`), `revert_resize` and `finish_revert_resize`.
 *
 * @module
 */

import { castToCompute, runComputeTask } from "./compute_task.ts";
import type { RequestContext } from "./context.ts";
import { type MigrationRow, MigrationStore } from "./migrations_store.ts";
import { revertAllocationFromMigration } from "./move_hosts.ts";
import { powerStateOf } from "./power_actions.ts";
import { flavorColumns, resizeFlavors } from "./resize_compute.ts";
import type { ComputeService } from "./service.ts";
import { POWER, TASK, VM } from "./states.ts";

/** `confirm_resize` on the source host (cast). */
export function confirmResize(
  svc: ComputeService,
  ctx: RequestContext,
  uuid: string,
  migrationId: number,
): void {
  svc.worker.run(uuid, () => confirmResizeNow(svc, ctx.requestId, uuid, migrationId));
}

/** `confirm_resize` (`@errors_out_migration`): the source freed, ACTIVE or STOPPED. */
export async function confirmResizeNow(
  svc: ComputeService,
  requestId: string,
  uuid: string,
  migrationId: number,
): Promise<void> {
  const migrations = new MigrationStore(svc.db);
  const migration = migrations.get(migrationId);
  if (!migration) return;
  const failed = await runComputeTask(svc, {
    requestId,
    uuid,
    event: "compute_confirm_resize",
    expected: null,
    keepTaskState: true,
    host: migration.source_compute ?? undefined,
    run: (inst) => {
      svc.db.transaction(() => {
        svc.hosts.release(migration.uuid);
        migrations.update(migration.id, { status: "confirmed" });
        svc.instances.update(uuid, { old_flavor: null, new_flavor: null });
        svc.instances.setSystemMetadata(uuid, { old_vm_state: null });
        const stopped = powerStateOf(svc, inst) === POWER.SHUTDOWN;
        svc.instances.update(uuid, {
          vm_state: stopped ? VM.STOPPED : VM.ACTIVE,
          task_state: null,
        }, [null, TASK.DELETING, TASK.SOFT_DELETING]);
      });
      return Promise.resolve();
    },
  });
  if (failed) svc.db.transaction(() => migrations.update(migration.id, { status: "error" }));
}

/** `revert_resize` on the destination, then `finish_revert_resize` on the source (cast). */
export function revertResize(
  svc: ComputeService,
  ctx: RequestContext,
  uuid: string,
  migrationId: number,
): void {
  const migration = new MigrationStore(svc.db).get(migrationId)!;
  castToCompute(svc, {
    requestId: ctx.requestId,
    uuid,
    event: "compute_revert_resize",
    expected: [TASK.RESIZE_REVERTING],
    host: migration.dest_compute ?? undefined,
    run: async (inst) => {
      if (migration.dest_compute !== migration.source_compute) {
        await svc.driver.powerOff(svc.manager.driverInstance(inst)).catch(() => undefined);
      }
      await finishRevertResize(svc, ctx.requestId, uuid, migration);
    },
  });
}

async function finishRevertResize(
  svc: ComputeService,
  requestId: string,
  uuid: string,
  migration: MigrationRow,
): Promise<void> {
  const failed = await runComputeTask(svc, {
    requestId,
    uuid,
    event: "compute_finish_revert_resize",
    expected: [TASK.RESIZE_REVERTING],
    host: migration.source_compute ?? undefined,
    run: async (inst) => {
      const old = resizeFlavors(svc, uuid).old ?? inst.flavor;
      const powerOn = inst.system_metadata.old_vm_state !== VM.STOPPED;
      svc.db.transaction(() => {
        svc.instances.update(uuid, {
          ...flavorColumns(old),
          old_flavor: null,
          new_flavor: null,
          host: migration.source_compute,
          node: migration.source_node,
        });
        revertAllocationFromMigration(svc, uuid, migration.uuid);
      });
      await svc.driver.finishRevertMigration?.(svc.manager.driverInstance(inst), powerOn);
      svc.db.transaction(() => {
        new MigrationStore(svc.db).update(migration.id, { status: "reverted" });
        svc.instances.setSystemMetadata(uuid, { old_vm_state: null });
        svc.instances.update(uuid, {
          power_state: powerStateOf(svc, inst),
          vm_state: powerOn ? VM.ACTIVE : VM.STOPPED,
          task_state: null,
        }, [TASK.RESIZE_REVERTING]);
      });
    },
  });
  void failed;
}
