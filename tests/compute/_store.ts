/**
 * A real SQLite store in a fresh temp dir, migrated with every migration,
 * and a way to reopen it (as a restart would).
 *
 * @module
 */

import { Store } from "../../lib/store/db.ts";
import { MIGRATIONS } from "../../lib/store/migrations.ts";

/** Opens (or reopens) the database file at `path`. */
export function openStore(
  path = `${Deno.makeTempDirSync({ prefix: "novalet-store-" })}/nova.sqlite`,
) {
  return Store.open(path, MIGRATIONS);
}
