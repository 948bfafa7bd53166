/**
 * The other request schemas of the servers area: server update, reboot,
 * server metadata, server tags, instance actions' query strings.
 *
 * Mirrors nova/api/openstack/compute/schemas/servers.py (`update*`,
 * `reboot`), server_metadata.py, server_tags.py, instance_actions.py.
 *
 * @module
 */

import {
  type ObjectSchema,
  parameterTypes as pt,
  type Schema,
  type VersionedSchema,
} from "../../validation/mod.ts";

function update(server: Record<string, unknown>): Schema {
  return {
    type: "object",
    properties: {
      server: { type: "object", properties: server, additionalProperties: false },
    },
    required: ["server"],
    additionalProperties: false,
  } as Schema;
}

const UPDATE_BASE = {
  name: pt.name,
  "OS-DCF:diskConfig": pt.diskConfig,
  accessIPv4: pt.accessIPv4,
  accessIPv6: pt.accessIPv6,
};

/** `@validation.schema(...)` of `ServersController.update`. */
export const UPDATE_SCHEMAS: readonly VersionedSchema[] = [
  {
    schema: update({ ...UPDATE_BASE, name: pt.nameWithLeadingTrailingSpaces }),
    min: "2.0",
    max: "2.0",
  },
  { schema: update(UPDATE_BASE), min: "2.1", max: "2.18" },
  { schema: update({ ...UPDATE_BASE, description: pt.description }), min: "2.19", max: "2.89" },
  {
    schema: update({ ...UPDATE_BASE, description: pt.description, hostname: pt.hostname }),
    min: "2.90",
  },
];

/** `reboot`. */
export const REBOOT_SCHEMA: readonly VersionedSchema[] = [{
  schema: {
    type: "object",
    properties: {
      reboot: {
        type: "object",
        properties: {
          type: { type: "string", enum: ["HARD", "Hard", "hard", "SOFT", "Soft", "soft"] },
        },
        required: ["type"],
        additionalProperties: false,
      },
    },
    required: ["reboot"],
    additionalProperties: false,
  } as Schema,
}];

/** server_metadata `create` and `update_all`. */
export const METADATA_SCHEMA: readonly VersionedSchema[] = [{
  schema: {
    type: "object",
    properties: { metadata: pt.metadata },
    required: ["metadata"],
    additionalProperties: false,
  } as Schema,
}];

/** server_metadata `update` (one item). */
export const METADATA_ITEM_SCHEMA: readonly VersionedSchema[] = [{
  schema: {
    type: "object",
    properties: { meta: { ...pt.metadata, minProperties: 1, maxProperties: 1 } },
    required: ["meta"],
    additionalProperties: false,
  } as Schema,
}];

/** server_tags `update_all`. */
export const TAGS_SCHEMA: readonly VersionedSchema[] = [{
  schema: {
    title: "Server tags",
    type: "object",
    properties: { tags: { type: "array", items: pt.tag, maxItems: 50 } },
    required: ["tags"],
    additionalProperties: false,
  } as Schema,
}];

/** server_tags `update` (a null body). */
export const TAG_SCHEMA: readonly VersionedSchema[] = [{
  schema: {
    title: "Server tag",
    type: "null",
    required: [],
    additionalProperties: false,
  } as Schema,
}];

const ACTIONS_V258 = {
  limit: pt.singleParam(pt.nonNegativeInteger),
  marker: pt.singleParam({ type: "string" } as const),
  "changes-since": pt.singleParam({ type: "string", format: "date-time" } as const),
};

/** instance_actions `index` query (2.58, 2.66). */
export const ACTIONS_QUERY_SCHEMAS: readonly VersionedSchema<ObjectSchema>[] = [
  {
    schema: {
      type: "object",
      properties: {
        ...ACTIONS_V258,
        "changes-before": pt.singleParam({ type: "string", format: "date-time" } as const),
      },
      additionalProperties: false,
    } as ObjectSchema,
    min: "2.66",
  },
  {
    schema: {
      type: "object",
      properties: ACTIONS_V258,
      additionalProperties: false,
    } as ObjectSchema,
    min: "2.58",
    max: "2.65",
  },
];
