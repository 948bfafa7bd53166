/**
 * The quota tables, as nova's API database has them
 * (nova/db/api/models.py `Quota`, `ProjectUserQuota`, `QuotaClass`): a
 * project's limits, a user's limits within a project, and the limits of a
 * quota class ("default" replaces the `[quota]` defaults). Rows are
 * deleted, not marked deleted, as the API database does.
 *
 * @module
 */

import type { Migration } from "../../store/db.ts";

/** The quota area's migrations, in order. */
export const QUOTA_MIGRATIONS: readonly Migration[] = [
  {
    id: "quotas-001-tables",
    up: `
      CREATE TABLE quotas (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        project_id TEXT,
        resource TEXT NOT NULL,
        hard_limit INTEGER,
        created_at TEXT NOT NULL,
        updated_at TEXT,
        CONSTRAINT uniq_quotas0project_id0resource UNIQUE (project_id, resource)
      );
      CREATE TABLE project_user_quotas (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        project_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        resource TEXT NOT NULL,
        hard_limit INTEGER,
        created_at TEXT NOT NULL,
        updated_at TEXT,
        CONSTRAINT uniq_project_user_quotas0user_id0project_id0resource
          UNIQUE (user_id, project_id, resource)
      );
      CREATE INDEX project_user_quotas_project_id_idx ON project_user_quotas (project_id);
      CREATE TABLE quota_classes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        class_name TEXT,
        resource TEXT,
        hard_limit INTEGER,
        created_at TEXT NOT NULL,
        updated_at TEXT
      );
      CREATE INDEX quota_classes_class_name_idx ON quota_classes (class_name);
    `,
  },
];
