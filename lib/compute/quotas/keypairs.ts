/**
 * The `key_pairs` limit a key pair create is checked against: key pairs
 * are counted for the user who will own them, and limited by the smaller
 * of the caller's project limit and the caller's own limit in it.
 *
 * Mirrors `KeypairAPI._check_key_pair_quotas` of nova/compute/api.py
 * (`check_deltas(context, {'key_pairs': 1}, user_id)`: a per-user count,
 * checked with `limit_check_project_and_user` against the context's
 * project and user).
 *
 * @module
 */

import type { QuotaEngine } from "./engine.ts";

/** Who asks (the request context). */
export interface KeyPairCaller {
  readonly projectId: string | null;
  readonly userId: string | null;
}

/**
 * The `KeypairApi.quotaLimit` of an engine: -1 when unlimited (Python's
 * `min()` of the two limits, so an unlimited project makes it unlimited).
 */
export function keyPairLimit(
  engine: QuotaEngine,
): (userId: string, caller?: KeyPairCaller) => number {
  return (userId, caller) => {
    const projectId = caller?.projectId ?? "";
    const callerId = caller ? caller.userId : userId;
    const project = engine.driver.getProjectQuotas(projectId, false).key_pairs.limit;
    if (!callerId) return project;
    const user = engine.driver.getUserQuotas(projectId, callerId, false).key_pairs.limit;
    return Math.min(project, user);
  };
}
