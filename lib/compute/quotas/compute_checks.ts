/**
 * The quota checks the compute API makes: how many of `min..max`
 * instances fit (instances, cores, ram), a resize's extra cores and ram,
 * metadata items, injected files, image metadata. Each throws an
 * `OverQuota` with nova's text (403 at the API).
 *
 * Mirrors nova/compute/utils.py (`check_num_instances_quota`,
 * `get_headroom`, `get_over_quota_detail`, `upsize_quota_delta`),
 * nova/compute/api.py (`_check_metadata_properties_quota`,
 * `_check_injected_file_quota`, `_check_quota_for_upsize`) and
 * `check_img_metadata_properties_quota` of nova/api/openstack/common.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { QuotaContext } from "./driver.ts";
import type { QuotaEngine } from "./engine.ts";
import {
  MetadataLimitExceeded,
  OnsetFileContentLimitExceeded,
  OnsetFileLimitExceeded,
  OnsetFilePathLimitExceeded,
  QuotaExceeded,
  TooManyInstances,
} from "./errors.ts";
import type { Limits } from "./store.ts";

/** What the checks need of a flavor. */
export interface FlavorSize {
  readonly vcpus: number;
  readonly memory_mb: number;
}

/** `get_headroom`: limit minus usage; unlimited cores/ram follow the instances headroom. */
export function getHeadroom(quotas: Limits, usages: Limits, deltas: Limits): Limits {
  const headroom: Limits = {};
  for (const res of Object.keys(quotas)) headroom[res] = quotas[res] - (usages[res] ?? 0);
  for (const res of ["cores", "ram"]) {
    if (quotas[res] !== -1) continue;
    headroom[res] = deltas[res]
      ? (headroom.instances ?? 1) * deltas[res] / (deltas.instances ?? 1)
      : headroom.instances ?? 1;
  }
  return headroom;
}

/** `get_over_quota_detail` + TooManyInstances. */
function tooMany(
  headroom: Limits,
  overs: readonly string[],
  quotas: Limits,
  requested: Readonly<Record<string, string | number>>,
): TooManyInstances {
  const join = (f: (res: string) => unknown) => overs.map((r) => String(f(r))).join(", ");
  return new TooManyInstances(
    overs.join(", "),
    join((r) => requested[r]),
    join((r) => quotas[r] - headroom[r]),
    join((r) => quotas[r]),
  );
}

/** Options of {@link checkNumInstances}. */
export interface NumInstancesOptions {
  readonly projectId?: string | null;
  readonly userId?: string | null;
  /** The number first asked for, when rechecking with 0..0 after the create. */
  readonly origNumReq?: number;
}

/**
 * `check_num_instances_quota`: `max` when it fits, else the most between
 * `min` and `max` that fit.
 *
 * @throws {TooManyInstances} when not even `min` fits
 */
export function checkNumInstances(
  engine: QuotaEngine,
  ctx: QuotaContext,
  flavor: FlavorSize,
  min: number,
  max: number,
  o: NumInstancesOptions = {},
): number {
  const projectId = o.projectId ?? ctx.projectId ?? "";
  let userId = o.userId ?? ctx.userId;
  // Count per user only when the user has a limit of their own.
  const userQuotas = engine.store.byProjectAndUser(projectId, userId ?? "");
  if (!["instances", "cores", "ram"].some((r) => r in userQuotas)) userId = null;
  const deltas = { instances: max, cores: max * flavor.vcpus, ram: max * flavor.memory_mb };
  try {
    engine.checkDeltas(ctx, deltas, { projectId, userId }, { projectId, userId });
    return max;
  } catch (err) {
    if (!(err instanceof QuotaExceeded)) throw err;
    const { quotas, overs, usages } = err.detail;
    if (min === 0 && max === 0) {
      const n = o.origNumReq ?? 0;
      const requested = { instances: n, cores: n * flavor.vcpus, ram: n * flavor.memory_mb };
      throw tooMany(deltas, overs, quotas, requested);
    }
    const headroom = getHeadroom(quotas, usages, deltas);
    let allowed = headroom.instances ?? 1;
    if (flavor.vcpus) allowed = Math.min(allowed, Math.floor(headroom.cores / flavor.vcpus));
    if (flavor.memory_mb) allowed = Math.min(allowed, Math.floor(headroom.ram / flavor.memory_mb));
    if (allowed > 0 && min <= allowed && allowed <= max) {
      return checkNumInstances(engine, ctx, flavor, min, allowed, { projectId, userId });
    }
    const instances = min === max ? String(min) : `${min}-${max}`;
    throw tooMany(headroom, overs, quotas, { ...deltas, instances });
  }
}

/** `upsize_quota_delta`: the extra cores and ram of a bigger flavor. */
export function upsizeQuotaDelta(newFlavor: FlavorSize, oldFlavor: FlavorSize): Limits {
  const deltas: Limits = {};
  if (newFlavor.vcpus - oldFlavor.vcpus > 0) deltas.cores = newFlavor.vcpus - oldFlavor.vcpus;
  if (newFlavor.memory_mb - oldFlavor.memory_mb > 0) {
    deltas.ram = newFlavor.memory_mb - oldFlavor.memory_mb;
  }
  return deltas;
}

/** The context flags the upsize check needs. */
export interface AdminQuotaContext extends QuotaContext {
  readonly isAdmin: boolean;
}

/**
 * `_check_quota_for_upsize`: a resize (or a revert to a bigger flavor)
 * must fit the cores and ram it adds, counted for the instance's owner.
 *
 * @throws {TooManyInstances}
 */
export function checkUpsize(
  engine: QuotaEngine,
  ctx: AdminQuotaContext,
  instance: { readonly project_id: string | null; readonly user_id: string | null },
  currentFlavor: FlavorSize,
  newFlavor: FlavorSize,
): void {
  // quotas_obj.ids_from_instance
  const projectId = ctx.isAdmin && ctx.projectId !== instance.project_id
    ? instance.project_id
    : ctx.projectId;
  const userId = ctx.userId !== instance.user_id ? instance.user_id : ctx.userId;
  const deltas = upsizeQuotaDelta(newFlavor, currentFlavor);
  if (!Object.keys(deltas).length) return;
  const resDeltas = { cores: deltas.cores ?? 0, ram: deltas.ram ?? 0 };
  try {
    engine.checkDeltas(ctx, resDeltas, { projectId: projectId ?? "", userId }, {
      projectId,
      userId,
    });
  } catch (err) {
    if (!(err instanceof QuotaExceeded)) throw err;
    const { quotas, overs, usages } = err.detail;
    throw tooMany(getHeadroom(quotas, usages, deltas), overs, quotas, deltas);
  }
}

/** `_check_metadata_properties_quota`. @throws {MetadataLimitExceeded} */
export function checkMetadataItems(
  engine: QuotaEngine,
  ctx: QuotaContext,
  metadata: Readonly<Record<string, string>> | null | undefined,
): void {
  const count = Object.keys(metadata ?? {}).length;
  if (!count) return;
  limitCheckOr(engine, ctx, { metadata_items: count }, (err) => {
    throw new MetadataLimitExceeded(err.detail.quotas.metadata_items);
  });
}

/** `engine.limitCheck`, with `exceeded` turning its QuotaExceeded into the caller's error. */
function limitCheckOr(
  engine: QuotaEngine,
  ctx: QuotaContext,
  values: Record<string, number>,
  exceeded: (err: QuotaExceeded) => never,
): void {
  try {
    engine.limitCheck(ctx, values);
  } catch (err) {
    if (err instanceof QuotaExceeded) exceeded(err);
    throw err;
  }
}

/** Python's `len()` of a str: code points. */
const pyLen = (s: string) => [...s].length;

/**
 * `_check_injected_file_quota`: the number of files, then the longest
 * path and content.
 *
 * @throws {OnsetFileLimitExceeded} / {OnsetFilePathLimitExceeded} / {OnsetFileContentLimitExceeded}
 */
export function checkInjectedFiles(
  engine: QuotaEngine,
  ctx: QuotaContext,
  files: readonly (readonly [string, string])[],
): void {
  if (!files.length) return;
  limitCheckOr(engine, ctx, { injected_files: files.length }, () => {
    throw new OnsetFileLimitExceeded();
  });
  const maxPath = Math.max(0, ...files.map(([path]) => pyLen(path)));
  const maxContent = Math.max(0, ...files.map(([, content]) => pyLen(content)));
  const sizes = { injected_file_path_bytes: maxPath, injected_file_content_bytes: maxContent };
  limitCheckOr(engine, ctx, sizes, (err) => {
    // Favor the path limit over the content limit for reporting.
    const q = err.detail.quotas;
    if (err.detail.overs.includes("injected_file_path_bytes")) {
      throw new OnsetFilePathLimitExceeded(q.injected_file_path_bytes);
    }
    throw new OnsetFileContentLimitExceeded(q.injected_file_content_bytes);
  });
}

/**
 * `common.check_img_metadata_properties_quota`.
 *
 * @throws {HttpError} 403 "Image metadata limit exceeded"
 */
export function checkImageMetadata(
  engine: QuotaEngine,
  ctx: QuotaContext,
  metadata: Readonly<Record<string, string>> | null | undefined,
): void {
  const count = Object.keys(metadata ?? {}).length;
  if (!count) return;
  limitCheckOr(engine, ctx, { metadata_items: count }, () => {
    throw new HttpError(403, "Image metadata limit exceeded");
  });
}
