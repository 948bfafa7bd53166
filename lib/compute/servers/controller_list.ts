/**
 * `GET /servers` and `/servers/detail`: the query string validated per
 * microversion, the search options a non-admin may use, status turned into
 * vm/task states, changes-since/before, deleted, tags, all_tenants, locked,
 * paging and sorting, then the list view.
 *
 * Mirrors nova/api/openstack/compute/servers.py `_get_servers`,
 * `_get_server_search_options`, `remove_invalid_options`,
 * `remove_invalid_sort_keys` and common.py `get_limit_and_marker`,
 * `get_sort_params`, `is_all_tenants`, `is_locked`.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest } from "../../request.ts";
import { type QueryDict, validateQueryFor } from "../../validation/mod.ts";
import { FlavorFilterNotFound } from "./compute_api.ts";
import { ctxOf, viewsOf } from "./controller_common.ts";
import { Invalid, MarkerNotFound } from "./errors.ts";
import type { InstanceRef } from "./list_query.ts";
import { loadInstances } from "./list_query.ts";
import { detailView, indexView } from "./list_views.ts";
import { ApiResponse, byteLength } from "../../response.ts";
import {
  IGNORED_SORT_KEYS,
  IGNORED_SORT_KEYS_V273,
  JOINED_TABLE_PARAMS,
  LIST_QUERY_SCHEMAS,
} from "./schemas_query.ts";
import type { ComputeService } from "./service.ts";
import { taskAndVmStateFromStatus } from "./states.ts";
import { parseIsoTime } from "./timeutil.ts";

const PAGING_SORTING = ["sort_key", "sort_dir", "limit", "marker"];
const TAG_FILTERS = ["tags", "tags-any", "not-tags", "not-tags-any"];
const TRUE = ["1", "t", "true", "on", "y", "yes"];
const FALSE = ["0", "f", "false", "off", "n", "no"];

type Opts = Record<string, unknown>;

/** `_get_server_search_options`: what a non-admin may filter on at this microversion. */
function allowedOptions(at: (v: string) => boolean): string[] {
  const opts = [
    "reservation_id",
    "name",
    "status",
    "image",
    "flavor",
    "ip",
    "changes-since",
    "all_tenants",
  ];
  if (at("2.5")) opts.push("ip6");
  if (at("2.26")) opts.push(...TAG_FILTERS);
  if (at("2.66")) opts.push("changes-before");
  if (at("2.73")) opts.push("locked");
  if (at("2.83")) {
    opts.push(
      "availability_zone",
      "config_drive",
      "key_name",
      "created_at",
      "launched_at",
      "terminated_at",
      "power_state",
      "task_state",
      "vm_state",
      "progress",
      "user_id",
    );
  }
  if (at("2.90")) opts.push("hostname");
  return opts;
}

/** `strutils.bool_from_string(value, strict=True)`; the ValueError text as nova's 400. */
function strictBool(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  const acceptable = [...TRUE, ...FALSE].sort().map((s) => `'${s}'`).join(", ");
  throw new HttpError(400, `Unrecognized value '${value}', acceptable values are: ${acceptable}`);
}

/** The list answer of `index` (basic views) or `detail`. */
export function getServers(
  svc: ComputeService,
  req: ApiRequest,
  isDetail: boolean,
): Record<string, unknown> | ApiResponse {
  const rule = `os_compute_api:servers:${isDetail ? "detail" : "index"}`;
  const query = validateQueryFor(req, req.query, LIST_QUERY_SCHEMAS);
  const ctx = ctxOf(req);
  svc.policy.authorize(ctx.auth, rule);
  const views = viewsOf(svc, req);
  const at = (v: string) => views.at(v);
  const opts = searchOptions(svc, req, query, at);
  if (opts === null) return { servers: [] };
  let listCtx = ctx;
  if (isAllTenants(opts)) {
    svc.policy.authorize(ctx.auth, `${rule}:get_all_tenants`);
    listCtx = { ...ctx, auth: { ...ctx.auth, isAdmin: true } };
  } else {
    delete opts.tenant_id;
    if (ctx.auth.projectId) opts.project_id = ctx.auth.projectId;
    else opts.user_id = ctx.auth.userId;
  }
  delete opts.all_tenants;
  const { limit, marker } = limitAndMarker(query, svc.conf.api.max_limit);
  const ignored = at("2.73") ? IGNORED_SORT_KEYS_V273 : IGNORED_SORT_KEYS;
  const [sortKeys, sortDirs] = sortParams(query, ignored, ctx.auth.isAdmin);
  let refs: InstanceRef[];
  try {
    refs = svc.api.getAll(listCtx, opts, { limit, marker, sortKeys, sortDirs });
  } catch (err) {
    if (err instanceof MarkerNotFound) throw new HttpError(400, `marker [${marker}] not found`);
    if (err instanceof FlavorFilterNotFound) refs = [];
    else if (err instanceof Invalid) throw new HttpError(400, err.message);
    else throw err;
  }
  const max = svc.conf.api.max_limit;
  if (!isDetail) return indexView(views, refs, query, max);
  const body = detailView(views, refs, query, max, (u) => loadInstances(svc.db, u), svc.viewCache);
  return new ApiResponse(200, [
    ["Content-Length", String(byteLength(body))],
    ["Content-Type", "application/json"],
  ], body);
}

/**
 * The search options `_get_servers` hands on (before the project rules),
 * or null when the answer is an empty list (an unknown status before 2.38).
 */
function searchOptions(
  svc: ComputeService,
  req: ApiRequest,
  query: QueryDict,
  at: (v: string) => boolean,
): Opts | null {
  const opts: Opts = {};
  for (const [key, values] of Object.entries(query)) opts[key] = values[values.length - 1];
  removeInvalidOptions(svc, req, opts, allowedOptions(at));
  for (const key of Object.keys(opts)) {
    if ((JOINED_TABLE_PARAMS as readonly string[]).includes(key) || key.startsWith("_")) {
      throw new HttpError(400, `Invalid filter field: ${key}.`);
    }
  }
  if (!statusFilter(opts, query, at)) return null;
  timeFilters(opts);
  deletedFilter(opts, req.context!.isAdmin);
  if (at("2.26")) {
    for (const key of TAG_FILTERS) if (key in opts) opts[key] = String(opts[key]).split(",");
  }
  if ("all_tenants" in opts) opts.all_tenants = isAllTenants(opts);
  if ("locked" in opts) opts.locked = strictBool(String(opts.locked));
  return opts;
}

/** `remove_invalid_options`: admins (allow_all_filters) keep all but paging; others the allowed. */
function removeInvalidOptions(
  svc: ComputeService,
  req: ApiRequest,
  opts: Opts,
  allowed: string[],
): void {
  const all = svc.policy.check(req.context!, "os_compute_api:servers:allow_all_filters");
  for (const key of Object.keys(opts)) {
    if (all ? PAGING_SORTING.includes(key) : !allowed.includes(key)) delete opts[key];
  }
}

/** `status` → vm_state (+ task_state); false when the answer is an empty list. */
function statusFilter(opts: Opts, query: QueryDict, at: (v: string) => boolean): boolean {
  delete opts.status;
  if (!("status" in query)) return true;
  const [vmStates, taskStates] = taskAndVmStateFromStatus(query.status);
  if (!vmStates.length && !taskStates.length) {
    if (at("2.38")) throw new HttpError(400, "Invalid status value");
    return false;
  }
  opts.vm_state = vmStates;
  if (!taskStates.includes("default")) opts.task_state = taskStates;
  return true;
}

function timeFilters(opts: Opts): void {
  for (const key of ["changes-since", "changes-before"]) {
    if (!(key in opts)) continue;
    const parsed = parseIsoTime(String(opts[key]));
    if (parsed === null) throw new HttpError(400, `Invalid filter field: ${key}.`);
    opts[key] = parsed;
  }
  const since = opts["changes-since"] as string | undefined;
  const before = opts["changes-before"] as string | undefined;
  if (since && before && before < since) {
    throw new HttpError(
      400,
      "The value of changes-since must be less than or equal to changes-before.",
    );
  }
}

function deletedFilter(opts: Opts, isAdmin: boolean): void {
  if (!("deleted" in opts)) {
    if (!("changes-since" in opts) && !("changes-before" in opts)) opts.deleted = false;
  } else {
    opts.deleted = TRUE.includes(String(opts.deleted).trim().toLowerCase());
  }
  const vm = opts.vm_state;
  if (Array.isArray(vm) && vm.length === 1 && vm[0] === "deleted") {
    if (!isAdmin) throw new HttpError(403, "Only administrators may list deleted instances");
    opts.deleted = true;
  }
}

/** `common.is_all_tenants`: present and true, or present and empty. */
function isAllTenants(opts: Opts): boolean {
  if (!("all_tenants" in opts)) return false;
  if (typeof opts.all_tenants === "boolean") return opts.all_tenants;
  const value = String(opts.all_tenants);
  return value ? strictBool(value) : true;
}

/** `common.get_limit_and_marker`. */
function limitAndMarker(
  query: QueryDict,
  maxLimit: number,
): { limit: number; marker: string | null } {
  let limit = maxLimit;
  if (query.limit?.length) {
    const value = query.limit[query.limit.length - 1];
    if (!/^\s*[+-]?\d+\s*$/.test(value)) {
      throw new HttpError(400, "Invalid input received: limit must be an integer");
    }
    limit = Math.min(maxLimit, Number(value));
  }
  return { limit, marker: query.marker?.length ? query.marker[query.marker.length - 1] : null };
}

/** `get_sort_params` + `remove_invalid_sort_keys`. */
function sortParams(
  query: QueryDict,
  ignored: readonly string[],
  isAdmin: boolean,
): [string[], string[]] {
  const keys = (query.sort_key ?? []).map((k) => k.trim());
  const dirs = (query.sort_dir ?? []).map((d) => d.trim());
  if (!keys.length) keys.push("created_at");
  if (!dirs.length) dirs.push("desc");
  for (const key of [...keys]) {
    if (ignored.includes(key)) {
      const i = keys.indexOf(key);
      if (dirs.length > i) dirs.splice(i, 1);
      keys.splice(i, 1);
    } else if ((key === "host" || key === "node") && !isAdmin) {
      throw new HttpError(403, `Only administrators can sort servers by ${key}`);
    }
  }
  return [keys, dirs];
}
