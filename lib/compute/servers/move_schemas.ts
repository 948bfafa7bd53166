/**
 * The request schemas of the move actions: resize, migrate (2.56),
 * os-migrateLive (2.0, 2.25, 2.30, 2.68) and evacuate (2.0, 2.14, 2.29,
 * 2.68).
 *
 * Mirrors nova/api/openstack/compute/schemas/servers.py `resize`,
 * schemas/migrate_server.py and schemas/evacuate.py.
 *
 * @module
 */

import { parameterTypes as pt, type Schema, type VersionedSchema } from "../../validation/mod.ts";

function action(
  key: string,
  props: Record<string, unknown>,
  required?: string[],
  nullable = false,
) {
  const inner: Record<string, unknown> = {
    type: nullable ? ["object", "null"] : "object",
    properties: props,
  };
  if (required) inner.required = required;
  inner.additionalProperties = false;
  return {
    type: "object",
    properties: { [key]: inner },
    required: [key],
    additionalProperties: false,
  } as Schema;
}

/** `resize`. */
export const RESIZE: Schema = action("resize", {
  flavorRef: pt.flavorRef,
  "OS-DCF:diskConfig": pt.diskConfig,
}, ["flavorRef"]);

const host = { ...pt.fqdn, type: ["string", "null"] };

/** `migrate_v2_56`. */
export const MIGRATE: Schema = action("migrate", { host }, undefined, true);

const blockMigrationAuto = { ...pt.boolean, enum: [...pt.boolean.enum, "auto"] };
const LIVE_V225 = { block_migration: blockMigrationAuto, host };

/** `migrate_live` ... `migrate_live_v2_68`. */
export const MIGRATE_LIVE: readonly VersionedSchema[] = [
  {
    schema: action("os-migrateLive", {
      block_migration: pt.boolean,
      disk_over_commit: pt.boolean,
      host,
    }, ["block_migration", "disk_over_commit", "host"]),
    min: "2.0",
    max: "2.24",
  },
  {
    schema: action("os-migrateLive", LIVE_V225, ["block_migration", "host"]),
    min: "2.25",
    max: "2.29",
  },
  {
    schema: action("os-migrateLive", { ...LIVE_V225, force: pt.boolean }, [
      "block_migration",
      "host",
    ]),
    min: "2.30",
    max: "2.67",
  },
  {
    schema: action("os-migrateLive", LIVE_V225, ["block_migration", "host"]),
    min: "2.68",
  },
];

const EVACUATE_V214 = { host: pt.fqdn, adminPass: pt.adminPassword };

/** `evacuate` ... `evacuate_v2_68`. */
export const EVACUATE: readonly VersionedSchema[] = [
  {
    schema: action("evacuate", {
      host: pt.fqdn,
      onSharedStorage: pt.boolean,
      adminPass: pt.adminPassword,
    }, ["onSharedStorage"]),
    min: "2.0",
    max: "2.13",
  },
  { schema: action("evacuate", EVACUATE_V214), min: "2.14", max: "2.28" },
  { schema: action("evacuate", { ...EVACUATE_V214, force: pt.boolean }), min: "2.29", max: "2.67" },
  { schema: action("evacuate", EVACUATE_V214), min: "2.68" },
];
