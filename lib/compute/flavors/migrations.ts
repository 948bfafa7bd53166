/**
 * The flavor tables, as nova's API database has them (nova/db/api/models.py
 * `Flavors`, `FlavorExtraSpecs`, `FlavorProjects`): unique flavorid and
 * name, one row per (flavor, key) and per (flavor, project). Rows are
 * deleted, not marked deleted, as nova's API database does. Ids are never
 * reused (AUTOINCREMENT), as with nova's MySQL database.
 *
 * @module
 */

import type { Migration } from "../../store/db.ts";

/** The flavor area's migrations, in order. */
export const FLAVOR_MIGRATIONS: readonly Migration[] = [
  {
    id: "flavors-001-tables",
    up: `
      CREATE TABLE flavors (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        flavorid TEXT NOT NULL,
        name TEXT NOT NULL,
        memory_mb INTEGER NOT NULL,
        vcpus INTEGER NOT NULL,
        root_gb INTEGER,
        ephemeral_gb INTEGER,
        swap INTEGER NOT NULL DEFAULT 0,
        rxtx_factor REAL DEFAULT 1.0,
        vcpu_weight INTEGER,
        disabled INTEGER NOT NULL DEFAULT 0,
        is_public INTEGER NOT NULL DEFAULT 1,
        description TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT,
        CONSTRAINT uniq_flavors0flavorid UNIQUE (flavorid),
        CONSTRAINT uniq_flavors0name UNIQUE (name)
      );
      CREATE TABLE flavor_extra_specs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        flavor_id INTEGER NOT NULL REFERENCES flavors (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT,
        CONSTRAINT uniq_flavor_extra_specs0flavor_id0key UNIQUE (flavor_id, key)
      );
      CREATE TABLE flavor_projects (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        flavor_id INTEGER NOT NULL REFERENCES flavors (id) ON DELETE CASCADE,
        project_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT,
        CONSTRAINT uniq_flavor_projects0flavor_id0project_id UNIQUE (flavor_id, project_id)
      );
    `,
  },
];
