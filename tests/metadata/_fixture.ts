/**
 * The fixture instance of the metadata unit tests (testdata/instance.json,
 * which make_oracle.py also feeds to nova's own code), as novalet's
 * InstanceMetadata.
 *
 * @module
 */

import type { Instance } from "../../lib/compute/servers/instance.ts";
import { instanceBlockMapping } from "../../lib/metadata/ec2_metadata.ts";
import {
  InstanceMetadata,
  type InstanceMetadataInit,
} from "../../lib/metadata/instance_metadata.ts";
import { networkInfoOf } from "../../lib/metadata/network_info.ts";
import { readVendordataFile } from "../../lib/metadata/vendordata.ts";

const DIR = new URL("./testdata/", import.meta.url);

// deno-lint-ignore no-explicit-any
export const FIXTURE: any = JSON.parse(Deno.readTextFileSync(new URL("instance.json", DIR)));
export const VENDOR_DATA_PATH = new URL("vendor_data.json", DIR).pathname;

/** make_oracle.py's os.urandom: bytes 0..255 repeated. */
export function patternBytes(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => i % 256);
}

/** The fixture as an `Instance` row (fields the metadata does not read left empty). */
export function fixtureInstance(overrides: Partial<Instance> = {}): Instance {
  const i = FIXTURE.instance;
  return {
    id: 1,
    uuid: i.uuid,
    created_at: "2026-01-01T00:00:00.000000",
    updated_at: null,
    deleted_at: null,
    deleted: 0,
    user_id: i.user_id,
    project_id: i.project_id,
    image_ref: i.image_ref,
    kernel_id: "",
    ramdisk_id: "",
    hostname: i.hostname,
    launch_index: i.launch_index,
    key_name: i.key_name,
    key_data: i.key_data,
    power_state: 1,
    vm_state: "active",
    task_state: null,
    memory_mb: 512,
    vcpus: 1,
    root_gb: 1,
    ephemeral_gb: 0,
    instance_type_id: 1,
    // deno-lint-ignore no-explicit-any
    flavor: { name: i.flavor_name } as any,
    host: "novalet",
    node: "novalet",
    user_data: i.user_data,
    reservation_id: i.reservation_id,
    launched_at: null,
    terminated_at: null,
    availability_zone: i.availability_zone,
    display_name: i.display_name,
    display_description: null,
    locked: false,
    locked_by: null,
    root_device_name: i.root_device_name,
    access_ip_v4: null,
    access_ip_v6: null,
    config_drive: "True",
    auto_disk_config: false,
    progress: 0,
    trusted_certs: null,
    security_groups: ["default"],
    requested_networks: null,
    metadata: i.metadata,
    system_metadata: i.system_metadata,
    tags: [],
    fault: null,
    ports: FIXTURE.ports,
    volumes: [],
    view_stamp: 0,
    ...overrides,
  } as Instance;
}

/** The fixture's InstanceMetadata, as make_oracle.py builds nova's. */
export function fixtureMetadata(
  overrides: Partial<InstanceMetadataInit> = {},
  instance: Partial<Instance> = {},
): InstanceMetadata {
  const inst = fixtureInstance(instance);
  return new InstanceMetadata({
    instance: inst,
    address: FIXTURE.address,
    ec2Ids: FIXTURE.ec2_ids,
    keypair: FIXTURE.keypair,
    mappings: instanceBlockMapping(
      { ...inst, default_ephemeral_device: null, default_swap_device: null },
      [],
    ),
    securityGroups: FIXTURE.security_groups,
    vifs: networkInfoOf(inst.ports, FIXTURE.network),
    dhcpDomain: "novalocal",
    vendordataProviders: ["StaticJSON"],
    staticVendordata: readVendordataFile(VENDOR_DATA_PATH),
    randomBytes: patternBytes,
    ...overrides,
  });
}
