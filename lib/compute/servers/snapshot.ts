/**
 * createImage and createBackup, both halves. The API creates the image
 * record (queued) from the instance's image properties, moves the task
 * (image_snapshot_pending / image_backup) and records the action; the
 * host snapshots the guest (image_snapshot → image_pending_upload →
 * image_uploading), uploads (the image becomes active) and, for a backup,
 * deletes the oldest backups beyond the rotation. A failed snapshot
 * deletes its image. (snapshot_volume.ts snapshots volume-backed servers.)
 *
 * Mirrors nova/compute/api.py (`snapshot`, `backup`), nova/compute/utils.py (`create_image`,
 * `initialize_instance_snapshot_metadata`), nova/utils.py
 * `get_image_from_system_metadata` and nova/compute/manager.py
 * (`snapshot_instance`, `backup_instance`, `_snapshot_instance`,
 * `_rotate_backups`, `delete_image_on_error`).
 *
 * @module
 */

import type { Image } from "../images/api.ts";
import {
  deleteImage,
  finishUpload,
  imagesWithProperties,
  startUpload,
} from "../images/snapshots.ts";
import { createImage, type NewImage } from "../images/snapshots.ts";
import { ACTION } from "./actions.ts";
import { beginTask, castToCompute, requireHost } from "./compute_task.ts";
import type { RequestContext } from "./context.ts";
import { InvalidRequest } from "./errors_actions.ts";
import type { Instance } from "./instance.ts";
import { powerStateOf } from "./power_actions.ts";
import type { ComputeService } from "./service.ts";
import { checkInstanceState } from "./state_checks.ts";
import { TASK, VM } from "./states.ts";

export const SNAPSHOT_STATES = [VM.ACTIVE, VM.STOPPED, VM.PAUSED, VM.SUSPENDED];
const INHERITABLE = ["min_ram", "min_disk", "disk_format", "container_format"];
const SKIP = ["mappings", "block_device_mapping", "img_mappings", "img_block_device_mapping"];
const NON_INHERITABLE = [
  "cinder_encryption_key_id",
  "cinder_encryption_key_deletion_policy",
  "img_signature",
  "img_signature_hash_method",
  "img_signature_key_type",
  "img_signature_certificate_uuid",
];

/** Whether the instance boots from a volume (`is_volume_backed_instance`). */
export function isVolumeBacked(svc: ComputeService, inst: Instance): boolean {
  const root = svc.db.get<{ destination_type: string | null }>(
    `SELECT destination_type FROM block_device_mapping
     WHERE instance_uuid = ? AND deleted = 0 AND boot_index = 0 LIMIT 1`,
    inst.uuid,
  );
  return root ? root.destination_type === "volume" : !inst.image_ref;
}

/** `initialize_instance_snapshot_metadata`: the instance's image properties, made the new image's. */
export function snapshotMetadata(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  name: string,
  extra: Readonly<Record<string, string>>,
): NewImage {
  const top: Record<string, string> = {};
  const properties: Record<string, string> = {};
  for (const [rawKey, value] of Object.entries(inst.system_metadata)) {
    const key = rawKey.startsWith("image_") ? rawKey.slice(6) : rawKey;
    if (SKIP.includes(key)) continue;
    if (INHERITABLE.includes(key)) top[key] = value;
    else properties[key] = value;
  }
  const shared = ctx.auth.projectId !== inst.project_id;
  const extraProps: Record<string, string> = { ...extra };
  if (shared) extraProps.instance_owner = inst.project_id ?? "";
  const nonInheritable = [...svc.conf.DEFAULT.non_inheritable_image_properties, ...NON_INHERITABLE];
  for (const key of Object.keys(properties)) {
    if (nonInheritable.includes(key) || key.startsWith("os_glance")) delete properties[key];
  }
  // The glance client pops `instance_owner` to share the image with it (a member).
  const { instance_owner: _owner, ...merged } = { ...properties, ...extraProps };
  return {
    name,
    owner: ctx.auth.projectId,
    visibility: shared ? "shared" : "private",
    min_ram: Number(top.min_ram ?? 0) || 0,
    min_disk: Number(top.min_disk ?? 0) || 0,
    disk_format: top.disk_format ?? null,
    container_format: top.container_format ?? null,
    properties: merged,
  };
}

/** `compute_utils.create_image`: the queued image a snapshot or backup uploads to. */
function createSnapshotImage(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  name: string,
  imageType: "snapshot" | "backup",
  extra: Readonly<Record<string, string>>,
): Image {
  const meta = snapshotMetadata(svc, ctx, inst, name, {
    instance_uuid: inst.uuid,
    user_id: String(ctx.auth.userId),
    image_type: imageType,
    ...extra,
  });
  if (imageType === "snapshot") {
    return createImage(svc.images, { ...meta, disk_format: null, container_format: null });
  }
  return createImage(svc.images, meta);
}

/** `snapshot`: createImage of an image-backed server. */
export function snapshot(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  name: string,
  extra: Readonly<Record<string, string>>,
): Image {
  checkInstanceState(inst, { vmState: SNAPSHOT_STATES }, "snapshot");
  requireHost(inst, "snapshot");
  const image = createSnapshotImage(svc, ctx, inst, name, "snapshot", extra);
  beginTask(svc, ctx, inst, ACTION.CREATE_IMAGE, { task_state: TASK.IMAGE_SNAPSHOT_PENDING });
  castSnapshot(svc, ctx, inst, image.id, null);
  return image;
}

/**
 * `backup`: a snapshot typed as a backup, keeping `rotation` of them.
 *
 * @throws {InvalidRequest} for a volume-backed server
 */
export function backup(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  name: string,
  backupType: string,
  rotation: number,
  extra: Readonly<Record<string, string>>,
): Image {
  checkInstanceState(inst, { vmState: SNAPSHOT_STATES }, "backup");
  if (isVolumeBacked(svc, inst)) {
    throw new InvalidRequest("Backup is not supported for volume-backed instances.");
  }
  const props = { ...extra, backup_type: backupType };
  requireHost(inst, "backup");
  const image = createSnapshotImage(svc, ctx, inst, name, "backup", props);
  beginTask(svc, ctx, inst, ACTION.BACKUP, { task_state: TASK.IMAGE_BACKUP });
  castSnapshot(svc, ctx, inst, image.id, { type: backupType, rotation });
  return image;
}

/** `snapshot_instance` / `backup_instance` on the host. */
function castSnapshot(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  imageId: string,
  rotate: { type: string; rotation: number } | null,
): void {
  const first = rotate ? TASK.IMAGE_BACKUP : TASK.IMAGE_SNAPSHOT_PENDING;
  castToCompute(svc, {
    requestId: ctx.requestId,
    uuid: inst.uuid,
    event: rotate ? "compute_backup_instance" : "compute_snapshot_instance",
    expected: [first],
    run: async (current) => {
      try {
        let expected: string = first;
        if (!rotate) {
          moveTask(svc, current, TASK.IMAGE_SNAPSHOT, expected);
          expected = TASK.IMAGE_SNAPSHOT;
        }
        await uploadSnapshot(svc, current, imageId, expected);
      } catch (err) {
        // `@delete_image_on_error` (snapshots only; a backup's image stays).
        if (!rotate) svc.db.transaction(() => deleteImage(svc.images, imageId));
        throw err;
      }
      if (rotate) rotateBackups(svc, current, rotate.type, rotate.rotation);
    },
  });
}

/** `_snapshot_instance`: the driver's snapshot, then the upload. */
async function uploadSnapshot(
  svc: ComputeService,
  inst: Instance,
  imageId: string,
  expected: string,
): Promise<void> {
  svc.db.transaction(() =>
    svc.instances.update(inst.uuid, { power_state: powerStateOf(svc, inst) })
  );
  if (!svc.driver.snapshot) throw new Error("NotImplementedError");
  moveTask(svc, inst, TASK.IMAGE_PENDING_UPLOAD, expected);
  const size = await svc.driver.snapshot(svc.manager.driverInstance(inst));
  svc.db.transaction(() => {
    svc.instances.update(inst.uuid, { task_state: TASK.IMAGE_UPLOADING }, [
      TASK.IMAGE_PENDING_UPLOAD,
    ]);
    startUpload(svc.images, imageId);
  });
  await svc.worker.sleep(svc.conf.novalet_compute.action_delay_ms);
  svc.db.transaction(() => {
    finishUpload(svc.images, imageId, size);
    svc.instances.update(inst.uuid, { task_state: null }, [TASK.IMAGE_UPLOADING]);
  });
}

function moveTask(svc: ComputeService, inst: Instance, to: string, from: string): void {
  svc.db.transaction(() => svc.instances.update(inst.uuid, { task_state: to }, [from]));
}

/** `_rotate_backups`: the oldest backups of this type beyond `rotation` are deleted. */
function rotateBackups(svc: ComputeService, inst: Instance, type: string, rotation: number) {
  const images = imagesWithProperties(svc.images, {
    image_type: "backup",
    backup_type: type,
    instance_uuid: inst.uuid,
  });
  if (images.length <= rotation) return;
  svc.db.transaction(() => {
    for (const image of images.slice(rotation)) deleteImage(svc.images, image.id);
  });
}
