/**
 * Request schemas of the quota sets, quota class sets and limits APIs, key
 * for key as nova writes them — including the `"type": "object"` nova puts
 * among the body's properties, and the quota set without a type of its own.
 *
 * Mirrors nova/api/openstack/compute/schemas/quota_sets.py,
 * quota_classes.py and limits.py.
 *
 * @module
 */

import { type ObjectSchema, parameterTypes as pt } from "../../validation/mod.ts";

const commonQuota = {
  type: ["integer", "string"],
  pattern: "^-?[0-9]+$",
  // -1 is a flag value for unlimited
  minimum: -1,
  // the database's MAX_INT
  maximum: 0x7FFFFFFF,
} as const;

const NETWORK_QUOTAS = ["fixed_ips", "floating_ips", "security_groups", "security_group_rules"];
const FILE_QUOTAS = ["injected_files", "injected_file_content_bytes", "injected_file_path_bytes"];

/** `quota_resources`: every quota the update bodies may name (networks is refused later). */
const QUOTA_RESOURCES = [
  "instances",
  "cores",
  "ram",
  "floating_ips",
  "fixed_ips",
  "metadata_items",
  "key_pairs",
  "security_groups",
  "security_group_rules",
  "injected_files",
  "injected_file_content_bytes",
  "injected_file_path_bytes",
  "server_groups",
  "server_group_members",
  "networks",
];

function properties(names: readonly string[], withForce: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = Object.fromEntries(names.map((n) => [n, commonQuota]));
  if (withForce) out.force = pt.boolean;
  return out;
}

function without(names: readonly string[], removed: readonly string[]): string[] {
  return names.filter((n) => !removed.includes(n));
}

/**
 * nova's update schemas. nova's `quota_set` / `quota_class_set` has no
 * `type`, so a string, list or number passes and crashes the controller
 * (`.get`, `.items()`: a 500); novalet adds `'type': 'object'`, which
 * answers jsonschema's 400 "... is not of type 'object'" instead.
 */
function updateSchema(root: string, props: Record<string, unknown>) {
  return {
    type: "object",
    properties: {
      type: "object",
      [root]: { type: "object", properties: props, additionalProperties: false },
    },
    required: [root],
    additionalProperties: false,
  };
}

const V236 = without(QUOTA_RESOURCES, [...NETWORK_QUOTAS, "networks"]);
const V257 = without(V236, FILE_QUOTAS);

/** quota_sets `update` (2.1-2.35). */
export const quotaSetUpdate = updateSchema("quota_set", properties(QUOTA_RESOURCES, true));
/** quota_sets `update_v236`: without the network quotas. */
export const quotaSetUpdateV236 = updateSchema("quota_set", properties(V236, true));
/** quota_sets `update_v257`: without the injected file quotas. */
export const quotaSetUpdateV257 = updateSchema("quota_set", properties(V257, true));

/** quota_classes `update` (2.1-2.49). */
export const quotaClassUpdate = updateSchema("quota_class_set", properties(QUOTA_RESOURCES, false));
/** quota_classes `update_v250`: without the network quotas. */
export const quotaClassUpdateV250 = updateSchema("quota_class_set", properties(V236, false));
/** quota_classes `update_v257`: without the injected file quotas. */
export const quotaClassUpdateV257 = updateSchema("quota_class_set", properties(V257, false));

/** quota_sets `query_schema` (up to 2.74: unknown parameters are ignored). */
export const quotaQuery: ObjectSchema = {
  type: "object",
  properties: { user_id: pt.multiParams({ type: "string" }) },
  additionalProperties: true,
};

/** quota_sets `query_schema_275`: unknown parameters are refused. */
export const quotaQueryV275: ObjectSchema = { ...quotaQuery, additionalProperties: false };

/** limits `limits_query_schema`. */
export const limitsQuery: ObjectSchema = {
  type: "object",
  properties: { tenant_id: pt.commonQueryParam },
  additionalProperties: true,
};

/** limits `limits_query_schema_275`. */
export const limitsQueryV275: ObjectSchema = { ...limitsQuery, additionalProperties: false };
