/**
 * The key pair table, as nova's API database has it (nova/db/api/models.py
 * `KeyPair`): one name per user. Rows are deleted, not marked deleted, as
 * nova's API database does (`_destroy_in_db`).
 *
 * @module
 */

import type { Migration } from "../../store/db.ts";

/** The keypair area's migrations, in order. */
export const KEYPAIR_MIGRATIONS: readonly Migration[] = [
  {
    id: "keypairs-001-tables",
    up: `
      CREATE TABLE key_pairs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        user_id TEXT NOT NULL,
        fingerprint TEXT,
        public_key TEXT,
        type TEXT NOT NULL DEFAULT 'ssh' CHECK (type IN ('ssh', 'x509')),
        created_at TEXT NOT NULL,
        updated_at TEXT,
        CONSTRAINT uniq_key_pairs0user_id0name UNIQUE (user_id, name)
      );
    `,
  },
];
