/**
 * Migration records: one row per resize, cold migration, live migration or
 * evacuation, with its status as the move goes (`pre-migrating`,
 * `migrating`, `post-migrating`, `finished`, `confirming`, `confirmed`,
 * `reverting`, `reverted`, `accepted`, `done`, `error`, ...). The servers
 * actions write them; the admin APIs (`os-migrations`,
 * `/servers/{id}/migrations`) read them through {@link MigrationStore}.
 *
 * Mirrors nova/objects/migration.py (`Migration`, `MigrationList`) on
 * nova's `migrations` table (nova/db/main/models.py `Migration`) and the
 * `migration_*` calls of nova/db/main/api.py.
 *
 * @module
 */

import type { Migration, Store } from "../../store/db.ts";
import { utcnow } from "../../store/timestamps.ts";

/** The `migrations` table (nova's columns; booleans as 0/1). */
export const MIGRATIONS_TABLE = `
  CREATE TABLE migrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    deleted_at TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    source_compute TEXT,
    dest_compute TEXT,
    source_node TEXT,
    dest_node TEXT,
    dest_host TEXT,
    old_instance_type_id INTEGER,
    new_instance_type_id INTEGER,
    instance_uuid TEXT NOT NULL,
    status TEXT,
    migration_type TEXT,
    hidden INTEGER NOT NULL DEFAULT 0,
    memory_total INTEGER,
    memory_processed INTEGER,
    memory_remaining INTEGER,
    disk_total INTEGER,
    disk_processed INTEGER,
    disk_remaining INTEGER,
    cross_cell_move INTEGER NOT NULL DEFAULT 0,
    user_id TEXT,
    project_id TEXT
  );
  CREATE INDEX migrations_instance_uuid_and_status_idx
    ON migrations (deleted, instance_uuid, status);
  CREATE INDEX migrations_by_host_nodes_and_status_idx
    ON migrations (deleted, source_compute, dest_compute, status);
  CREATE INDEX migrations_updated_at_idx ON migrations (updated_at);
`;

/** The schema migrations of the migration records, in order. */
export const MIGRATION_RECORD_MIGRATIONS: readonly Migration[] = [
  { id: "migration-records-001-table", up: MIGRATIONS_TABLE },
];

/** A `migrations` row. */
export interface MigrationRow {
  id: number;
  uuid: string;
  created_at: string;
  updated_at: string | null;
  deleted_at: string | null;
  deleted: number;
  source_compute: string | null;
  dest_compute: string | null;
  source_node: string | null;
  dest_node: string | null;
  dest_host: string | null;
  old_instance_type_id: number | null;
  new_instance_type_id: number | null;
  instance_uuid: string;
  status: string | null;
  /** `migration`, `resize`, `live-migration` or `evacuation`. */
  migration_type: string | null;
  hidden: number;
  memory_total: number | null;
  memory_processed: number | null;
  memory_remaining: number | null;
  disk_total: number | null;
  disk_processed: number | null;
  disk_remaining: number | null;
  cross_cell_move: number;
  user_id: string | null;
  project_id: string | null;
}

/** The columns a new migration is given (`Migration.create`). */
export type NewMigration = Partial<Omit<MigrationRow, "id" | "uuid" | "created_at">> & {
  instance_uuid: string;
};

/** Filters of {@link MigrationStore.list} (`MigrationList.get_by_filters`). */
export interface MigrationFilters {
  readonly instanceUuid?: string;
  readonly status?: string | readonly string[];
  readonly migrationType?: string;
  /** Source or destination compute host. */
  readonly host?: string;
  readonly sourceCompute?: string;
  readonly hidden?: boolean;
  readonly changesSince?: string;
}

/** The migration records of one store. */
export class MigrationStore {
  constructor(readonly db: Store) {}

  /** `Migration.create`: a new record with a fresh uuid (inside the caller's transaction). */
  create(values: NewMigration): MigrationRow {
    const row: Record<string, unknown> = {
      uuid: crypto.randomUUID(),
      created_at: utcnow(),
      ...values,
    };
    const keys = Object.keys(row);
    const { lastInsertRowid } = this.db.run(
      `INSERT INTO migrations (${keys.join(", ")}) VALUES (${keys.map(() => "?").join(", ")})`,
      ...keys.map((k) => row[k] as string | number | null),
    );
    return this.get(Number(lastInsertRowid))!;
  }

  /** `migration.save()`: writes `values` and a new updated_at. */
  update(id: number, values: Partial<MigrationRow>): void {
    const keys = Object.keys(values);
    this.db.run(
      `UPDATE migrations SET ${[...keys.map((k) => `${k} = ?`), "updated_at = ?"].join(", ")}
       WHERE id = ?`,
      ...keys.map((k) => values[k as keyof MigrationRow] as string | number | null),
      utcnow(),
      id,
    );
  }

  /** `Migration.get_by_id`. */
  get(id: number): MigrationRow | null {
    return this.db.get<MigrationRow>("SELECT * FROM migrations WHERE id = ?", id) ?? null;
  }

  /** `Migration.get_by_uuid`. */
  byUuid(uuid: string): MigrationRow | null {
    return this.db.get<MigrationRow>("SELECT * FROM migrations WHERE uuid = ?", uuid) ?? null;
  }

  /** `Migration.get_by_instance_and_status`: the first matching record, or null. */
  byInstanceAndStatus(instanceUuid: string, status: string): MigrationRow | null {
    return this.db.get<MigrationRow>(
      `SELECT * FROM migrations WHERE instance_uuid = ? AND status = ? AND deleted = 0
       ORDER BY id LIMIT 1`,
      instanceUuid,
      status,
    ) ?? null;
  }

  /**
   * `MigrationList.get_unconfirmed_by_dest_compute`: `finished` migrations
   * to `destCompute` not updated for `windowSeconds`.
   */
  unconfirmed(windowSeconds: number, destCompute: string): MigrationRow[] {
    const cutoff = utcnowMinus(windowSeconds);
    return this.db.all<MigrationRow>(
      `SELECT * FROM migrations WHERE status = 'finished' AND deleted = 0
         AND dest_compute = ? AND COALESCE(updated_at, created_at) <= ? ORDER BY id`,
      destCompute,
      cutoff,
    );
  }

  /** `MigrationList.get_by_filters`, oldest first. */
  list(f: MigrationFilters = {}): MigrationRow[] {
    const where = ["deleted = 0"];
    const params: (string | number)[] = [];
    const eq = (column: string, value: string | number | undefined) => {
      if (value === undefined) return;
      where.push(`${column} = ?`);
      params.push(value);
    };
    eq("instance_uuid", f.instanceUuid);
    eq("migration_type", f.migrationType);
    eq("source_compute", f.sourceCompute);
    if (f.hidden !== undefined) eq("hidden", f.hidden ? 1 : 0);
    if (f.status !== undefined) {
      const statuses = typeof f.status === "string" ? [f.status] : [...f.status];
      where.push(`status IN (${statuses.map(() => "?").join(", ") || "NULL"})`);
      params.push(...statuses);
    }
    if (f.host !== undefined) {
      where.push("(source_compute = ? OR dest_compute = ?)");
      params.push(f.host, f.host);
    }
    if (f.changesSince !== undefined) {
      where.push("COALESCE(updated_at, created_at) >= ?");
      params.push(f.changesSince);
    }
    return this.db.all<MigrationRow>(
      `SELECT * FROM migrations WHERE ${where.join(" AND ")} ORDER BY id`,
      ...params,
    );
  }
}

/** `utcnow() - seconds` in the store's timestamp format. */
function utcnowMinus(seconds: number): string {
  const now = Date.parse(`${utcnow()}Z`);
  return new Date(now - seconds * 1000).toISOString().replace("Z", "").padEnd(26, "0");
}
