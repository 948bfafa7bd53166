/**
 * rebuild, both halves. The API checks the lock, state, key pair, image
 * and flavor fit, saves the new attributes with task_state `rebuilding`
 * (metadata replaced, image properties re-read into system metadata) and
 * records the action; the conductor (`rebuild_server`) hands it to the
 * host, which powers the guest off, destroys it, goes through
 * `rebuild_block_device_mapping` and `rebuild_spawning`, spawns it again
 * and, for a server that was stopped, stops it again.
 *
 * Mirrors nova/compute/api.py `rebuild` (`_checks_for_create_and_rebuild`,
 * `_inherit_properties_from_image`, `_reset_image_metadata`),
 * nova/conductor/manager.py `rebuild_instance` and
 * nova/compute/manager.py `rebuild_instance`, `_rebuild_default_impl`,
 * `_update_instance_after_spawn`.
 *
 * @module
 */

import { utcnow } from "../../store/timestamps.ts";
import { type Image, ImageNotFound } from "../images/api.ts";
import { KeypairNotFound } from "../keypairs/api.ts";
import { ACTION } from "./actions.ts";
import { beginTask, requireHost, runComputeTask, withEvent } from "./compute_task.ts";
import type { RequestContext } from "./context.ts";
import {
  AutoDiskConfigDisabledByImage,
  CertificateValidationFailed,
  ImageUnacceptable,
  PreserveEphemeralNotSupported,
} from "./errors_actions.ts";
import { checkFlavorImage } from "./image_checks.ts";
import type { Instance } from "./instance.ts";
import type { InstanceValues } from "./instance_store.ts";
import { powerStateOf } from "./power_actions.ts";
import { checkInjectedFiles, checkMetadataItems } from "./quota.ts";
import type { ComputeService } from "./service.ts";
import { isVolumeBacked } from "./snapshot.ts";
import { checkInstanceLock, checkInstanceState } from "./state_checks.ts";
import { POWER, TASK, VM } from "./states.ts";

const TRUE = ["1", "t", "true", "on", "y", "yes"];

/** What the controller passes on (nova's rebuild kwargs; undefined: not given). */
export interface RebuildRequest {
  readonly imageHref: string;
  readonly password: string;
  readonly displayName?: string;
  readonly displayDescription?: string | null;
  readonly metadata?: Record<string, string>;
  readonly accessIpV4?: string | null;
  readonly accessIpV6?: string | null;
  readonly autoDiskConfig?: boolean;
  readonly preserveEphemeral?: boolean;
  readonly files?: [string, string][];
  readonly keyName?: string | null;
  readonly userData?: string | null;
  readonly trustedCerts?: string[] | null;
  readonly hostname?: string;
  /** 2.93: a volume-backed server may be rebuilt with another image. */
  readonly reimageBootVolume: boolean;
}

/**
 * `rebuild`.
 *
 * @throws {InstanceIsLocked} / {InstanceInvalidState}
 * @throws {ImageNotFound} / {KeypairNotFound} for the controller to word
 * @throws {Invalid} / {NovaException} 400s (image not active, flavor too small, ...)
 * @throws {OverQuota} for metadata or injected files over quota
 */
export function rebuild(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  r: RebuildRequest,
): void {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  checkInstanceState(inst, { vmState: [VM.ACTIVE, VM.STOPPED, VM.ERROR] }, "rebuild");
  const updates: Record<string, string | number | null> = {};
  if (r.keyName !== undefined) Object.assign(updates, keypairUpdates(svc, ctx, r.keyName));
  if (r.trustedCerts !== undefined) {
    updates.trusted_certs = r.trustedCerts?.length ? JSON.stringify(r.trustedCerts) : null;
  }
  if (r.hostname !== undefined) updates.hostname = r.hostname;
  const image = svc.images.get(r.imageHref);
  if (!image) throw new ImageNotFound(r.imageHref);
  checkAutoDiskConfig(image, r.autoDiskConfig);
  const volumeBacked = isVolumeBacked(svc, inst);
  const origImageRef = volumeBacked
    ? inst.system_metadata.image_base_image_ref ?? ""
    : inst.image_ref ?? "";
  if (volumeBacked) {
    if (r.trustedCerts?.length) {
      throw new CertificateValidationFailed(
        "Image certificate validation is not supported for volume-backed servers.",
      );
    }
    if (origImageRef !== r.imageHref && !r.reimageBootVolume) {
      throw new ImageUnacceptable(
        r.imageHref,
        "Unable to rebuild with a different image for a volume-backed server.",
      );
    }
  }
  checkMetadataItems(svc, ctx, r.metadata ?? {});
  checkInjectedFiles(svc, ctx, r.files ?? []);
  checkFlavorImage(svc, ctx, r.imageHref, image, inst.flavor, volumeBacked);
  Object.assign(updates, instanceUpdates(r, image, volumeBacked));
  requireHost(inst, "rebuild");
  beginTask(svc, ctx, inst, ACTION.REBUILD, updates);
  svc.db.transaction(() => {
    if (r.metadata !== undefined) svc.instances.setMetadata(inst.uuid, r.metadata);
    resetImageMetadata(svc, inst, image);
  });
  castRebuild(svc, ctx, inst.uuid, inst.vm_state, r.preserveEphemeral ?? false);
}

/** `key_name` (2.54): the caller's key pair, or none. @throws {KeypairNotFound} */
function keypairUpdates(svc: ComputeService, ctx: RequestContext, name: string | null) {
  if (!name) return { key_name: null, key_data: null };
  const keypair = svc.keypairs.get(ctx.auth.userId ?? "", name);
  if (!keypair) throw new KeypairNotFound(ctx.auth.userId ?? "", name);
  return { key_name: keypair.name, key_data: keypair.public_key };
}

/** `_check_auto_disk_config` on the new image. @throws {Invalid} AutoDiskConfigDisabledByImage */
function checkAutoDiskConfig(image: Image, requested: boolean | undefined): void {
  if (!requested) return;
  if (image.properties.auto_disk_config?.trim().toLowerCase() === "disabled") {
    throw new AutoDiskConfigDisabledByImage(image.id);
  }
}

/** The instance's new columns: what the request names and what the image implies. */
function instanceUpdates(r: RebuildRequest, image: Image, volumeBacked: boolean): InstanceValues {
  const props = image.properties;
  const fromImage = TRUE.includes((props.auto_disk_config ?? "").trim().toLowerCase());
  const values: Record<string, string | number | null> = {
    os_type: props.os_type ?? null,
    architecture: props.architecture ?? null,
    vm_mode: props.vm_mode ?? null,
    auto_disk_config: (r.autoDiskConfig ?? fromImage) ? 1 : 0,
    task_state: TASK.REBUILDING,
    kernel_id: "",
    ramdisk_id: "",
    progress: 0,
  };
  if (!volumeBacked) values.image_ref = r.imageHref;
  if (r.displayName !== undefined) values.display_name = r.displayName;
  if (r.displayDescription !== undefined) values.display_description = r.displayDescription;
  if (r.accessIpV4 !== undefined) values.access_ip_v4 = r.accessIpV4;
  if (r.accessIpV6 !== undefined) values.access_ip_v6 = r.accessIpV6;
  if (r.userData !== undefined) values.user_data = r.userData;
  return values;
}

/** `_reset_image_metadata`: `image_*` system metadata replaced by the new image's. */
function resetImageMetadata(svc: ComputeService, inst: Instance, image: Image): void {
  const values: Record<string, string | null> = {};
  for (const key of Object.keys(inst.system_metadata)) {
    if (key.startsWith("image_")) values[key] = null;
  }
  for (const [key, value] of Object.entries(image.properties)) {
    if (
      !["mappings", "block_device_mapping", "img_mappings", "img_block_device_mapping"].includes(
        key,
      )
    ) {
      values[`image_${key}`] = [...String(value)].slice(0, 255).join("");
    }
  }
  const minDisk = image.disk_format === "vhd"
    ? inst.flavor.root_gb
    : Math.max(image.min_disk || 0, inst.flavor.root_gb);
  values.image_min_ram = String(image.min_ram);
  values.image_min_disk = String(minDisk);
  if (image.disk_format !== null) values.image_disk_format = image.disk_format;
  if (image.container_format !== null) values.image_container_format = image.container_format;
  values.image_base_image_ref = image.id;
  svc.instances.setSystemMetadata(inst.uuid, values);
}

/** The conductor's `rebuild_instance` (event `rebuild_server`) and the host's. */
function castRebuild(
  svc: ComputeService,
  ctx: RequestContext,
  uuid: string,
  origVmState: string | null,
  preserveEphemeral: boolean,
): void {
  svc.worker.run(uuid, async () => {
    const inst = svc.instances.get(uuid);
    if (!inst || inst.task_state !== TASK.REBUILDING) return;
    await withEvent(svc, ctx.requestId, inst, "rebuild_server", () => Promise.resolve());
    await runComputeTask(svc, {
      requestId: ctx.requestId,
      uuid,
      event: "compute_rebuild_instance",
      expected: [TASK.REBUILDING],
      // `_error_out_instance_on_exception`: a failed rebuild leaves ERROR.
      onError: { vm_state: VM.ERROR },
      run: (current) => rebuildOnHost(svc, current, preserveEphemeral),
    });
    const after = svc.instances.get(uuid);
    if (origVmState === VM.STOPPED && after?.task_state === TASK.POWERING_OFF) {
      await stopAgain(svc, ctx.requestId, after);
    }
  });
}

/** `_rebuild_default_impl` and `_update_instance_after_spawn`. */
async function rebuildOnHost(svc: ComputeService, inst: Instance, preserve: boolean) {
  const update = (values: InstanceValues, expected: string) =>
    svc.db.transaction(() => svc.instances.update(inst.uuid, values, [expected]));
  update({ power_state: powerStateOf(svc, inst), task_state: TASK.REBUILDING }, TASK.REBUILDING);
  // NOTE(parity): neither libvirt nor the fake driver rebuild in place, so
  // nova's default implementation refuses to preserve ephemeral disks.
  if (preserve) throw new PreserveEphemeralNotSupported();
  const guest = svc.manager.driverInstance(inst);
  await svc.driver.powerOff(guest).catch(() => undefined);
  await svc.driver.destroy(guest);
  update({ task_state: TASK.REBUILD_BLOCK_DEVICE_MAPPING }, TASK.REBUILDING);
  update({ task_state: TASK.REBUILD_SPAWNING }, TASK.REBUILD_BLOCK_DEVICE_MAPPING);
  await svc.driver.spawn(svc.manager.driverInstance(svc.instances.require(inst.uuid)));
  const spawned: Record<string, string | number | null> = {
    power_state: powerStateOf(svc, inst),
    vm_state: VM.ACTIVE,
    task_state: null,
    launched_at: utcnow(),
  };
  if (inst.vm_state === VM.STOPPED) {
    Object.assign(spawned, { task_state: TASK.POWERING_OFF, progress: 0 });
  }
  update(spawned, TASK.REBUILD_SPAWNING);
}

/** `stop_instance(context, instance, False)` called from the rebuild (same action). */
async function stopAgain(svc: ComputeService, requestId: string, inst: Instance): Promise<void> {
  await runComputeTask(svc, {
    requestId,
    uuid: inst.uuid,
    event: "compute_stop_instance",
    expected: [TASK.POWERING_OFF],
    run: async (current) => {
      await svc.driver.powerOff(svc.manager.driverInstance(current));
      svc.db.transaction(() =>
        svc.instances.update(current.uuid, {
          power_state: powerStateOf(svc, current) || POWER.SHUTDOWN,
          vm_state: VM.STOPPED,
          task_state: null,
        }, [TASK.POWERING_OFF])
      );
    },
  });
}
