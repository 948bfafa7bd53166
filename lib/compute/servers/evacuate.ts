/**
 * evacuate, all halves. The API refuses while the server's compute
 * service is up (nova evacuates only from a failed host), else moves the
 * task to `rebuilding`, records `evacuate` and an `accepted` evacuation
 * migration; the conductor (`rebuild_server`) asks the scheduler for
 * another host (or claims on the forced one); without one the server is
 * ERROR with a fault and the migration `error`. With a host, the server is
 * rebuilt there (`compute_rebuild_instance`), the migration `done`.
 *
 * Mirrors nova/compute/api.py `evacuate`, nova/conductor/manager.py
 * `rebuild_instance` (the evacuate branch) and nova/compute/manager.py
 * `rebuild_instance` with `recreate=True`.
 *
 * @module
 */

import { utcnow } from "../../store/timestamps.ts";
import { ACTION } from "./actions.ts";
import { beginTask, recordFault, runComputeTask, withEvent } from "./compute_task.ts";
import type { RequestContext } from "./context.ts";
import { NoValidHost } from "./errors.ts";
import { ComputeServiceInUse } from "./errors_actions.ts";
import type { Instance } from "./instance.ts";
import { type MigrationRow, MigrationStore } from "./migrations_store.ts";
import { computeServiceIsUp, selectMoveDestination } from "./move_hosts.ts";
import { powerStateOf } from "./power_actions.ts";
import type { ComputeService } from "./service.ts";
import { checkInstanceState } from "./state_checks.ts";
import { TASK, VM } from "./states.ts";
import { WorkerStopped } from "./worker.ts";

/** What the controller asks for. */
export interface EvacuateRequest {
  readonly host: string | null;
  /** 2.29-2.67 `force`; null otherwise. */
  readonly force: boolean | null;
  readonly password: string | null;
}

/**
 * `evacuate`.
 *
 * @throws {InstanceInvalidState}
 * @throws {ComputeServiceInUse} while the server's compute service is up
 */
export function evacuate(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  r: EvacuateRequest,
): void {
  checkInstanceState(inst, { vmState: [VM.ACTIVE, VM.STOPPED, VM.ERROR] }, "evacuate");
  const source = inst.host ?? "";
  if (computeServiceIsUp(svc, source)) throw new ComputeServiceInUse(source);
  beginTask(svc, ctx, inst, ACTION.EVACUATE, { task_state: TASK.REBUILDING });
  const migration = svc.db.transaction(() =>
    new MigrationStore(svc.db).create({
      instance_uuid: inst.uuid,
      status: "accepted",
      migration_type: "evacuation",
      source_compute: inst.host,
      source_node: inst.node,
      dest_compute: r.host,
      user_id: ctx.auth.userId,
      project_id: ctx.auth.projectId,
    })
  );
  const forced = r.force === false ? null : r.host;
  svc.worker.run(inst.uuid, async () => {
    await conductor(svc, ctx, inst, migration, forced, r.force === false ? r.host : null)
      .catch((err) => {
        if (err instanceof WorkerStopped) throw err;
      });
  });
}

/** The conductor's `rebuild_instance` for an evacuation: a destination, then the rebuild there. */
async function conductor(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  migration: MigrationRow,
  forced: string | null,
  requested: string | null,
): Promise<void> {
  const migrations = new MigrationStore(svc.db);
  const dest = await withEvent(svc, ctx.requestId, inst, "rebuild_server", () => {
    try {
      return Promise.resolve(svc.db.transaction(() => {
        const chosen = selectMoveDestination(svc, inst, {
          flavor: inst.flavor,
          ignoreHosts: forced ? [] : [inst.host ?? ""],
          host: forced ?? requested,
        });
        migrations.update(migration.id, { dest_compute: chosen.host, dest_node: chosen.node });
        return chosen;
      }));
    } catch (err) {
      if (err instanceof NoValidHost) noValidHost(svc, inst, migration, err, forced !== null);
      throw err;
    }
  });
  await rebuildOnDestination(svc, ctx.requestId, inst, migration, dest);
}

/**
 * No host: the migration `error`; the server ERROR with the fault — except
 * for a forced host nova leaves it as it is (still rebuilding).
 */
function noValidHost(
  svc: ComputeService,
  inst: Instance,
  migration: MigrationRow,
  err: Error,
  forced: boolean,
): void {
  svc.db.transaction(() => {
    new MigrationStore(svc.db).update(migration.id, { status: "error" });
    if (forced) return;
    svc.instances.update(inst.uuid, { vm_state: VM.ERROR, task_state: null });
    recordFault(svc, inst, err, []);
  });
}

/** `rebuild_instance(recreate=True)` on the destination. */
async function rebuildOnDestination(
  svc: ComputeService,
  requestId: string,
  inst: Instance,
  migration: MigrationRow,
  dest: { host: string; node: string },
): Promise<void> {
  const migrations = new MigrationStore(svc.db);
  const failed = await runComputeTask(svc, {
    requestId,
    uuid: inst.uuid,
    event: "compute_rebuild_instance",
    expected: [TASK.REBUILDING],
    host: dest.host,
    onError: { vm_state: VM.ERROR },
    run: async (current) => {
      const moved = { host: dest.host, node: dest.node, launched_on: dest.host };
      svc.db.transaction(() => {
        svc.instances.update(current.uuid, {
          ...moved,
          task_state: TASK.REBUILD_BLOCK_DEVICE_MAPPING,
        }, [
          TASK.REBUILDING,
        ]);
        svc.instances.update(current.uuid, { task_state: TASK.REBUILD_SPAWNING });
      });
      await svc.driver.destroy(svc.manager.driverInstance(current));
      await svc.driver.spawn(svc.manager.driverInstance(current));
      const stopped = current.vm_state === VM.STOPPED;
      if (stopped) await svc.driver.powerOff(svc.manager.driverInstance(current));
      svc.db.transaction(() => {
        migrations.update(migration.id, { status: "done" });
        svc.instances.update(current.uuid, {
          power_state: powerStateOf(svc, current),
          vm_state: stopped ? VM.STOPPED : VM.ACTIVE,
          task_state: null,
          launched_at: utcnow(),
        }, [TASK.REBUILD_SPAWNING]);
      });
    },
  });
  if (failed) svc.db.transaction(() => migrations.update(migration.id, { status: "failed" }));
}
