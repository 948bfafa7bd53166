/**
 * QuotaSetsController: `/os-quota-sets/{id}` show, `/detail` (limits with
 * usage), `/defaults`, update (per project, or per user with `user_id`,
 * bounded by what is used unless `force`) and delete. The network quotas
 * leave the views at 2.36, the injected file quotas at 2.57.
 *
 * Mirrors nova/api/openstack/compute/quota_sets.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest } from "../../request.ts";
import type { Services } from "../../services.ts";
import { type QueryDict, validateBodyFor, validateQueryFor } from "../../validation/mod.ts";
import { lastParam } from "../common.ts";
import type { ControllerSpec, Handler, HandlerArgs, MethodSpec } from "../wsgi.ts";
import type { QuotaValues } from "./driver.ts";
import { type QuotaEngine, quotaEngine } from "./engine.ts";
import { RESOURCE_NAMES } from "./resources.ts";
import * as schemas from "./schemas.ts";

const POLICY = "os_compute_api:os-quota-sets";

/** FILTERED_QUOTAS_2_36 and FILTERED_QUOTAS_2_57. */
const FILTERED_2_36 = ["fixed_ips", "floating_ips", "security_group_rules", "security_groups"];
const FILTERED_2_57 = [
  ...FILTERED_2_36,
  "injected_files",
  "injected_file_content_bytes",
  "injected_file_path_bytes",
];

const QUERY = [
  { schema: schemas.quotaQueryV275, min: "2.75" },
  { schema: schemas.quotaQuery, min: "2.0", max: "2.74" },
];

const TRUE_STRINGS = ["1", "t", "true", "on", "y", "yes"];

/** `_format_quota_set`: the id (when given) and the unfiltered resources, sorted. */
export function formatQuotaSet(
  id: string | null,
  quotaSet: Readonly<Record<string, unknown>>,
  filtered: readonly string[],
): { quota_set: Record<string, unknown> } {
  const result: Record<string, unknown> = id ? { id } : {};
  for (const name of RESOURCE_NAMES) {
    if (!filtered.includes(name) && name in quotaSet) result[name] = quotaSet[name];
  }
  return { quota_set: result };
}

/** `urlparse.parse_qs(QUERY_STRING).get('user_id', [None])[0]`: the first non-blank value. */
function firstUserId(params: QueryDict): string | null {
  return params.user_id?.find((v) => v !== "") ?? null;
}

/** The three microversion ranges of every method, each with its filter. */
function versioned(make: (filtered: readonly string[]) => Handler, first = "2.1") {
  return [
    { min: "2.57", handler: make(FILTERED_2_57) },
    { min: "2.36", max: "2.56", handler: make(FILTERED_2_36) },
    { min: first, max: "2.35", handler: make([]) },
  ];
}

/** `_get_quotas`: limits, or limits with usage and the (always 0) reservations. */
function getQuotas(engine: QuotaEngine, id: string, userId: string | null, usages: boolean) {
  const values: QuotaValues = userId
    ? engine.driver.getUserQuotas(id, userId, usages)
    : engine.driver.getProjectQuotas(id, usages);
  if (usages) {
    const reserved = engine.driver.getReserved();
    for (const v of Object.values(values)) v.reserved = reserved;
    return values;
  }
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.limit]));
}

// NOTE(parity): nova asks Keystone whether the project exists
// (identity.verify_project_id) and goes on when it cannot tell; novalet
// does not ask, which is nova's answer without a reachable identity v3.
function authorize(services: Services, req: ApiRequest, action: string, id: string): void {
  services.policy.authorize(req.context!, `${POLICY}:${action}`, { project_id: id });
}

function show(services: Services, engine: QuotaEngine, usages: boolean) {
  return (filtered: readonly string[]): Handler => ({ req, params }: HandlerArgs) => {
    const query = validateQueryFor(req, req.query, QUERY);
    authorize(services, req, usages ? "detail" : "show", params.id);
    // detail reads `req.GET.get('user_id')` (the last value), show `parse_qs` (the first).
    const userId = usages ? lastParam(query, "user_id") || null : firstUserId(query);
    return formatQuotaSet(params.id, getQuotas(engine, params.id, userId, usages), filtered);
  };
}

function defaults(services: Services, engine: QuotaEngine) {
  return (filtered: readonly string[]): Handler => ({ req, params }: HandlerArgs) => {
    authorize(services, req, "defaults", params.id);
    return formatQuotaSet(params.id, engine.driver.getDefaults(), filtered);
  };
}

/** `_validate_quota_limit`: within the settable range (-1 is infinity). */
function validateLimit(resource: string, limit: number, minimum: number, maximum: number): void {
  const inf = (v: number) => v === -1 ? Infinity : v;
  if (inf(limit) < inf(minimum)) {
    throw new HttpError(
      400,
      `Quota limit ${limit} for ${resource} must be greater than or equal to already used and reserved ${minimum}.`,
    );
  }
  if (inf(limit) > inf(maximum)) {
    throw new HttpError(
      400,
      `Quota limit ${limit} for ${resource} must be less than or equal to ${maximum}.`,
    );
  }
}

/** Pass 1 of `_update`: the values to write, each checked unless forced. */
function validQuotas(
  engine: QuotaEngine,
  id: string,
  userId: string | null,
  quotaSet: Record<string, unknown>,
): Map<string, number> {
  const force = quotaSet.force ?? "False";
  const forced = typeof force === "boolean"
    ? force
    : TRUE_STRINGS.includes(String(force).trim().toLowerCase());
  const settable = engine.driver.getSettableQuotas(id, userId);
  const valid = new Map<string, number>();
  for (const [key, raw] of Object.entries(quotaSet)) {
    if (key === "force" || (!raw && raw !== 0)) continue;
    const value = Number.parseInt(String(raw), 10);
    if (!forced) validateLimit(key, value, settable[key].minimum, settable[key].maximum);
    valid.set(key, value);
  }
  return valid;
}

/** The body's quota set as `_update` reads it (an object: see schemas.ts): "networks" is refused. */
function quotaSetOf(quotaSet: Record<string, unknown>): Record<string, unknown> {
  if ("networks" in quotaSet) throw new HttpError(400, "The networks quota has been removed");
  return quotaSet;
}

function update(services: Services, engine: QuotaEngine) {
  const bodies = [schemas.quotaSetUpdateV257, schemas.quotaSetUpdateV236, schemas.quotaSetUpdate];
  return (filtered: readonly string[]): Handler => ({ req, params, body }: HandlerArgs) => {
    const schema = filtered === FILTERED_2_57 ? 0 : filtered === FILTERED_2_36 ? 1 : 2;
    validateBodyFor(req, body, [{ schema: bodies[schema] }]);
    const query = validateQueryFor(req, req.query, QUERY);
    authorize(services, req, "update", params.id);
    const userId = firstUserId(query);
    const quotaSet = quotaSetOf((body as { quota_set: Record<string, unknown> }).quota_set);
    const valid = validQuotas(engine, params.id, userId, quotaSet);
    engine.db.transaction(() => {
      for (const [key, value] of valid) engine.store.setLimit(params.id, key, value, userId);
    });
    return formatQuotaSet(null, getQuotas(engine, params.id, userId, false), filtered);
  };
}

function remove(services: Services, engine: QuotaEngine): Handler {
  return ({ req, params }: HandlerArgs) => {
    const query = validateQueryFor(req, req.query, QUERY);
    authorize(services, req, "delete", params.id);
    const userId = firstUserId(query);
    if (userId) engine.store.destroyProjectUser(params.id, userId);
    else engine.store.destroyProject(params.id);
    return null;
  };
}

/** The QuotaSetsController spec. */
export function quotaSetsController(services: Services): ControllerSpec {
  const engine = quotaEngine(services);
  const method = (handler: MethodSpec["handler"]): MethodSpec => ({
    handler,
    expectedErrors: [400],
  });
  return {
    name: "QuotaSetsController",
    methods: {
      show: method(versioned(show(services, engine, false))),
      detail: method(versioned(show(services, engine, true))),
      defaults: method(versioned(defaults(services, engine), "2.0")),
      update: method(versioned(update(services, engine))),
      delete: { handler: remove(services, engine), status: 202, expectedErrors: [] },
    },
  };
}
