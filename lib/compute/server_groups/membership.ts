/**
 * Server group membership at server create: the group a request names in
 * its scheduler hints (400 when there is no such group), and adding each
 * new server to it inside the create's transaction, within the
 * `server_group_members` quota (checked before adding, and again after
 * with `[quota] recheck_quota`).
 *
 * Mirrors nova/compute/api.py `_get_requested_instance_group` and the
 * group part of `_provision_instances`.
 *
 * @module
 */

import type { Conf } from "../../config/conf.ts";
import type { Store } from "../../store/db.ts";
import { quotaEngineFor } from "../quotas/engine.ts";
import { QuotaExceeded } from "../quotas/errors.ts";
import { NotFound, OverQuota } from "../servers/errors.ts";
import { serverGroupApiFor } from "./api.ts";
import "./scheduling.ts";
import type { ServerGroup } from "./store.ts";

/** nova.exception.InstanceGroupNotFound (a 400 at server create). */
export class InstanceGroupNotFound extends NotFound {
  constructor(readonly groupUuid: string) {
    super(`Instance group ${groupUuid} could not be found.`);
  }
}

/** What membership needs of the compute service. */
export interface GroupHost {
  readonly conf: Conf;
  readonly db: Store;
}

/** Who creates the servers. */
export interface Creator {
  readonly projectId: string | null;
  readonly userId: string | null;
  readonly isAdmin: boolean;
}

/**
 * `_get_requested_instance_group`: the group of the `group` hint, seen as
 * the requester sees groups; null without the hint.
 *
 * @throws {InstanceGroupNotFound}
 */
export function requestedGroup(
  svc: GroupHost,
  who: Creator,
  hints: Readonly<Record<string, unknown>> | null | undefined,
): ServerGroup | null {
  const hint = hints?.group;
  if (!hint) return null;
  const uuid = String(hint);
  const group = serverGroupApiFor(svc.db).store.get(uuid, who);
  if (!group) throw new InstanceGroupNotFound(uuid);
  return group;
}

const TOO_MANY = "Quota exceeded, too many servers in group";

/**
 * Adds a new server to its group (inside the caller's transaction).
 *
 * @throws {OverQuota} "Quota exceeded, too many servers in group"
 */
export function joinGroup(
  svc: GroupHost,
  who: Creator,
  group: ServerGroup,
  instanceUuid: string,
): void {
  const engine = quotaEngineFor(svc.conf, svc.db);
  const check = (delta: number) =>
    engine.checkDeltas(who, { server_group_members: delta }, {
      groupId: group.id,
      userId: who.userId,
    });
  const store = serverGroupApiFor(svc.db).store;
  try {
    check(1);
  } catch (err) {
    if (err instanceof QuotaExceeded) throw new OverQuota(TOO_MANY);
    throw err;
  }
  store.addMembers(group.id, [instanceUuid]);
  if (!svc.conf.quota.recheck_quota) return;
  try {
    check(0);
  } catch (err) {
    if (!(err instanceof QuotaExceeded)) throw err;
    store.removeMembers(group.id, [instanceUuid]);
    throw new OverQuota(TOO_MANY);
  }
}
