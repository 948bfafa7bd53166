/**
 * nova's server create schemas, one per microversion range, built the way
 * nova builds them (copy, then add keys at the end or replace in place),
 * so that properties are checked in nova's order.
 *
 * Mirrors nova/api/openstack/compute/schemas/servers.py (`create`,
 * `create_v20` ... `create_v290`).
 *
 * @module
 */

import { parameterTypes as pt, type VersionedSchema } from "../../validation/mod.ts";

const MAX_TAG_COUNT = 50;

const legacyBdm = {
  type: "object",
  properties: {
    virtual_name: { type: "string", maxLength: 255 },
    volume_id: pt.volumeId,
    snapshot_id: pt.imageId,
    volume_size: pt.volumeSize,
    device_name: { type: "string", minLength: 1, maxLength: 255, pattern: "^[a-zA-Z0-9._-r/]*$" },
    delete_on_termination: pt.boolean,
    no_device: {},
    connection_info: { type: "string", maxLength: 16777215 },
  },
  additionalProperties: false,
} as const;

const bdmV2NewItems = {
  source_type: { type: "string", enum: ["volume", "image", "snapshot", "blank"] },
  uuid: { type: "string", minLength: 1, maxLength: 255, pattern: "^[a-zA-Z0-9._-]*$" },
  image_id: pt.imageId,
  destination_type: { type: "string", enum: ["local", "volume"] },
  guest_format: { type: "string", maxLength: 255 },
  device_type: { type: "string", maxLength: 255 },
  disk_bus: { type: "string", maxLength: 255 },
  boot_index: { type: ["integer", "string", "null"], pattern: "^-?[0-9]+$" },
} as const;

function bdmV2(extra: Record<string, unknown> = {}) {
  return {
    ...legacyBdm,
    properties: { ...legacyBdm.properties, ...bdmV2NewItems, ...extra },
  };
}

const hints = {
  type: "object",
  properties: {
    group: { type: "string", format: "uuid" },
    different_host: {
      oneOf: [{ type: "string", format: "uuid" }, { type: "array", items: pt.serverId }],
    },
    same_host: { type: ["string", "array"], items: pt.serverId },
    query: { type: ["string", "object"] },
    target_cell: pt.name,
    different_cell: { type: ["string", "array"], items: { type: "string" } },
    build_near_host_ip: pt.ipAddress,
    cidr: { type: "string", pattern: "^/[0-9a-f.:]+$" },
  },
  additionalProperties: true,
} as const;

const portProp = { oneOf: [{ type: "string", format: "uuid" }, { type: "null" }] } as const;

function networkList(uuid: Record<string, unknown>, tag: boolean) {
  return {
    type: "array",
    items: {
      type: "object",
      properties: { fixed_ip: pt.ipAddress, port: portProp, uuid, ...(tag ? { tag: pt.tag } : {}) },
      additionalProperties: false,
    },
  };
}

function networksV237(tag: boolean) {
  return {
    oneOf: [networkList({ type: "string", format: "uuid" }, tag), {
      type: "string",
      enum: ["none", "auto"],
    }],
  };
}

const userData = { type: "string", format: "base64", maxLength: 65535 } as const;

/** The `server` properties of `create` (2.1), in nova's order. */
function baseServerProps(): Record<string, unknown> {
  return {
    name: pt.name,
    imageRef: pt.imageIdOrEmptyString,
    flavorRef: pt.flavorRef,
    adminPass: pt.adminPassword,
    metadata: pt.metadata,
    networks: networkList({ type: "string" }, false),
    "OS-DCF:diskConfig": pt.diskConfig,
    accessIPv4: pt.accessIPv4,
    accessIPv6: pt.accessIPv6,
    personality: pt.personality,
    availability_zone: pt.name,
    block_device_mapping: { type: "array", items: legacyBdm },
    block_device_mapping_v2: { type: "array", items: bdmV2() },
    config_drive: pt.boolean,
    key_name: pt.name,
    min_count: pt.positiveInteger,
    max_count: pt.positiveInteger,
    return_reservation_id: pt.boolean,
    security_groups: {
      type: "array",
      items: { type: "object", properties: { name: pt.name }, additionalProperties: false },
    },
    user_data: userData,
  };
}

function wrap(server: Record<string, unknown>, required: string[]) {
  return {
    type: "object",
    properties: {
      server: { type: "object", properties: server, required, additionalProperties: false },
      "os:scheduler_hints": hints,
      "OS-SCH-HNT:scheduler_hints": hints,
    },
    required: ["server"],
    additionalProperties: false,
  } as const;
}

/** Builds the server properties of each create schema version. */
function serverProps(version: string): Record<string, unknown> {
  const p = baseServerProps();
  const v = (min: string) => compare(version, min) >= 0;
  if (version === "2.0") {
    const spaced = pt.nameWithLeadingTrailingSpaces;
    return {
      ...p,
      name: spaced,
      availability_zone: spaced,
      key_name: spaced,
      security_groups: {
        type: "array",
        items: { type: "object", properties: { name: spaced }, additionalProperties: false },
      },
      user_data: { oneOf: [userData, { type: "null" }] },
    };
  }
  if (v("2.19")) p.description = pt.description;
  if (version === "2.32") {
    p.networks = networkList({ type: "string" }, true);
    p.block_device_mapping_v2 = { type: "array", items: bdmV2({ tag: pt.tag }) };
  } else if (v("2.33") && !v("2.37")) p.networks = networkList({ type: "string" }, true);
  if (v("2.37")) p.networks = networksV237(v("2.42"));
  if (v("2.42")) p.block_device_mapping_v2 = { type: "array", items: bdmV2({ tag: pt.tag }) };
  if (v("2.52")) p.tags = { type: "array", items: pt.tag, maxItems: MAX_TAG_COUNT };
  if (v("2.57")) delete p.personality;
  if (v("2.63")) p.trusted_image_certificates = pt.trustedCerts;
  if (v("2.67")) {
    p.block_device_mapping_v2 = {
      type: "array",
      items: bdmV2({ tag: pt.tag, volume_type: pt.volumeType }),
    };
  }
  if (v("2.74")) {
    p.host = pt.fqdn;
    p.hypervisor_hostname = pt.fqdn;
  }
  if (v("2.90")) p.hostname = pt.hostname;
  return p;
}

function compare(a: string, b: string): number {
  const [am, an] = a.split(".").map(Number);
  const [bm, bn] = b.split(".").map(Number);
  return am - bm || an - bn;
}

function createSchema(version: string) {
  return wrap(
    serverProps(version),
    compare(version, "2.37") >= 0 ? ["name", "flavorRef", "networks"] : ["name", "flavorRef"],
  );
}

/** `@validation.schema(...)` of `ServersController.create`, top first. */
export const CREATE_SCHEMAS: readonly VersionedSchema[] = [
  { schema: createSchema("2.0"), min: "2.0", max: "2.0" },
  { schema: createSchema("2.1"), min: "2.1", max: "2.18" },
  { schema: createSchema("2.19"), min: "2.19", max: "2.31" },
  { schema: createSchema("2.32"), min: "2.32", max: "2.32" },
  { schema: createSchema("2.33"), min: "2.33", max: "2.36" },
  { schema: createSchema("2.37"), min: "2.37", max: "2.41" },
  { schema: createSchema("2.42"), min: "2.42", max: "2.51" },
  { schema: createSchema("2.52"), min: "2.52", max: "2.56" },
  { schema: createSchema("2.57"), min: "2.57", max: "2.62" },
  { schema: createSchema("2.63"), min: "2.63", max: "2.66" },
  { schema: createSchema("2.67"), min: "2.67", max: "2.73" },
  { schema: createSchema("2.74"), min: "2.74", max: "2.89" },
  { schema: createSchema("2.90"), min: "2.90" },
];
