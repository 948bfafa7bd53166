/**
 * Request schemas of the keypairs API, key for key as nova writes them.
 *
 * Mirrors nova/api/openstack/compute/schemas/keypairs.py.
 *
 * @module
 */

import { parameterTypes as pt } from "../../validation/mod.ts";

function createSchema(properties: Record<string, unknown>, required = ["name"]) {
  return {
    type: "object",
    properties: {
      keypair: { type: "object", properties, required, additionalProperties: false },
    },
    required: ["keypair"],
    additionalProperties: false,
  } as const;
}

const keyType = { type: "string", enum: ["ssh", "x509"] } as const;

/** `create` (2.1). */
export const create = createSchema({
  name: pt.keypairNameSpecialChars,
  public_key: { type: "string" },
});

/** `create_v20` (legacy v2: names may have surrounding spaces). */
export const createV20 = createSchema({
  name: pt.nameWithLeadingTrailingSpaces,
  public_key: { type: "string" },
});

/** `create_v22`: `type`. */
export const createV22 = createSchema({
  name: pt.keypairNameSpecialChars,
  type: keyType,
  public_key: { type: "string" },
});

/** `create_v210`: `user_id`. */
export const createV210 = createSchema({
  name: pt.keypairNameSpecialChars,
  type: keyType,
  public_key: { type: "string" },
  user_id: { type: "string" },
});

/** `create_v292`: `@` and `.` in names; `public_key` required (no generation). */
export const createV292 = createSchema({
  name: pt.keypairNameSpecialChars292,
  type: keyType,
  public_key: { type: "string" },
  user_id: { type: "string" },
}, ["name", "public_key"]);

/** `index_query_schema_v20` (also show/delete before 2.10): every parameter is dropped. */
export const querySchemaV20 = {
  type: "object",
  properties: {},
  additionalProperties: true,
} as const;

/** `index_query_schema_v210` (also show/delete 2.10-2.74): `user_id`. */
export const querySchemaV210 = {
  type: "object",
  properties: { user_id: pt.multiParams({ type: "string" }) },
  additionalProperties: true,
} as const;

/** `index_query_schema_v235`: `user_id`, `limit`, `marker`. */
export const indexQuerySchemaV235 = {
  type: "object",
  properties: { ...querySchemaV210.properties, ...pt.paginationParameters },
  additionalProperties: true,
} as const;

/** `index_query_schema_v275`: unknown parameters are a 400. */
export const indexQuerySchemaV275 = {
  ...indexQuerySchemaV235,
  additionalProperties: false,
} as const;

/** `show_query_schema_v275` / `delete_query_schema_v275`. */
export const querySchemaV275 = { ...querySchemaV210, additionalProperties: false } as const;
