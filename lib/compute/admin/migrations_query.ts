/**
 * The reads the admin APIs make of the migration records (the table and
 * its writes belong to lib/compute/servers/migrations_store.ts): nova's
 * filters, the `created_at desc, id desc` paging of 2.59, the in-progress
 * checks of service delete and the server migrations API.
 *
 * Mirrors nova/db/main/api.py `migration_get_all_by_filters`,
 * `_get_query_nova_resource_by_changes_time`,
 * `migration_get_in_progress_by_host_and_node`,
 * `migration_get_in_progress_by_instance`, `migration_get_by_id_and_instance`.
 *
 * @module
 */

import type { Store } from "../../store/db.ts";
import { MarkerNotFound } from "../servers/errors.ts";
import type { MigrationRow } from "../servers/migrations_store.ts";

/** `migration_get_all_by_filters` filters. */
export interface MigrationQuery {
  uuid?: string;
  status?: string;
  /** Source or destination compute. */
  host?: string;
  source_compute?: string;
  migration_type?: string;
  hidden?: string;
  instance_uuid?: string;
  user_id?: string;
  project_id?: string;
  /** `updated_at >= changes-since` (stored form). */
  changesSince?: string;
  /** `updated_at <= changes-before` (stored form). */
  changesBefore?: string;
}

/** Statuses of migrations no longer in progress. */
const DONE = ["confirmed", "reverted", "error", "failed", "completed", "cancelled", "done"];

function whereOf(f: MigrationQuery): { where: string[]; params: (string | number)[] } {
  const where = ["deleted = 0"];
  const params: (string | number)[] = [];
  const add = (sql: string, ...values: (string | number)[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (f.uuid !== undefined) add("uuid = ?", f.uuid);
  if (f.changesSince) add("updated_at >= ?", f.changesSince);
  if (f.changesBefore) add("updated_at <= ?", f.changesBefore);
  if (f.status !== undefined) add("status = ?", f.status);
  if (f.host !== undefined) add("(source_compute = ? OR dest_compute = ?)", f.host, f.host);
  else if (f.source_compute !== undefined) add("source_compute = ?", f.source_compute);
  if (f.migration_type !== undefined) add("migration_type = ?", f.migration_type);
  // NOTE(parity): the Boolean column compared with the query string, as
  // SQLAlchemy binds it: "1"/"0" match, anything else matches nothing.
  if (f.hidden !== undefined) add("hidden = ?", f.hidden === "1" ? 1 : f.hidden === "0" ? 0 : -1);
  if (f.instance_uuid !== undefined) add("instance_uuid = ?", f.instance_uuid);
  if (f.user_id !== undefined) add("user_id = ?", f.user_id);
  if (f.project_id !== undefined) add("project_id = ?", f.project_id);
  return { where, params };
}

/** All matching records in id order (`get_migrations`). */
export function listMigrations(db: Store, f: MigrationQuery): MigrationRow[] {
  const { where, params } = whereOf(f);
  return db.all<MigrationRow>(
    `SELECT * FROM migrations WHERE ${where.join(" AND ")} ORDER BY id`,
    ...params,
  );
}

/**
 * A page of matching records, newest first (`get_migrations_sorted` with
 * created_at desc, id desc), after the record whose uuid is `marker`.
 *
 * @throws {MarkerNotFound}
 */
export function pageMigrations(
  db: Store,
  f: MigrationQuery,
  limit: number,
  marker: string | null,
): MigrationRow[] {
  if (limit === 0) return [];
  const { where, params } = whereOf(f);
  if (marker) {
    const m = db.get<MigrationRow>(
      "SELECT * FROM migrations WHERE uuid = ? AND deleted = 0",
      marker,
    );
    if (!m) throw new MarkerNotFound(marker);
    where.push("(created_at < ? OR (created_at = ? AND id < ?))");
    params.push(m.created_at, m.created_at, m.id);
  }
  return db.all<MigrationRow>(
    `SELECT * FROM migrations WHERE ${where.join(" AND ")}
     ORDER BY created_at DESC, id DESC LIMIT ?`,
    ...params,
    limit,
  );
}

/** `migration_get_in_progress_by_host_and_node`. */
export function inProgressOnNode(db: Store, host: string, node: string): MigrationRow[] {
  return db.all<MigrationRow>(
    `SELECT * FROM migrations WHERE deleted = 0 AND
       ((source_compute = ? AND source_node = ?) OR (dest_compute = ? AND dest_node = ?))
       AND status NOT IN (${DONE.map(() => "?").join(", ")})`,
    host,
    node,
    host,
    node,
    ...DONE,
  );
}

/** `migration_get_in_progress_by_instance(uuid, migration_type)`. */
export function inProgressOfInstance(db: Store, uuid: string, type: string): MigrationRow[] {
  return db.all<MigrationRow>(
    `SELECT * FROM migrations WHERE deleted = 0 AND instance_uuid = ? AND migration_type = ?
       AND status NOT IN (${DONE.map(() => "?").join(", ")}) ORDER BY id`,
    uuid,
    type,
    ...DONE,
  );
}

/** `migration_get_by_id_and_instance`, or null. */
export function migrationOfInstance(db: Store, id: string, uuid: string): MigrationRow | null {
  if (!/^\d+$/.test(id)) return null;
  return db.get<MigrationRow>(
    "SELECT * FROM migrations WHERE id = ? AND instance_uuid = ? AND deleted = 0",
    Number(id),
    uuid,
  ) ?? null;
}
