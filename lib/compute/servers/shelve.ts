/**
 * shelve and shelveOffload, both halves. Shelving powers the guest off and
 * snapshots it to a `<name>-shelved` image (shelving,
 * shelving_image_pending_upload, shelving_image_uploading): SHELVED, and
 * with `[DEFAULT] shelved_offload_time = 0` at once offloaded (the guest
 * destroyed, the host and its resources released: SHELVED_OFFLOADED). A
 * periodic task offloads servers shelved for longer than
 * `shelved_offload_time`. unshelve.ts brings them back.
 *
 * Mirrors nova/compute/api.py `shelve`, `shelve_offload` and
 * nova/compute/manager.py `shelve_instance`, `shelve_offload_instance`,
 * `_poll_shelved_instances`.
 *
 * @module
 */

import { utcnow } from "../../store/timestamps.ts";
import { createImage, finishUpload, startUpload } from "../images/snapshots.ts";
import { ACTION } from "./actions.ts";
import { beginTask, castToCompute } from "./compute_task.ts";
import type { RequestContext } from "./context.ts";
import type { Instance } from "./instance.ts";
import type { InstanceValues } from "./instance_store.ts";
import { powerStateOf } from "./power_actions.ts";
import type { ComputeService } from "./service.ts";
import { isVolumeBacked, snapshotMetadata } from "./snapshot.ts";
import { checkInstanceLock, checkInstanceState } from "./state_checks.ts";
import { TASK, VM } from "./states.ts";

/** `shelve`. @throws {InstanceIsLocked} / {InstanceInvalidState} */
export function shelve(svc: ComputeService, ctx: RequestContext, inst: Instance): void {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  checkInstanceState(
    inst,
    { vmState: [VM.ACTIVE, VM.STOPPED, VM.PAUSED, VM.SUSPENDED] },
    "shelve",
  );
  beginTask(svc, ctx, inst, ACTION.SHELVE, { task_state: TASK.SHELVING });
  svc.db.transaction(() =>
    svc.instances.setSystemMetadata(inst.uuid, { image_base_image_ref: inst.image_ref })
  );
  if (isVolumeBacked(svc, inst)) {
    castOffload(svc, ctx, inst.uuid, [TASK.SHELVING], "compute_shelve_offload_instance");
    return;
  }
  const meta = snapshotMetadata(svc, ctx, inst, `${inst.display_name}-shelved`, {
    instance_uuid: inst.uuid,
    user_id: String(ctx.auth.userId),
    image_type: "snapshot",
  });
  const image = svc.db.transaction(() =>
    createImage(svc.images, { ...meta, disk_format: null, container_format: null })
  );
  castToCompute(svc, {
    requestId: ctx.requestId,
    uuid: inst.uuid,
    event: "compute_shelve_instance",
    expected: [TASK.SHELVING],
    run: (current) => shelveOnHost(svc, current, image.id),
  });
}

/** `_shelve_instance`: power off, snapshot and upload, SHELVED (and offloaded at once when due). */
async function shelveOnHost(svc: ComputeService, inst: Instance, imageId: string) {
  const guest = svc.manager.driverInstance(inst);
  const move = (task: string, from: readonly string[], extra: InstanceValues = {}) =>
    svc.db.transaction(() => svc.instances.update(inst.uuid, { ...extra, task_state: task }, from));
  await svc.driver.powerOff(guest);
  move(TASK.SHELVING_IMAGE_PENDING_UPLOAD, [TASK.SHELVING]);
  const size = await svc.driver.snapshot?.(guest) ?? 0;
  move(TASK.SHELVING_IMAGE_UPLOADING, [TASK.SHELVING_IMAGE_PENDING_UPLOAD]);
  svc.db.transaction(() => startUpload(svc.images, imageId));
  await svc.worker.sleep(svc.conf.novalet_compute.action_delay_ms);
  const offload = svc.conf.DEFAULT.shelved_offload_time === 0;
  svc.db.transaction(() => {
    finishUpload(svc.images, imageId, size);
    svc.instances.setSystemMetadata(inst.uuid, {
      shelved_at: utcnow().replace(" ", "T"),
      shelved_image_id: imageId,
      shelved_host: inst.host,
    });
    svc.instances.update(inst.uuid, {
      vm_state: VM.SHELVED,
      task_state: offload ? TASK.SHELVING_OFFLOADING : null,
      power_state: powerStateOf(svc, inst),
    }, [TASK.SHELVING, TASK.SHELVING_IMAGE_UPLOADING]);
  });
  if (offload) await offloadOnHost(svc, svc.instances.require(inst.uuid));
}

/** `shelve_offload`. @throws {InstanceIsLocked} / {InstanceInvalidState} */
export function shelveOffload(svc: ComputeService, ctx: RequestContext, inst: Instance): void {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  checkInstanceState(inst, { vmState: [VM.SHELVED] }, "shelve_offload");
  beginTask(svc, ctx, inst, ACTION.SHELVE_OFFLOAD, { task_state: TASK.SHELVING_OFFLOADING });
  castOffload(svc, ctx, inst.uuid, [TASK.SHELVING_OFFLOADING], "compute_shelve_offload_instance");
}

function castOffload(
  svc: ComputeService,
  ctx: RequestContext,
  uuid: string,
  expected: readonly string[],
  event: string,
): void {
  castToCompute(svc, {
    requestId: ctx.requestId,
    uuid,
    event,
    expected,
    run: (current) => offloadOnHost(svc, current),
  });
}

/** `_shelve_offload_instance`: the guest destroyed, host and resources released. */
export async function offloadOnHost(svc: ComputeService, inst: Instance): Promise<void> {
  const guest = svc.manager.driverInstance(inst);
  await svc.driver.powerOff(guest).catch(() => undefined);
  const power = powerStateOf(svc, inst);
  await svc.driver.destroy(guest);
  svc.db.transaction(() => {
    svc.hosts.release(inst.uuid);
    svc.instances.update(inst.uuid, {
      power_state: power,
      vm_state: VM.SHELVED_OFFLOADED,
      task_state: null,
    }, [TASK.SHELVING, TASK.SHELVING_OFFLOADING]);
    svc.instances.update(inst.uuid, {
      host: null,
      node: null,
      launched_on: null,
      availability_zone: null,
    }, [null]);
  });
}

/** `_poll_shelved_instances`: SHELVED servers older than `shelved_offload_time` are offloaded. */
export function pollShelvedInstances(svc: ComputeService): void {
  const after = svc.conf.DEFAULT.shelved_offload_time;
  if (after <= 0) return;
  const rows = svc.db.all<{ uuid: string; value: string }>(
    `SELECT i.uuid, s.value FROM instances i JOIN instance_system_metadata s
       ON s.instance_uuid = i.uuid AND s.key = 'shelved_at'
     WHERE i.deleted = 0 AND i.vm_state = 'shelved' AND i.task_state IS NULL`,
  );
  for (const row of rows) {
    if (Date.now() - Date.parse(`${row.value.replace(" ", "T")}Z`) < after * 1000) continue;
    try {
      svc.db.transaction(() =>
        svc.instances.update(row.uuid, { task_state: TASK.SHELVING_OFFLOADING }, [null])
      );
    } catch {
      continue;
    }
    svc.worker.run(row.uuid, async () => {
      const inst = svc.instances.get(row.uuid);
      if (inst?.task_state === TASK.SHELVING_OFFLOADING) await offloadOnHost(svc, inst);
    });
  }
}
