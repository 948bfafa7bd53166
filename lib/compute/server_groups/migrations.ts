/**
 * The server group tables, as nova's API database has them
 * (nova/db/api/models.py `InstanceGroup`, `InstanceGroupPolicy`,
 * `InstanceGroupMember`): a group, its one policy (with the 2.64 rules as
 * JSON) and its members. Member rows outlive their servers, as in nova
 * (only `nova-manage db archive_deleted_rows` drops them); the API shows
 * the members that are not deleted.
 *
 * @module
 */

import type { Migration } from "../../store/db.ts";

/** The server groups area's migrations, in order. */
export const SERVER_GROUP_MIGRATIONS: readonly Migration[] = [
  {
    id: "server-groups-001-tables",
    up: `
      CREATE TABLE instance_groups (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        uuid TEXT NOT NULL,
        name TEXT,
        user_id TEXT,
        project_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT,
        CONSTRAINT uniq_instance_groups0uuid UNIQUE (uuid)
      );
      CREATE INDEX instance_groups_project_id_idx ON instance_groups (project_id);
      CREATE TABLE instance_group_policy (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        policy TEXT,
        rules TEXT,
        group_id INTEGER NOT NULL REFERENCES instance_groups (id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        updated_at TEXT
      );
      CREATE INDEX instance_group_policy_policy_idx ON instance_group_policy (group_id);
      CREATE TABLE instance_group_member (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        instance_uuid TEXT NOT NULL,
        group_id INTEGER NOT NULL REFERENCES instance_groups (id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        updated_at TEXT
      );
      CREATE INDEX instance_group_member_instance_idx ON instance_group_member (instance_uuid);
      CREATE INDEX instance_group_member_group_idx ON instance_group_member (group_id);
    `,
  },
];
