/**
 * The servers area's tables, as nova's cell database has them
 * (nova/db/main/models.py: `Instance`, `InstanceMetadata`,
 * `InstanceSystemMetadata`, `Tag`, `InstanceFault`, `InstanceAction`,
 * `InstanceActionEvent`, `BlockDeviceMapping`), plus what stands in for the
 * services nova talks to: fixed IPs of the built-in flat network (Neutron
 * ports), the compute node and its allocations (placement), and the fake
 * hypervisor's domains.
 *
 * Instances are soft-deleted as nova does: `deleted = id`, `deleted_at`
 * set, the row kept. Timestamps are nova's `%Y-%m-%dT%H:%M:%S.%f` text
 * (UTC), so that they sort as text.
 *
 * @module
 */

import type { Migration } from "../../store/db.ts";

const INSTANCES = `
  CREATE TABLE instances (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    deleted_at TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    user_id TEXT,
    project_id TEXT,
    image_ref TEXT,
    kernel_id TEXT,
    ramdisk_id TEXT,
    hostname TEXT,
    launch_index INTEGER,
    key_name TEXT,
    key_data TEXT,
    power_state INTEGER,
    vm_state TEXT,
    task_state TEXT,
    memory_mb INTEGER,
    vcpus INTEGER,
    root_gb INTEGER,
    ephemeral_gb INTEGER,
    instance_type_id INTEGER,
    flavor TEXT NOT NULL,
    host TEXT,
    node TEXT,
    user_data TEXT,
    reservation_id TEXT,
    launched_at TEXT,
    terminated_at TEXT,
    availability_zone TEXT,
    display_name TEXT,
    display_description TEXT,
    locked INTEGER NOT NULL DEFAULT 0,
    locked_by TEXT,
    os_type TEXT,
    architecture TEXT,
    vm_mode TEXT,
    root_device_name TEXT,
    access_ip_v4 TEXT,
    access_ip_v6 TEXT,
    config_drive TEXT,
    auto_disk_config INTEGER,
    progress INTEGER,
    shutdown_terminate INTEGER NOT NULL DEFAULT 0,
    disable_terminate INTEGER NOT NULL DEFAULT 0,
    cleaned INTEGER NOT NULL DEFAULT 0,
    hidden INTEGER NOT NULL DEFAULT 0,
    trusted_certs TEXT,
    security_groups TEXT NOT NULL DEFAULT '[]',
    requested_networks TEXT,
    launched_on TEXT,
    ephemeral_key_uuid TEXT,
    default_ephemeral_device TEXT,
    default_swap_device TEXT,
    cell_name TEXT,
    CONSTRAINT uniq_instances0uuid UNIQUE (uuid)
  );
  -- The default list order (created_at desc, uuid, id), per project and for all.
  CREATE INDEX instances_project_list_idx
    ON instances (project_id, deleted, created_at DESC, uuid ASC, id DESC);
  CREATE INDEX instances_list_idx ON instances (deleted, created_at DESC, uuid ASC, id DESC);
  CREATE INDEX instances_created_at_uuid_idx ON instances (created_at, uuid);
  CREATE INDEX instances_host_deleted_idx ON instances (host, deleted);
  CREATE INDEX instances_reservation_id_idx ON instances (reservation_id);
  CREATE INDEX instances_updated_at_project_id_idx ON instances (updated_at, project_id);
  CREATE INDEX instances_task_state_updated_at_idx ON instances (task_state, updated_at);
`;

const INSTANCE_CHILDREN = `
  CREATE TABLE instance_metadata (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    instance_uuid TEXT NOT NULL REFERENCES instances (uuid),
    key TEXT NOT NULL,
    value TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    CONSTRAINT uniq_instance_metadata0instance_uuid0key UNIQUE (instance_uuid, key)
  );
  CREATE TABLE instance_system_metadata (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    instance_uuid TEXT NOT NULL REFERENCES instances (uuid),
    key TEXT NOT NULL,
    value TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    CONSTRAINT uniq_instance_system_metadata0instance_uuid0key UNIQUE (instance_uuid, key)
  );
  CREATE TABLE tags (
    resource_id TEXT NOT NULL,
    tag TEXT NOT NULL,
    PRIMARY KEY (resource_id, tag)
  );
  CREATE INDEX tags_tag_idx ON tags (tag);
  CREATE TABLE instance_faults (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    instance_uuid TEXT NOT NULL REFERENCES instances (uuid),
    code INTEGER NOT NULL,
    message TEXT,
    details TEXT,
    host TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX instance_faults_instance_uuid_idx ON instance_faults (instance_uuid, created_at);
  CREATE TABLE block_device_mapping (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    instance_uuid TEXT NOT NULL REFERENCES instances (uuid),
    uuid TEXT NOT NULL,
    source_type TEXT,
    destination_type TEXT,
    device_name TEXT,
    device_type TEXT,
    disk_bus TEXT,
    guest_format TEXT,
    boot_index INTEGER,
    delete_on_termination INTEGER NOT NULL DEFAULT 0,
    image_id TEXT,
    snapshot_id TEXT,
    volume_id TEXT,
    volume_size INTEGER,
    volume_type TEXT,
    tag TEXT,
    no_device INTEGER,
    created_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX block_device_mapping_instance_uuid_idx ON block_device_mapping (instance_uuid);
`;

const ACTIONS = `
  CREATE TABLE instance_actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    action TEXT NOT NULL,
    instance_uuid TEXT NOT NULL,
    request_id TEXT,
    user_id TEXT,
    project_id TEXT,
    start_time TEXT,
    finish_time TEXT,
    message TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT
  );
  CREATE INDEX instance_actions_instance_uuid_idx ON instance_actions (instance_uuid, created_at);
  CREATE INDEX instance_actions_request_id_idx ON instance_actions (instance_uuid, request_id);
  CREATE TABLE instance_actions_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id INTEGER NOT NULL REFERENCES instance_actions (id),
    event TEXT NOT NULL,
    start_time TEXT,
    finish_time TEXT,
    result TEXT,
    traceback TEXT,
    host TEXT,
    details TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX instance_actions_events_action_id_idx ON instance_actions_events (action_id);
`;

// The built-in flat network's ports (one fixed IPv4 each). An address is
// unique among live ports: it is never handed out twice.
const NETWORK = `
  CREATE TABLE fixed_ips (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    port_id TEXT NOT NULL UNIQUE,
    network_id TEXT NOT NULL,
    address TEXT NOT NULL,
    ip_int INTEGER NOT NULL,
    mac_address TEXT NOT NULL UNIQUE,
    instance_uuid TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT uniq_fixed_ips0network_id0address UNIQUE (network_id, address),
    CONSTRAINT uniq_fixed_ips0network_id0ip_int UNIQUE (network_id, ip_int)
  );
  CREATE INDEX fixed_ips_instance_uuid_idx ON fixed_ips (instance_uuid);
`;

// The one compute node and what instances hold on it (placement's
// inventory and allocations), and the fake hypervisor's domains, which
// outlive a restart as a real hypervisor's guests do.
const HOST = `
  CREATE TABLE compute_nodes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    host TEXT NOT NULL,
    hypervisor_hostname TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    CONSTRAINT uniq_compute_nodes0host0hypervisor_hostname UNIQUE (host, hypervisor_hostname)
  );
  CREATE TABLE allocations (
    consumer_id TEXT PRIMARY KEY,
    node TEXT NOT NULL,
    vcpus INTEGER NOT NULL,
    memory_mb INTEGER NOT NULL,
    disk_gb INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE fake_domains (
    uuid TEXT PRIMARY KEY,
    power_state INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );
`;

// `view_stamp` changes whenever anything a server view shows changes (the
// row itself or its metadata, tags, faults, ports, block devices), so that
// rendered views can be cached and reused until then.
const STAMPS = `
  ALTER TABLE instances ADD COLUMN view_stamp INTEGER NOT NULL DEFAULT 0;
  CREATE TRIGGER instances_view_stamp AFTER UPDATE ON instances
    WHEN NEW.view_stamp = OLD.view_stamp
    BEGIN UPDATE instances SET view_stamp = OLD.view_stamp + 1 WHERE id = NEW.id; END;
  ${
  [
    ["instance_metadata", "instance_uuid"],
    ["instance_system_metadata", "instance_uuid"],
    ["tags", "resource_id"],
    ["instance_faults", "instance_uuid"],
    ["fixed_ips", "instance_uuid"],
    ["block_device_mapping", "instance_uuid"],
  ].map(([table, key]) =>
    ["INSERT", "UPDATE", "DELETE"].map((op) => {
      const row = op === "DELETE" ? "OLD" : "NEW";
      return `CREATE TRIGGER ${table}_${op.toLowerCase()}_view_stamp AFTER ${op} ON ${table}
      BEGIN UPDATE instances SET view_stamp = view_stamp + 1 WHERE uuid = ${row}.${key}; END;`;
    }).join("\n")
  ).join("\n")
}
`;

// What the allocations on each node add up to, kept by triggers so that the
// scheduler's and a claim's usage is one row, not a sum over every server.
const NODE_USAGE = `
  CREATE TABLE node_usage (
    node TEXT PRIMARY KEY,
    vcpus INTEGER NOT NULL DEFAULT 0,
    memory_mb INTEGER NOT NULL DEFAULT 0,
    disk_gb INTEGER NOT NULL DEFAULT 0
  );
  INSERT INTO node_usage (node, vcpus, memory_mb, disk_gb)
    SELECT node, SUM(vcpus), SUM(memory_mb), SUM(disk_gb) FROM allocations GROUP BY node;
  CREATE TRIGGER allocations_insert_node_usage AFTER INSERT ON allocations BEGIN
    INSERT INTO node_usage (node, vcpus, memory_mb, disk_gb)
      VALUES (NEW.node, NEW.vcpus, NEW.memory_mb, NEW.disk_gb)
      ON CONFLICT (node) DO UPDATE SET vcpus = vcpus + excluded.vcpus,
        memory_mb = memory_mb + excluded.memory_mb, disk_gb = disk_gb + excluded.disk_gb;
  END;
  CREATE TRIGGER allocations_delete_node_usage AFTER DELETE ON allocations BEGIN
    UPDATE node_usage SET vcpus = vcpus - OLD.vcpus, memory_mb = memory_mb - OLD.memory_mb,
      disk_gb = disk_gb - OLD.disk_gb WHERE node = OLD.node;
  END;
  CREATE TRIGGER allocations_update_node_usage AFTER UPDATE ON allocations BEGIN
    UPDATE node_usage SET vcpus = vcpus - OLD.vcpus, memory_mb = memory_mb - OLD.memory_mb,
      disk_gb = disk_gb - OLD.disk_gb WHERE node = OLD.node;
    INSERT INTO node_usage (node, vcpus, memory_mb, disk_gb)
      VALUES (NEW.node, NEW.vcpus, NEW.memory_mb, NEW.disk_gb)
      ON CONFLICT (node) DO UPDATE SET vcpus = vcpus + excluded.vcpus,
        memory_mb = memory_mb + excluded.memory_mb, disk_gb = disk_gb + excluded.disk_gb;
  END;
`;

/** The servers area's migrations, in order. */
export const SERVERS_MIGRATIONS: readonly Migration[] = [
  { id: "servers-001-instances", up: INSTANCES },
  { id: "servers-002-instance-children", up: INSTANCE_CHILDREN },
  { id: "servers-003-instance-actions", up: ACTIONS },
  { id: "servers-004-fixed-ips", up: NETWORK },
  { id: "servers-005-compute-host", up: HOST },
  { id: "servers-006-view-stamps", up: STAMPS },
  { id: "servers-007-node-usage", up: NODE_USAGE },
];
