/**
 * rescue and unrescue, both halves. Rescue checks the rescue image (the
 * one named, else the server's own) and refuses volume-backed servers
 * (from 2.87 only when the host cannot rescue them, which the fake host
 * cannot); the host powers the guest off and boots the rescue image
 * (rescuing → RESCUE). Unrescue boots the server's own disk again
 * (unrescuing → ACTIVE). `[DEFAULT] rescue_timeout` unrescues servers
 * left in RESCUE.
 *
 * Mirrors nova/compute/api.py `rescue`, `unrescue` and
 * nova/compute/manager.py `rescue_instance`, `unrescue_instance`,
 * `_get_rescue_image`, `_poll_rescued_instances`.
 *
 * @module
 */

import { utcnow } from "../../store/timestamps.ts";
import { ACTION } from "./actions.ts";
import { beginTask, castToCompute, requireHost, serviceContext } from "./compute_task.ts";
import type { RequestContext } from "./context.ts";
import { InstanceNotRescuable, UnsupportedRescueImage } from "./errors_actions.ts";
import { type Instance, INSTANCE_SELECT, instanceFromRow } from "./instance.ts";
import { powerStateOf } from "./power_actions.ts";
import type { ComputeService } from "./service.ts";
import { isVolumeBacked } from "./snapshot.ts";
import { checkInstanceLock, checkInstanceState } from "./state_checks.ts";
import { TASK, VM } from "./states.ts";

/** The rescue request. */
export interface RescueRequest {
  readonly password: string;
  readonly imageRef: string | null;
  /** 2.87: volume-backed servers may be rescued where the host can. */
  readonly allowBfvRescue: boolean;
}

/**
 * `rescue`.
 *
 * @throws {InstanceIsLocked} / {InstanceInvalidState}
 * @throws {UnsupportedRescueImage} / {InstanceNotRescuable}
 */
export function rescue(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  r: RescueRequest,
): void {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  checkInstanceState(inst, { vmState: [VM.ACTIVE, VM.STOPPED, VM.ERROR] }, "rescue");
  let properties: Record<string, string>;
  if (r.imageRef) {
    const image = svc.images.get(r.imageRef);
    if (!image || image.properties.img_block_device_mapping) {
      throw new UnsupportedRescueImage(r.imageRef);
    }
    properties = image.properties;
  } else {
    properties = imagePropertiesOf(inst);
  }
  if (isVolumeBacked(svc, inst)) {
    const bfvImage = "hw_rescue_bus" in properties && "hw_rescue_device" in properties;
    // NOTE(parity): the fake host does not report COMPUTE_RESCUE_BFV.
    const reason = r.allowBfvRescue && bfvImage
      ? "Host unable to rescue a volume-backed instance"
      : "Cannot rescue a volume-backed instance";
    throw new InstanceNotRescuable(inst.uuid, reason);
  }
  requireHost(inst, "rescue");
  beginTask(svc, ctx, inst, ACTION.RESCUE, { task_state: TASK.RESCUING });
  castToCompute(svc, {
    requestId: ctx.requestId,
    uuid: inst.uuid,
    event: "compute_rescue_instance",
    expected: [TASK.RESCUING],
    run: async (current) => {
      const guest = svc.manager.driverInstance(current);
      try {
        await svc.driver.powerOff(guest).catch(() => undefined);
        if (!svc.driver.rescue) throw new Error("NotImplementedError");
        await svc.driver.rescue(guest);
      } catch (err) {
        svc.db.transaction(() => svc.instances.update(current.uuid, { vm_state: VM.ERROR }));
        throw new InstanceNotRescuable(current.uuid, `Driver Error: ${(err as Error).message}`);
      }
      svc.db.transaction(() =>
        svc.instances.update(current.uuid, {
          vm_state: VM.RESCUED,
          task_state: null,
          power_state: powerStateOf(svc, current),
          launched_at: utcnow(),
        }, [TASK.RESCUING])
      );
    },
  });
}

/** `instance.image_meta.properties`: the `image_*` system metadata. */
function imagePropertiesOf(inst: Instance): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(inst.system_metadata)) {
    if (key.startsWith("image_")) out[key.slice(6)] = value;
  }
  return out;
}

/** `unrescue`. @throws {InstanceIsLocked} / {InstanceInvalidState} */
export function unrescue(svc: ComputeService, ctx: RequestContext, inst: Instance): void {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  checkInstanceState(inst, { vmState: [VM.RESCUED] }, "unrescue");
  requireHost(inst, "unrescue");
  beginTask(svc, ctx, inst, ACTION.UNRESCUE, { task_state: TASK.UNRESCUING });
  castToCompute(svc, {
    requestId: ctx.requestId,
    uuid: inst.uuid,
    event: "compute_unrescue_instance",
    expected: [TASK.UNRESCUING],
    // `_error_out_instance_on_exception`
    onError: { vm_state: VM.ERROR },
    run: async (current) => {
      if (!svc.driver.unrescue) throw new Error("NotImplementedError");
      await svc.driver.unrescue(svc.manager.driverInstance(current));
      svc.db.transaction(() =>
        svc.instances.update(current.uuid, {
          vm_state: VM.ACTIVE,
          task_state: null,
          power_state: powerStateOf(svc, current),
        }, [TASK.UNRESCUING])
      );
    },
  });
}

/** `_poll_rescued_instances`: RESCUE for longer than `rescue_timeout` is undone. */
export function pollRescuedInstances(svc: ComputeService): void {
  const timeout = svc.conf.DEFAULT.rescue_timeout;
  if (timeout <= 0) return;
  const cutoff = new Date(Date.now() - timeout * 1000).toISOString().replace("Z", "");
  const rows = svc.db.all(
    `${INSTANCE_SELECT} WHERE i.deleted = 0 AND i.vm_state = 'rescued' AND i.task_state IS NULL
       AND i.launched_at <= ?`,
    cutoff,
  );
  const ctx = serviceContext();
  for (const inst of rows.map(instanceFromRow)) unrescue(svc, ctx, inst);
}
