/**
 * createImage of a volume-backed server: no disk to upload, so an active,
 * empty image records the server's block device mappings, each volume as
 * the snapshot cinder would take of it (a new snapshot id: novalet has no
 * volume service), under a createImage action with an
 * `api_snapshot_instance` event.
 *
 * Mirrors nova/compute/api.py `snapshot_volume_backed`.
 *
 * @module
 */

import type { Image } from "../images/api.ts";
import { createImage } from "../images/snapshots.ts";
import { ACTION } from "./actions.ts";
import { actionContext, withEvent } from "./compute_task.ts";
import type { RequestContext } from "./context.ts";
import type { Instance } from "./instance.ts";
import type { ComputeService } from "./service.ts";
import { SNAPSHOT_STATES, snapshotMetadata } from "./snapshot.ts";
import { checkInstanceState } from "./state_checks.ts";

/**
 * `snapshot_volume_backed`: an active, empty image naming the server's
 * block devices (the volume snapshots cinder would take are named by new
 * snapshot ids), recorded as a createImage action with an
 * `api_snapshot_instance` event.
 */
export async function snapshotVolumeBacked(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  name: string,
  extra: Readonly<Record<string, string>>,
): Promise<Image> {
  checkInstanceState(inst, { vmState: SNAPSHOT_STATES }, "snapshot_volume_backed");
  const meta = snapshotMetadata(svc, ctx, inst, name, extra);
  const properties: Record<string, string> = { ...meta.properties };
  for (const key of ["block_device_mapping", "bdm_v2", "root_device_name"]) delete properties[key];
  if (inst.root_device_name) properties.root_device_name = inst.root_device_name;
  svc.db.transaction(() => svc.actions.start(actionContext(ctx), inst.uuid, ACTION.CREATE_IMAGE));
  const mapping = await withEvent(
    svc,
    ctx.requestId,
    inst,
    "api_snapshot_instance",
    () => Promise.resolve(volumeMappings(svc, inst)),
  );
  if (mapping.length) {
    properties.block_device_mapping = JSON.stringify(mapping);
    properties.bdm_v2 = "True";
  }
  return svc.db.transaction(() =>
    createImage(svc.images, {
      ...meta,
      size: 0,
      disk_format: null,
      container_format: null,
      properties,
    })
  );
}

function volumeMappings(svc: ComputeService, inst: Instance): Record<string, unknown>[] {
  return svc.db.all<Record<string, string | number | null>>(
    `SELECT * FROM block_device_mapping WHERE instance_uuid = ? AND deleted = 0
       AND (no_device IS NULL OR no_device = 0) ORDER BY id`,
    inst.uuid,
  ).map((b) => {
    const volume = b.destination_type === "volume";
    return {
      boot_index: b.boot_index,
      delete_on_termination: Boolean(b.delete_on_termination),
      destination_type: b.destination_type,
      device_name: b.device_name,
      device_type: b.device_type,
      disk_bus: b.disk_bus,
      guest_format: b.guest_format,
      image_id: volume ? null : b.image_id,
      no_device: null,
      snapshot_id: volume ? crypto.randomUUID() : b.snapshot_id,
      source_type: volume ? "snapshot" : b.source_type,
      tag: b.tag,
      volume_id: null,
      volume_size: b.volume_size,
      volume_type: b.volume_type,
    };
  });
}
