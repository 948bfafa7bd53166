/**
 * The compute API: what the servers controllers call. It reads instances
 * (scoped to the caller's project unless admin, as nova's `project_only`
 * queries are), lists them with nova's filter remapping and sort rules,
 * updates them, and hands lifecycle actions to {@link lifecycle} and
 * creation to {@link createServers}.
 *
 * Mirrors nova/compute/api.py `API` (`get`, `get_all`, `update_instance`,
 * `update_instance_metadata`, `delete_instance_metadata`) and
 * nova/db/utils.py `process_sort_params`.
 *
 * @module
 */

import { isUuidLike } from "../../validation/mod.ts";
import type { RequestContext } from "./context.ts";
import { type CreateRequest, type CreateResult, createServers } from "./create.ts";
import { InstanceNotFound, InvalidInput } from "./errors.ts";
import type { Instance } from "./instance.ts";
import * as lifecycle from "./lifecycle.ts";
import { restore as restoreInstance } from "./soft_delete.ts";
import { type InstanceRef, listInstances } from "./list_query.ts";
import { checkMetadataItems } from "./quota.ts";
import type { ComputeService } from "./service.ts";
import { checkInstanceLock, checkInstanceState } from "./state_checks.ts";
import { VM } from "./states.ts";

/** Paging and order of `get_all`. */
export interface GetAllOptions {
  readonly limit: number | null;
  readonly marker: string | null;
  readonly sortKeys: readonly string[];
  readonly sortDirs: readonly string[];
}

/** nova.exception.FlavorNotFound from the `flavor` filter: the list is empty. */
export class FlavorFilterNotFound extends Error {}

const METADATA_STATES = [VM.ACTIVE, VM.PAUSED, VM.SUSPENDED, VM.STOPPED];

/** nova's compute API on one compute service. */
export class ComputeApi {
  constructor(readonly svc: ComputeService) {}

  /**
   * `get(context, instance_id)`: non-admins see their project's instances only.
   *
   * @throws {InstanceNotFound} for another project's, a deleted or an unknown instance
   */
  get(ctx: RequestContext, id: string, options: { readDeleted?: boolean } = {}): Instance {
    if (!isUuidLike(id)) throw new InstanceNotFound(id);
    const inst = this.svc.instances.get(id, options.readDeleted ?? false);
    if (!inst || (!ctx.auth.isAdmin && inst.project_id !== ctx.auth.projectId)) {
      throw new InstanceNotFound(id);
    }
    return inst;
  }

  /**
   * `get_all`: search options remapped to DB filters (image, name,
   * tenant_id, flavor, fixed_ip), then the DB query.
   *
   * @throws {FlavorFilterNotFound} when the `flavor` filter names no flavor
   * @throws {InvalidInput} for bad sort directions
   * @throws {MarkerNotFound}
   */
  getAll(
    ctx: RequestContext,
    searchOpts: Record<string, unknown>,
    o: GetAllOptions,
  ): InstanceRef[] {
    const filters: Record<string, unknown> = {};
    for (const [opt, value] of Object.entries(searchOpts)) {
      if (opt === "image") filters.image_ref = value;
      else if (opt === "name") filters.display_name = value;
      else if (opt === "tenant_id") filters.project_id = value;
      else if (opt === "fixed_ip") filters.ip = `^${String(value).replaceAll(".", "\\.")}$`;
      else if (opt === "flavor") {
        const flavor = this.svc.flavors.get(ctx.auth, String(value));
        if (!flavor) throw new FlavorFilterNotFound(String(value));
        filters.instance_type_id = flavor.id;
      } else filters[opt] = value;
    }
    if (!ctx.auth.isAdmin) {
      if (ctx.auth.projectId) filters.project_id = ctx.auth.projectId;
      else filters.user_id = ctx.auth.userId;
    }
    const [sortKeys, sortDirs] = instanceSortParams(o.sortKeys, o.sortDirs);
    return listInstances(this.svc.db, {
      filters,
      limit: o.limit,
      marker: o.marker,
      sortKeys,
      sortDirs,
    });
  }

  /** `update_instance`: saves the given columns. */
  update(_ctx: RequestContext, inst: Instance, updates: Record<string, string | number | null>) {
    this.svc.db.transaction(() => this.svc.instances.update(inst.uuid, updates));
    return this.svc.instances.require(inst.uuid);
  }

  /**
   * `update_instance_metadata`: merges (or, with `replace`, replaces) the
   * metadata; returns the instance's metadata afterwards.
   *
   * @throws {InstanceIsLocked} / {InstanceInvalidState}
   */
  updateMetadata(
    ctx: RequestContext,
    inst: Instance,
    metadata: Record<string, string>,
    replace: boolean,
  ): Record<string, string> {
    checkInstanceLock(inst, ctx.auth.isAdmin);
    checkInstanceState(
      inst,
      { vmState: METADATA_STATES, taskState: [null] },
      "update_instance_metadata",
    );
    const merged = replace ? { ...metadata } : { ...inst.metadata, ...metadata };
    checkMetadataItems(this.svc, ctx, merged);
    this.svc.db.transaction(() => {
      this.svc.instances.setMetadata(inst.uuid, merged);
      this.svc.instances.update(inst.uuid, {});
    });
    return merged;
  }

  /** `delete_instance_metadata`. @throws {InstanceIsLocked} / {InstanceInvalidState} */
  deleteMetadataKey(ctx: RequestContext, inst: Instance, key: string): void {
    checkInstanceLock(inst, ctx.auth.isAdmin);
    checkInstanceState(
      inst,
      { vmState: METADATA_STATES, taskState: [null] },
      "delete_instance_metadata",
    );
    const rest = { ...inst.metadata };
    delete rest[key];
    this.svc.db.transaction(() => {
      this.svc.instances.setMetadata(inst.uuid, rest);
      this.svc.instances.update(inst.uuid, {});
    });
  }

  /** `create`: see {@link createServers}. */
  create(ctx: RequestContext, request: CreateRequest): CreateResult {
    return createServers(this.svc, ctx, request);
  }

  /** `delete`: see lifecycle.deleteInstance. */
  delete(ctx: RequestContext, inst: Instance): void {
    lifecycle.deleteInstance(this.svc, ctx, inst);
  }

  /** `force_delete`. */
  forceDelete(ctx: RequestContext, inst: Instance): void {
    lifecycle.forceDelete(this.svc, ctx, inst);
  }

  /** `restore`. */
  restore(ctx: RequestContext, inst: Instance): void {
    restoreInstance(this.svc, ctx, inst);
  }

  /** `reboot` (SOFT or HARD). */
  reboot(ctx: RequestContext, inst: Instance, type: "SOFT" | "HARD"): void {
    lifecycle.reboot(this.svc, ctx, inst, type);
  }

  /** `start`. */
  start(ctx: RequestContext, inst: Instance): void {
    lifecycle.start(this.svc, ctx, inst);
  }

  /** `stop`. */
  stop(ctx: RequestContext, inst: Instance): void {
    lifecycle.stop(this.svc, ctx, inst);
  }

  /** `lock` (with an optional reason, 2.73). */
  lock(ctx: RequestContext, inst: Instance, reason: string | null): void {
    lifecycle.lock(this.svc, ctx, inst, reason);
  }

  /** `unlock`. */
  unlock(ctx: RequestContext, inst: Instance): void {
    lifecycle.unlock(this.svc, ctx, inst);
  }

  /** `is_expected_locked_by`. */
  isExpectedLockedBy(ctx: RequestContext, inst: Instance): boolean {
    return lifecycle.isExpectedLockedBy(ctx, inst);
  }
}

/**
 * The sort the instance list uses: the API's keys plus `uuid` asc
 * (`InstanceSortContext`), then `process_sort_params(default_dir='desc')`
 * adding `created_at` and `id` with the first direction.
 *
 * @throws {InvalidInput} for an unknown direction or more directions than keys
 */
export function instanceSortParams(
  keys: readonly string[],
  dirs: readonly string[],
): [string[], string[]] {
  let sortKeys = keys.length ? [...keys] : ["created_at", "id"];
  let sortDirs = keys.length ? [...dirs] : ["desc", "desc"];
  if (!sortKeys.includes("uuid")) {
    sortKeys = [...sortKeys, "uuid"];
    sortDirs = [...sortDirs, "asc"];
  }
  const defaultDir = sortDirs.length ? sortDirs[0] : "desc";
  for (const dir of sortDirs) {
    if (dir !== "asc" && dir !== "desc") {
      throw new InvalidInput("Unknown sort direction, must be 'desc' or 'asc'");
    }
  }
  while (sortDirs.length < sortKeys.length) sortDirs.push(defaultDir);
  if (sortDirs.length > sortKeys.length) {
    throw new InvalidInput("Sort direction size exceeds sort key size");
  }
  for (const key of ["created_at", "id"]) {
    if (!sortKeys.includes(key)) {
      sortKeys.push(key);
      sortDirs.push(defaultDir);
    }
  }
  return [sortKeys, sortDirs];
}
