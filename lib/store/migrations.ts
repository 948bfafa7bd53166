/**
 * Every schema migration, in the order they apply. Each area keeps its own
 * list beside its code and adds it here; ids never change once released.
 *
 * @module
 */

import type { Migration } from "./db.ts";

export const MIGRATIONS: readonly Migration[] = [];
