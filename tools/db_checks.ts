/**
 * Checks of a novalet state database read from outside the server (the
 * crash and fuzz tests): SQLite's own integrity check, foreign keys, and
 * the servers area's invariants: every instance has its flavor snapshot,
 * fixed IPs, allocations, guests, metadata and tags belong to live
 * instances, actions and their events to existing ones.
 *
 * @module
 */

import { DatabaseSync } from "node:sqlite";

/** Opens the database of a state dir (read-only when the server may be running). */
export function openStateDb(stateDir: string, readOnly = false): DatabaseSync {
  return new DatabaseSync(`${stateDir}/nova.sqlite`, { readOnly });
}

/** An instance as the checks see it. */
export interface InstanceState {
  uuid: string;
  deleted: boolean;
  vm_state: string | null;
  task_state: string | null;
  power_state: number | null;
  project_id: string;
  vcpus: number;
  memory_mb: number;
  /** The fake hypervisor's power state of its guest; null: no guest. */
  guest: number | null;
}

/** Every instance (deleted ones too), by uuid. */
export function instanceStates(db: DatabaseSync): Map<string, InstanceState> {
  const rows = db.prepare(
    `SELECT i.uuid, i.deleted, i.vm_state, i.task_state, i.power_state, i.project_id, i.vcpus,
            i.memory_mb, d.power_state AS guest
       FROM instances i LEFT JOIN fake_domains d ON d.uuid = i.uuid`,
  ).all() as Record<string, string | number | null>[];
  return new Map(rows.map((r) => [String(r.uuid), {
    uuid: String(r.uuid),
    deleted: Number(r.deleted) !== 0,
    vm_state: r.vm_state as string | null,
    task_state: r.task_state as string | null,
    power_state: r.power_state as number | null,
    project_id: String(r.project_id),
    vcpus: Number(r.vcpus),
    memory_mb: Number(r.memory_mb),
    guest: r.guest as number | null,
  }]));
}

/** Row counts by table (sqlite_% and the migrations table left out). */
export type Counts = Record<string, number>;

/**
 * A function that counts the rows of every table (the tables as they are
 * now: one statement, prepared once).
 */
export function rowCounter(db: DatabaseSync): () => Counts {
  const tables = db.prepare(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
       AND name != 'schema_migrations' ORDER BY name`,
  ).all() as { name: string }[];
  if (tables.length === 0) return () => ({});
  const statement = db.prepare(
    "SELECT " + tables.map((t, i) => `(SELECT count(*) FROM "${t.name}") AS c${i}`).join(", "),
  );
  return () => {
    const row = statement.get() as Record<string, number>;
    return Object.fromEntries(tables.map((t, i) => [t.name, Number(row[`c${i}`])]));
  };
}

/** The tables whose counts differ, as `table +n` / `table -n`. */
export function countChanges(before: Counts, after: Counts): string[] {
  const out: string[] = [];
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const delta = (after[table] ?? 0) - (before[table] ?? 0);
    if (delta !== 0) out.push(`${table} ${delta > 0 ? "+" : ""}${delta}`);
  }
  return out;
}

// Each check: what it proves, and the query that lists its violations.
const CHECKS: [string, string][] = [
  [
    "instance without a valid flavor snapshot",
    `SELECT uuid FROM instances WHERE NOT json_valid(flavor)
       OR json_extract(flavor, '$.flavorid') IS NULL
       OR json_extract(flavor, '$.memory_mb') != memory_mb
       OR json_extract(flavor, '$.vcpus') != vcpus`,
  ],
  [
    "fixed IP of an instance that is not live",
    `SELECT f.address || ' ' || f.instance_uuid FROM fixed_ips f
       LEFT JOIN instances i ON i.uuid = f.instance_uuid AND i.deleted = 0 WHERE i.id IS NULL`,
  ],
  [
    "allocation of an instance that is not live",
    `SELECT a.consumer_id FROM allocations a
       LEFT JOIN instances i ON i.uuid = a.consumer_id AND i.deleted = 0
      WHERE i.id IS NULL AND a.consumer_id NOT IN (SELECT uuid FROM migrations)`,
  ],
  [
    "allocation that differs from its instance's flavor",
    `SELECT a.consumer_id FROM allocations a JOIN instances i ON i.uuid = a.consumer_id
      WHERE a.vcpus != i.vcpus OR a.memory_mb != i.memory_mb`,
  ],
  [
    "metadata of an instance that is not live",
    `SELECT m.instance_uuid || ' ' || m.key FROM instance_metadata m
       LEFT JOIN instances i ON i.uuid = m.instance_uuid AND i.deleted = 0 WHERE i.id IS NULL`,
  ],
  [
    "tag of an instance that is not live",
    `SELECT t.resource_id || ' ' || t.tag FROM tags t
       LEFT JOIN instances i ON i.uuid = t.resource_id AND i.deleted = 0 WHERE i.id IS NULL`,
  ],
  [
    "system metadata of an unknown instance",
    `SELECT s.instance_uuid FROM instance_system_metadata s
       LEFT JOIN instances i ON i.uuid = s.instance_uuid WHERE i.id IS NULL`,
  ],
  [
    "action of an unknown instance",
    `SELECT a.id FROM instance_actions a
       LEFT JOIN instances i ON i.uuid = a.instance_uuid WHERE i.id IS NULL`,
  ],
  [
    "action event without its action",
    `SELECT e.id FROM instance_actions_events e
       LEFT JOIN instance_actions a ON a.id = e.action_id WHERE a.id IS NULL`,
  ],
  [
    "live block device mapping of a deleted instance",
    `SELECT b.id FROM block_device_mapping b JOIN instances i ON i.uuid = b.instance_uuid
      WHERE i.deleted != 0 AND b.deleted = 0`,
  ],
  [
    "fault of an unknown instance",
    `SELECT f.id FROM instance_faults f
       LEFT JOIN instances i ON i.uuid = f.instance_uuid WHERE i.id IS NULL`,
  ],
];

/**
 * Everything wrong with the database: SQLite's integrity and foreign key
 * checks, then the invariants above; empty when all hold.
 */
export function databaseProblems(db: DatabaseSync): string[] {
  const problems: string[] = [];
  const integrity = (db.prepare("PRAGMA integrity_check").all() as Record<string, string>[])
    .map((r) => Object.values(r)[0]);
  if (integrity.join() !== "ok") problems.push(`integrity_check: ${integrity.join("; ")}`);
  const fk = db.prepare("PRAGMA foreign_key_check").all();
  if (fk.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(fk.slice(0, 5))}`);
  for (const [what, sql] of CHECKS) {
    const rows = db.prepare(sql).all() as Record<string, unknown>[];
    if (rows.length > 0) {
      problems.push(`${what}: ${rows.slice(0, 5).map((r) => Object.values(r)[0]).join(", ")}`);
    }
  }
  return problems;
}
