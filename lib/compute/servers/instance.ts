/**
 * nova's `Instance` object as novalet holds it: the `instances` row with
 * its flavor snapshot, and the joined data the views need (metadata,
 * system metadata, tags, the newest fault, ports, attached volumes), read
 * in one query by `INSTANCE_SELECT`.
 *
 * Mirrors nova/objects/instance.py (fields and `expected_attrs` joins).
 *
 * @module
 */

import type { Flavor } from "../flavors/api.ts";
import type { Row } from "../../store/db.ts";

/** An instance fault (`InstanceFault`), the newest one of an instance. */
export interface Fault {
  code: number;
  message: string;
  details: string | null;
  created_at: string;
}

/** A port of the built-in network: one fixed IPv4 and its MAC. */
export interface Port {
  port_id: string;
  network_id: string;
  address: string;
  mac_address: string;
}

/** A volume attached to the instance (a volume block device mapping). */
export interface AttachedVolume {
  id: string;
  delete_on_termination: boolean;
}

/** The `instances` columns, as read (booleans as booleans, JSON decoded). */
export interface Instance {
  id: number;
  uuid: string;
  created_at: string;
  updated_at: string | null;
  deleted_at: string | null;
  deleted: number;
  user_id: string | null;
  project_id: string | null;
  image_ref: string | null;
  kernel_id: string | null;
  ramdisk_id: string | null;
  hostname: string | null;
  launch_index: number | null;
  key_name: string | null;
  key_data: string | null;
  power_state: number | null;
  vm_state: string | null;
  task_state: string | null;
  memory_mb: number | null;
  vcpus: number | null;
  root_gb: number | null;
  ephemeral_gb: number | null;
  instance_type_id: number | null;
  flavor: Flavor;
  host: string | null;
  node: string | null;
  user_data: string | null;
  reservation_id: string | null;
  launched_at: string | null;
  terminated_at: string | null;
  availability_zone: string | null;
  display_name: string | null;
  display_description: string | null;
  locked: boolean;
  locked_by: string | null;
  root_device_name: string | null;
  access_ip_v4: string | null;
  access_ip_v6: string | null;
  config_drive: string | null;
  auto_disk_config: boolean | null;
  progress: number | null;
  trusted_certs: string[] | null;
  /** The security group names asked for at create (Neutron would hold them on the ports). */
  security_groups: string[];
  /** The networks asked for at create (`NetworkRequestList`), for the build. */
  requested_networks: RequestedNetwork[] | "none" | "auto" | null;
  metadata: Record<string, string>;
  system_metadata: Record<string, string>;
  tags: string[];
  fault: Fault | null;
  ports: Port[];
  volumes: AttachedVolume[];
  /** Changes with every write that shows in the views (see the view cache). */
  view_stamp: number;
}

/** One entry of `NetworkRequestList`. */
export interface RequestedNetwork {
  network_id: string | null;
  address: string | null;
  port_id: string | null;
  tag: string | null;
}

/** The select list that reads an instance with everything the views need. */
export const INSTANCE_SELECT = `SELECT i.*,
  (SELECT json_group_object(key, value) FROM (SELECT key, value FROM instance_metadata m
    WHERE m.instance_uuid = i.uuid ORDER BY m.id)) AS j_metadata,
  (SELECT json_group_object(key, value) FROM instance_system_metadata s
    WHERE s.instance_uuid = i.uuid) AS j_system_metadata,
  (SELECT json_group_array(tag) FROM (SELECT tag FROM tags t
    WHERE t.resource_id = i.uuid ORDER BY t.tag)) AS j_tags,
  (SELECT json_object('code', code, 'message', message, 'details', details,
    'created_at', created_at) FROM instance_faults f WHERE f.instance_uuid = i.uuid
    ORDER BY f.created_at DESC, f.id DESC LIMIT 1) AS j_fault,
  (SELECT json_group_array(json_array(port_id, network_id, address, mac_address))
    FROM (SELECT * FROM fixed_ips p WHERE p.instance_uuid = i.uuid ORDER BY p.id)) AS j_ports,
  (SELECT json_group_array(json_array(volume_id, delete_on_termination))
    FROM (SELECT volume_id, delete_on_termination FROM block_device_mapping b
      WHERE b.instance_uuid = i.uuid AND b.deleted = 0 AND b.volume_id IS NOT NULL
      ORDER BY b.id)) AS j_volumes
FROM instances i`;

const EMPTY_ARRAY = "[]";

/** An `INSTANCE_SELECT` row as an {@link Instance}. */
export function instanceFromRow(row: Row): Instance {
  const r = row as Record<string, unknown>;
  return {
    id: r.id as number,
    uuid: r.uuid as string,
    created_at: r.created_at as string,
    updated_at: r.updated_at as string | null,
    deleted_at: r.deleted_at as string | null,
    deleted: r.deleted as number,
    user_id: r.user_id as string | null,
    project_id: r.project_id as string | null,
    image_ref: r.image_ref as string | null,
    kernel_id: r.kernel_id as string | null,
    ramdisk_id: r.ramdisk_id as string | null,
    hostname: r.hostname as string | null,
    launch_index: r.launch_index as number | null,
    key_name: r.key_name as string | null,
    key_data: r.key_data as string | null,
    power_state: r.power_state as number | null,
    vm_state: r.vm_state as string | null,
    task_state: r.task_state as string | null,
    memory_mb: r.memory_mb as number | null,
    vcpus: r.vcpus as number | null,
    root_gb: r.root_gb as number | null,
    ephemeral_gb: r.ephemeral_gb as number | null,
    instance_type_id: r.instance_type_id as number | null,
    flavor: JSON.parse(r.flavor as string),
    host: r.host as string | null,
    node: r.node as string | null,
    user_data: r.user_data as string | null,
    reservation_id: r.reservation_id as string | null,
    launched_at: r.launched_at as string | null,
    terminated_at: r.terminated_at as string | null,
    availability_zone: r.availability_zone as string | null,
    display_name: r.display_name as string | null,
    display_description: r.display_description as string | null,
    locked: r.locked === 1,
    locked_by: r.locked_by as string | null,
    root_device_name: r.root_device_name as string | null,
    access_ip_v4: r.access_ip_v4 as string | null,
    access_ip_v6: r.access_ip_v6 as string | null,
    config_drive: r.config_drive as string | null,
    auto_disk_config: r.auto_disk_config === null ? null : r.auto_disk_config === 1,
    progress: r.progress as number | null,
    trusted_certs: r.trusted_certs === null ? null : JSON.parse(r.trusted_certs as string),
    security_groups: JSON.parse(r.security_groups as string),
    requested_networks: r.requested_networks === null
      ? null
      : JSON.parse(r.requested_networks as string),
    metadata: r.j_metadata ? JSON.parse(r.j_metadata as string) : {},
    system_metadata: r.j_system_metadata ? JSON.parse(r.j_system_metadata as string) : {},
    tags: r.j_tags && r.j_tags !== EMPTY_ARRAY ? JSON.parse(r.j_tags as string) : [],
    fault: r.j_fault ? JSON.parse(r.j_fault as string) : null,
    ports: portsOf(r.j_ports as string | null),
    volumes: volumesOf(r.j_volumes as string | null),
    view_stamp: r.view_stamp as number,
  };
}

function portsOf(text: string | null): Port[] {
  if (!text || text === EMPTY_ARRAY) return [];
  return (JSON.parse(text) as string[][]).map(([port_id, network_id, address, mac_address]) => ({
    port_id,
    network_id,
    address,
    mac_address,
  }));
}

function volumesOf(text: string | null): AttachedVolume[] {
  if (!text || text === EMPTY_ARRAY) return [];
  return (JSON.parse(text) as [string, number][]).map(([id, dot]) => ({
    id,
    delete_on_termination: dot === 1,
  }));
}
