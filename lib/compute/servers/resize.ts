/**
 * The API half of resize, cold migrate, confirmResize and revertResize:
 * nova's checks (lock, state, a host whose service is up, the flavor
 * change, the disk, the quota for an upsize, the image's needs), the task
 * state and instance action, the migration record's status, and the cast
 * to the conductor or the compute host (resize_compute.ts).
 *
 * Mirrors nova/compute/api.py `resize`, `_validate_host_for_cold_migrate`,
 * `_allow_resize_to_same_host`, `confirm_resize`, `revert_resize`,
 * `_confirm_resize_on_deleting`.
 *
 * @module
 */

import type { Flavor } from "../flavors/api.ts";
import { FlavorNotFound } from "../flavors/api.ts";
import { ACTION } from "./actions.ts";
import { actionContext, beginTask } from "./compute_task.ts";
import type { RequestContext } from "./context.ts";
import { InstanceNotReady } from "./errors.ts";
import {
  AutoDiskConfigDisabledByImage,
  CannotMigrateToSameHost,
  CannotResizeDisk,
  CannotResizeToSameFlavor,
  MigrationNotFound,
  ServiceUnavailable,
} from "./errors_actions.ts";
import { checkFlavorImage } from "./image_checks.ts";
import type { Instance } from "./instance.ts";
import { type MigrationRow, MigrationStore } from "./migrations_store.ts";
import { computeServiceIsUp, requireComputeHost } from "./move_hosts.ts";
import { checkUpsize } from "./quota.ts";
import * as compute from "./resize_compute.ts";
import * as confirm from "./resize_confirm.ts";
import type { ComputeService } from "./service.ts";
import { isVolumeBacked } from "./snapshot.ts";
import { checkInstanceLock, checkInstanceState } from "./state_checks.ts";
import { TASK, VM } from "./states.ts";

/** What the controller asks for: a flavor (resize) or none (cold migrate), a host (2.56). */
export interface ResizeRequest {
  readonly flavorId: string | null;
  readonly hostName: string | null;
  readonly autoDiskConfig: boolean | null;
}

/**
 * `resize` (and cold migrate without a flavor).
 *
 * @throws {InstanceIsLocked} / {InstanceInvalidState} / {InstanceNotReady} / {ServiceUnavailable}
 * @throws {CannotMigrateToSameHost} / {ComputeHostNotFound} / {FlavorNotFound}
 * @throws {CannotResizeToSameFlavor} / {CannotResizeDisk} / {OverQuota} / image fit errors
 */
export function resize(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  r: ResizeRequest,
): void {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  checkInstanceState(inst, { vmState: [VM.ACTIVE, VM.STOPPED] }, "resize");
  if (!inst.host) throw new InstanceNotReady(inst.uuid);
  if (!computeServiceIsUp(svc, inst.host)) throw new ServiceUnavailable();
  if (r.hostName !== null) {
    if (r.hostName === inst.host) throw new CannotMigrateToSameHost();
    requireComputeHost(svc, r.hostName);
  }
  checkAutoDiskConfig(inst, r.autoDiskConfig);
  const current = inst.flavor;
  const next = r.flavorId === null ? current : newFlavor(svc, ctx, inst, r.flavorId);
  const sameFlavor = current.id === next.id;
  if (!sameFlavor && next.disabled) throw new FlavorNotFound(r.flavorId ?? "");
  if (sameFlavor && r.flavorId !== null) throw new CannotResizeToSameFlavor();
  if (r.flavorId !== null) checkUpsize(svc, ctx, inst, current, next);
  if (!sameFlavor && !isVolumeBacked(svc, inst)) {
    checkFlavorImage(svc, ctx, null, imageFromSystemMetadata(inst), next, false);
  }
  const resizing = r.flavorId !== null;
  beginTask(svc, ctx, inst, resizing ? ACTION.RESIZE : ACTION.MIGRATE, {
    task_state: TASK.RESIZE_PREP,
    progress: 0,
    auto_disk_config: r.autoDiskConfig ? 1 : 0,
  });
  svc.db.transaction(() =>
    svc.instances.setSystemMetadata(inst.uuid, { image_base_image_ref: inst.image_ref })
  );
  const allowSameHost = !resizing ? false : svc.conf.DEFAULT.allow_resize_to_same_host;
  compute.migrateServer(svc, ctx, inst.uuid, {
    flavor: next,
    ignoreHosts: allowSameHost ? [] : [inst.host],
    host: r.hostName,
  });
}

/** `flavors.get_flavor_by_flavor_id(flavor_id, read_deleted="no")` and the zero-disk rule. */
function newFlavor(svc: ComputeService, ctx: RequestContext, inst: Instance, id: string): Flavor {
  const flavor = svc.flavors.get({ ...ctx.auth, isAdmin: true }, id);
  if (!flavor) throw new FlavorNotFound(id);
  if (flavor.root_gb === 0 && inst.flavor.root_gb !== 0 && !isVolumeBacked(svc, inst)) {
    throw new CannotResizeDisk("Resize to zero disk flavor is not allowed.");
  }
  return flavor;
}

/** `_check_auto_disk_config(instance, ...)`: the image the server came from may forbid AUTO. */
function checkAutoDiskConfig(inst: Instance, requested: boolean | null): void {
  if (!requested) return;
  if (inst.system_metadata.image_auto_disk_config?.trim().toLowerCase() === "disabled") {
    const image = inst.system_metadata.image_base_image_ref ?? "";
    throw new AutoDiskConfigDisabledByImage(image);
  }
}

/** `utils.get_image_from_system_metadata`, as the fit checks read it (no size). */
function imageFromSystemMetadata(inst: Instance) {
  const sm = inst.system_metadata;
  return {
    id: sm.image_base_image_ref ?? "",
    status: "active",
    size: 0,
    min_ram: Number(sm.image_min_ram ?? 0) || 0,
    min_disk: Number(sm.image_min_disk ?? 0) || 0,
    properties: {},
  } as unknown as Parameters<typeof checkFlavorImage>[3];
}

/**
 * `confirm_resize`: the `finished` migration (or the one `given` by the
 * periodic task) is confirmed on its source host.
 *
 * @throws {InstanceIsLocked} / {InstanceInvalidState} / {MigrationNotFound} / {ServiceUnavailable}
 */
export function confirmResize(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  given: MigrationRow | null = null,
): void {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  checkInstanceState(inst, { vmState: [VM.RESIZED] }, "confirm_resize");
  const migrations = new MigrationStore(svc.db);
  const migration = given ?? migrations.byInstanceAndStatus(inst.uuid, "finished");
  if (!migration) throw new MigrationNotFound(inst.uuid, "finished");
  if (!computeServiceIsUp(svc, migration.source_compute ?? "")) throw new ServiceUnavailable();
  svc.db.transaction(() => {
    migrations.update(migration.id, { status: "confirming" });
    svc.actions.start(actionContext(ctx), inst.uuid, ACTION.CONFIRM_RESIZE);
  });
  confirm.confirmResize(svc, ctx, inst.uuid, migration.id);
}

/**
 * `revert_resize`: back to the old flavor on the source host.
 *
 * @throws {InstanceIsLocked} / {InstanceInvalidState} / {MigrationNotFound} / {OverQuota}
 */
export function revertResize(svc: ComputeService, ctx: RequestContext, inst: Instance): void {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  checkInstanceState(inst, { vmState: [VM.RESIZED] }, "revert_resize");
  const migrations = new MigrationStore(svc.db);
  const migration = migrations.byInstanceAndStatus(inst.uuid, "finished");
  if (!migration) throw new MigrationNotFound(inst.uuid, "finished");
  const old = compute.resizeFlavors(svc, inst.uuid).old;
  if (old) checkUpsize(svc, ctx, inst, inst.flavor, old);
  beginTask(svc, ctx, inst, null, { task_state: TASK.RESIZE_REVERTING });
  svc.db.transaction(() => {
    migrations.update(migration.id, { status: "reverting" });
    svc.actions.start(actionContext(ctx), inst.uuid, ACTION.REVERT_RESIZE);
  });
  confirm.revertResize(svc, ctx, inst.uuid, migration.id);
}

/**
 * `_confirm_resize_on_deleting`: a server deleted while VERIFY_RESIZE is
 * confirmed first (a confirmResize action, done before the delete goes on).
 */
export async function confirmOnDelete(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
): Promise<void> {
  const migrations = new MigrationStore(svc.db);
  const migration = migrations.byInstanceAndStatus(inst.uuid, "finished") ??
    migrations.byInstanceAndStatus(inst.uuid, "confirming");
  if (!migration) return;
  svc.db.transaction(() => svc.actions.start(actionContext(ctx), inst.uuid, ACTION.CONFIRM_RESIZE));
  await confirm.confirmResizeNow(svc, ctx.requestId, inst.uuid, migration.id);
}
