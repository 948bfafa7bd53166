/**
 * The quota checks the servers API makes, in one place: each takes the
 * compute service (for its store and `[quota]` options) and the request
 * context, and throws an {@link OverQuota} (403 at the API) with nova's
 * text when over a limit. The checks themselves live in
 * lib/compute/quotas/.
 *
 * Mirrors the calls nova/compute/api.py makes into nova/quota.py:
 * `compute_utils.check_num_instances_quota`, `_check_metadata_properties_quota`,
 * `_check_injected_file_quota`, `_check_quota_for_upsize`.
 *
 * @module
 */

import type { Conf } from "../../config/conf.ts";
import type { Store } from "../../store/db.ts";
import * as checks from "../quotas/compute_checks.ts";
import { quotaEngineFor } from "../quotas/engine.ts";
import type { RequestContext } from "./context.ts";
import type { OverQuota } from "./errors.ts";

/** What the checks need of the compute service (a `ComputeService` has both). */
export interface QuotaHost {
  readonly conf: Conf;
  readonly db: Store;
}

/** What the checks read of a flavor. */
type FlavorSize = checks.FlavorSize;

function engineOf(svc: QuotaHost) {
  return quotaEngineFor(svc.conf, svc.db);
}

function quotaContext(ctx: RequestContext) {
  return { projectId: ctx.auth.projectId, userId: ctx.auth.userId, isAdmin: ctx.auth.isAdmin };
}

/**
 * `check_num_instances_quota`: how many of `min..max` instances the
 * project may create (instances, cores, ram): `max` when they fit, else
 * the most that fit.
 *
 * @throws {OverQuota} (TooManyInstances) when even `min` does not fit
 */
export function checkNumInstances(
  svc: QuotaHost,
  ctx: RequestContext,
  flavor: FlavorSize,
  min: number,
  max: number,
): number {
  return checks.checkNumInstances(engineOf(svc), quotaContext(ctx), flavor, min, max);
}

/**
 * The recheck after the instances are written (`[quota] recheck_quota`),
 * inside the create's transaction so that a create racing past the first
 * check leaves nothing behind.
 *
 * @throws {OverQuota} (TooManyInstances) naming the `requested` count
 */
export function recheckNumInstances(
  svc: QuotaHost,
  ctx: RequestContext,
  flavor: FlavorSize,
  requested: number,
): void {
  if (!svc.conf.quota.recheck_quota) return;
  checks.checkNumInstances(engineOf(svc), quotaContext(ctx), flavor, 0, 0, {
    origNumReq: requested,
  });
}

/**
 * `check_num_instances_quota(context, flavor, 1, 1, project_id, user_id)`
 * for an instance coming back (restore, unshelve): counted for its owner.
 *
 * @throws {OverQuota} (TooManyInstances)
 */
export function checkInstanceReturns(
  svc: QuotaHost,
  ctx: RequestContext,
  flavor: FlavorSize,
  instance: { readonly project_id: string | null; readonly user_id: string | null },
): void {
  const q = quotaContext(ctx);
  // quotas_obj.ids_from_instance
  const projectId = q.isAdmin && q.projectId !== instance.project_id
    ? instance.project_id
    : q.projectId;
  const userId = q.userId !== instance.user_id ? instance.user_id : q.userId;
  checks.checkNumInstances(engineOf(svc), q, flavor, 1, 1, { projectId, userId });
}

/** `_check_metadata_properties_quota` (metadata_items). @throws {OverQuota} */
export function checkMetadataItems(
  svc: QuotaHost,
  ctx: RequestContext,
  metadata: Readonly<Record<string, string>>,
): void {
  checks.checkMetadataItems(engineOf(svc), quotaContext(ctx), metadata);
}

/** `_check_injected_file_quota` (injected_files, path and content bytes). @throws {OverQuota} */
export function checkInjectedFiles(
  svc: QuotaHost,
  ctx: RequestContext,
  files: readonly (readonly [string, string])[],
): void {
  checks.checkInjectedFiles(engineOf(svc), quotaContext(ctx), files);
}

/**
 * `_check_quota_for_upsize`: a resize (or the revert of one) may add cores
 * and ram only within the instance owner's quota.
 *
 * @throws {OverQuota} (TooManyInstances)
 */
export function checkUpsize(
  svc: QuotaHost,
  ctx: RequestContext,
  instance: { readonly project_id: string | null; readonly user_id: string | null },
  currentFlavor: FlavorSize,
  newFlavor: FlavorSize,
): void {
  checks.checkUpsize(engineOf(svc), quotaContext(ctx), instance, currentFlavor, newFlavor);
}

/**
 * `common.check_img_metadata_properties_quota` (createImage before 2.39).
 *
 * @throws {HttpError} 403 "Image metadata limit exceeded"
 */
export function checkImageMetadata(
  svc: QuotaHost,
  ctx: RequestContext,
  metadata: Readonly<Record<string, string>>,
): void {
  checks.checkImageMetadata(engineOf(svc), quotaContext(ctx), metadata);
}

export type { OverQuota };
