/**
 * Every schema migration, in the order they apply. Each area keeps its own
 * list beside its code and adds it here; ids never change once released.
 *
 * @module
 */

import { FLAVOR_MIGRATIONS } from "../compute/flavors/migrations.ts";
import { IMAGE_MIGRATIONS } from "../compute/images/migrations.ts";
import { KEYPAIR_MIGRATIONS } from "../compute/keypairs/migrations.ts";
import { SERVERS_MIGRATIONS } from "../compute/servers/migrations.ts";
import { MIGRATION_RECORD_MIGRATIONS } from "../compute/servers/migrations_store.ts";
import { SERVER_ACTIONS_MIGRATIONS } from "../compute/servers/actions_schema.ts";
import { HOSTS_MIGRATIONS } from "../compute/hosts/migrations.ts";
import { SECURITY_GROUP_MIGRATIONS } from "../compute/network/security_groups_store.ts";
import { QUOTA_MIGRATIONS } from "../compute/quotas/migrations.ts";
import { SERVER_GROUP_MIGRATIONS } from "../compute/server_groups/migrations.ts";
import { EC2_ID_MIGRATIONS } from "../metadata/ec2_ids.ts";
import { CONFIG_DRIVE_MIGRATIONS } from "../virt/config_drive.ts";
import type { Migration } from "./db.ts";

export const MIGRATIONS: readonly Migration[] = [
  ...FLAVOR_MIGRATIONS,
  ...KEYPAIR_MIGRATIONS,
  ...IMAGE_MIGRATIONS,
  ...SERVERS_MIGRATIONS,
  ...MIGRATION_RECORD_MIGRATIONS,
  ...SERVER_ACTIONS_MIGRATIONS,
  ...HOSTS_MIGRATIONS,
  ...SECURITY_GROUP_MIGRATIONS,
  ...QUOTA_MIGRATIONS,
  ...SERVER_GROUP_MIGRATIONS,
  ...EC2_ID_MIGRATIONS,
  ...CONFIG_DRIVE_MIGRATIONS,
];
