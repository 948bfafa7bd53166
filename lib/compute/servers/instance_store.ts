/**
 * Reads and writes of instances and their children (metadata, system
 * metadata, tags, faults): nova's `Instance.create/save/destroy` and the
 * `instance_*` DB API calls, each a statement the caller wraps in one
 * transaction per state change.
 *
 * Mirrors nova/db/main/api.py (`instance_create`, `instance_update_and_get_original`,
 * `instance_destroy`, `instance_metadata_update`, `instance_tag_*`).
 *
 * @module
 */

import type { Store } from "../../store/db.ts";
import { utcnow } from "../../store/timestamps.ts";
import { InstanceNotFound } from "./errors.ts";
import { type Instance, INSTANCE_SELECT, instanceFromRow } from "./instance.ts";

type Value = null | number | string;

/** The writable `instances` columns and their values (booleans as 0/1, JSON as text). */
export type InstanceValues = Readonly<Record<string, Value>>;

/** nova.exception.UnexpectedTaskStateError: a save whose expected task_state did not hold. */
export class UnexpectedTaskState extends Error {
  constructor(readonly instanceUuid: string, readonly expected: readonly (string | null)[]) {
    super(`Unexpected task state: expecting ${expected} but the instance ${instanceUuid} moved on`);
    this.name = "UnexpectedTaskStateError";
  }
}

/** Instance rows of one store. */
export class InstanceStore {
  constructor(readonly db: Store) {}

  /** `instance_get_by_uuid`: the instance, or null; deleted rows only with `readDeleted`. */
  get(uuid: string, readDeleted = false): Instance | null {
    const sql = readDeleted
      ? `${INSTANCE_SELECT} WHERE i.uuid = ?`
      : `${INSTANCE_SELECT} WHERE i.uuid = ? AND i.deleted = 0`;
    const row = this.db.get(sql, uuid);
    return row ? instanceFromRow(row) : null;
  }

  /** Like {@link get}, throwing nova's InstanceNotFound. */
  require(uuid: string, readDeleted = false): Instance {
    const inst = this.get(uuid, readDeleted);
    if (!inst) throw new InstanceNotFound(uuid);
    return inst;
  }

  /** `instance_create`: inserts the row (created_at given by the caller). */
  insert(values: InstanceValues): void {
    const keys = Object.keys(values);
    this.db.run(
      `INSERT INTO instances (${keys.join(", ")}) VALUES (${keys.map(() => "?").join(", ")})`,
      ...keys.map((k) => values[k]),
    );
  }

  /**
   * `instance.save(expected_task_state=...)`: writes `values` and a new
   * updated_at. With `expected`, only when the task_state is one of them.
   *
   * @throws {UnexpectedTaskState} when `expected` does not hold
   * @throws {InstanceNotFound} when there is no live row
   */
  update(uuid: string, values: InstanceValues, expected?: readonly (string | null)[]): string {
    const now = utcnow();
    const keys = Object.keys(values).filter((k) => k !== "updated_at");
    const sets = [...keys.map((k) => `${k} = ?`), "updated_at = ?"].join(", ");
    let where = "uuid = ? AND deleted = 0";
    const params: Value[] = [...keys.map((k) => values[k]), values.updated_at ?? now, uuid];
    if (expected) {
      const named = expected.filter((s): s is string => s !== null);
      const parts = named.map(() => "task_state = ?");
      if (expected.includes(null)) parts.push("task_state IS NULL");
      where += ` AND (${parts.join(" OR ") || "0"})`;
      params.push(...named);
    }
    const { changes } = this.db.run(`UPDATE instances SET ${sets} WHERE ${where}`, ...params);
    if (changes === 0) {
      if (!this.db.get("SELECT 1 FROM instances WHERE uuid = ? AND deleted = 0", uuid)) {
        throw new InstanceNotFound(uuid);
      }
      throw new UnexpectedTaskState(uuid, expected ?? []);
    }
    return now;
  }

  /** `instance_destroy`: the soft delete (`deleted = id`, `deleted_at`), children's rows dropped. */
  destroy(uuid: string): void {
    const now = utcnow();
    this.db.run(
      "UPDATE instances SET deleted = id, deleted_at = ?, updated_at = ? WHERE uuid = ? AND deleted = 0",
      now,
      now,
      uuid,
    );
    this.db.run("DELETE FROM instance_metadata WHERE instance_uuid = ?", uuid);
    this.db.run("DELETE FROM tags WHERE resource_id = ?", uuid);
    this.db.run(
      "UPDATE block_device_mapping SET deleted = id WHERE instance_uuid = ? AND deleted = 0",
      uuid,
    );
  }

  /** Replaces the instance's metadata with `metadata` (nova's `instance.metadata = ...; save()`). */
  setMetadata(uuid: string, metadata: Readonly<Record<string, string>>): void {
    const now = utcnow();
    const keep = Object.keys(metadata);
    for (
      const row of this.db.all<{ key: string }>(
        "SELECT key FROM instance_metadata WHERE instance_uuid = ?",
        uuid,
      )
    ) {
      if (!keep.includes(row.key)) {
        this.db.run(
          "DELETE FROM instance_metadata WHERE instance_uuid = ? AND key = ?",
          uuid,
          row.key,
        );
      }
    }
    for (const key of keep) {
      this.db.run(
        `INSERT INTO instance_metadata (instance_uuid, key, value, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (instance_uuid, key) DO UPDATE SET value = excluded.value, updated_at = ?`,
        uuid,
        key,
        metadata[key],
        now,
        now,
      );
    }
  }

  /** Sets system metadata keys (a null value deletes the key). */
  setSystemMetadata(uuid: string, values: Readonly<Record<string, string | null>>): void {
    const now = utcnow();
    for (const [key, value] of Object.entries(values)) {
      if (value === null) {
        this.db.run(
          "DELETE FROM instance_system_metadata WHERE instance_uuid = ? AND key = ?",
          uuid,
          key,
        );
        continue;
      }
      this.db.run(
        `INSERT INTO instance_system_metadata (instance_uuid, key, value, created_at)
         VALUES (?, ?, ?, ?)
         ON CONFLICT (instance_uuid, key) DO UPDATE SET value = excluded.value, updated_at = ?`,
        uuid,
        key,
        value,
        now,
        now,
      );
    }
  }

  /** `TagList.get_by_resource_id`: the instance's tags, sorted. */
  tags(uuid: string): string[] {
    return this.db.all<{ tag: string }>(
      "SELECT tag FROM tags WHERE resource_id = ? ORDER BY tag",
      uuid,
    ).map((r) => r.tag);
  }

  /** `Tag.create`: adds a tag (no-op if present). */
  addTag(uuid: string, tag: string): void {
    this.db.run("INSERT OR IGNORE INTO tags (resource_id, tag) VALUES (?, ?)", uuid, tag);
  }

  /** `TagList.create`: replaces all tags. */
  replaceTags(uuid: string, tags: readonly string[]): void {
    this.db.run("DELETE FROM tags WHERE resource_id = ?", uuid);
    for (const tag of tags) this.addTag(uuid, tag);
  }

  /** `Tag.destroy`: true when the tag was there. */
  deleteTag(uuid: string, tag: string): boolean {
    return this.db.run("DELETE FROM tags WHERE resource_id = ? AND tag = ?", uuid, tag).changes > 0;
  }

  /** `instance_fault_create`. */
  addFault(uuid: string, fault: { code: number; message: string; details: string; host: string }) {
    this.db.run(
      `INSERT INTO instance_faults (instance_uuid, code, message, details, host, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      uuid,
      fault.code,
      fault.message,
      fault.details,
      fault.host,
      utcnow(),
    );
  }
}
