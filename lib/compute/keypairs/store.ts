/**
 * Key pair rows in SQLite: nova's `_get_from_db`, `_get_count_from_db`,
 * `_create_in_db` and `_destroy_in_db`, with oslo.db's marker paging by name.
 *
 * Mirrors nova/objects/keypair.py.
 *
 * @module
 */

import type { Row, Store } from "../../store/db.ts";
import { utcnow } from "../../store/timestamps.ts";
import { type Keypair, KeyPairExists, KeypairNotFound, type KeypairType } from "./api.ts";

/** nova.exception.MarkerNotFound (a 400 "Marker ... could not be found." in the keypairs API). */
export class KeypairMarkerNotFound extends Error {
  constructor(readonly marker: string) {
    super(`Marker ${marker} could not be found.`);
    this.name = "MarkerNotFound";
  }
}

/** What `KeyPair.create()` writes. */
export interface KeypairCreate {
  name: string;
  user_id: string;
  public_key: string;
  fingerprint: string;
  type: KeypairType;
}

/** The key_pairs table of one store. */
export class KeypairStore {
  constructor(readonly db: Store) {}

  /** `_get_from_db(user_id, name)`, or null. */
  get(userId: string, name: string): Keypair | null {
    const row = this.db.get(
      "SELECT * FROM key_pairs WHERE user_id = ? AND name = ? LIMIT 1",
      userId,
      name,
    );
    return row ? keypairOf(row) : null;
  }

  /**
   * `_get_from_db(user_id, limit, marker)`: by name, after the marker.
   *
   * @throws {KeypairMarkerNotFound} when the user has no key pair named `marker`
   */
  list(userId: string, page: { limit: number | null; marker: string | null }): Keypair[] {
    const params: (string | number)[] = [userId];
    let sql = "SELECT * FROM key_pairs WHERE user_id = ?";
    if (page.marker !== null) {
      if (!this.get(userId, page.marker)) throw new KeypairMarkerNotFound(page.marker);
      sql += " AND name > ?";
      params.push(page.marker);
    }
    sql += " ORDER BY name ASC";
    if (page.limit !== null) {
      sql += " LIMIT ?";
      params.push(page.limit);
    }
    return this.db.all(sql, ...params).map(keypairOf);
  }

  /** `_get_count_from_db(user_id)`. */
  count(userId: string): number {
    const row = this.db.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM key_pairs WHERE user_id = ?",
      userId,
    );
    return Number(row?.n ?? 0);
  }

  /** `_create_in_db`. @throws {KeyPairExists} */
  create(values: KeypairCreate): Keypair {
    return this.db.transaction(() => {
      if (this.get(values.user_id, values.name)) throw new KeyPairExists(values.name);
      this.db.run(
        "INSERT INTO key_pairs (name, user_id, fingerprint, public_key, type, created_at) " +
          "VALUES (?, ?, ?, ?, ?, ?)",
        values.name,
        values.user_id,
        values.fingerprint,
        values.public_key,
        values.type,
        utcnow(),
      );
      return this.get(values.user_id, values.name)!;
    });
  }

  /** `_destroy_in_db`. @throws {KeypairNotFound} */
  destroy(userId: string, name: string): void {
    const { changes } = this.db.run(
      "DELETE FROM key_pairs WHERE user_id = ? AND name = ?",
      userId,
      name,
    );
    if (!changes) throw new KeypairNotFound(userId, name);
  }
}

function keypairOf(row: Row): Keypair {
  return {
    id: Number(row.id),
    name: String(row.name),
    user_id: String(row.user_id),
    public_key: String(row.public_key ?? ""),
    fingerprint: String(row.fingerprint ?? ""),
    type: row.type === "x509" ? "x509" : "ssh",
    created_at: String(row.created_at),
    updated_at: row.updated_at === null ? null : String(row.updated_at),
  };
}
