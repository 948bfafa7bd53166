/**
 * The tables and columns the server actions add: the migration records
 * (migrations_store.ts has their schema and API), the console auth tokens
 * of the remote consoles, and the instance's old and new flavors while a
 * resize waits for its confirmation (nova keeps them in `instance_extra`).
 *
 * Mirrors nova/db/main/models.py (`ConsoleAuthToken`, `InstanceExtra.flavor`
 * `{"cur", "old", "new"}`).
 *
 * @module
 */

import type { Migration } from "../../store/db.ts";

const CONSOLE_AUTH_TOKENS = `
  CREATE TABLE console_auth_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    console_type TEXT NOT NULL,
    host TEXT NOT NULL,
    port INTEGER NOT NULL,
    internal_access_path TEXT,
    instance_uuid TEXT NOT NULL,
    expires INTEGER NOT NULL,
    access_url_base TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT
  );
  CREATE INDEX console_auth_tokens_instance_uuid_idx ON console_auth_tokens (instance_uuid);
  CREATE INDEX console_auth_tokens_host_expires_idx ON console_auth_tokens (host, expires);
`;

const RESIZE_FLAVORS = `
  ALTER TABLE instances ADD COLUMN old_flavor TEXT;
  ALTER TABLE instances ADD COLUMN new_flavor TEXT;
`;

/** The server actions' schema migrations, in order. */
export const SERVER_ACTIONS_MIGRATIONS: readonly Migration[] = [
  { id: "server-actions-001-console-auth-tokens", up: CONSOLE_AUTH_TOKENS },
  { id: "server-actions-002-resize-flavors", up: RESIZE_FLAVORS },
];
