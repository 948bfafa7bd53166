/**
 * Deleting a server as `DELETE /servers/{id}` does: with `[DEFAULT]
 * reclaim_instance_interval` set, a launched server is only soft-deleted
 * (SOFT_DELETED via soft-deleting, powered off, `deleted_at` set) until
 * restore brings it back (restoring → ACTIVE) or the periodic reclaim
 * deletes it for good; a server waiting in VERIFY_RESIZE is confirmed
 * first. forceDelete goes the hard way at once.
 *
 * Mirrors nova/api/openstack/compute/servers.py `_delete`,
 * nova/compute/api.py `soft_delete`, `restore`, `_delete` (the
 * `_confirm_resize_on_deleting` step), nova/compute/manager.py
 * `soft_delete_instance`, `restore_instance`, `_reclaim_queued_deletes`.
 *
 * @module
 */

import { getLogger } from "../../log.ts";
import { utcnow } from "../../store/timestamps.ts";
import { ACTION } from "./actions.ts";
import { actionContext, castToCompute } from "./compute_task.ts";
import type { RequestContext } from "./context.ts";
import { InstanceInvalidState } from "./errors.ts";
import { type Instance, INSTANCE_SELECT, instanceFromRow } from "./instance.ts";
import type { InstanceValues } from "./instance_store.ts";
import { deleteShelvedImage, doDelete, releaseResources } from "./lifecycle.ts";
import { powerStateOf } from "./power_actions.ts";
import { checkInstanceReturns } from "./quota.ts";
import { confirmOnDelete } from "./resize.ts";
import type { ComputeService } from "./service.ts";
import { checkInstanceLock, checkInstanceState } from "./state_checks.ts";
import { POWER, TASK, VM } from "./states.ts";

const LOG = getLogger("nova.compute.manager");

/** `ServersController._delete`: soft when reclaiming is on (and the server launched). */
export async function deleteServer(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
): Promise<void> {
  if (svc.conf.DEFAULT.reclaim_instance_interval > 0) {
    try {
      return await softDelete(svc, ctx, inst);
    } catch (err) {
      // A server that never ran cannot be soft-deleted: it is deleted.
      if (!(err instanceof InstanceInvalidState)) throw err;
    }
  }
  checkInstanceLock(inst, ctx.auth.isAdmin);
  await hardDelete(svc, ctx, inst);
}

/** `force_delete`. @throws {InstanceIsLocked} / {InstanceInvalidState} */
export async function forceDelete(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
): Promise<void> {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  checkInstanceState(
    inst,
    { vmState: null, taskState: [null], mustHaveLaunched: false },
    "force_delete",
  );
  await hardDelete(svc, ctx, inst);
}

/** `_delete(..., _do_delete, task_state=DELETING)`, a VERIFY_RESIZE server confirmed first. */
async function hardDelete(svc: ComputeService, ctx: RequestContext, inst: Instance) {
  if (inst.vm_state !== VM.RESIZED || !inst.host) return doDelete(svc, ctx, inst);
  svc.db.transaction(() =>
    svc.instances.update(inst.uuid, { task_state: TASK.DELETING, progress: 0 })
  );
  await confirmOnDelete(svc, ctx, inst);
  const current = svc.instances.get(inst.uuid);
  if (current) doDelete(svc, ctx, current, inst.task_state);
}

/**
 * `soft_delete`: the task `soft-deleting` and `deleted_at`, then the host
 * powers the guest off (SOFT_DELETED).
 *
 * @throws {InstanceIsLocked}; {InstanceInvalidState} for a server never launched
 */
export async function softDelete(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
): Promise<void> {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  checkInstanceState(inst, { vmState: null, taskState: null }, "soft_delete");
  if (!inst.host) return doDelete(svc, ctx, inst);
  const original = inst.task_state;
  deleteShelvedImage(svc, inst);
  const soft = { task_state: TASK.SOFT_DELETING, deleted_at: utcnow(), progress: 0 };
  svc.db.transaction(() => svc.instances.update(inst.uuid, soft));
  if (inst.vm_state === VM.RESIZED) {
    await confirmOnDelete(svc, ctx, inst);
    svc.db.transaction(() => svc.instances.update(inst.uuid, { task_state: TASK.SOFT_DELETING }));
  }
  if (original === TASK.DELETING || original === TASK.SOFT_DELETING) {
    LOG.info(`Instance is already in deleting state, ignoring this request (${inst.uuid})`);
    return;
  }
  svc.db.transaction(() => svc.actions.start(actionContext(ctx), inst.uuid, ACTION.DELETE));
  castToCompute(svc, {
    requestId: ctx.requestId,
    uuid: inst.uuid,
    event: "compute_soft_delete_instance",
    expected: [TASK.SOFT_DELETING],
    run: async (current) => {
      // The driver has no soft_delete of its own (libvirt neither): power off.
      await svc.driver.powerOff(svc.manager.driverInstance(current));
      svc.db.transaction(() =>
        svc.instances.update(current.uuid, {
          power_state: powerStateOf(svc, current),
          vm_state: VM.SOFT_DELETED,
          task_state: null,
        }, [TASK.SOFT_DELETING])
      );
    },
  });
}

/**
 * `restore`: a soft-deleted server back (quota permitting), ACTIVE once its
 * host has powered it on.
 *
 * @throws {InstanceIsLocked} / {InstanceInvalidState} / {OverQuota}
 */
export function restore(svc: ComputeService, ctx: RequestContext, inst: Instance): void {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  checkInstanceState(inst, { vmState: [VM.SOFT_DELETED] }, "restore");
  checkInstanceReturns(svc, ctx, inst.flavor, inst);
  svc.db.transaction(() => {
    svc.actions.start(actionContext(ctx), inst.uuid, ACTION.RESTORE);
    const values: InstanceValues = inst.host
      ? { task_state: TASK.RESTORING, deleted_at: null }
      : { vm_state: VM.ACTIVE, task_state: null, deleted_at: null };
    svc.instances.update(inst.uuid, values, [null]);
  });
  if (!inst.host) return;
  castToCompute(svc, {
    requestId: ctx.requestId,
    uuid: inst.uuid,
    event: "compute_restore_instance",
    expected: [TASK.RESTORING],
    run: async (current) => {
      await svc.driver.powerOn(svc.manager.driverInstance(current));
      svc.db.transaction(() =>
        svc.instances.update(current.uuid, {
          power_state: powerStateOf(svc, current) || POWER.RUNNING,
          vm_state: VM.ACTIVE,
          task_state: null,
        }, [TASK.RESTORING])
      );
    },
  });
}

/** `_reclaim_queued_deletes`: soft-deleted servers older than the interval are deleted. */
export function reclaimQueuedDeletes(svc: ComputeService): void {
  const interval = svc.conf.DEFAULT.reclaim_instance_interval;
  if (interval <= 0) return;
  const cutoff = new Date(Date.now() - interval * 1000).toISOString().replace("Z", "");
  const rows = svc.db.all(
    `${INSTANCE_SELECT} WHERE i.deleted = 0 AND i.vm_state = 'soft-deleted'
       AND i.task_state IS NULL AND (i.deleted_at IS NULL OR i.deleted_at <= ?)`,
    cutoff,
  );
  for (const inst of rows.map(instanceFromRow)) {
    if (inst.host && !svc.hosts.get(inst.host)) continue;
    LOG.info(`Reclaiming deleted instance (${inst.uuid})`);
    svc.worker.run(inst.uuid, async () => {
      await svc.driver.destroy(svc.manager.driverInstance(inst));
      svc.db.transaction(() => {
        if (svc.instances.get(inst.uuid)?.vm_state !== VM.SOFT_DELETED) return;
        releaseResources(svc, inst.uuid);
        svc.instances.update(inst.uuid, {
          vm_state: VM.DELETED,
          task_state: null,
          power_state: POWER.NOSTATE,
          terminated_at: utcnow(),
        });
        svc.instances.destroy(inst.uuid);
      });
    });
  }
}
