/**
 * ServerGroupController: `/os-server-groups` list (own project, or every
 * project for admins asking all_projects; limit/offset), create (within
 * the server_groups quota), show and delete. Before 2.64 a group shows
 * `policies` and an empty `metadata`, from 2.64 `policy` and `rules`;
 * from 2.13 its project and user.
 *
 * Mirrors nova/api/openstack/compute/server_groups.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest } from "../../request.ts";
import type { Services } from "../../services.ts";
import type { Store } from "../../store/db.ts";
import { type QueryDict, validateBodyFor, validateQueryFor } from "../../validation/mod.ts";
import { intParam, isSupported } from "../common.ts";
import type { ControllerSpec, HandlerArgs } from "../wsgi.ts";
import { quotaEngine } from "../quotas/engine.ts";
import { QuotaExceeded, ServerGroupLimitExceeded } from "../quotas/errors.ts";
import { serverGroupApi } from "./api.ts";
import * as schemas from "./schemas.ts";
import type { GroupScope, ServerGroup, ServerGroupStore } from "./store.ts";

const POLICY = "os_compute_api:os-server-groups";
const POLICY_OBJ_MICROVERSION = "2.64";
/** nova 26's SERVICE_VERSION: what every novalet compute service runs. */
const COMPUTE_SERVICE_VERSION = 64;

const CREATE_SCHEMAS = [
  { schema: schemas.create, min: "2.0", max: "2.14" },
  { schema: schemas.createV215, min: "2.15", max: "2.63" },
  { schema: schemas.createV264, min: POLICY_OBJ_MICROVERSION },
];
const LIST_QUERY = [
  { schema: schemas.listQueryV275, min: "2.75" },
  { schema: schemas.listQuery, min: "2.0", max: "2.74" },
];

function scopeOf(req: ApiRequest): GroupScope {
  return { isAdmin: req.context!.isAdmin, projectId: req.context!.projectId };
}

/** `_format_server_group`. */
function formatGroup(req: ApiRequest, store: ServerGroupStore, group: ServerGroup) {
  const out: Record<string, unknown> = { id: group.uuid, name: group.name };
  if (isSupported(req, POLICY_OBJ_MICROVERSION)) {
    out.policy = group.policy;
    out.rules = group.rules;
  } else {
    out.policies = group.policy ? [group.policy] : [];
    out.metadata = {};
  }
  out.members = group.members.length ? store.liveMembers(group) : [];
  if (isSupported(req, "2.13")) {
    out.project_id = group.projectId;
    out.user_id = group.userId;
  }
  return out;
}

/** `InstanceGroup.get_by_uuid`: 404 "Instance group <id> could not be found." */
function getGroup(store: ServerGroupStore, req: ApiRequest, id: string): ServerGroup {
  const group = store.get(id, scopeOf(req));
  if (!group) throw new HttpError(404, `Instance group ${id} could not be found.`);
  return group;
}

/** `common.limited`: `offset`, then at most `limit` (0 or none: max_limit). */
function limited<T>(items: T[], params: QueryDict, maxLimit: number): T[] {
  const limit = intParam(params, "limit");
  const offset = intParam(params, "offset") ?? 0;
  return items.slice(offset, offset + Math.min(maxLimit, limit || maxLimit));
}

/**
 * `service.get_minimum_version_all_cells(['nova-compute'])`: 0 while no
 * compute service is recorded (a cloud of nova-api alone).
 */
function minimumComputeVersion(db: Store): number {
  const table = db.get("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'services'");
  if (!table) return 0;
  const row = db.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM services WHERE "binary" = 'nova-compute' AND deleted = 0`,
  );
  return Number(row?.n ?? 0) > 0 ? COMPUTE_SERVICE_VERSION : 0;
}

/** The group's policy and rules from the body, with the 2.64 checks. */
function policyOf(req: ApiRequest, db: Store, vals: Record<string, unknown>) {
  if (!isSupported(req, POLICY_OBJ_MICROVERSION)) {
    return { policy: (vals.policies as string[])[0], rules: null };
  }
  const policy = vals.policy as string;
  const rules = (vals.rules as Record<string, unknown> | undefined) ?? {};
  const hasRules = Object.keys(rules).length > 0;
  if (policy !== "anti-affinity" && hasRules) {
    throw new HttpError(400, "Only anti-affinity policy supports rules.");
  }
  // _should_enable_custom_max_server_rules
  const max = Number.parseInt(String(rules.max_server_per_host ?? 1), 10);
  if (hasRules && max > 1 && minimumComputeVersion(db) < 33) {
    throw new HttpError(
      409,
      "Creating an anti-affinity group with rule max_server_per_host > 1 is not yet supported.",
    );
  }
  return { policy, rules };
}

function create(services: Services) {
  const engine = quotaEngine(services);
  const store = serverGroupApi(services).store;
  const checkQuota = (projectId: string, userId: string | null, delta: number) => {
    try {
      engine.checkDeltas({ projectId, userId }, { server_groups: delta }, { projectId, userId });
    } catch (err) {
      if (err instanceof QuotaExceeded) {
        throw new HttpError(403, new ServerGroupLimitExceeded().message);
      }
      throw err;
    }
  };
  return ({ req, body }: HandlerArgs) => {
    validateBodyFor(req, body, CREATE_SCHEMAS);
    const ctx = req.context!;
    const projectId = ctx.projectId ?? "";
    services.policy.authorize(ctx, `${POLICY}:create`, { project_id: projectId });
    checkQuota(projectId, ctx.userId, 1);
    const vals = (body as { server_group: Record<string, unknown> }).server_group;
    const { policy, rules } = policyOf(req, services.store, vals);
    const group = store.create({
      name: vals.name as string,
      projectId,
      userId: ctx.userId,
      policy,
      rules,
    });
    if (services.conf.quota.recheck_quota) {
      try {
        checkQuota(projectId, ctx.userId, 0);
      } catch (err) {
        store.destroy(group.uuid, { isAdmin: true, projectId: null });
        throw err;
      }
    }
    return { server_group: formatGroup(req, store, group) };
  };
}

function index(services: Services) {
  const store = serverGroupApi(services).store;
  return ({ req }: HandlerArgs) => {
    const params = validateQueryFor(req, req.query, LIST_QUERY);
    const ctx = req.context!;
    services.policy.authorize(ctx, `${POLICY}:index`, { project_id: ctx.projectId });
    // NOTE(parity): any all_projects value (even "false") asks for every
    // project; a non-admin asking gets their own groups, not a 403.
    let groups: ServerGroup[];
    if ("all_projects" in params && ctx.isAdmin) {
      services.policy.authorize(ctx, `${POLICY}:index:all_projects`, {
        project_id: ctx.projectId,
      });
      groups = store.list(scopeOf(req), null);
    } else {
      groups = store.list(scopeOf(req), ctx.projectId ?? "");
    }
    const page = limited(groups, params, services.conf.api.max_limit);
    return { server_groups: page.map((g) => formatGroup(req, store, g)) };
  };
}

/** The ServerGroupController spec. */
export function serverGroupController(services: Services): ControllerSpec {
  const store = serverGroupApi(services).store;
  return {
    name: "ServerGroupController",
    methods: {
      index: { handler: index(services), expectedErrors: [] },
      create: {
        handler: [{ min: "2.1", handler: create(services) }],
        expectedErrors: [400, 403, 409],
      },
      show: {
        expectedErrors: [404],
        handler: ({ req, params }) => {
          const group = getGroup(store, req, params.id);
          services.policy.authorize(req.context!, `${POLICY}:show`, {
            project_id: group.projectId,
          });
          return { server_group: formatGroup(req, store, group) };
        },
      },
      delete: {
        expectedErrors: [404],
        status: 204,
        handler: ({ req, params }) => {
          const group = getGroup(store, req, params.id);
          services.policy.authorize(req.context!, `${POLICY}:delete`, {
            project_id: group.projectId,
          });
          if (!store.destroy(group.uuid, scopeOf(req))) {
            throw new HttpError(404, `Instance group ${params.id} could not be found.`);
          }
          return null;
        },
      },
    },
  };
}
