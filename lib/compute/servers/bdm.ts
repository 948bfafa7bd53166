/**
 * Block device mappings of a server create: the API's
 * `block_device_mapping_v2` (or legacy `block_device_mapping`) turned into
 * nova's internal form, with the image and flavor-defined devices added,
 * and checked as nova checks them. There is no volume service: every
 * volume and snapshot named is missing (nova's answer when cinder is up
 * but does not have it), and new volumes fail when the build prepares them.
 *
 * Mirrors nova/block_device.py (`BlockDeviceDict.from_api`,
 * `from_legacy`, `from_legacy_mapping`, `get_bdm_image_metadata`) and
 * nova/compute/api.py (`_check_and_transform_bdm`,
 * `_get_flavor_defined_bdms`, `_validate_bdm`, `_get_volumes_for_bdms`).
 *
 * @module
 */

import type { Flavor } from "../flavors/api.ts";
import type { Image } from "../images/api.ts";
import { Invalid, NotFound } from "./errors.ts";

/** A block device mapping in nova's new format. */
export interface Bdm {
  source_type: string | null;
  destination_type: string | null;
  device_name: string | null;
  device_type: string | null;
  disk_bus: string | null;
  guest_format: string | null;
  boot_index: number | null;
  delete_on_termination: boolean;
  image_id: string | null;
  snapshot_id: string | null;
  volume_id: string | null;
  volume_size: number | null;
  volume_type: string | null;
  tag: string | null;
  no_device: boolean;
}

const DISK_BUSES = ["fdc", "ide", "sata", "scsi", "usb", "virtio", "xen", "lxc", "uml", "sas"];
const TRUE = ["1", "t", "true", "on", "y", "yes"];

/** nova.exception.InvalidBDMFormat */
function invalidFormat(details: string): Invalid {
  return new Invalid(`Block Device Mapping is Invalid: ${details}`);
}

function boolOf(v: unknown): boolean {
  return v === true || (typeof v === "string" && TRUE.includes(v.trim().toLowerCase()));
}

function intOrNull(v: unknown, what = "Boot index is invalid."): number | null {
  if (v === null || v === undefined || v === "") return null;
  const n = Number(String(v).trim());
  if (!Number.isInteger(n)) throw invalidFormat(what);
  return n;
}

function blank(): Bdm {
  return {
    source_type: null,
    destination_type: null,
    device_name: null,
    device_type: null,
    disk_bus: null,
    guest_format: null,
    boot_index: null,
    delete_on_termination: false,
    image_id: null,
    snapshot_id: null,
    volume_id: null,
    volume_size: null,
    volume_type: null,
    tag: null,
    no_device: false,
  };
}

/** `BlockDeviceDict.from_api(api_dict, image_uuid_specified)`. @throws {Invalid} InvalidBDMFormat */
export function fromApi(d: Record<string, unknown>, imageUuidSpecified: boolean): Bdm {
  const bdm = { ...blank(), no_device: Boolean(d.no_device) };
  const source = (d.source_type as string | undefined) ?? null;
  const uuid = (d.uuid as string | undefined) ?? null;
  const destination = (d.destination_type as string | undefined) ?? null;
  const volumeType = (d.volume_type as string | undefined) ?? null;
  if (!bdm.no_device) {
    if (source === "blank" && uuid) throw invalidFormat("Invalid device UUID.");
    if (source !== "blank" && !uuid) throw invalidFormat("Missing device UUID.");
    if (source === "image" && destination === "local") {
      const bootIndex = intOrNull(d.boot_index) ?? -1;
      if (!(imageUuidSpecified && bootIndex === 0)) {
        throw invalidFormat("Mapping image to local is not supported.");
      }
    }
    if (destination === "local" && volumeType) {
      throw invalidFormat("Specifying a volume_type with destination_type=local is not supported.");
    }
    if (source === "volume" && volumeType) {
      throw invalidFormat("Specifying volume type to existing volume is not supported.");
    }
    if (source === null) throw invalidFormat("Some required fields are missing");
  }
  Object.assign(bdm, {
    source_type: source,
    destination_type: destination ??
      (source === "blank" || source === "image" ? "local" : "volume"),
    device_name: d.device_name ?? null,
    device_type: d.device_type ?? null,
    disk_bus: d.disk_bus ?? null,
    guest_format: d.guest_format ?? null,
    boot_index: intOrNull(d.boot_index),
    delete_on_termination: boolOf(d.delete_on_termination),
    image_id: source === "image" ? uuid : (d.image_id as string | undefined) ?? null,
    snapshot_id: source === "snapshot" ? uuid : (d.snapshot_id as string | undefined) ?? null,
    volume_id: source === "volume" ? uuid : (d.volume_id as string | undefined) ?? null,
    volume_size: intOrNull(d.volume_size, "Invalid volume_size."),
    volume_type: volumeType,
    tag: d.tag ?? null,
  });
  return bdm;
}

/** `from_legacy_mapping(legacy, image_uuid, root_device_name='vda')`. */
export function fromLegacyMapping(legacy: Record<string, unknown>[], imageUuid: string): Bdm[] {
  const rootName = "vda";
  let volumeBacked = false;
  const bdms = legacy.map((d) => {
    const b = {
      ...blank(),
      no_device: Boolean(d.no_device),
      delete_on_termination: boolOf(d.delete_on_termination),
    };
    b.device_name = (d.device_name as string | undefined) ?? null;
    b.volume_size = intOrNull(d.volume_size, "Invalid volume_size.");
    if (d.volume_id) {
      Object.assign(b, {
        source_type: "volume",
        destination_type: "volume",
        volume_id: d.volume_id,
      });
    } else if (d.snapshot_id) {
      Object.assign(b, {
        source_type: "snapshot",
        destination_type: "volume",
        snapshot_id: d.snapshot_id,
      });
    } else if (!b.no_device) {
      Object.assign(b, {
        source_type: "blank",
        destination_type: "local",
        guest_format: d.virtual_name === "swap" ? "swap" : null,
      });
    }
    const onRoot = (b.device_name ?? "").replace(/^\/dev\//, "") === rootName;
    if (onRoot && b.source_type !== "blank" && b.source_type !== null) {
      b.boot_index = 0;
      volumeBacked = true;
    } else b.boot_index = b.no_device ? null : -1;
    return b;
  });
  if (!volumeBacked && imageUuid) {
    bdms.unshift({ ...imageBdm(imageUuid) });
  }
  return bdms;
}

/** `create_image_bdm(image_ref, boot_index=0)`. */
export function imageBdm(imageUuid: string): Bdm {
  return {
    ...blank(),
    source_type: "image",
    destination_type: "local",
    device_type: "disk",
    boot_index: 0,
    delete_on_termination: true,
    image_id: imageUuid,
  };
}

/**
 * `get_bdm_image_metadata`: what a volume-backed boot boots from.
 *
 * @throws {Invalid} InvalidBDMImage / InvalidBDMVolume
 * @throws {NotFound} SnapshotNotFound
 */
export function bootImageMeta(
  bdms: readonly Bdm[],
  getImage: (id: string) => Image | null,
): Image | null {
  for (const bdm of bdms) {
    if (bdm.boot_index !== 0) continue;
    if (bdm.snapshot_id) throw new NotFound(`Snapshot ${bdm.snapshot_id} could not be found.`);
    if (bdm.image_id) {
      const image = getImage(bdm.image_id);
      if (!image) throw invalidFormatPlain(`failed to get image ${bdm.image_id}.`);
      return image;
    }
    if (bdm.volume_id) throw invalidFormatPlain(`failed to get volume ${bdm.volume_id}.`);
  }
  return null;
}

function invalidFormatPlain(what: string): Invalid {
  return new Invalid(`Block Device Mapping is Invalid: ${what}`);
}

/** `_get_flavor_defined_bdms`: the flavor's ephemeral and swap disks, when not given. */
export function flavorDefinedBdms(flavor: Flavor, bdms: readonly Bdm[]): Bdm[] {
  const out: Bdm[] = [];
  const local = (b: Bdm) => b.source_type === "blank" && b.destination_type === "local";
  if (flavor.ephemeral_gb && !bdms.some((b) => local(b) && b.guest_format !== "swap")) {
    out.push({
      ...blank(),
      source_type: "blank",
      destination_type: "local",
      device_type: "disk",
      boot_index: -1,
      delete_on_termination: true,
      volume_size: flavor.ephemeral_gb,
    });
  }
  if (flavor.swap && !bdms.some((b) => local(b) && b.guest_format === "swap")) {
    out.push({
      ...blank(),
      source_type: "blank",
      destination_type: "local",
      device_type: "disk",
      guest_format: "swap",
      boot_index: -1,
      delete_on_termination: true,
      volume_size: flavor.swap,
    });
  }
  return out;
}

/**
 * `_get_volumes_for_bdms` + `_validate_bdm` with no volume service.
 *
 * @throws {Invalid} / {NotFound} with nova's messages
 */
export function validateBdms(
  bdms: readonly Bdm[],
  flavor: Flavor,
  imageRef: string,
  maxLocal: number,
  getImage: (id: string) => Image | null,
): void {
  for (const b of bdms) {
    if (b.volume_id) throw new NotFound(`Volume ${b.volume_id} could not be found.`);
  }
  const boots = bdms.map((b) => b.boot_index).filter((i): i is number => i !== null && i >= 0).sort(
    (a, b) => a - b,
  );
  if (!boots.length || boots.some((v, i) => v !== i)) {
    throw new Invalid(
      "Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination is not valid.",
    );
  }
  for (const b of bdms) {
    if (b.volume_type) throw new NotFound(`Volume type ${b.volume_type} could not be found.`);
    if (b.image_id !== null) {
      if (b.image_id !== imageRef && !getImage(b.image_id)) {
        throw invalidFormatPlain(`failed to get image ${b.image_id}.`);
      }
      if (b.source_type === "image" && b.destination_type === "volume" && !b.volume_size) {
        throw new Invalid(
          "Images with destination_type 'volume' need to have a non-zero size specified",
        );
      }
    } else if (b.snapshot_id !== null) {
      throw invalidFormatPlain(`failed to get snapshot ${b.snapshot_id}.`);
    } else if (b.source_type === "blank" && b.destination_type === "volume" && !b.volume_size) {
      throw new Invalid(
        "Blank volumes (source: 'blank', dest: 'volume') need to have non-zero size",
      );
    }
    if (b.disk_bus && !DISK_BUSES.includes(b.disk_bus)) {
      throw new Invalid("Block Device Mapping is Invalid.");
    }
  }
  validateLocalDisks(bdms, flavor, maxLocal);
}

function validateLocalDisks(bdms: readonly Bdm[], flavor: Flavor, maxLocal: number): void {
  const local = bdms.filter((b) => b.source_type === "blank" && b.destination_type === "local");
  const ephemeral = local.filter((b) => b.guest_format !== "swap");
  if (
    ephemeral.reduce((n, b) => n + (b.volume_size || flavor.ephemeral_gb), 0) > flavor.ephemeral_gb
  ) {
    throw new Invalid(
      "Ephemeral disks requested are larger than the instance type allows. If no size is given in one block device mapping, flavor ephemeral size will be used.",
    );
  }
  const swaps = local.filter((b) => b.guest_format === "swap");
  if (swaps.length > 1) throw invalidFormat("More than one swap drive requested.");
  if (swaps.length && (swaps[0].volume_size ?? 0) > flavor.swap) {
    throw new Invalid("Swap drive requested is larger than instance type allows.");
  }
  if (maxLocal >= 0 && bdms.filter((b) => b.destination_type === "local").length > maxLocal) {
    throw new Invalid(
      "Block Device Mapping is Invalid: You specified more local devices than the limit allows",
    );
  }
}
