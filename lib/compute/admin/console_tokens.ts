/**
 * Looking up a console auth token: nova keeps the sha256 of each token
 * with the console it grants until it expires (`console_auth_tokens`,
 * written when a remote console is created).
 *
 * Mirrors nova/objects/console_auth_token.py `ConsoleAuthToken.validate`
 * and nova/db/main/api.py `console_auth_token_get_valid`.
 *
 * @module
 */

import { sha256Hex } from "../../hash.ts";
import type { Store } from "../../store/db.ts";

/** What a token grants. */
export interface ConsoleToken {
  instance_uuid: string;
  host: string | null;
  port: number | null;
  internal_access_path: string | null;
  console_type: string;
}

/** The unexpired console a token grants, or null (also when no console was ever made). */
export function findConsoleToken(db: Store, token: string): ConsoleToken | null {
  const table = db.get(
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'console_auth_tokens'",
  );
  if (!table) return null;
  const row = db.get<ConsoleToken & { expires: number }>(
    "SELECT * FROM console_auth_tokens WHERE token_hash = ?",
    sha256Hex(token),
  );
  if (!row || row.expires <= Math.floor(Date.now() / 1000)) return null;
  return row;
}
