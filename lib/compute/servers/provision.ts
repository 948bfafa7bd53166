/**
 * Writes the instances of one create request, all in one transaction: the
 * instance rows (BUILD, scheduling, no host), their metadata, system
 * metadata (image properties, owner names), tags, block device mappings
 * and the `create` instance action. A request that fails leaves nothing.
 *
 * Mirrors nova/compute/api.py `_provision_instances`,
 * `_populate_instance_for_create`, `_populate_instance_names` and
 * nova/utils.py `get_system_metadata_from_image`.
 *
 * @module
 */

import { utcnow } from "../../store/timestamps.ts";
import type { Image } from "../images/api.ts";
import { ACTION } from "./actions.ts";
import type { Bdm } from "./bdm.ts";
import { actionContext, type RequestContext } from "./context.ts";
import type { BaseOptions } from "./create.ts";
import type { InstanceValues } from "./instance_store.ts";
import type { ComputeService } from "./service.ts";
import { recheckNumInstances } from "./quota.ts";
import { joinGroup } from "../server_groups/membership.ts";
import { POWER, TASK, VM } from "./states.ts";
import { sanitizeHostname } from "./util.ts";

/** Creates the instances; returns their uuids in launch order. */
export function provision(svc: ComputeService, ctx: RequestContext, base: BaseOptions): string[] {
  const uuids = Array.from({ length: base.count }, () => crypto.randomUUID());
  const now = utcnow();
  svc.db.transaction(() => {
    uuids.forEach((uuid, index) => {
      const names = instanceNames(
        base.request.displayName,
        base.request.hostname,
        uuid,
        index,
        base.count,
      );
      svc.instances.insert(instanceRow(svc, ctx, base, { uuid, index, now, ...names }));
      svc.instances.setMetadata(uuid, base.request.metadata);
      svc.instances.setSystemMetadata(
        uuid,
        systemMetadata(ctx, base.image, base.request.imageHref, base.request.flavor.root_gb),
      );
      for (const tag of base.request.tags) svc.instances.addTag(uuid, tag);
      for (const bdm of base.bdms) insertBdm(svc, uuid, bdm, now);
      svc.actions.start(actionContext(ctx), uuid, ACTION.CREATE);
      if (base.group) joinGroup(svc, ctx.auth, base.group, uuid);
    });
    recheckNumInstances(svc, ctx, base.request.flavor, base.count);
  });
  return uuids;
}

/** `_populate_instance_names`. */
function instanceNames(
  displayName: string,
  hostname: string | null,
  uuid: string,
  index: number,
  count: number,
): { displayName: string; hostname: string } {
  let host = hostname;
  if (!host) {
    host = sanitizeHostname(displayName) || `Server-${uuid}`;
    if (host !== `Server-${uuid}` && count > 1) host = `${host}-${index + 1}`;
  }
  return { displayName: count > 1 ? `${displayName}-${index + 1}` : displayName, hostname: host };
}

interface RowArgs {
  uuid: string;
  index: number;
  now: string;
  displayName: string;
  hostname: string;
}

function instanceRow(
  svc: ComputeService,
  ctx: RequestContext,
  base: BaseOptions,
  a: RowArgs,
): InstanceValues {
  const r = base.request;
  const props = base.image?.properties ?? {};
  const rootName = props.root_device_name;
  return {
    uuid: a.uuid,
    created_at: a.now,
    user_id: ctx.auth.userId,
    project_id: ctx.auth.projectId,
    image_ref: r.imageHref,
    kernel_id: "",
    ramdisk_id: "",
    hostname: a.hostname,
    launch_index: a.index,
    key_name: r.keyName,
    key_data: base.keyData,
    power_state: POWER.NOSTATE,
    vm_state: VM.BUILDING,
    task_state: TASK.SCHEDULING,
    memory_mb: r.flavor.memory_mb,
    vcpus: r.flavor.vcpus,
    root_gb: r.flavor.root_gb,
    ephemeral_gb: r.flavor.ephemeral_gb,
    instance_type_id: r.flavor.id,
    flavor: JSON.stringify(r.flavor),
    user_data: r.userData,
    reservation_id: base.reservationId,
    availability_zone: r.availabilityZone ?? svc.conf.DEFAULT.default_schedule_zone,
    display_name: a.displayName,
    display_description: r.displayDescription,
    os_type: props.os_type ?? null,
    architecture: props.architecture ?? null,
    vm_mode: props.vm_mode ?? null,
    root_device_name: rootName
      ? (rootName.startsWith("/dev/") ? rootName : `/dev/${rootName}`)
      : null,
    access_ip_v4: r.accessIpV4,
    access_ip_v6: r.accessIpV6,
    config_drive: base.configDrive,
    auto_disk_config: base.autoDiskConfig ? 1 : 0,
    progress: 0,
    trusted_certs: r.trustedCerts ? JSON.stringify(r.trustedCerts) : null,
    security_groups: JSON.stringify(base.securityGroups),
    requested_networks: r.requestedNetworks === null ? null : JSON.stringify(r.requestedNetworks),
  };
}

/** `get_system_metadata_from_image` plus the owner names. */
function systemMetadata(
  ctx: RequestContext,
  image: Image | null,
  imageRef: string,
  flavorRootGb: number,
) {
  const meta: Record<string, string> = {};
  if (image) {
    for (const key of ["min_ram", "min_disk", "disk_format", "container_format"] as const) {
      const value = image[key];
      if (value !== null && value !== undefined) meta[`image_${key}`] = String(value);
    }
    // NOTE(parity): with the flavor given, nova stores the larger of the
    // image's min_disk and the flavor's root disk (a resize cannot shrink it).
    meta.image_min_disk = String(
      image.disk_format === "vhd" ? flavorRootGb : Math.max(image.min_disk || 0, flavorRootGb),
    );
    for (const [key, value] of Object.entries(image.properties)) meta[`image_${key}`] = value;
  }
  meta.image_base_image_ref ??= imageRef;
  meta.owner_user_name = ctx.auth.userName ?? "None";
  meta.owner_project_name = ctx.auth.projectName ?? "None";
  return meta;
}

function insertBdm(svc: ComputeService, uuid: string, b: Bdm, now: string): void {
  svc.db.run(
    `INSERT INTO block_device_mapping (instance_uuid, uuid, source_type, destination_type,
       device_name, device_type, disk_bus, guest_format, boot_index, delete_on_termination,
       image_id, snapshot_id, volume_id, volume_size, volume_type, tag, no_device, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    uuid,
    crypto.randomUUID(),
    b.source_type,
    b.destination_type,
    b.device_name,
    b.device_type,
    b.disk_bus,
    b.guest_format,
    b.boot_index,
    b.delete_on_termination ? 1 : 0,
    b.image_id,
    b.snapshot_id,
    b.volume_id,
    b.volume_size,
    b.volume_type,
    b.tag,
    b.no_device ? 1 : 0,
    now,
  );
}
