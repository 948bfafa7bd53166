/**
 * What the fuzzer aims at: the compute API's request bodies and query
 * strings, each with the schemas nova validates it against (the schema
 * constants of lib/compute/**, with the microversion ranges their
 * controllers give them), on paths made from the run's fixtures.
 *
 * @module
 */

import * as aggregates from "../../lib/compute/admin/aggregates_schemas.ts";
import * as services from "../../lib/compute/admin/services_schemas.ts";
import * as flavors from "../../lib/compute/flavors/schemas.ts";
import * as keypairs from "../../lib/compute/keypairs/schemas.ts";
import * as quotas from "../../lib/compute/quotas/schemas.ts";
import * as groups from "../../lib/compute/server_groups/schemas.ts";
import * as move from "../../lib/compute/servers/move_schemas.ts";
import { CREATE_SCHEMAS } from "../../lib/compute/servers/schemas_create.ts";
import * as misc from "../../lib/compute/servers/schemas_misc.ts";
import { LIST_QUERY_SCHEMAS } from "../../lib/compute/servers/schemas_query.ts";
import type { Schema, VersionedSchema } from "../../lib/validation/mod.ts";

/** The ids of what the run created before fuzzing. */
export interface Fixtures {
  server: string;
  flavor: string;
  keypair: string;
  group: string;
  aggregate: number;
  service: string;
  project: string;
  image: string;
  network: string;
}

/** A request body the fuzzer mutates. */
export interface BodyTarget {
  readonly name: string;
  readonly method: "POST" | "PUT";
  path(f: Fixtures): string;
  /**
   * The schemas by microversion, as the server chooses them; `oracle`
   * false when the server may pick another one (then a body the schema
   * refuses is not sure to be refused).
   */
  readonly schemas: readonly VersionedSchema[];
  readonly oracle: boolean;
  /**
   * A server action: nova records it (instance action, events, migration)
   * before the compute side may refuse it, and a refusal keeps that record
   * with a fault (live migration before 2.34 answers 400 so).
   */
  readonly audited?: boolean;
  /**
   * A body the API accepts (at minor version `minor`), the base of half the
   * mutations: a schema alone does not know which flavors or images exist.
   */
  readonly template?: (f: Fixtures, minor: number) => unknown;
}

/** A list whose query string the fuzzer mutates. */
export interface QueryTarget {
  readonly name: string;
  path(f: Fixtures): string;
  readonly schemas: readonly VersionedSchema[];
}

function only(schema: unknown, min?: string, max?: string): VersionedSchema[] {
  return [{ schema: schema as Schema, ...(min ? { min } : {}), ...(max ? { max } : {}) }];
}

const server = (f: Fixtures) => `/servers/${f.server}`;
const action = (f: Fixtures) => `/servers/${f.server}/action`;

/** The bodies. */
export const BODY_TARGETS: readonly BodyTarget[] = [
  {
    name: "server create",
    method: "POST",
    path: () => "/servers",
    schemas: CREATE_SCHEMAS,
    oracle: true,
    template: (f, minor) => ({
      server: {
        name: "fuzz-vm",
        imageRef: f.image,
        flavorRef: "1",
        ...(minor >= 37 ? { networks: minor % 2 ? "auto" : [{ uuid: f.network }] } : {}),
        metadata: { a: "b" },
        ...(minor >= 52 ? { tags: ["t1"] } : {}),
      },
    }),
  },
  {
    name: "server update",
    method: "PUT",
    path: server,
    schemas: misc.UPDATE_SCHEMAS,
    oracle: true,
  },
  {
    name: "reboot",
    method: "POST",
    path: action,
    audited: true,
    template: () => ({ reboot: { type: "SOFT" } }),
    schemas: misc.REBOOT_SCHEMA,
    oracle: true,
  },
  {
    name: "resize",
    method: "POST",
    path: action,
    audited: true,
    template: () => ({ resize: { flavorRef: "2" } }),
    schemas: only(move.RESIZE),
    oracle: true,
  },
  {
    name: "migrate",
    method: "POST",
    path: action,
    audited: true,
    schemas: only(move.MIGRATE, "2.56"),
    oracle: true,
  },
  {
    name: "live migrate",
    method: "POST",
    path: action,
    audited: true,
    schemas: move.MIGRATE_LIVE,
    oracle: true,
  },
  {
    name: "evacuate",
    method: "POST",
    path: action,
    audited: true,
    schemas: move.EVACUATE,
    oracle: true,
  },
  {
    name: "server metadata",
    method: "POST",
    path: (f) => `/servers/${f.server}/metadata`,
    schemas: misc.METADATA_SCHEMA,
    oracle: true,
  },
  {
    name: "server metadata item",
    method: "PUT",
    path: (f) => `/servers/${f.server}/metadata/fuzz0`,
    schemas: misc.METADATA_ITEM_SCHEMA,
    oracle: false,
  },
  {
    name: "server tags",
    method: "PUT",
    path: (f) => `/servers/${f.server}/tags`,
    schemas: misc.TAGS_SCHEMA.map((s) => ({ ...s, min: "2.26" })),
    oracle: true,
  },
  {
    name: "flavor create",
    method: "POST",
    path: () => "/flavors",
    schemas: [
      { schema: flavors.createV20 as Schema, min: "2.0", max: "2.0" },
      { schema: flavors.create as Schema, min: "2.1", max: "2.54" },
      { schema: flavors.createV255 as Schema, min: "2.55" },
    ],
    oracle: true,
  },
  {
    name: "flavor update",
    method: "PUT",
    path: (f) => `/flavors/${f.flavor}`,
    schemas: only(flavors.updateV255, "2.55"),
    oracle: true,
  },
  {
    name: "flavor access",
    method: "POST",
    path: (f) => `/flavors/${f.flavor}/action`,
    schemas: only(flavors.addTenantAccess),
    oracle: false,
  },
  {
    name: "flavor extra specs",
    method: "POST",
    path: (f) => `/flavors/${f.flavor}/os-extra_specs`,
    schemas: only(flavors.extraSpecsCreate),
    oracle: true,
  },
  {
    name: "flavor extra spec",
    method: "PUT",
    path: (f) => `/flavors/${f.flavor}/os-extra_specs/hw:cpu_policy`,
    schemas: only(flavors.extraSpecsUpdate),
    oracle: false,
  },
  {
    name: "keypair create",
    method: "POST",
    path: () => "/os-keypairs",
    schemas: [
      { schema: keypairs.createV20 as Schema, min: "2.0", max: "2.0" },
      { schema: keypairs.create as Schema, min: "2.1", max: "2.1" },
      { schema: keypairs.createV22 as Schema, min: "2.2", max: "2.9" },
      { schema: keypairs.createV210 as Schema, min: "2.10", max: "2.91" },
      { schema: keypairs.createV292 as Schema, min: "2.92" },
    ],
    oracle: true,
  },
  {
    name: "quota set update",
    method: "PUT",
    path: (f) => `/os-quota-sets/${f.project}`,
    schemas: [
      { schema: quotas.quotaSetUpdate as Schema, max: "2.35" },
      { schema: quotas.quotaSetUpdateV236 as Schema, min: "2.36", max: "2.56" },
      { schema: quotas.quotaSetUpdateV257 as Schema, min: "2.57" },
    ],
    oracle: false,
  },
  {
    name: "quota class update",
    method: "PUT",
    path: () => "/os-quota-class-sets/default",
    schemas: [
      { schema: quotas.quotaClassUpdate as Schema, max: "2.49" },
      { schema: quotas.quotaClassUpdateV250 as Schema, min: "2.50", max: "2.56" },
      { schema: quotas.quotaClassUpdateV257 as Schema, min: "2.57" },
    ],
    oracle: false,
  },
  {
    name: "server group create",
    method: "POST",
    path: () => "/os-server-groups",
    schemas: [
      { schema: groups.create as Schema, min: "2.0", max: "2.14" },
      { schema: groups.createV215 as Schema, min: "2.15", max: "2.63" },
      { schema: groups.createV264 as Schema, min: "2.64" },
    ],
    oracle: true,
  },
  {
    name: "aggregate create",
    method: "POST",
    path: () => "/os-aggregates",
    schemas: aggregates.CREATE_SCHEMAS,
    oracle: true,
  },
  {
    name: "aggregate update",
    method: "PUT",
    path: (f) => `/os-aggregates/${f.aggregate}`,
    schemas: aggregates.UPDATE_SCHEMAS,
    oracle: true,
  },
  {
    name: "aggregate action",
    method: "POST",
    path: (f) => `/os-aggregates/${f.aggregate}/action`,
    schemas: [
      { schema: aggregates.ADD_HOST as Schema },
      { schema: aggregates.REMOVE_HOST as Schema },
      { schema: aggregates.SET_METADATA as Schema },
    ],
    oracle: false,
  },
  {
    name: "service update",
    method: "PUT",
    path: (f) => `/os-services/${f.service}`,
    schemas: services.UPDATE_V253,
    oracle: false,
  },
  {
    name: "service disable (legacy)",
    method: "PUT",
    path: () => "/os-services/disable",
    schemas: services.UPDATE_SCHEMAS,
    oracle: false,
  },
];

/** The query strings. */
export const QUERY_TARGETS: readonly QueryTarget[] = [
  { name: "servers", path: () => "/servers/detail", schemas: LIST_QUERY_SCHEMAS },
  { name: "servers (summary)", path: () => "/servers", schemas: LIST_QUERY_SCHEMAS },
  {
    name: "flavors",
    path: () => "/flavors/detail",
    schemas: [
      { schema: flavors.indexQuery275 as Schema, min: "2.75" },
      { schema: flavors.indexQuery as Schema, max: "2.74" },
    ],
  },
  {
    name: "keypairs",
    path: () => "/os-keypairs",
    schemas: [
      { schema: keypairs.indexQuerySchemaV275 as Schema, min: "2.75" },
      { schema: keypairs.indexQuerySchemaV235 as Schema, min: "2.35", max: "2.74" },
    ],
  },
  {
    name: "quota sets",
    path: (f) => `/os-quota-sets/${f.project}/detail`,
    schemas: [{ schema: quotas.quotaQueryV275, min: "2.75" }, { schema: quotas.quotaQuery }],
  },
  { name: "limits", path: () => "/limits", schemas: [{ schema: quotas.limitsQueryV275 }] },
  {
    name: "server groups",
    path: () => "/os-server-groups",
    schemas: [{ schema: groups.listQueryV275 }],
  },
  { name: "services", path: () => "/os-services", schemas: services.INDEX_QUERY },
  {
    name: "instance actions",
    path: (f) => `/servers/${f.server}/os-instance-actions`,
    schemas: misc.ACTIONS_QUERY_SCHEMAS,
  },
];

/** Read-only paths for the path, method and header mutations. */
export function readPaths(f: Fixtures): string[] {
  return [
    "/",
    "/v2.1",
    "/v2.1/",
    "/v2.1/servers",
    `/v2.1/servers/${f.server}`,
    `/v2.1/servers/${f.server}/ips`,
    `/v2.1/servers/${f.server}/metadata`,
    `/v2.1/servers/${f.server}/os-instance-actions`,
    `/v2.1/servers/${f.server}/tags`,
    "/v2.1/flavors/detail",
    `/v2.1/flavors/${f.flavor}`,
    `/v2.1/flavors/${f.flavor}/os-extra_specs`,
    "/v2.1/os-keypairs",
    `/v2.1/os-keypairs/${f.keypair}`,
    "/v2.1/limits",
    `/v2.1/os-quota-sets/${f.project}`,
    "/v2.1/os-server-groups",
    `/v2.1/os-server-groups/${f.group}`,
    "/v2.1/os-aggregates",
    `/v2.1/os-aggregates/${f.aggregate}`,
    "/v2.1/os-services",
    "/v2.1/os-hypervisors/detail",
    "/v2.1/os-availability-zone/detail",
    "/v2.1/images",
    `/v2.1/images/${f.image}`,
    "/v2.1/extensions",
    "/v2.1/os-migrations",
    "/v2.1/os-simple-tenant-usage",
  ];
}
