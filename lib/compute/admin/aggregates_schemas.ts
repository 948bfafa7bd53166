/**
 * Request schemas of the aggregates API.
 *
 * Mirrors nova/api/openstack/compute/schemas/aggregates.py and
 * aggregate_images.py (the stray `'type': 'object'` entries among the
 * properties kept, as they decide nothing unless a body has a "type" key).
 *
 * @module
 */

import { parameterTypes as pt, type VersionedSchema } from "../../validation/mod.ts";

const availabilityZone = { oneOf: [pt.azName, { type: "null" }] } as const;
const availabilityZoneWithSpaces = {
  oneOf: [pt.azNameWithLeadingTrailingSpaces, { type: "null" }],
} as const;

function rootSchema(key: string, inner: Record<string, unknown>) {
  return {
    type: "object",
    properties: { type: "object", [key]: inner },
    required: [key],
    additionalProperties: false,
  };
}

const createInner = (name: unknown, az: unknown) => ({
  type: "object",
  properties: { name, availability_zone: az },
  required: ["name"],
  additionalProperties: false,
});

const updateInner = (name: unknown, az: unknown) => ({
  type: "object",
  properties: { name, availability_zone: az },
  additionalProperties: false,
  anyOf: [{ required: ["name"] }, { required: ["availability_zone"] }],
});

const hostInner = {
  type: "object",
  properties: { host: pt.fqdn },
  required: ["host"],
  additionalProperties: false,
};

export const CREATE_SCHEMAS: VersionedSchema[] = [
  {
    schema: rootSchema(
      "aggregate",
      createInner(pt.nameWithLeadingTrailingSpaces, availabilityZoneWithSpaces),
    ),
    min: "2.0",
    max: "2.0",
  },
  { schema: rootSchema("aggregate", createInner(pt.name, availabilityZone)), min: "2.1" },
];

export const UPDATE_SCHEMAS: VersionedSchema[] = [
  {
    schema: rootSchema(
      "aggregate",
      updateInner(pt.nameWithLeadingTrailingSpaces, availabilityZoneWithSpaces),
    ),
    min: "2.0",
    max: "2.0",
  },
  {
    schema: rootSchema(
      "aggregate",
      updateInner(pt.nameWithLeadingTrailingSpaces, availabilityZone),
    ),
    min: "2.1",
  },
];

export const ADD_HOST = rootSchema("add_host", hostInner);
export const REMOVE_HOST = rootSchema("remove_host", hostInner);

export const SET_METADATA = rootSchema("set_metadata", {
  type: "object",
  properties: { metadata: pt.metadataWithNull },
  required: ["metadata"],
  additionalProperties: false,
});

/** `aggregate_images_v2_81`. */
export const IMAGES = {
  type: "object",
  properties: {
    cache: {
      type: ["array"],
      minItems: 1,
      items: {
        type: "object",
        properties: { id: pt.imageId },
        additionalProperties: false,
        required: ["id"],
      },
    },
  },
  required: ["cache"],
  additionalProperties: false,
};
