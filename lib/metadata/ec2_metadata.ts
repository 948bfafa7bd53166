/**
 * The EC2 format of an instance's metadata: the `meta-data` tree of one
 * EC2 version (keys added version by version) and the raw `user-data`.
 *
 * Mirrors nova/api/metadata/base.py (`InstanceMetadata.get_ec2_metadata`)
 * and nova/block_device.py (`instance_block_mapping`).
 *
 * @module
 */

import { MetadataKeyError, type TreeDict } from "./tree.ts";
import { checkVersion, VERSIONS } from "./versions.ts";
import type { InstanceMetadata } from "./instance_metadata.ts";

/** nova's InvalidMetadataVersion (a 404, as a KeyError is). */
export class InvalidMetadataVersion extends MetadataKeyError {}

/** A block device mapping row, as `instance_block_mapping` reads it. */
export interface MappingBdm {
  readonly source_type: string | null;
  readonly destination_type: string | null;
  readonly device_name: string | null;
  readonly guest_format: string | null;
}

/** `block_device._DEFAULT_MAPPINGS`: an instance without a root device name yet. */
const DEFAULT_MAPPINGS: Readonly<Record<string, string>> = {
  ami: "sda1",
  ephemeral0: "sda2",
  root: "/dev/sda1",
  swap: "sda3",
};

/**
 * `instance_block_mapping`: `ami`, `root`, `ephemeralN`, `swap` and
 * `ebsN` (volumes, by device name) to their devices.
 */
export function instanceBlockMapping(
  inst: {
    root_device_name: string | null;
    default_ephemeral_device: string | null;
    default_swap_device: string | null;
  },
  bdms: readonly MappingBdm[],
): Record<string, string | null> {
  const root = inst.root_device_name;
  if (root === null) return { ...DEFAULT_MAPPINGS };
  const mappings: Record<string, string | null> = { ami: root.replace(/^\/dev\//, ""), root };
  if (inst.default_ephemeral_device) mappings.ephemeral0 = inst.default_ephemeral_device;
  if (inst.default_swap_device) mappings.swap = inst.default_swap_device;
  const ebs = bdms.filter((b) => b.destination_type === "volume").map((b) => b.device_name);
  const blanks = bdms.filter((b) => b.destination_type !== "volume" && b.source_type === "blank");
  // NOTE(yamahata): volumes are numbered in device name order (None first).
  ebs.sort((a, b) => (a === null ? -1 : b === null ? 1 : a < b ? -1 : a > b ? 1 : 0));
  ebs.forEach((device, n) => mappings[`ebs${n}`] = device);
  const swap = blanks.filter((b) => b.guest_format === "swap");
  if (swap.length) mappings.swap = swap.at(-1)!.device_name;
  blanks.filter((b) => b.guest_format !== "swap").forEach((b, n) => {
    mappings[`ephemeral${n}`] = b.device_name;
  });
  return mappings;
}

/**
 * `get_ec2_metadata`: `{"meta-data": {...}, "user-data": bytes}` for an
 * EC2 version (or `latest`).
 *
 * @throws {InvalidMetadataVersion} for a version nova does not know
 */
export function getEc2Metadata(md: InstanceMetadata, version: string): TreeDict {
  if (version === "latest") version = VERSIONS.at(-1)!;
  if (!VERSIONS.includes(version)) throw new InvalidMetadataVersion(version);
  const inst = md.instance;
  const hostname = md.hostname();
  const floatingIp = md.ipInfo.floating_ips[0] ?? "";
  const fixedIp = md.ipInfo.fixed_ips[0] ?? "";
  const meta: TreeDict = {
    "ami-id": md.ec2Ids.ami_id,
    "ami-launch-index": inst.launch_index,
    "ami-manifest-path": "FIXME",
    "instance-id": md.ec2Ids.instance_id,
    hostname,
    "local-ipv4": fixedIp || md.address,
    "reservation-id": inst.reservation_id,
    "security-groups": [...md.securityGroups],
  };
  // Public keys are listed as `0=keyname` (no slash), the key under `0/openssh-key`.
  if (inst.key_name) {
    meta["public-keys"] = { "0": { _name: `0=${inst.key_name}`, "openssh-key": inst.key_data } };
  }
  if (checkVersion("2007-01-19", version)) {
    meta["local-hostname"] = hostname;
    meta["public-hostname"] = hostname;
    meta["public-ipv4"] = floatingIp;
  }
  if (checkVersion("2007-08-29", version)) meta["instance-type"] = inst.flavor.name;
  if (checkVersion("2007-12-15", version)) {
    meta["block-device-mapping"] = { ...md.mappings };
    if (md.ec2Ids.kernel_id) meta["kernel-id"] = md.ec2Ids.kernel_id;
    if (md.ec2Ids.ramdisk_id) meta["ramdisk-id"] = md.ec2Ids.ramdisk_id;
  }
  if (checkVersion("2008-02-01", version)) {
    meta.placement = { "availability-zone": md.availabilityZone };
  }
  if (checkVersion("2008-09-01", version)) meta["instance-action"] = "none";
  const data: TreeDict = { "meta-data": meta };
  if (md.userdataRaw !== null) data["user-data"] = md.userdataRaw;
  return data;
}
