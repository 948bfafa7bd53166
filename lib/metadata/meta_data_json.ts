/**
 * `meta_data.json` of the OpenStack format: the instance's uuid, user
 * metadata, injected files, keys, names and zone, with the keys each
 * version added (random_seed in Grizzly, project_id in Liberty, devices
 * in Newton, dedicated_cpus in Victoria), written as nova's jsonutils
 * writes it (Python's json.dumps).
 *
 * Mirrors nova/api/metadata/base.py (`InstanceMetadata._metadata_as_json`,
 * `_get_device_metadata`, `_get_instance_dedicated_cpus`).
 *
 * @module
 */

import { b64encode } from "../compute/keypairs/base64.ts";
import { getLogger } from "../log.ts";
import { pyJson } from "../response.ts";
import type { InstanceMetadata } from "./instance_metadata.ts";
import { checkOsVersion, GRIZZLY, LIBERTY, NEWTON_ONE, VICTORIA } from "./versions.ts";

const LOG = getLogger("nova.api.metadata.base");
const ENCODER = new TextEncoder();

/** `_metadata_as_json` for an OpenStack version (not `latest`: the caller resolves it). */
export function metadataAsJson(md: InstanceMetadata, version: string): Uint8Array {
  const inst = md.instance;
  const metadata: Record<string, unknown> = { uuid: md.uuid };
  if (Object.keys(md.launchMetadata).length) metadata.meta = md.launchMetadata;
  if (md.files.length) metadata.files = md.files;
  if (Object.keys(md.extraMd).length) Object.assign(metadata, md.extraMd);
  // network_config: only with an injected network template on an
  // `injected` network; Neutron's networks (and the flat one) are not.
  if (inst.key_name) {
    if (md.keypair) {
      metadata.public_keys = { [md.keypair.name]: md.keypair.public_key };
      metadata.keys = [{
        name: md.keypair.name,
        type: md.keypair.type,
        data: md.keypair.public_key,
      }];
    } else {
      LOG.debug(`Unable to find keypair for instance with key name '${inst.key_name}'.`);
    }
  }
  metadata.hostname = md.hostname();
  metadata.name = inst.display_name;
  metadata.launch_index = inst.launch_index;
  metadata.availability_zone = md.availabilityZone;
  if (checkOsVersion(GRIZZLY, version)) metadata.random_seed = b64encode(md.randomBytes(512));
  if (checkOsVersion(LIBERTY, version)) metadata.project_id = inst.project_id;
  // The fake hypervisor tags no devices: nova's device metadata stays empty.
  if (checkOsVersion(NEWTON_ONE, version)) metadata.devices = [];
  // No NUMA topology, so no dedicated (pinned) CPUs.
  if (checkOsVersion(VICTORIA, version)) metadata.dedicated_cpus = [];
  return ENCODER.encode(pyJson(metadata));
}
