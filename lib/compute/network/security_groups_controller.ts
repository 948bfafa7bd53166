/**
 * The security group proxy APIs (to 2.35) on the built-in network's
 * groups: `/os-security-groups` (list, create, show, update, delete),
 * `/os-security-group-rules` (create, delete) and a server's groups
 * (`/servers/{id}/os-security-groups`), with nova's checks and Neutron's
 * refusals as nova passes them on.
 *
 * Mirrors nova/api/openstack/compute/security_groups.py and
 * nova/network/security_group_api.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest } from "../../request.ts";
import type { Services } from "../../services.ts";
import { isUuidLike, type ObjectSchema, validateQueryFor } from "../../validation/mod.ts";
import { authorize, ctxOf, getInstance } from "../servers/controller_common.ts";
import { type ComputeService, computeService } from "../servers/service.ts";
import type { ControllerSpec, Handler, MethodSpec } from "../wsgi.ts";
import { formatGroup, formatRule, newIngressRule, type RuleArgs } from "./security_group_rules.ts";
import {
  NeutronError,
  type SecurityGroupRow,
  SecurityGroupStore,
} from "./security_groups_store.ts";

const RULE = "os_compute_api:os-security-groups:";
const INDEX_QUERY: ObjectSchema = {
  type: "object",
  properties: {
    limit: {
      type: "array",
      items: { type: ["integer", "string"], pattern: "^[0-9]*$", minimum: 0, minLength: 1 },
    },
    offset: {
      type: "array",
      items: { type: ["integer", "string"], pattern: "^[0-9]*$", minimum: 0, minLength: 1 },
    },
    all_tenants: { type: "array", items: { type: "string" } },
  },
  additionalProperties: true,
};

function proxy(handler: Handler, expectedErrors: number[], status?: number): MethodSpec {
  return { handler: [{ min: "2.1", max: "2.35", handler }], expectedErrors, status };
}

function can(svc: ComputeService, req: ApiRequest, rule: string): void {
  const ctx = req.context!;
  svc.policy.authorize(ctx, RULE + rule, { project_id: ctx.projectId });
}

/** `validate_id`. */
function validateId(id: unknown): string {
  if (typeof id !== "string" || !isUuidLike(id)) {
    throw new HttpError(400, "Security group id should be uuid");
  }
  return id;
}

/** `security_group_api.get`: Neutron's 404 text as nova's SecurityGroupNotFound. */
function getGroup(store: SecurityGroupStore, id: string): SecurityGroupRow {
  const group = store.get(id);
  if (!group) {
    throw new HttpError(404, new NeutronError(404, `Security group ${id} does not exist`).message);
  }
  return group;
}

/** `_from_body`. */
function fromBody(body: unknown, key: string): Record<string, unknown> {
  if (!body || (typeof body === "object" && !Object.keys(body).length)) {
    throw new HttpError(400, "The request body can't be empty");
  }
  const value = (body as Record<string, unknown>)[key];
  if (value === null || value === undefined) throw new HttpError(400, `Missing parameter ${key}`);
  return value as Record<string, unknown>;
}

/** `validate_property` (`utils.check_string_length(value, name, 0, 255)`). */
function validateProperty(value: unknown, name: string): string {
  if (typeof value !== "string") throw new HttpError(400, `${name} is not a string or unicode`);
  const length = [...value].length;
  if (length > 255) throw new HttpError(400, `${name} has ${length} characters, more than 255.`);
  return value;
}

/** SecurityGroupController. */
export function securityGroupController(services: Services): ControllerSpec {
  const svc = () => computeService(services);
  const store = () => new SecurityGroupStore(svc().db);
  const showOne = (id: string) => ({
    security_group: formatGroup(store(), getGroup(store(), validateId(id))),
  });
  return {
    name: "SecurityGroupController",
    methods: {
      index: proxy(({ req }) => {
        const query = validateQueryFor(req, req.query, [{ schema: INDEX_QUERY }]);
        can(svc(), req, "get");
        const ctx = req.context!;
        const all = ctx.isAdmin && "all_tenants" in query;
        const groups = svc().db.transaction(() => {
          if (ctx.projectId) store().ensureDefault(ctx.projectId);
          return store().list(all ? null : ctx.projectId ?? "");
        });
        const result = groups.map((g) => formatGroup(store(), g));
        result.sort((a, b) => cmp(a.tenant_id, b.tenant_id) || cmp(a.name, b.name));
        return { security_groups: result };
      }, [404]),
      show: proxy(({ req, params }) => {
        can(svc(), req, "show");
        return showOne(params.id);
      }, [400, 404]),
      create: proxy(({ req, body }) => {
        can(svc(), req, "create");
        const given = fromBody(body, "security_group");
        const name = validateProperty(given.name ?? null, "name");
        const description = validateProperty(given.description ?? null, "description");
        try {
          const group = svc().db.transaction(() =>
            store().create(name, description, req.context!.projectId ?? "")
          );
          return { security_group: formatGroup(store(), group) };
        } catch (err) {
          if (err instanceof NeutronError) throw new HttpError(403, err.message);
          throw err;
        }
      }, [400, 403]),
      update: proxy(({ req, params, body }) => {
        can(svc(), req, "update");
        const group = getGroup(store(), validateId(params.id));
        const given = fromBody(body, "security_group");
        const name = validateProperty(given.name ?? null, "name");
        const description = validateProperty(given.description ?? null, "description");
        svc().db.transaction(() => store().update(group.id, name, description));
        return showOne(group.id);
      }, [400, 404]),
      delete: proxy(
        ({ req, params }) => {
          can(svc(), req, "delete");
          const group = getGroup(store(), validateId(params.id));
          try {
            svc().db.transaction(() =>
              store().destroy(group, req.context!.isAdmin, groupInUse(svc(), group))
            );
          } catch (err) {
            if (err instanceof NeutronError) throw new HttpError(400, err.message);
            throw err;
          }
          return null;
        },
        [400, 404],
        202,
      ),
    },
  };
}

function cmp(a: unknown, b: unknown): number {
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Whether a port (a server on the network) uses the group. */
function groupInUse(svc: ComputeService, group: SecurityGroupRow): boolean {
  return svc.db.get(
    `SELECT 1 FROM instances i WHERE i.deleted = 0 AND i.project_id = ?
       AND EXISTS (SELECT 1 FROM json_each(i.security_groups) WHERE value IN (?, ?))
       AND EXISTS (SELECT 1 FROM fixed_ips f WHERE f.instance_uuid = i.uuid)`,
    group.project_id,
    group.name,
    group.id,
  ) !== undefined;
}

/** SecurityGroupRulesController. */
export function securityGroupRulesController(services: Services): ControllerSpec {
  const svc = () => computeService(services);
  const store = () => new SecurityGroupStore(svc().db);
  return {
    name: "SecurityGroupRulesController",
    methods: {
      create: proxy(({ req, body }) => {
        can(svc(), req, "rule:create");
        const given = fromBody(body, "security_group_rule");
        const parent = getGroup(store(), validateId(given.parent_group_id));
        const groupId = given.group_id === undefined || given.group_id === null
          ? null
          : getGroup(store(), validateId(given.group_id)).id;
        const rule = newIngressRule(store(), parent, { ...given, group_id: groupId } as RuleArgs);
        const created = svc().db.transaction(() => store().addRule(rule));
        const source = groupId ? store().get(groupId) : null;
        return { security_group_rule: formatRule(store(), created, source) };
      }, [400, 403, 404]),
      delete: proxy(
        ({ req, params }) => {
          can(svc(), req, "rule:delete");
          const id = validateId(params.id);
          const rule = store().rule(id);
          if (!rule) {
            throw new HttpError(
              404,
              new NeutronError(404, `Security group rule ${id} does not exist`).message,
            );
          }
          svc().db.transaction(() => store().removeRule(id));
          return null;
        },
        [400, 404, 409],
        202,
      ),
    },
  };
}

/** ServerSecurityGroupController: the groups of the server's ports. */
export function serverSecurityGroupController(services: Services): ControllerSpec {
  const svc = () => computeService(services);
  return {
    name: "ServerSecurityGroupController",
    methods: {
      index: {
        expectedErrors: [404],
        handler: ({ req, params }) => {
          const ctx = ctxOf(req);
          const inst = getInstance(svc(), ctx, params.server_id);
          authorize(svc(), ctx, `${RULE}list`, inst);
          const store = new SecurityGroupStore(svc().db);
          const hasPorts = svc().db.get(
            "SELECT 1 FROM fixed_ips WHERE instance_uuid = ?",
            inst.uuid,
          );
          const groups = !hasPorts ? [] : svc().db.transaction(() => {
            if (inst.project_id) store.ensureDefault(inst.project_id);
            return inst.security_groups.flatMap((n) =>
              store.findByNameOrId(n, inst.project_id ?? "").slice(0, 1)
            );
          });
          const result = groups.map((g) => formatGroup(store, g));
          result.sort((a, b) => cmp(a.tenant_id, b.tenant_id) || cmp(a.name, b.name));
          return { security_groups: result };
        },
      },
    },
  };
}
