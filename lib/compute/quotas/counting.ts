/**
 * Usage counts of the countable quota resources, as nova counts them on
 * demand: instances, cores and ram from the servers (or, with
 * `[quota] count_usage_from_placement`, cores and ram from the resource
 * allocations), key pairs per user, server groups per project and user,
 * and a server group's live members per user.
 *
 * Each count is nova's `count_as_dict` shape: `{project: {...}, user: {...}}`
 * with `user` only when counted per user.
 *
 * Mirrors nova/quota.py (`_instances_cores_ram_count_legacy`,
 * `_instances_cores_ram_count_api_db_placement`, `_keypair_get_count_by_user`,
 * `_server_group_count`, `_server_group_count_members_by_user`) and
 * nova/objects/instance.py `InstanceList._get_counts_in_db`.
 *
 * @module
 */

import type { Store } from "../../store/db.ts";

/** Counts per scope (`count_as_dict`). */
export interface Counts {
  project?: Record<string, number>;
  user?: Record<string, number>;
}

// Live, not soft-deleted, not hidden instances (`_get_counts_in_db`).
const LIVE_INSTANCES = `FROM instances WHERE deleted = 0
  AND (vm_state IS NULL OR vm_state != 'soft-deleted') AND hidden = 0 AND project_id = ?`;

type Sums = { n: number | null; cores: number | null; ram: number | null };

function sumsOf(row: Sums | undefined): Record<string, number> {
  return {
    instances: Number(row?.n ?? 0),
    cores: Number(row?.cores ?? 0),
    ram: Number(row?.ram ?? 0),
  };
}

/** `_instances_cores_ram_count_legacy`: counted from the instances. */
function instancesCoresRamLegacy(db: Store, projectId: string, userId: string | null): Counts {
  const select =
    `SELECT COUNT(*) AS n, SUM(vcpus) AS cores, SUM(memory_mb) AS ram ${LIVE_INSTANCES}`;
  const counts: Counts = { project: sumsOf(db.get<Sums>(select, projectId)) };
  if (userId) counts.user = sumsOf(db.get<Sums>(`${select} AND user_id = ?`, projectId, userId));
  return counts;
}

/**
 * `_instances_cores_ram_count_api_db_placement`: instances that are not
 * deleted, cores and ram from what the servers hold allocated.
 */
function instancesCoresRamPlacement(db: Store, projectId: string, userId: string | null): Counts {
  const count = (user: string | null) => {
    const where = user === null ? "" : " AND i.user_id = ?";
    const params = user === null ? [projectId] : [projectId, user];
    const n = db.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM instances i WHERE i.deleted = 0 AND i.project_id = ?${where}`,
      ...params,
    );
    const sums = db.get<Sums>(
      `SELECT SUM(a.vcpus) AS cores, SUM(a.memory_mb) AS ram FROM allocations a
       JOIN instances i ON i.uuid = a.consumer_id WHERE i.project_id = ?${where}`,
      ...params,
    );
    return sumsOf({ n: n?.n ?? 0, cores: sums?.cores ?? 0, ram: sums?.ram ?? 0 });
  };
  const counts: Counts = { project: count(null) };
  if (userId) counts.user = count(userId);
  return counts;
}

/** `_instances_cores_ram_count`: per `[quota] count_usage_from_placement`. */
export function countInstancesCoresRam(
  db: Store,
  fromPlacement: boolean,
  projectId: string,
  userId: string | null,
): Counts {
  return fromPlacement
    ? instancesCoresRamPlacement(db, projectId, userId)
    : instancesCoresRamLegacy(db, projectId, userId);
}

/** `_keypair_get_count_by_user`. */
export function countKeyPairs(db: Store, userId: string): Counts {
  const row = db.get<{ n: number }>(
    "SELECT COUNT(*) AS n FROM key_pairs WHERE user_id = ?",
    userId,
  );
  return { user: { key_pairs: Number(row?.n ?? 0) } };
}

/** `_server_group_count` (`InstanceGroupList.get_counts`). */
export function countServerGroups(db: Store, projectId: string, userId: string | null): Counts {
  const sql = "SELECT COUNT(*) AS n FROM instance_groups WHERE project_id = ?";
  const project = Number(db.get<{ n: number }>(sql, projectId)?.n ?? 0);
  const counts: Counts = { project: { server_groups: project } };
  if (userId) {
    const user = db.get<{ n: number }>(`${sql} AND user_id = ?`, projectId, userId);
    counts.user = { server_groups: Number(user?.n ?? 0) };
  }
  return counts;
}

/**
 * `_server_group_count_members_by_user`: the group's members that belong
 * to the user and are not deleted.
 */
export function countServerGroupMembers(db: Store, groupId: number, userId: string): Counts {
  const row = db.get<{ n: number }>(
    `SELECT COUNT(DISTINCT m.instance_uuid) AS n FROM instance_group_member m
     JOIN instances i ON i.uuid = m.instance_uuid
     WHERE m.group_id = ? AND i.deleted = 0 AND i.user_id = ?`,
    groupId,
    userId,
  );
  return { user: { server_group_members: Number(row?.n ?? 0) } };
}
