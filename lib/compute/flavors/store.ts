/**
 * Flavor rows in SQLite: reads with nova's visibility rule, the list query
 * with nova's filters and oslo.db's marker paging, and the writes of
 * `Flavor.create`/`save`/`destroy`, `add_access`/`remove_access` and
 * `save_extra_specs`, each in one transaction.
 *
 * Mirrors nova/objects/flavor.py (the `_flavor_*` database functions) and
 * oslo_db.sqlalchemy.utils.paginate_query.
 *
 * @module
 */

import type { Row, Store } from "../../store/db.ts";
import { QueryCache } from "../../store/query_cache.ts";
import { filterClauses, markerClause, type Param } from "./list_query.ts";
import { utcnow } from "../../store/timestamps.ts";
import {
  type Flavor,
  FlavorConflict,
  type FlavorCreate,
  type FlavorListOptions,
  FlavorNotFound,
  FlavorRelationError,
  MarkerNotFound,
  type Visibility,
} from "./api.ts";

/** `_flavor_get_query_from_db`: non-admins see public flavors and those their project may use. */
function visibleClause(vis: Visibility, params: Param[]): string {
  if (vis.isAdmin) return "1";
  params.push(vis.projectId);
  return "(f.is_public = 1 OR EXISTS (SELECT 1 FROM flavor_projects p " +
    "WHERE p.flavor_id = f.id AND p.project_id = ?))";
}

/** The flavor tables of one store. */
export class FlavorStore {
  // Flavors are read on most requests and written rarely: reads are memoized
  // and every write below clears the memo.
  readonly #cache = new QueryCache();

  constructor(readonly db: Store) {}

  /** Runs a write; the memo is cleared before and after, whatever happens. */
  #write<T>(fn: () => T): T {
    this.#cache.clear();
    try {
      return fn();
    } finally {
      this.#cache.clear();
    }
  }

  /** `_flavor_get_by_flavor_id_from_db`, or null. */
  getByFlavorId(flavorid: string, vis: Visibility): Flavor | null {
    return this.#getOne("f.flavorid = ?", flavorid, vis);
  }

  /** `_flavor_get_by_name_from_db`, or null. */
  getByName(name: string, vis: Visibility): Flavor | null {
    return this.#getOne("f.name = ?", name, vis);
  }

  /** `_flavor_get_from_db` with an admin context, or null. */
  getById(id: number): Flavor | null {
    return this.#getOne("f.id = ?", id, { isAdmin: true, projectId: null });
  }

  #getOne(where: string, value: Param, vis: Visibility): Flavor | null {
    const key = JSON.stringify(["one", where, value, vis.isAdmin, vis.projectId]);
    return this.#cache.get(key, () => this.#readOne(where, value, vis));
  }

  #readOne(where: string, value: Param, vis: Visibility): Flavor | null {
    const params: Param[] = [];
    const visible = visibleClause(vis, params);
    const row = this.db.get(
      `SELECT f.* FROM flavors f WHERE ${where} AND ${visible} ORDER BY f.id LIMIT 1`,
      value,
      ...params,
    );
    return row ? this.#flavor(row) : null;
  }

  /** `_flavor_get_all_from_db`. @throws {MarkerNotFound} */
  list(vis: Visibility, options: FlavorListOptions): Flavor[] {
    const key = JSON.stringify(["list", vis.isAdmin, vis.projectId, options]);
    return this.#cache.get(key, () => this.#readList(vis, options));
  }

  #readList(vis: Visibility, options: FlavorListOptions): Flavor[] {
    const params: Param[] = [];
    const where = [visibleClause(vis, params), ...filterClauses(vis, options, params)];
    const sortKey = options.sortKey ?? "flavorid";
    const dir = options.sortDir === "desc" ? "DESC" : "ASC";
    if (options.marker !== undefined && options.marker !== null) {
      const marker = this.#markerRow(options.marker, vis);
      if (!marker) throw new MarkerNotFound(options.marker);
      where.push(markerClause(marker, [sortKey, "id"], dir, params));
    }
    let sql = `SELECT f.* FROM flavors f WHERE ${where.join(" AND ")} ` +
      `ORDER BY f.${sortKey} ${dir}, f.id ${dir}`;
    if (options.limit !== undefined && options.limit !== null) {
      sql += " LIMIT ?";
      params.push(options.limit);
    }
    return this.db.all(sql, ...params).map((row) => this.#flavor(row));
  }

  /** The marker's row as stored (paginate_query compares raw column values). */
  #markerRow(flavorid: string, vis: Visibility): Row | undefined {
    const params: Param[] = [];
    const visible = visibleClause(vis, params);
    return this.db.get(
      `SELECT f.* FROM flavors f WHERE f.flavorid = ? AND ${visible} LIMIT 1`,
      flavorid,
      ...params,
    );
  }

  /** `_flavor_create`. @throws {FlavorConflict} for a flavorid or name in use */
  create(values: FlavorCreate & { flavorid: string }): Flavor {
    return this.#write(() => {
      return this.db.transaction(() => {
        if (this.db.get("SELECT 1 FROM flavors WHERE flavorid = ?", values.flavorid)) {
          throw new FlavorConflict(`Flavor with ID ${values.flavorid} already exists.`);
        }
        if (this.db.get("SELECT 1 FROM flavors WHERE name = ?", values.name)) {
          throw new FlavorConflict(`Flavor with name ${values.name} already exists.`);
        }
        const { lastInsertRowid } = this.db.run(
          "INSERT INTO flavors (flavorid, name, memory_mb, vcpus, root_gb, ephemeral_gb, swap, " +
            "rxtx_factor, is_public, description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          values.flavorid,
          values.name,
          values.memory_mb,
          values.vcpus,
          values.root_gb,
          values.ephemeral_gb,
          values.swap,
          values.rxtx_factor,
          values.is_public ? 1 : 0,
          values.description,
          utcnow(),
        );
        return this.getById(lastInsertRowid)!;
      });
    });
  }

  /** `Flavor.save()` of the description (the one mutable field). */
  updateDescription(id: number, description: string | null): Flavor {
    return this.#write(() => {
      return this.db.transaction(() => {
        const { changes } = this.db.run(
          "UPDATE flavors SET description = ?, updated_at = ? WHERE id = ?",
          description,
          utcnow(),
          id,
        );
        if (!changes) throw new FlavorNotFound(id);
        return this.getById(id)!;
      });
    });
  }

  /** `_flavor_destroy(flavorid=...)`: the row, its extra specs and access list go. */
  destroy(flavorid: string): void {
    this.#write(() => {
      this.db.transaction(() => {
        const row = this.db.get<{ id: number }>(
          "SELECT id FROM flavors WHERE flavorid = ?",
          flavorid,
        );
        if (!row) throw new FlavorNotFound(flavorid);
        this.db.run("DELETE FROM flavor_projects WHERE flavor_id = ?", row.id);
        this.db.run("DELETE FROM flavor_extra_specs WHERE flavor_id = ?", row.id);
        this.db.run("DELETE FROM flavors WHERE id = ?", row.id);
      });
    });
  }

  /** The projects with access to a flavor, in the order they were added. */
  projects(id: number): string[] {
    return this.db.all<{ project_id: string }>(
      "SELECT project_id FROM flavor_projects WHERE flavor_id = ? ORDER BY id",
      id,
    ).map((r) => r.project_id);
  }

  /** `_flavor_add_project`. @throws {FlavorRelationError} ("exists") */
  addProject(id: number, projectId: string): void {
    this.#write(() => {
      this.db.transaction(() => {
        if (
          this.db.get(
            "SELECT 1 FROM flavor_projects WHERE flavor_id = ? AND project_id = ?",
            id,
            projectId,
          )
        ) {
          throw new FlavorRelationError(
            "exists",
            `Flavor access already exists for flavor ${id} and project ${projectId} combination.`,
          );
        }
        this.db.run(
          "INSERT INTO flavor_projects (flavor_id, project_id, created_at) VALUES (?, ?, ?)",
          id,
          projectId,
          utcnow(),
        );
      });
    });
  }

  /** `_flavor_del_project`. @throws {FlavorRelationError} ("not_found") */
  removeProject(id: number, projectId: string): void {
    this.#write(() => {
      const { changes } = this.db.run(
        "DELETE FROM flavor_projects WHERE flavor_id = ? AND project_id = ?",
        id,
        projectId,
      );
      if (!changes) {
        throw new FlavorRelationError(
          "not_found",
          `Flavor access not found for ${id} / ${projectId} combination.`,
        );
      }
    });
  }

  /** `_flavor_extra_specs_add`: sets each key (insert or update) in one transaction. */
  setExtraSpecs(id: number, specs: Record<string, string>): void {
    this.#write(() => {
      this.db.transaction(() => {
        const now = utcnow();
        for (const [key, value] of Object.entries(specs)) {
          this.db.run(
            "INSERT INTO flavor_extra_specs (flavor_id, key, value, created_at) VALUES (?, ?, ?, ?) " +
              "ON CONFLICT (flavor_id, key) DO UPDATE SET value = excluded.value, updated_at = ?",
            id,
            key,
            value,
            now,
            now,
          );
        }
      });
    });
  }

  /** `_flavor_extra_specs_del`. @throws {FlavorRelationError} ("not_found") */
  deleteExtraSpec(id: number, flavorid: string, key: string): void {
    this.#write(() => {
      const { changes } = this.db.run(
        "DELETE FROM flavor_extra_specs WHERE flavor_id = ? AND key = ?",
        id,
        key,
      );
      if (!changes) {
        throw new FlavorRelationError(
          "not_found",
          `Flavor ${flavorid} has no extra specs with key ${key}.`,
        );
      }
    });
  }

  /** Whether a flavor row was ever written (sqlite_sequence keeps the counter). */
  everUsed(): boolean {
    return this.db.get("SELECT 1 FROM sqlite_sequence WHERE name = 'flavors'") !== undefined;
  }

  #extraSpecs(id: number): Record<string, string> {
    const specs: Record<string, string> = {};
    // The (flavor_id, key) index orders a flavor's specs by key, as nova's reads come out.
    for (
      const r of this.db.all<{ key: string; value: string | null }>(
        "SELECT key, value FROM flavor_extra_specs WHERE flavor_id = ? ORDER BY key",
        id,
      )
    ) {
      specs[r.key] = r.value ?? "";
    }
    return specs;
  }

  #flavor(row: Row): Flavor {
    const id = Number(row.id);
    return {
      id,
      flavorid: String(row.flavorid),
      name: String(row.name),
      memory_mb: Number(row.memory_mb),
      vcpus: Number(row.vcpus),
      // NOTE(parity): `_from_db_object` turns NULL integer columns into 0.
      root_gb: Number(row.root_gb ?? 0),
      ephemeral_gb: Number(row.ephemeral_gb ?? 0),
      swap: Number(row.swap ?? 0),
      rxtx_factor: Number(row.rxtx_factor ?? 1),
      vcpu_weight: Number(row.vcpu_weight ?? 0),
      is_public: Boolean(row.is_public),
      disabled: Boolean(row.disabled),
      description: row.description === null ? null : String(row.description),
      extra_specs: this.#extraSpecs(id),
      created_at: String(row.created_at),
      updated_at: row.updated_at === null ? null : String(row.updated_at),
      deleted_at: null,
    };
  }
}
