/**
 * Hand translations of the parts of nova/api/openstack/compute/schemas/*.py
 * that the recorded nova answers exercise: a worked example of writing
 * nova's schemas with parameterTypes (same keys, same order).
 */
import { type ObjectSchema, parameterTypes as pt, PyFloat } from "../../lib/validation/mod.ts";

/** flavor_manage.create */
export const flavorCreate = {
  type: "object",
  properties: {
    flavor: {
      type: "object",
      properties: {
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
          maximum: new PyFloat(3.40282e+38),
        },
        "os-flavor-access:is_public": pt.boolean,
      },
      required: ["name", "ram", "vcpus", "disk"],
      additionalProperties: false,
    },
  },
  required: ["flavor"],
  additionalProperties: false,
} as const;

/** flavors_extraspecs.create */
export const extraSpecsCreate = {
  type: "object",
  properties: {
    extra_specs: {
      ...pt.metadata,
      patternProperties: {
        "^[a-zA-Z0-9-_:. ]{1,255}$": { type: ["string", "number"], maxLength: 255 },
      },
    },
  },
  required: ["extra_specs"],
  additionalProperties: false,
} as const;

/** flavors.VALID_SORT_KEYS */
const FLAVOR_SORT_KEYS = [
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
];

/** flavors.index_query */
export const flavorIndexQuery = {
  type: "object",
  properties: {
    limit: pt.multiParams(pt.nonNegativeInteger),
    marker: pt.multiParams({ type: "string" }),
    is_public: pt.multiParams({ type: "string" }),
    minRam: pt.multiParams({ type: "string" }),
    minDisk: pt.multiParams({ type: "string" }),
    sort_key: pt.multiParams({ type: "string", enum: FLAVOR_SORT_KEYS }),
    sort_dir: pt.multiParams({ type: "string", enum: ["asc", "desc"] }),
  },
  additionalProperties: true,
} as const;

/** keypairs.create_v22 (`create_v292` changes the name and requires public_key). */
export const keypairCreateV22 = {
  type: "object",
  properties: {
    keypair: {
      type: "object",
      properties: {
        name: pt.keypairNameSpecialChars,
        type: { type: "string", enum: ["ssh", "x509"] },
        public_key: { type: "string" },
      },
      required: ["name"],
      additionalProperties: false,
    },
  },
  required: ["keypair"],
  additionalProperties: false,
} as const;

/** keypairs.create_v292 */
export const keypairCreateV292 = {
  type: "object",
  properties: {
    keypair: {
      type: "object",
      properties: {
        name: pt.keypairNameSpecialChars292,
        type: { type: "string", enum: ["ssh", "x509"] },
        public_key: { type: "string" },
        user_id: { type: "string" },
      },
      required: ["name", "public_key"],
      additionalProperties: false,
    },
  },
  required: ["keypair"],
  additionalProperties: false,
} as const;

/** quota_sets.common_quota */
const commonQuota = {
  type: ["integer", "string"],
  pattern: "^-?[0-9]+$",
  minimum: -1,
  maximum: 0x7FFFFFFF,
} as const;

/** quota_sets.update (2.1) or update_v257, with the quota names of that version. */
export function quotaUpdate(v257: boolean): ObjectSchema {
  const names = v257
    ? ["instances", "cores", "ram", "metadata_items", "key_pairs", "server_groups"]
    : ["instances", "cores", "ram", "floating_ips", "fixed_ips", "metadata_items", "key_pairs"]
      .concat(["security_groups", "security_group_rules", "injected_files"])
      .concat(["injected_file_content_bytes", "injected_file_path_bytes", "server_groups"]);
  const resources = Object.fromEntries(names.map((n) => [n, commonQuota]));
  if (!v257) Object.assign(resources, { server_group_members: commonQuota, networks: commonQuota });
  else Object.assign(resources, { server_group_members: commonQuota });
  return {
    type: "object",
    properties: {
      quota_set: {
        type: "object",
        properties: { ...resources, force: pt.boolean },
        additionalProperties: false,
      },
    },
    required: ["quota_set"],
    additionalProperties: false,
  };
}

const networksV237 = {
  oneOf: [
    {
      type: "array",
      items: {
        type: "object",
        properties: {
          fixed_ip: pt.ipAddress,
          port: { oneOf: [{ type: "string", format: "uuid" }, { type: "null" }] },
          uuid: { type: "string", format: "uuid" },
        },
        additionalProperties: false,
      },
    },
    { type: "string", enum: ["none", "auto"] },
  ],
} as const;

/** servers.create (the properties the recorded cases send), or create_v237. */
export function serverCreate(v237: boolean): ObjectSchema {
  return {
    type: "object",
    properties: {
      server: {
        type: "object",
        properties: {
          name: pt.name,
          imageRef: pt.imageIdOrEmptyString,
          flavorRef: pt.flavorRef,
          adminPass: pt.adminPassword,
          metadata: pt.metadata,
          networks: v237 ? networksV237 : {
            type: "array",
            items: {
              type: "object",
              properties: {
                fixed_ip: pt.ipAddress,
                port: { oneOf: [{ type: "string", format: "uuid" }, { type: "null" }] },
                uuid: { type: "string" },
              },
              additionalProperties: false,
            },
          },
          availability_zone: pt.name,
          min_count: pt.positiveInteger,
          max_count: pt.positiveInteger,
        },
        required: v237 ? ["name", "flavorRef", "networks"] : ["name", "flavorRef"],
        additionalProperties: false,
      },
    },
    required: ["server"],
    additionalProperties: false,
  };
}

/** servers.VALID_SORT_KEYS (2.1) */
const SERVER_SORT_KEYS = [
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
  // SERVER_LIST_IGNORE_SORT_KEY
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

/** servers.query_params_v21 (the filters the cases use) or, with `v275`, its 2.75 form. */
export function serverQuery(v275: boolean): ObjectSchema {
  return {
    type: "object",
    properties: {
      name: pt.commonQueryRegexParam,
      status: pt.commonQueryParam,
      sort_key: pt.multiParams({ type: "string", enum: SERVER_SORT_KEYS }),
      sort_dir: pt.commonQueryParam,
      "changes-since": pt.multiParams({ type: "string", format: "date-time" }),
      ...pt.paginationParameters,
    },
    additionalProperties: !v275,
    patternProperties: { "^_": pt.commonQueryParam },
  };
}

/** servers.reboot */
export const reboot = {
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
} as const;

/** server_groups.create */
export const serverGroupCreate = {
  type: "object",
  properties: {
    server_group: {
      type: "object",
      properties: {
        name: pt.name,
        policies: {
          type: "array",
          items: [{ type: "string", enum: ["anti-affinity", "affinity"] }],
          uniqueItems: true,
          minItems: 1,
          maxItems: 1,
          additionalItems: false,
        },
      },
      required: ["name", "policies"],
      additionalProperties: false,
    },
  },
  required: ["server_group"],
  additionalProperties: false,
} as const;

/** aggregates.create (with nova's stray `'type': 'object'` inside properties). */
export const aggregateCreate = {
  type: "object",
  properties: {
    type: "object",
    aggregate: {
      type: "object",
      properties: {
        name: pt.name,
        availability_zone: { oneOf: [pt.azName, { type: "null" }] },
      },
      required: ["name"],
      additionalProperties: false,
    },
  },
  required: ["aggregate"],
  additionalProperties: false,
} as const;

/** server_external_events.create */
export const externalEventsCreate = {
  type: "object",
  properties: {
    events: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        properties: {
          server_uuid: { type: "string", format: "uuid" },
          name: {
            type: "string",
            enum: [
              "network-changed",
              "network-vif-plugged",
              "network-vif-unplugged",
              "network-vif-deleted",
            ],
          },
          status: { type: "string", enum: ["failed", "completed", "in-progress"] },
          tag: { type: "string", maxLength: 255 },
        },
        required: ["server_uuid", "name"],
        additionalProperties: false,
      },
    },
  },
  required: ["events"],
  additionalProperties: false,
} as const;
