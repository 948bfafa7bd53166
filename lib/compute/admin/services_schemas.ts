/**
 * Request schemas of the services API.
 *
 * Mirrors nova/api/openstack/compute/schemas/services.py.
 *
 * @module
 */

import {
  type ObjectSchema,
  parameterTypes as pt,
  type VersionedSchema,
} from "../../validation/mod.ts";

const reason = { type: "string", minLength: 1, maxLength: 255 } as const;

/** `service_update`. */
export const serviceUpdate = {
  type: "object",
  properties: {
    host: pt.fqdn,
    binary: { type: "string", minLength: 1, maxLength: 255 },
    disabled_reason: reason,
  },
  required: ["host", "binary"],
  additionalProperties: false,
} as const;

/** `service_update_v211`. */
export const serviceUpdateV211 = {
  type: "object",
  properties: { ...serviceUpdate.properties, forced_down: pt.boolean },
  required: ["host", "binary"],
  additionalProperties: false,
} as const;

/** `service_update_v2_53`. */
export const serviceUpdateV253 = {
  type: "object",
  properties: {
    status: { type: "string", enum: ["enabled", "disabled"] },
    disabled_reason: reason,
    forced_down: pt.boolean,
  },
  additionalProperties: false,
} as const;

/** `index_query_schema` (2.0-2.74) and `index_query_schema_275`. */
const indexQuery = {
  type: "object",
  properties: { host: pt.commonQueryParam, binary: pt.commonQueryParam },
  additionalProperties: true,
} as const;

export const INDEX_QUERY: VersionedSchema<ObjectSchema>[] = [
  { schema: { ...indexQuery, additionalProperties: false }, min: "2.75" },
  { schema: indexQuery, min: "2.0", max: "2.74" },
];

export const UPDATE_SCHEMAS: VersionedSchema[] = [
  { schema: serviceUpdate, min: "2.0", max: "2.10" },
  { schema: serviceUpdateV211, min: "2.11", max: "2.52" },
];

export const UPDATE_V253: VersionedSchema[] = [{ schema: serviceUpdateV253, min: "2.53" }];
