/**
 * A server's groups as the server views show them from 2.71: the uuid of
 * the group holding it, as the requester may see groups (a non-admin only
 * their project's), or an empty list.
 *
 * Mirrors `ViewBuilder._get_server_groups` of
 * nova/api/openstack/compute/views/servers.py.
 *
 * @module
 */

import type { AuthContext } from "../../request.ts";
import type { Store } from "../../store/db.ts";
import { serverGroupApiFor } from "./api.ts";

/** `_get_server_groups(context, instance)`: `[group uuid]` or `[]`. */
export function serverGroupsOf(
  db: Store,
  auth: AuthContext | null,
  instanceUuid: string,
): string[] {
  const scope = { isAdmin: auth?.isAdmin ?? false, projectId: auth?.projectId ?? null };
  const group = serverGroupApiFor(db).store.groupOfInstance(instanceUuid, scope);
  return group ? [group.uuid] : [];
}
