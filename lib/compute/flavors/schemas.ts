/**
 * Request schemas of the flavor APIs, key for key as nova writes them
 * (the key order decides which error nova reports first).
 *
 * Mirrors nova/api/openstack/compute/schemas/flavors.py, flavor_manage.py,
 * flavor_access.py and flavors_extraspecs.py.
 *
 * @module
 */

import { parameterTypes as pt } from "../../validation/mod.ts";

/** `VALID_SORT_KEYS`. */
export const VALID_SORT_KEYS = [
  "created_at",
  "description",
  "disabled",
  "ephemeral_gb",
  "flavorid",
  "id",
  "is_public",
  "memory_mb",
  "name",
  "root_gb",
  "rxtx_factor",
  "swap",
  "updated_at",
  "vcpu_weight",
  "vcpus",
] as const;

/** flavors.py `index_query` (2.0-2.74: unknown parameters are dropped). */
export const indexQuery = {
  type: "object",
  properties: {
    limit: pt.multiParams(pt.nonNegativeInteger),
    marker: pt.multiParams({ type: "string" }),
    is_public: pt.multiParams({ type: "string" }),
    minRam: pt.multiParams({ type: "string" }),
    minDisk: pt.multiParams({ type: "string" }),
    sort_key: pt.multiParams({ type: "string", enum: VALID_SORT_KEYS }),
    sort_dir: pt.multiParams({ type: "string", enum: ["asc", "desc"] }),
  },
  additionalProperties: true,
} as const;

/** flavors.py `index_query_275`: unknown parameters are a 400. */
export const indexQuery275 = { ...indexQuery, additionalProperties: false } as const;

const flavorProperties = {
  name: pt.name,
  id: {
    type: ["string", "number", "null"],
    minLength: 1,
    maxLength: 255,
    pattern: "^(?! )[a-zA-Z0-9. _-]+(?<! )$",
  },
  ram: pt.flavorParamPositive,
  vcpus: pt.flavorParamPositive,
  disk: pt.flavorParamNonNegative,
  "OS-FLV-EXT-DATA:ephemeral": pt.flavorParamNonNegative,
  swap: pt.flavorParamNonNegative,
  rxtx_factor: {
    type: ["number", "string"],
    pattern: "^[0-9]+(\\.[0-9]+)?$",
    minimum: 0,
    exclusiveMinimum: true,
    maximum: pt.pyFloat(3.40282e+38),
  },
  "os-flavor-access:is_public": pt.boolean,
};

function createSchema(properties: Record<string, unknown>) {
  return {
    type: "object",
    properties: {
      flavor: {
        type: "object",
        properties,
        required: ["name", "ram", "vcpus", "disk"],
        additionalProperties: false,
      },
    },
    required: ["flavor"],
    additionalProperties: false,
  } as const;
}

/** flavor_manage.py `create` (2.1-2.54). */
export const create = createSchema(flavorProperties);

/** flavor_manage.py `create_v20` (legacy v2: names may have surrounding spaces). */
export const createV20 = createSchema({
  ...flavorProperties,
  name: pt.nameWithLeadingTrailingSpaces,
});

/** flavor_manage.py `flavor_description`. */
const flavorDescription = {
  type: ["string", "null"],
  minLength: 0,
  maxLength: 65535,
  pattern: pt.validDescriptionRegex,
} as const;

/** flavor_manage.py `create_v2_55`. */
export const createV255 = createSchema({ ...flavorProperties, description: flavorDescription });

/** flavor_manage.py `update_v2_55`. */
export const updateV255 = {
  type: "object",
  properties: {
    flavor: {
      type: "object",
      properties: { description: flavorDescription },
      required: ["description"],
      additionalProperties: false,
    },
  },
  required: ["flavor"],
  additionalProperties: false,
} as const;

function tenantAccess(action: string) {
  return {
    type: "object",
    properties: {
      [action]: {
        type: "object",
        properties: { tenant: { type: "string", minLength: 1, maxLength: 255 } },
        required: ["tenant"],
        additionalProperties: false,
      },
    },
    required: [action],
    additionalProperties: false,
  } as const;
}

/** flavor_access.py `add_tenant_access`. */
export const addTenantAccess = tenantAccess("addTenantAccess");

/** flavor_access.py `remove_tenant_access`. */
export const removeTenantAccess = tenantAccess("removeTenantAccess");

/** flavors_extraspecs.py `metadata`: `parameter_types.metadata` with number values allowed. */
const extraSpecsMetadata = {
  type: "object",
  patternProperties: {
    "^[a-zA-Z0-9-_:. ]{1,255}$": { type: ["string", "number"], maxLength: 255 },
  },
  additionalProperties: false,
} as const;

/** flavors_extraspecs.py `create`. */
export const extraSpecsCreate = {
  type: "object",
  properties: { extra_specs: extraSpecsMetadata },
  required: ["extra_specs"],
  additionalProperties: false,
} as const;

/** flavors_extraspecs.py `update`: one key. */
export const extraSpecsUpdate = {
  ...extraSpecsMetadata,
  minProperties: 1,
  maxProperties: 1,
} as const;
