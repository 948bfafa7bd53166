/**
 * The conductor and compute halves of resize and cold migrate. The
 * conductor (`migrate_server` / `cold_migrate` events) records the
 * migration (pre-migrating), moves the server's allocation to it and asks
 * the scheduler for a host; without one the server is back where it was
 * with a NoValidHost fault and the migration in `error`. The destination
 * (`prep_resize`) claims, the source (`resize_instance`: resize_migrating,
 * resize_migrated) powers the guest off and hands it over, the destination
 * (`finish_resize`: resize_finish) runs it with the new flavor: RESIZED
 * (VERIFY_RESIZE), migration `finished`. resize_confirm.ts confirms or
 * reverts it.
 *
 * Mirrors nova/conductor/manager.py `migrate_server`, `_cold_migrate`,
 * nova/conductor/tasks/migrate.py `MigrationTask`, and
 * nova/compute/manager.py `prep_resize`, `resize_instance`,
 * `finish_resize`.
 *
 * @module
 */

import { getLogger } from "../../log.ts";
import type { Flavor } from "../flavors/api.ts";
import { recordFault, runComputeTask, withEvent } from "./compute_task.ts";
import type { RequestContext } from "./context.ts";
import { NoValidHost } from "./errors.ts";
import type { Instance } from "./instance.ts";
import type { InstanceValues } from "./instance_store.ts";
import { type MigrationRow, MigrationStore } from "./migrations_store.ts";
import {
  moveAllocationToMigration,
  type MoveRequest,
  revertAllocationFromMigration,
  selectMoveDestination,
} from "./move_hosts.ts";
import { powerStateOf } from "./power_actions.ts";
import type { ComputeService } from "./service.ts";
import { TASK, VM } from "./states.ts";
import { WorkerStopped } from "./worker.ts";

const LOG = getLogger("nova.conductor.manager");

/** The flavors a resize keeps while it waits for its confirmation. */
export function resizeFlavors(
  svc: ComputeService,
  uuid: string,
): { old: Flavor | null; new: Flavor | null } {
  const row = svc.db.get<{ old_flavor: string | null; new_flavor: string | null }>(
    "SELECT old_flavor, new_flavor FROM instances WHERE uuid = ?",
    uuid,
  );
  const parse = (t: string | null | undefined) => t ? JSON.parse(t) as Flavor : null;
  return { old: parse(row?.old_flavor), new: parse(row?.new_flavor) };
}

/** The instance columns of a flavor (`_set_instance_info`). */
export function flavorColumns(flavor: Flavor): InstanceValues {
  return {
    flavor: JSON.stringify(flavor),
    instance_type_id: flavor.id,
    memory_mb: flavor.memory_mb,
    vcpus: flavor.vcpus,
    root_gb: flavor.root_gb,
    ephemeral_gb: flavor.ephemeral_gb,
  };
}

/** `compute_task_api.resize_instance` → `migrate_server` (cast). */
export function migrateServer(
  svc: ComputeService,
  ctx: RequestContext,
  uuid: string,
  move: MoveRequest,
): void {
  svc.worker.run(uuid, async () => {
    const inst = svc.instances.get(uuid);
    if (!inst || inst.task_state !== TASK.RESIZE_PREP) return;
    try {
      await withEvent(
        svc,
        ctx.requestId,
        inst,
        "conductor_migrate_server",
        () =>
          withEvent(
            svc,
            ctx.requestId,
            inst,
            "cold_migrate",
            () => Promise.resolve(coldMigrate(svc, ctx, inst, move)),
          ),
      );
    } catch (err) {
      if (err instanceof WorkerStopped) throw err;
      return;
    }
    await prepResize(svc, ctx, uuid);
  });
}

/**
 * `_cold_migrate` + `MigrationTask._execute`: the migration record and the
 * allocation swap (`_preallocate_migration`), then the scheduler's choice.
 *
 * @throws {NoValidHost} "No valid host found for resize" / "... cold migrate"
 */
function coldMigrate(svc: ComputeService, ctx: RequestContext, inst: Instance, move: MoveRequest) {
  const migrations = new MigrationStore(svc.db);
  const resize = move.flavor.id !== inst.flavor.id;
  const migration = svc.db.transaction(() => {
    const created = migrations.create({
      instance_uuid: inst.uuid,
      status: "pre-migrating",
      migration_type: resize ? "resize" : "migration",
      old_instance_type_id: inst.flavor.id,
      new_instance_type_id: move.flavor.id,
      source_compute: inst.host,
      source_node: inst.node,
      user_id: ctx.auth.userId,
      project_id: ctx.auth.projectId,
    });
    moveAllocationToMigration(svc, inst.uuid, created.uuid);
    return created;
  });
  try {
    svc.db.transaction(() => {
      const dest = selectMoveDestination(svc, inst, move);
      migrations.update(migration.id, {
        dest_compute: dest.host,
        dest_node: dest.node,
        dest_host: svc.conf.DEFAULT.my_ip,
      });
      svc.instances.update(inst.uuid, { new_flavor: JSON.stringify(move.flavor) });
      svc.instances.setSystemMetadata(inst.uuid, { old_vm_state: inst.vm_state });
    });
  } catch (err) {
    if (!(err instanceof NoValidHost)) throw err;
    noValidHost(svc, inst, migration, err);
    throw new NoValidHost(`No valid host found for ${resize ? "resize" : "cold migrate"}`);
  }
}

/** `set_vm_state_and_notify` and `MigrationTask.rollback` (the migration in `error`). */
function noValidHost(svc: ComputeService, inst: Instance, migration: MigrationRow, err: Error) {
  LOG.warning(`Failed to compute_task_migrate_server: ${err.message}`);
  svc.db.transaction(() => {
    new MigrationStore(svc.db).update(migration.id, { status: "error" });
    revertAllocationFromMigration(svc, inst.uuid, migration.uuid);
    svc.instances.update(inst.uuid, { vm_state: inst.vm_state ?? VM.ACTIVE, task_state: null });
    recordFault(svc, inst, err, []);
  });
}

/** `prep_resize` on the destination, then `resize_instance` on the source. */
async function prepResize(svc: ComputeService, ctx: RequestContext, uuid: string): Promise<void> {
  const migration = new MigrationStore(svc.db).list({ instanceUuid: uuid, status: "pre-migrating" })
    .at(-1);
  if (!migration) return;
  const failed = await runComputeTask(svc, {
    requestId: ctx.requestId,
    uuid,
    event: "compute_prep_resize",
    expected: [TASK.RESIZE_PREP],
    host: migration.dest_compute ?? undefined,
    run: () => Promise.resolve(),
  });
  if (failed) return;
  await resizeInstance(svc, ctx, uuid, migration);
}

async function resizeInstance(
  svc: ComputeService,
  ctx: RequestContext,
  uuid: string,
  migration: MigrationRow,
): Promise<void> {
  const migrations = new MigrationStore(svc.db);
  const failed = await runComputeTask(svc, {
    requestId: ctx.requestId,
    uuid,
    event: "compute_resize_instance",
    expected: [TASK.RESIZE_PREP],
    onError: { vm_state: VM.ERROR },
    run: async (inst) => {
      svc.db.transaction(() => {
        migrations.update(migration.id, { status: "migrating" });
        svc.instances.update(uuid, { task_state: TASK.RESIZE_MIGRATING }, [TASK.RESIZE_PREP]);
      });
      await svc.driver.migrateDiskAndPowerOff?.(svc.manager.driverInstance(inst));
      svc.db.transaction(() => {
        migrations.update(migration.id, { status: "post-migrating" });
        svc.instances.update(uuid, {
          host: migration.dest_compute,
          node: migration.dest_node,
          old_flavor: JSON.stringify(inst.flavor),
          task_state: TASK.RESIZE_MIGRATED,
        }, [TASK.RESIZE_MIGRATING]);
      });
    },
  });
  if (!failed) await finishResize(svc, ctx, uuid, migration);
}

/** `finish_resize` on the destination: the new flavor, RESIZED, migration `finished`. */
async function finishResize(
  svc: ComputeService,
  ctx: RequestContext,
  uuid: string,
  migration: MigrationRow,
): Promise<void> {
  await runComputeTask(svc, {
    requestId: ctx.requestId,
    uuid,
    event: "compute_finish_resize",
    expected: [TASK.RESIZE_MIGRATED],
    onError: { vm_state: VM.ERROR },
    run: async (inst) => {
      const next = resizeFlavors(svc, uuid).new ?? inst.flavor;
      const powerOn = inst.system_metadata.old_vm_state !== VM.STOPPED;
      svc.db.transaction(() =>
        svc.instances.update(uuid, { ...flavorColumns(next), task_state: TASK.RESIZE_FINISH }, [
          TASK.RESIZE_MIGRATED,
        ])
      );
      await svc.driver.finishMigration?.(
        svc.manager.driverInstance(svc.instances.require(uuid)),
        powerOn,
      );
      svc.db.transaction(() => {
        new MigrationStore(svc.db).update(migration.id, { status: "finished" });
        svc.instances.update(uuid, {
          power_state: powerStateOf(svc, inst),
          vm_state: VM.RESIZED,
          task_state: null,
        }, [TASK.RESIZE_FINISH]);
      });
    },
  });
}
