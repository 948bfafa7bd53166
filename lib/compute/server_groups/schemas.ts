/**
 * Request schemas of the server groups API, as nova writes them: one
 * policy in a list (2.1; soft policies from 2.15), then `policy` and
 * `rules` (2.64); the list query's all_projects, limit and offset.
 *
 * Mirrors nova/api/openstack/compute/schemas/server_groups.py.
 *
 * @module
 */

import { type ObjectSchema, parameterTypes as pt } from "../../validation/mod.ts";

function createSchema(properties: Record<string, unknown>, required: string[]) {
  return {
    type: "object",
    properties: {
      server_group: { type: "object", properties, required, additionalProperties: false },
    },
    required: ["server_group"],
    additionalProperties: false,
  } as const;
}

function policies(allowed: string[]) {
  return {
    type: "array",
    items: [{ type: "string", enum: allowed }],
    uniqueItems: true,
    minItems: 1,
    maxItems: 1,
    additionalItems: false,
  };
}

const HARD = ["anti-affinity", "affinity"];
const ALL = [...HARD, "soft-anti-affinity", "soft-affinity"];

/** `create` (2.1-2.14). */
export const create = createSchema({ name: pt.name, policies: policies(HARD) }, [
  "name",
  "policies",
]);

/** `create_v215`: the soft policies. */
export const createV215 = createSchema({ name: pt.name, policies: policies(ALL) }, [
  "name",
  "policies",
]);

/** `create_v264`: one `policy` and its `rules`. */
export const createV264 = createSchema({
  name: pt.name,
  policy: { type: "string", enum: ALL },
  rules: {
    type: "object",
    properties: { max_server_per_host: pt.positiveInteger },
    additionalProperties: false,
  },
}, ["name", "policy"]);

/** `server_groups_query_param` (unknown parameters ignored up to 2.74). */
export const listQuery: ObjectSchema = {
  type: "object",
  properties: {
    all_projects: pt.multiParams({ type: "string" }),
    limit: pt.multiParams(pt.nonNegativeInteger),
    offset: pt.multiParams(pt.nonNegativeInteger),
  },
  additionalProperties: true,
};

/** `server_groups_query_param_275`: unknown parameters refused. */
export const listQueryV275: ObjectSchema = { ...listQuery, additionalProperties: false };
