/**
 * Server group rows in SQLite: a group with its policy, rules and member
 * uuids; lookups that a non-admin only sees within their project; the
 * members that are not deleted, and the hosts they are on.
 *
 * Mirrors nova/objects/instance_group.py (`_instance_group_get_query`,
 * `_create_in_db`, `_destroy_in_db`, `_add_members_in_db`,
 * `_remove_members_in_db`, `_get_from_db_by_instance`, `get_hosts`,
 * `InstanceGroupList._get_from_db`) and `_get_not_deleted` of
 * nova/api/openstack/compute/server_groups.py.
 *
 * @module
 */

import type { Row, Store } from "../../store/db.ts";
import { utcnow } from "../../store/timestamps.ts";

/** nova's `InstanceGroup` object. */
export interface ServerGroup {
  readonly id: number;
  readonly uuid: string;
  readonly name: string | null;
  readonly userId: string | null;
  readonly projectId: string | null;
  /** affinity, anti-affinity, soft-affinity, soft-anti-affinity (null without a policy row). */
  readonly policy: string | null;
  /** The `rules` property: `max_server_per_host` as an int, when set. */
  readonly rules: { max_server_per_host?: number };
  /** Every member uuid, deleted servers included. */
  readonly members: readonly string[];
}

/** Who looks: a non-admin sees only their project's groups. */
export interface GroupScope {
  readonly isAdmin: boolean;
  readonly projectId: string | null;
}

/** What `InstanceGroup.create()` writes. */
export interface GroupCreate {
  readonly name: string | null;
  readonly projectId: string | null;
  readonly userId: string | null;
  readonly policy: string;
  /** null: a group made before 2.64 (no rules column value). */
  readonly rules: Readonly<Record<string, unknown>> | null;
}

const SELECT = `SELECT g.*, p.policy AS policy, p.rules AS rules FROM instance_groups g
  LEFT JOIN instance_group_policy p ON p.group_id = g.id`;

/** The server group tables of one store. */
export class ServerGroupStore {
  constructor(readonly db: Store) {}

  #scoped(where: string, scope: GroupScope): { sql: string; params: string[] } {
    if (scope.isAdmin) return { sql: `${SELECT} WHERE ${where}`, params: [] };
    return {
      sql: `${SELECT} WHERE ${where} AND g.project_id = ?`,
      params: [scope.projectId ?? ""],
    };
  }

  /** `_get_from_db_by_uuid`, or null. */
  get(uuid: string, scope: GroupScope): ServerGroup | null {
    const q = this.#scoped("g.uuid = ?", scope);
    const row = this.db.get(`${q.sql} ORDER BY p.id LIMIT 1`, uuid, ...q.params);
    return row ? this.#groupOf(row) : null;
  }

  /** `_get_from_db_by_instance`: the group holding the instance, or null. */
  groupOfInstance(instanceUuid: string, scope: GroupScope): ServerGroup | null {
    const member = this.db.get<{ group_id: number }>(
      "SELECT group_id FROM instance_group_member WHERE instance_uuid = ? ORDER BY id LIMIT 1",
      instanceUuid,
    );
    if (!member) return null;
    const q = this.#scoped("g.id = ?", scope);
    const row = this.db.get(`${q.sql} ORDER BY p.id LIMIT 1`, member.group_id, ...q.params);
    return row ? this.#groupOf(row) : null;
  }

  /** `InstanceGroupList._get_from_db`: the groups of a project (all when null). */
  list(scope: GroupScope, projectId: string | null): ServerGroup[] {
    const q = this.#scoped(projectId === null ? "1" : "g.project_id = ?", scope);
    const params = projectId === null ? q.params : [projectId, ...q.params];
    return this.db.all(`${q.sql} ORDER BY g.id`, ...params).map((r) => this.#groupOf(r));
  }

  /** `_create_in_db`: the group and its policy row. */
  create(values: GroupCreate): ServerGroup {
    return this.db.transaction(() => {
      const uuid = crypto.randomUUID();
      const now = utcnow();
      const { lastInsertRowid } = this.db.run(
        `INSERT INTO instance_groups (uuid, name, user_id, project_id, created_at)
         VALUES (?, ?, ?, ?, ?)`,
        uuid,
        values.name,
        values.userId,
        values.projectId,
        now,
      );
      this.db.run(
        "INSERT INTO instance_group_policy (policy, rules, group_id, created_at) VALUES (?, ?, ?, ?)",
        values.policy,
        values.rules === null ? null : JSON.stringify(values.rules),
        lastInsertRowid,
        now,
      );
      return this.get(uuid, { isAdmin: true, projectId: null })!;
    });
  }

  /** `_destroy_in_db`: the group, its policy and member rows; false when not found. */
  destroy(uuid: string, scope: GroupScope): boolean {
    const group = this.get(uuid, scope);
    if (!group) return false;
    this.db.run("DELETE FROM instance_groups WHERE id = ?", group.id);
    return true;
  }

  /** `_add_members_in_db`: adds the uuids not yet members. */
  addMembers(groupId: number, instanceUuids: readonly string[]): void {
    const now = utcnow();
    for (const uuid of instanceUuids) {
      this.db.run(
        `INSERT INTO instance_group_member (instance_uuid, group_id, created_at)
         SELECT ?, ?, ? WHERE NOT EXISTS (
           SELECT 1 FROM instance_group_member WHERE group_id = ? AND instance_uuid = ?)`,
        uuid,
        groupId,
        now,
        groupId,
        uuid,
      );
    }
  }

  /** `_remove_members_in_db`. */
  removeMembers(groupId: number, instanceUuids: readonly string[]): void {
    for (const uuid of instanceUuids) {
      this.db.run(
        "DELETE FROM instance_group_member WHERE group_id = ? AND instance_uuid = ?",
        groupId,
        uuid,
      );
    }
  }

  /** `_get_not_deleted`: the members that are not deleted, newest first. */
  liveMembers(group: ServerGroup): string[] {
    return this.db.all<{ uuid: string }>(
      `SELECT i.uuid FROM instance_group_member m JOIN instances i ON i.uuid = m.instance_uuid
       WHERE m.group_id = ? AND i.deleted = 0 GROUP BY i.uuid
       ORDER BY i.created_at DESC, i.id DESC`,
      group.id,
    ).map((r) => r.uuid);
  }

  /** The live members with the host each is on (null while not placed). */
  memberHosts(groupId: number): { uuid: string; host: string | null }[] {
    return this.db.all<{ uuid: string; host: string | null }>(
      `SELECT i.uuid, i.host FROM instance_group_member m JOIN instances i ON i.uuid = m.instance_uuid
       WHERE m.group_id = ? AND i.deleted = 0 GROUP BY i.uuid ORDER BY m.id`,
      groupId,
    );
  }

  #groupOf(row: Row): ServerGroup {
    const members = this.db.all<{ instance_uuid: string }>(
      "SELECT instance_uuid FROM instance_group_member WHERE group_id = ? ORDER BY id",
      Number(row.id),
    ).map((r) => r.instance_uuid);
    return {
      id: Number(row.id),
      uuid: String(row.uuid),
      name: row.name === null ? null : String(row.name),
      userId: row.user_id === null ? null : String(row.user_id),
      projectId: row.project_id === null ? null : String(row.project_id),
      policy: row.policy === null ? null : String(row.policy),
      rules: rulesOf(row.rules),
      members,
    };
  }
}

/** The `rules` property: only `max_server_per_host`, as an int. */
function rulesOf(raw: unknown): { max_server_per_host?: number } {
  if (typeof raw !== "string" || !raw) return {};
  const parsed = JSON.parse(raw) as Record<string, unknown>;
  if (!("max_server_per_host" in parsed)) return {};
  return { max_server_per_host: Number.parseInt(String(parsed.max_server_per_host), 10) };
}
