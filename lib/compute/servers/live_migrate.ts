/**
 * os-migrateLive, all halves. The API checks the lock, state and named
 * host, moves the task to `migrating` and records `live-migration`; the
 * conductor records an `accepted` migration and checks the source, the
 * destination (not the source itself, up, with room) or asks the
 * scheduler; on a failure the server is back to its state with a fault and
 * the migration is `error`. Before 2.34 the API waits for that answer (a
 * call: 400 with the reason); from 2.34 it does not (a cast: 202). A host
 * found, the guest moves there (preparing, running, completed).
 *
 * Mirrors nova/compute/api.py `live_migrate`, nova/conductor/manager.py
 * `live_migrate_instance`, `_live_migrate`, nova/conductor/tasks/
 * live_migrate.py `LiveMigrationTask._execute` and nova/compute/manager.py
 * `pre_live_migration`, `live_migration`, `post_live_migration_at_destination`.
 *
 * @module
 */

import { getLogger } from "../../log.ts";
import { ACTION } from "./actions.ts";
import { beginTask, recordFault, runComputeTask, withEvent } from "./compute_task.ts";
import type { RequestContext } from "./context.ts";
import { InstanceInvalidState, NovaException } from "./errors.ts";
import { UnableToMigrateToSelf } from "./errors_actions.ts";
import type { Instance } from "./instance.ts";
import { type MigrationRow, MigrationStore } from "./migrations_store.ts";
import {
  computeServiceIsUp,
  moveAllocationToMigration,
  requireComputeHost,
  revertAllocationFromMigration,
  selectMoveDestination,
} from "./move_hosts.ts";
import { powerStateOf } from "./power_actions.ts";
import type { ComputeService } from "./service.ts";
import { checkInstanceLock, checkInstanceState } from "./state_checks.ts";
import { POWER, POWER_NAMES, TASK, VM } from "./states.ts";
import { WorkerStopped } from "./worker.ts";

const LOG = getLogger("nova.conductor.manager");
/** nova.exception.ComputeServiceUnavailable */
export class ComputeServiceUnavailable extends NovaException {
  constructor(host: string) {
    super(`Compute service of ${host} is unavailable at this time.`, 400);
  }
}

/** What the controller asks for. */
export interface LiveMigrateRequest {
  readonly host: string | null;
  /** 2.30-2.67 `force`; null before 2.30 (a named host is then forced). */
  readonly force: boolean | null;
  /** 2.34+: the API does not wait for the conductor. */
  readonly async: boolean;
}

/**
 * `live_migrate`. Resolves (sync, before 2.34) once the conductor has
 * checked the move; rejects with its error then.
 *
 * @throws {InstanceIsLocked} / {InstanceInvalidState} / {ComputeHostNotFound}
 */
export async function liveMigrate(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  r: LiveMigrateRequest,
): Promise<void> {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  checkInstanceState(inst, { vmState: [VM.ACTIVE, VM.PAUSED] }, "live_migrate");
  if (r.host) requireComputeHost(svc, r.host);
  beginTask(svc, ctx, inst, ACTION.LIVE_MIGRATION, { task_state: TASK.MIGRATING });
  // `force is False and host`: the scheduler checks the named host.
  const forced = r.force !== false ? r.host : null;
  const requested = r.force === false ? r.host : null;
  const event = r.async ? "conductor_live_migrate_instance" : "conductor_migrate_server";
  const run = () => conductor(svc, ctx, inst.uuid, event, forced, requested);
  if (r.async) {
    svc.worker.run(inst.uuid, async () => {
      await run().catch((err) => {
        if (err instanceof WorkerStopped) throw err;
      });
    });
    return;
  }
  await svc.worker.call(inst.uuid, run);
}

/** `_live_migrate`: the migration record, the task's checks, then the move. */
async function conductor(
  svc: ComputeService,
  ctx: RequestContext,
  uuid: string,
  event: string,
  forced: string | null,
  requested: string | null,
): Promise<void> {
  const inst = svc.instances.require(uuid);
  const migrations = new MigrationStore(svc.db);
  const migration = svc.db.transaction(() =>
    migrations.create({
      instance_uuid: uuid,
      status: "accepted",
      migration_type: "live-migration",
      dest_compute: forced,
      source_compute: inst.host,
      old_instance_type_id: inst.flavor.id,
      new_instance_type_id: inst.flavor.id,
      user_id: ctx.auth.userId,
      project_id: ctx.auth.projectId,
    })
  );
  let dest: { host: string; node: string };
  try {
    dest = await withEvent(
      svc,
      ctx.requestId,
      inst,
      event,
      () => Promise.resolve(checkMove(svc, inst, migration, forced, requested)),
    );
  } catch (err) {
    if (err instanceof WorkerStopped) throw err;
    moveFailed(svc, inst, migration, err as Error);
    throw err;
  }
  await migrateOnHosts(svc, ctx.requestId, inst, migration, dest);
}

/** `LiveMigrationTask._execute`'s checks; the destination (with its claim). */
function checkMove(
  svc: ComputeService,
  inst: Instance,
  migration: MigrationRow,
  forced: string | null,
  requested: string | null,
): { host: string; node: string } {
  const power = inst.power_state ?? POWER.NOSTATE;
  if (power !== POWER.RUNNING && power !== POWER.PAUSED) {
    throw new InstanceInvalidState(inst.uuid, "power_state", POWER_NAMES[power], "live migrate");
  }
  const source = inst.host ?? "";
  if (!computeServiceIsUp(svc, source)) throw new ComputeServiceUnavailable(source);
  svc.db.transaction(() => moveAllocationToMigration(svc, inst.uuid, migration.uuid));
  return svc.db.transaction(() => {
    if (forced) {
      if (forced === source) throw new UnableToMigrateToSelf(inst.uuid, forced);
      if (!computeServiceIsUp(svc, forced)) throw new ComputeServiceUnavailable(forced);
    }
    const chosen = selectMoveDestination(svc, inst, {
      flavor: inst.flavor,
      ignoreHosts: forced ? [] : [source],
      host: forced ?? requested,
    });
    new MigrationStore(svc.db).update(migration.id, {
      dest_compute: chosen.host,
      dest_node: chosen.node,
      dest_host: svc.conf.DEFAULT.my_ip,
    });
    return { host: chosen.host, node: chosen.node };
  });
}

/** `set_vm_state_and_notify(vm_state=instance.vm_state, task_state=None)`, migration `error`. */
function moveFailed(svc: ComputeService, inst: Instance, migration: MigrationRow, err: Error) {
  LOG.warning(`Failed to compute_task_migrate_server: ${err.message}`);
  svc.db.transaction(() => {
    new MigrationStore(svc.db).update(migration.id, { status: "error" });
    revertAllocationFromMigration(svc, inst.uuid, migration.uuid);
    if (svc.instances.get(inst.uuid)?.task_state === TASK.MIGRATING) {
      svc.instances.update(inst.uuid, { vm_state: inst.vm_state, task_state: null });
    }
    recordFault(svc, inst, err, []);
  });
}

/** `pre_live_migration`, `live_migration`, `post_live_migration_at_destination`. */
async function migrateOnHosts(
  svc: ComputeService,
  requestId: string,
  inst: Instance,
  migration: MigrationRow,
  dest: { host: string; node: string },
): Promise<void> {
  const migrations = new MigrationStore(svc.db);
  const step = (event: string, host: string, run: (i: Instance) => Promise<void>) =>
    runComputeTask(svc, {
      requestId,
      uuid: inst.uuid,
      event,
      expected: [TASK.MIGRATING],
      host,
      run,
    });
  const source = inst.host ?? "";
  const failed = await step("compute_pre_live_migration", dest.host, () => {
    svc.db.transaction(() => migrations.update(migration.id, { status: "preparing" }));
    return Promise.resolve();
  }) ?? await step("compute_live_migration", source, async () => {
    svc.db.transaction(() => migrations.update(migration.id, { status: "running" }));
    await svc.worker.sleep(svc.conf.novalet_compute.action_delay_ms);
  }) ?? await step("compute_post_live_migration_at_destination", dest.host, (i) => {
    svc.db.transaction(() => {
      svc.hosts.release(migration.uuid);
      migrations.update(migration.id, { status: "completed" });
      svc.instances.update(i.uuid, {
        host: dest.host,
        node: dest.node,
        power_state: powerStateOf(svc, i),
        task_state: null,
      }, [TASK.MIGRATING]);
    });
    return Promise.resolve();
  });
  if (failed) moveFailed(svc, inst, migration, failed);
}
