/**
 * The instance list query: nova's `instance_get_all_by_filters_sort` as one
 * SQL statement (filters, sort keys, marker and limit, with the joined data
 * the views need read in the same statement).
 *
 * Filters: `changes-since`/`changes-before` (updated_at), `deleted` and
 * `soft_deleted`, the tag filters, exact matches (lists are IN) for
 * project_id, user_id, image_ref, vm_state, instance_type_id, uuid, host,
 * task_state, locked, and a Python-regex search (`REGEXP`, as oslo.db
 * registers it on SQLite) for any other instances column; `ip`/`ip6` match
 * the ports' addresses (`re.match`, as nova's `_ip_filter` does).
 *
 * Mirrors nova/db/main/api.py (`instance_get_all_by_filters_sort`,
 * `_exact_instance_filter`, `_regex_instance_filter`) and
 * oslo_db.sqlalchemy.utils.paginate_query.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import type { Store } from "../../store/db.ts";
import { pyRegex } from "../../validation/mod.ts";
import { MarkerNotFound } from "./errors.ts";
import { type Instance, INSTANCE_SELECT, instanceFromRow } from "./instance.ts";

type Param = string | number | null;

/** nova's Instance model columns (what `getattr(models.Instance, name)` finds). */
export const INSTANCE_COLUMNS: ReadonlySet<string> = new Set([
  "created_at",
  "updated_at",
  "deleted_at",
  "deleted",
  "id",
  "user_id",
  "project_id",
  "image_ref",
  "kernel_id",
  "ramdisk_id",
  "hostname",
  "launch_index",
  "key_name",
  "key_data",
  "power_state",
  "vm_state",
  "task_state",
  "memory_mb",
  "vcpus",
  "root_gb",
  "ephemeral_gb",
  "ephemeral_key_uuid",
  "host",
  "node",
  "instance_type_id",
  "user_data",
  "reservation_id",
  "launched_at",
  "terminated_at",
  "availability_zone",
  "display_name",
  "display_description",
  "launched_on",
  "locked",
  "locked_by",
  "os_type",
  "architecture",
  "vm_mode",
  "uuid",
  "root_device_name",
  "default_ephemeral_device",
  "default_swap_device",
  "config_drive",
  "access_ip_v4",
  "access_ip_v6",
  "auto_disk_config",
  "progress",
  "shutdown_terminate",
  "disable_terminate",
  "cell_name",
  "cleaned",
  "hidden",
]);

const EXACT = [
  "project_id",
  "user_id",
  "image_ref",
  "vm_state",
  "instance_type_id",
  "uuid",
  "host",
  "task_state",
  "locked",
  "hidden",
];

/** How to list: the filters nova's compute API built, and paging. */
export interface ListOptions {
  readonly filters: Readonly<Record<string, unknown>>;
  readonly limit: number | null;
  readonly marker: string | null;
  readonly sortKeys: readonly string[];
  readonly sortDirs: readonly string[];
}

/** Registers the SQL functions the list needs: `regexp` (re.search) and `pymatch` (re.match). */
export function registerSqlFunctions(db: DatabaseSync): void {
  const sticky = new Map<string, RegExp>();
  const opts = { deterministic: true, varargs: false };
  db.function("regexp", opts, (pattern: unknown, value: unknown) => {
    return pyRegex(String(pattern)).test(pyStr(value)) ? 1 : 0;
  });
  db.function("pymatch", opts, (pattern: unknown, value: unknown) => {
    const key = String(pattern);
    let re = sticky.get(key);
    if (!re) {
      const base = pyRegex(key);
      re = new RegExp(base.source, base.flags + "y");
      if (sticky.size >= 256) sticky.clear();
      sticky.set(key, re);
    }
    re.lastIndex = 0;
    return re.test(pyStr(value)) ? 1 : 0;
  });
}

/** Python's `str()` of a SQLite value. */
function pyStr(value: unknown): string {
  return value === null || value === undefined ? "None" : String(value);
}

/** What the list query reads of each instance: enough for the index view and the view cache. */
export interface InstanceRef {
  readonly uuid: string;
  readonly display_name: string | null;
  readonly view_stamp: number;
  readonly updated_at: string | null;
}

/**
 * `instance_get_all_by_filters_sort`: the matching instances, in order,
 * as {@link InstanceRef}s (load the rest with {@link loadInstances}).
 *
 * @throws {MarkerNotFound} when the marker instance does not exist (deleted ones count)
 */
export function listInstances(db: Store, options: ListOptions): InstanceRef[] {
  if (options.limit === 0) return [];
  const where: string[] = [];
  const params: Param[] = [];
  if (!buildFilters({ ...options.filters }, where, params)) return [];
  if (options.marker !== null) addMarker(db, options, where, params);
  const order = options.sortKeys.map((k, i) => `i.${k} ${options.sortDirs[i].toUpperCase()}`);
  const sql = "SELECT i.uuid, i.display_name, i.view_stamp, i.updated_at FROM instances i" +
    `${where.length ? " WHERE " + where.join(" AND ") : ""} ORDER BY ${order.join(", ")} LIMIT ?`;
  return [...db.allCached<InstanceRef>(sql, ...params, options.limit ?? -1)];
}

/** The instances with these uuids (deleted ones too), with their joined data. */
export function loadInstances(db: Store, uuids: readonly string[]): Map<string, Instance> {
  const out = new Map<string, Instance>();
  for (let i = 0; i < uuids.length; i += 500) {
    const chunk = JSON.stringify(uuids.slice(i, i + 500));
    const rows = db.all(
      `${INSTANCE_SELECT} WHERE i.uuid IN (SELECT value FROM json_each(?))`,
      chunk,
    );
    for (const row of rows) {
      const inst = instanceFromRow(row);
      out.set(inst.uuid, inst);
    }
  }
  return out;
}

/** Appends the WHERE conditions; false when nothing can match (an empty IN list). */
function buildFilters(f: Record<string, unknown>, where: string[], params: Param[]): boolean {
  if (f["changes-since"]) {
    where.push("i.updated_at >= ?");
    params.push(f["changes-since"] as string);
  }
  if (f["changes-before"]) {
    where.push("i.updated_at <= ?");
    params.push(f["changes-before"] as string);
  }
  addDeleted(f, where);
  if ("cleaned" in f) where.push(f.cleaned ? "i.cleaned = 1" : "i.cleaned = 0");
  delete f.cleaned;
  addTagFilters(f, where, params);
  if (f.hidden) where.push("i.hidden = 1");
  else where.push("(i.hidden = 0 OR i.hidden IS NULL)");
  delete f.hidden;
  for (const key of EXACT) {
    if (!(key in f)) continue;
    const value = f[key];
    delete f[key];
    if (Array.isArray(value)) {
      if (!value.length) return false;
      where.push(`i.${key} IN (${value.map(() => "?").join(", ")})`);
      params.push(...value.map(sqlValue));
    } else {
      where.push(value === null ? `i.${key} IS NULL` : `i.${key} = ?`);
      if (value !== null) params.push(sqlValue(value));
    }
  }
  addIpFilters(f, where, params);
  for (const [key, value] of Object.entries(f)) {
    if (!INSTANCE_COLUMNS.has(key)) continue;
    where.push(`i.${key} REGEXP ?`);
    params.push(typeof value === "string" ? value : pyStr(value));
  }
  return true;
}

function sqlValue(value: unknown): Param {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number" || typeof value === "string" || value === null) return value;
  return String(value);
}

/** The `deleted` / `soft_deleted` filters. */
function addDeleted(f: Record<string, unknown>, where: string[]): void {
  if (!("deleted" in f)) return;
  const deleted = f.deleted;
  delete f.deleted;
  // NOTE(parity): `filters.pop('soft_deleted', ...)` is Python truthiness:
  // any non-empty query value (even "false") counts as true.
  const soft = "soft_deleted" in f ? Boolean(f.soft_deleted) : null;
  delete f.soft_deleted;
  if (deleted) {
    where.push(
      soft ?? true ? "(i.deleted = i.id OR i.vm_state = 'soft-deleted')" : "i.deleted = i.id",
    );
    return;
  }
  where.push("i.deleted = 0");
  if (!(soft ?? false)) where.push("(i.vm_state != 'soft-deleted' OR i.vm_state IS NULL)");
}

function addTagFilters(f: Record<string, unknown>, where: string[], params: Param[]): void {
  const tags = (key: string) => {
    const value = f[key] as string[] | undefined;
    delete f[key];
    return value;
  };
  const exists = "EXISTS (SELECT 1 FROM tags t WHERE t.resource_id = i.uuid AND t.tag = ?)";
  const allOf = tags("tags");
  for (const tag of allOf ?? []) {
    where.push(exists);
    params.push(tag);
  }
  const anyOf = tags("tags-any");
  if (anyOf) {
    where.push(
      `EXISTS (SELECT 1 FROM tags t WHERE t.resource_id = i.uuid AND t.tag IN (${
        anyOf.map(() => "?").join(", ")
      }))`,
    );
    params.push(...anyOf);
  }
  const notAll = tags("not-tags");
  if (notAll) {
    where.push(`NOT (${notAll.map(() => exists).join(" AND ")})`);
    params.push(...notAll);
  }
  const notAny = tags("not-tags-any");
  if (notAny) {
    where.push(
      `NOT EXISTS (SELECT 1 FROM tags t WHERE t.resource_id = i.uuid AND t.tag IN (${
        notAny.map(() => "?").join(", ")
      }))`,
    );
    params.push(...notAny);
  }
}

/** `ip` / `ip6`: some fixed IP of the instance matches (IPv6: none exist on the flat network). */
function addIpFilters(f: Record<string, unknown>, where: string[], params: Param[]): void {
  const ip = f.ip as string | undefined;
  const ip6 = f.ip6 as string | undefined;
  delete f.ip;
  delete f.ip6;
  if (ip === undefined && ip6 === undefined) return;
  if (ip === undefined) {
    where.push("0");
    return;
  }
  where.push(
    "EXISTS (SELECT 1 FROM fixed_ips p WHERE p.instance_uuid = i.uuid AND pymatch(?, p.address))",
  );
  params.push(ip);
}

/** oslo.db paginate_query's marker criteria (a NULL marker value skips its key). */
function addMarker(db: Store, o: ListOptions, where: string[], params: Param[]): void {
  const marker = db.get<Record<string, Param>>("SELECT * FROM instances WHERE uuid = ?", o.marker!);
  if (!marker) throw new MarkerNotFound(o.marker!);
  const any: string[] = [];
  o.sortKeys.forEach((key, i) => {
    if (marker[key] === null) return;
    const parts: string[] = [];
    for (let j = 0; j < i; j++) {
      if (marker[o.sortKeys[j]] === null) continue;
      parts.push(`i.${o.sortKeys[j]} = ?`);
      params.push(marker[o.sortKeys[j]]);
    }
    parts.push(`i.${key} ${o.sortDirs[i] === "desc" ? "<" : ">"} ?`);
    params.push(marker[key]);
    any.push(`(${parts.join(" AND ")})`);
  });
  if (any.length) where.push(`(${any.join(" OR ")})`);
}
