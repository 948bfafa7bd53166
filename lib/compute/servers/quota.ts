/**
 * The seam where quota checks go (the next issue): every check the servers
 * API makes, in one place, each a no-op until quotas exist. Each throws
 * {@link OverQuota} (403 at the API) when over a limit.
 *
 * Mirrors the calls nova/compute/api.py makes into nova/quota.py:
 * `compute_utils.check_num_instances_quota`, `_check_metadata_properties_quota`,
 * `_check_injected_file_quota`.
 *
 * @module
 */

import type { Flavor } from "../flavors/api.ts";
import type { RequestContext } from "./context.ts";
import type { OverQuota } from "./errors.ts";

/**
 * `check_num_instances_quota`: how many of `min..max` instances the
 * project may create (instances, cores, ram).
 *
 * @throws {OverQuota} when even `min` does not fit
 */
export function checkNumInstances(
  _ctx: RequestContext,
  _flavor: Flavor,
  _min: number,
  max: number,
): number {
  return max;
}

/** `_check_metadata_properties_quota` (metadata_items). @throws {OverQuota} */
export function checkMetadataItems(_ctx: RequestContext, _metadata: Record<string, string>): void {}

/** `_check_injected_file_quota` (injected_files, path and content bytes). @throws {OverQuota} */
export function checkInjectedFiles(_ctx: RequestContext, _files: [string, string][]): void {}

export type { OverQuota };
