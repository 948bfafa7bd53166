/**
 * Quota limit rows in SQLite: a project's limits, a user's limits within a
 * project and a quota class's limits, each read as a `{resource: limit}`
 * map, written with create-or-update, and dropped per project or user.
 *
 * Mirrors nova/objects/quotas.py (`Quotas.get_all_by_project`,
 * `get_all_by_project_and_user`, `get_all`, `get_all_class_by_name`,
 * `create_limit` / `update_limit`, `create_class` / `update_class`,
 * `destroy_all_by_project`, `destroy_all_by_project_and_user`).
 *
 * @module
 */

import type { Store } from "../../store/db.ts";
import { utcnow } from "../../store/timestamps.ts";
import { PER_PROJECT_QUOTAS } from "./resources.ts";

/** Limits by resource name. */
export type Limits = Record<string, number>;

/** One per-user limit row (`Quotas.get_all`). */
export interface UserLimitRow {
  readonly userId: string;
  readonly resource: string;
  readonly hardLimit: number;
}

type LimitRow = { resource: string; hard_limit: number | null };

function limitsOf(rows: LimitRow[]): Limits {
  const out: Limits = {};
  for (const row of rows) out[row.resource] = Number(row.hard_limit);
  return out;
}

/** The quota tables of one store. */
export class QuotaStore {
  constructor(readonly db: Store) {}

  /** `get_all_by_project`: the project's own limits. */
  byProject(projectId: string): Limits {
    return limitsOf(this.db.all<LimitRow>(
      "SELECT resource, hard_limit FROM quotas WHERE project_id = ?",
      projectId,
    ));
  }

  /** `get_all_by_project_and_user`: the user's own limits in the project. */
  byProjectAndUser(projectId: string, userId: string): Limits {
    return limitsOf(this.db.all<LimitRow>(
      "SELECT resource, hard_limit FROM project_user_quotas WHERE project_id = ? AND user_id = ?",
      projectId,
      userId,
    ));
  }

  /** `get_all`: every per-user limit row of the project. */
  userRows(projectId: string): UserLimitRow[] {
    return this.db.all<LimitRow & { user_id: string }>(
      "SELECT user_id, resource, hard_limit FROM project_user_quotas WHERE project_id = ? ORDER BY id",
      projectId,
    ).map((r) => ({ userId: r.user_id, resource: r.resource, hardLimit: Number(r.hard_limit) }));
  }

  /** `get_all_class_by_name`: the class's limits. */
  byClass(className: string): Limits {
    return limitsOf(this.db.all<LimitRow>(
      "SELECT resource, hard_limit FROM quota_classes WHERE class_name = ? ORDER BY id",
      className,
    ));
  }

  /**
   * `create_limit`, or `update_limit` when the row exists: a per-user row
   * when `userId` is given, except for the per-project resources.
   */
  setLimit(projectId: string, resource: string, limit: number, userId: string | null): void {
    const now = utcnow();
    if (userId && !PER_PROJECT_QUOTAS.includes(resource)) {
      this.db.run(
        `INSERT INTO project_user_quotas (project_id, user_id, resource, hard_limit, created_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user_id, project_id, resource)
         DO UPDATE SET hard_limit = excluded.hard_limit, updated_at = ?`,
        projectId,
        userId,
        resource,
        limit,
        now,
        now,
      );
      return;
    }
    this.db.run(
      `INSERT INTO quotas (project_id, resource, hard_limit, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (project_id, resource) DO UPDATE SET hard_limit = excluded.hard_limit,
         updated_at = ?`,
      projectId,
      resource,
      limit,
      now,
      now,
    );
  }

  /** `update_class`, or `create_class` when the class has no row for the resource. */
  setClassLimit(className: string, resource: string, limit: number): void {
    const now = utcnow();
    const { changes } = this.db.run(
      "UPDATE quota_classes SET hard_limit = ?, updated_at = ? WHERE class_name = ? AND resource = ?",
      limit,
      now,
      className,
      resource,
    );
    if (changes) return;
    this.db.run(
      "INSERT INTO quota_classes (class_name, resource, hard_limit, created_at) VALUES (?, ?, ?, ?)",
      className,
      resource,
      limit,
      now,
    );
  }

  /** `destroy_all_by_project`: the project's limits and its users' limits. */
  destroyProject(projectId: string): void {
    this.db.transaction(() => {
      this.db.run("DELETE FROM quotas WHERE project_id = ?", projectId);
      this.db.run("DELETE FROM project_user_quotas WHERE project_id = ?", projectId);
    });
  }

  /** `destroy_all_by_project_and_user`: the user's limits in the project. */
  destroyProjectUser(projectId: string, userId: string): void {
    this.db.run(
      "DELETE FROM project_user_quotas WHERE project_id = ? AND user_id = ?",
      projectId,
      userId,
    );
  }
}
