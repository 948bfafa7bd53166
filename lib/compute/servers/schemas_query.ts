/**
 * nova's query string schemas of `GET /servers` and `/servers/detail`
 * (2.1, 2.26 tags, 2.66 changes-before, 2.73 locked, 2.75 strict), the
 * sort keys nova accepts and the ones it ignores.
 *
 * Mirrors nova/api/openstack/compute/schemas/servers.py
 * (`query_params_v21` ... `query_params_v275`, `VALID_SORT_KEYS*`,
 * `SERVER_LIST_IGNORE_SORT_KEY*`, `JOINED_TABLE_QUERY_PARAMS_SERVERS`).
 *
 * @module
 */

import {
  type ObjectSchema,
  parameterTypes as pt,
  type VersionedSchema,
} from "../../validation/mod.ts";

const qp = pt.commonQueryParam;
const qr = pt.commonQueryRegexParam;

/** `JOINED_TABLE_QUERY_PARAMS_SERVERS`: accepted by the schema, refused by the API. */
export const JOINED_TABLE_PARAMS = [
  "block_device_mapping",
  "services",
  "metadata",
  "system_metadata",
  "info_cache",
  "security_groups",
  "pci_devices",
] as const;

/** `SERVER_LIST_IGNORE_SORT_KEY`: valid before 2.75, but dropped. */
export const IGNORED_SORT_KEYS: readonly string[] = [
  "architecture",
  "cell_name",
  "cleaned",
  "default_ephemeral_device",
  "default_swap_device",
  "deleted",
  "deleted_at",
  "disable_terminate",
  "ephemeral_gb",
  "ephemeral_key_uuid",
  "id",
  "key_data",
  "launched_on",
  "locked",
  "memory_mb",
  "os_type",
  "reservation_id",
  "root_gb",
  "shutdown_terminate",
  "user_data",
  "vcpus",
  "vm_mode",
];

/** `SERVER_LIST_IGNORE_SORT_KEY_V273`: `locked` becomes a real sort key. */
export const IGNORED_SORT_KEYS_V273: readonly string[] = IGNORED_SORT_KEYS.filter((k) =>
  k !== "locked"
);

const SORT_KEYS = [
  "access_ip_v4",
  "access_ip_v6",
  "auto_disk_config",
  "availability_zone",
  "config_drive",
  "created_at",
  "display_description",
  "display_name",
  "host",
  "hostname",
  "image_ref",
  "instance_type_id",
  "kernel_id",
  "key_name",
  "launch_index",
  "launched_at",
  "locked_by",
  "node",
  "power_state",
  "progress",
  "project_id",
  "ramdisk_id",
  "root_device_name",
  "task_state",
  "terminated_at",
  "updated_at",
  "user_id",
  "uuid",
  "vm_state",
];

// NOTE(parity): nova builds the 2.73 and 2.75 enums from Python sets, so
// the order of the keys in its error message varies between processes.
const SORT_KEYS_V273 = ["locked", ...SORT_KEYS, ...IGNORED_SORT_KEYS_V273];
const SORT_KEYS_V275 = ["locked", ...SORT_KEYS];

const dateTimes = pt.multiParams({ type: "string", format: "date-time" } as const);

const V21_PROPERTIES = {
  user_id: qp,
  project_id: qp,
  tenant_id: qp,
  launch_index: qp,
  image_ref: qp,
  image: qp,
  kernel_id: qr,
  ramdisk_id: qr,
  hostname: qr,
  key_name: qr,
  power_state: qr,
  vm_state: qp,
  task_state: qp,
  host: qp,
  node: qr,
  flavor: qr,
  reservation_id: qr,
  launched_at: qr,
  terminated_at: qr,
  availability_zone: qr,
  name: qr,
  display_name: qr,
  description: qr,
  display_description: qr,
  locked_by: qr,
  uuid: qp,
  root_device_name: qr,
  config_drive: qr,
  access_ip_v4: qr,
  access_ip_v6: qr,
  auto_disk_config: qr,
  progress: qr,
  sort_key: pt.multiParams({ type: "string", enum: [...SORT_KEYS, ...IGNORED_SORT_KEYS] }),
  sort_dir: qp,
  all_tenants: qp,
  soft_deleted: qp,
  deleted: qp,
  status: qp,
  "changes-since": dateTimes,
  ip: qr,
  ip6: qr,
  created_at: qr,
  ...Object.fromEntries(JOINED_TABLE_PARAMS.map((k) => [k, qp])),
  ...pt.paginationParameters,
};

function querySchema(properties: Record<string, unknown>, additional: boolean): ObjectSchema {
  return {
    type: "object",
    properties,
    additionalProperties: additional,
    patternProperties: { "^_": qp },
  } as ObjectSchema;
}

const V226 = { ...V21_PROPERTIES, tags: qr, "tags-any": qr, "not-tags": qr, "not-tags-any": qr };
const V266 = { ...V226, "changes-before": dateTimes };
const V273 = {
  ...V266,
  sort_key: pt.multiParams({ type: "string", enum: SORT_KEYS_V273 }),
  locked: qp,
};
const V275 = { ...V273, sort_key: pt.multiParams({ type: "string", enum: SORT_KEYS_V275 }) };

/** `@validation.query_schema(...)` of `index` and `detail`, top first. */
export const LIST_QUERY_SCHEMAS: readonly VersionedSchema<ObjectSchema>[] = [
  { schema: querySchema(V275, false), min: "2.75" },
  { schema: querySchema(V273, true), min: "2.73", max: "2.74" },
  { schema: querySchema(V266, true), min: "2.66", max: "2.72" },
  { schema: querySchema(V226, true), min: "2.26", max: "2.65" },
  { schema: querySchema(V21_PROPERTIES, true), min: "2.1", max: "2.25" },
];
