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
import type { Migration } from "./db.ts";

export const MIGRATIONS: readonly Migration[] = [
  ...FLAVOR_MIGRATIONS,
  ...KEYPAIR_MIGRATIONS,
  ...IMAGE_MIGRATIONS,
  ...SERVERS_MIGRATIONS,
];
