/**
 * Tells the scheduler which group a server being placed belongs to (its
 * policy, rules and members), so that the affinity filters and weighers
 * honour it. Registered when this module loads (the server create path
 * imports it).
 *
 * Mirrors nova/scheduler/utils.py `setup_instance_group` /
 * `_get_group_details` (the group and its members, the request's hosts).
 *
 * @module
 */

import { type GroupLookup, setGroupLookup } from "../scheduler/groups.ts";
import { serverGroupApiFor } from "./api.ts";

/** The group constraint of an instance: null when it is in no group (or one without policy). */
export const groupLookup: GroupLookup = (svc, instanceUuid) => {
  const group = serverGroupApiFor(svc.db).groupOf(instanceUuid);
  if (!group?.policy) return null;
  return { uuid: group.uuid, policy: group.policy, members: group.members, rules: group.rules };
};

setGroupLookup(groupLookup);
