/**
 * Where the metadata comes from: the instance (by uuid, or by a fixed IP
 * of one of its ports), and what nova loads with it for the metadata —
 * its EC2 ids, key pair, block device mappings, security groups, network
 * info and the deployment's vendor data.
 *
 * Mirrors nova/api/metadata/base.py (`get_metadata_by_address`,
 * `get_metadata_by_instance_id`, `InstanceMetadata.__init__`'s loads) and
 * nova/network/neutron.py (`get_fixed_ip_by_address`).
 *
 * @module
 */

import type { Conf } from "../config/conf.ts";
import type { KeypairApi } from "../compute/keypairs/api.ts";
import type { FlatNetworkConfig } from "../compute/network/flat.ts";
import type { Instance } from "../compute/servers/instance.ts";
import type { InstanceStore } from "../compute/servers/instance_store.ts";
import { getLogger } from "../log.ts";
import type { Store } from "../store/db.ts";
import { ec2IdsOf } from "./ec2_ids.ts";
import { instanceBlockMapping, type MappingBdm } from "./ec2_metadata.ts";
import {
  InstanceMetadata,
  type InstanceMetadataInit,
  type MetadataKeypair,
} from "./instance_metadata.ts";
import { networkInfoOf } from "./network_info.ts";
import { readVendordataFile, vendordataProviders } from "./vendordata.ts";

const LOG = getLogger("nova.api.metadata.base");

/** What the metadata reads (the compute service has all of it). */
export interface MetadataSource {
  readonly conf: Conf;
  readonly db: Store;
  readonly instances: InstanceStore;
  readonly network: { readonly config: FlatNetworkConfig };
  readonly keypairs: KeypairApi;
}

/** nova.exception.FixedIpNotFoundForAddress (a NotFound). */
export class FixedIpNotFoundForAddress extends Error {
  constructor(address: string) {
    super(`Fixed IP does not exist for address ${address}.`);
    this.name = "FixedIpNotFoundForAddress";
  }
}

/**
 * nova.exception.FixedIpAssociatedWithMultipleInstances (not a NotFound:
 * the handler's 500 "An unknown error has occurred"). Unreachable here:
 * the built-in network is one network and `fixed_ips` holds an address
 * once per network (`uniq_fixed_ips0network_id0address`), so the 500 is
 * left for a corrupt database, not for any request.
 */
export class FixedIpAssociatedWithMultipleInstances extends Error {
  constructor(address: string) {
    super(`More than one instance is associated with fixed IP address '${address}'.`);
    this.name = "FixedIpAssociatedWithMultipleInstances";
  }
}

/** The config drive's extras: injected files and the admin password. */
export interface MetadataExtras {
  readonly content?: readonly [string, Uint8Array][];
  readonly extraMd?: Record<string, unknown>;
}

/**
 * `get_fixed_ip_by_address`: the instance whose port has `address`.
 *
 * @throws {FixedIpNotFoundForAddress} when no port has it
 * @throws {FixedIpAssociatedWithMultipleInstances} when several do
 */
export function instanceUuidByAddress(src: MetadataSource, address: string): string {
  const rows = src.db.all<{ instance_uuid: string }>(
    "SELECT instance_uuid FROM fixed_ips WHERE address = ? AND instance_uuid IS NOT NULL",
    address,
  );
  if (rows.length === 0) throw new FixedIpNotFoundForAddress(address);
  if (rows.length > 1) throw new FixedIpAssociatedWithMultipleInstances(address);
  LOG.info(`Fixed IP ${address} translates to instance UUID ${rows[0].instance_uuid}`);
  return rows[0].instance_uuid;
}

/** `get_metadata_by_instance_id`: null when there is no such live instance. */
export function metadataByInstanceId(
  src: MetadataSource,
  uuid: string,
  address: string | null,
): InstanceMetadata | null {
  const inst = src.instances.get(uuid);
  return inst ? gatherMetadata(src, inst, address) : null;
}

/** `InstanceMetadata(instance, address, content, extra_md)` with its loads done. */
export function gatherMetadata(
  src: MetadataSource,
  inst: Instance,
  address: string | null,
  extras: MetadataExtras = {},
): InstanceMetadata {
  const init: InstanceMetadataInit = {
    instance: inst,
    address,
    ec2Ids: ec2IdsOf(src.db, inst),
    keypair: keypairOf(src, inst),
    mappings: instanceBlockMapping(defaultDevices(src.db, inst), bdmsOf(src.db, inst.uuid)),
    // Neutron reports each group of each port, repeats included.
    securityGroups: inst.ports.flatMap(() => inst.security_groups),
    vifs: networkInfoOf(inst.ports, src.network.config),
    dhcpDomain: src.conf.api.dhcp_domain,
    vendordataProviders: vendordataProviders(src.conf),
    staticVendordata: readVendordataFile(src.conf.api.vendordata_jsonfile_path),
    content: extras.content,
    extraMd: extras.extraMd,
  };
  return new InstanceMetadata(init);
}

/**
 * `instance.keypairs[0]`: the key pair as it was at create (the
 * instance's key_data), its type from the key pair when it still exists.
 */
function keypairOf(src: MetadataSource, inst: Instance): MetadataKeypair | null {
  if (!inst.key_name || inst.key_data === null) return null;
  const current = src.keypairs.get(inst.user_id ?? "", inst.key_name);
  const type = current?.type ??
    (inst.key_data.startsWith("-----BEGIN CERTIFICATE-----") ? "x509" : "ssh");
  return { name: inst.key_name, type, public_key: inst.key_data };
}

function defaultDevices(db: Store, inst: Instance) {
  const row = db.get<
    { default_ephemeral_device: string | null; default_swap_device: string | null }
  >(
    "SELECT default_ephemeral_device, default_swap_device FROM instances WHERE uuid = ?",
    inst.uuid,
  );
  return {
    root_device_name: inst.root_device_name,
    default_ephemeral_device: row?.default_ephemeral_device ?? null,
    default_swap_device: row?.default_swap_device ?? null,
  };
}

function bdmsOf(db: Store, uuid: string): MappingBdm[] {
  return db.all<MappingBdm>(
    `SELECT source_type, destination_type, device_name, guest_format FROM block_device_mapping
     WHERE instance_uuid = ? AND deleted = 0 ORDER BY id`,
    uuid,
  );
}
