/**
 * The keypair service other areas call (server create resolves `key_name`
 * here): nova's `KeyPair` object on the SQLite store. Nova keeps key pairs
 * in the API database and deletes their rows; so does novalet.
 *
 * Mirrors nova/objects/keypair.py (`KeyPair.get_by_name`,
 * `KeyPairList.get_by_user`).
 *
 * @module
 */

import type { Services } from "../../services.ts";
import { generateKeyPair, sshFingerprint } from "./ssh_keys.ts";
import { KeypairStore } from "./store.ts";
import { quotaEngine } from "../quotas/engine.ts";
import { keyPairLimit } from "../quotas/keypairs.ts";
import { generateX509KeyPair } from "./x509_generate.ts";
import { x509Fingerprint } from "./x509.ts";

export { InvalidKeypair } from "./ssh_keys.ts";
export { KeypairMarkerNotFound } from "./store.ts";

/** `ssh` or `x509` (nova.objects.keypair KEYPAIR_TYPE_*). */
export type KeypairType = "ssh" | "x509";

/** nova's `KeyPair` object. */
export interface Keypair {
  /** The database id (shown by GET /os-keypairs/{name}). */
  id: number;
  name: string;
  user_id: string;
  public_key: string;
  fingerprint: string;
  type: KeypairType;
  /** `YYYY-MM-DDThh:mm:ss.ffffff` (UTC, no zone), as nova's JSON writes datetimes. */
  created_at: string;
  updated_at: string | null;
}

/** nova.exception.KeypairNotFound. */
export class KeypairNotFound extends Error {
  constructor(readonly userId: string, readonly keyName: string) {
    super(`Keypair ${keyName} not found for user ${userId}`);
    this.name = "KeypairNotFound";
  }
}

/** nova.exception.KeyPairExists (409). */
export class KeyPairExists extends Error {
  constructor(readonly keyName: string) {
    super(`Key pair '${keyName}' already exists.`);
    this.name = "KeyPairExists";
  }
}

/** nova.exception.KeypairLimitExceeded (403). */
export class KeypairLimitExceeded extends Error {
  constructor() {
    super("Quota exceeded, too many key pairs.");
    this.name = "KeypairLimitExceeded";
  }
}

/** Who asks for a key pair: their project's and their own `key_pairs` limits apply. */
export interface QuotaCaller {
  readonly projectId: string | null;
  readonly userId: string | null;
}

/** nova's default `[quota] key_pairs`: key pairs per user. */
export const DEFAULT_KEY_PAIRS_QUOTA = 100;

/** The keypair service bound to one store. */
export class KeypairApi {
  /**
   * The key pairs a user may hold (-1: unlimited): nova's `key_pairs`
   * quota, 100 by default. The quota area replaces it with the limit that
   * applies to the caller (see lib/compute/quotas/keypairs.ts).
   */
  quotaLimit: (userId: string, caller?: QuotaCaller) => number;

  constructor(readonly store: KeypairStore, quota: number = DEFAULT_KEY_PAIRS_QUOTA) {
    this.quotaLimit = () => quota;
  }

  #checkQuota(userId: string, caller?: QuotaCaller): void {
    const limit = this.quotaLimit(userId, caller);
    if (limit >= 0 && this.store.count(userId) + 1 > limit) throw new KeypairLimitExceeded();
  }

  /** The row, written after the quota is checked again in the same transaction (recheck_quota). */
  #create(values: Parameters<KeypairStore["create"]>[0], caller?: QuotaCaller): Keypair {
    return this.store.db.transaction(() => {
      this.#checkQuota(values.user_id, caller);
      return this.store.create(values);
    });
  }

  /**
   * `KeypairAPI.import_key_pair`: quota, fingerprint (which validates the
   * key), then the row.
   *
   * @throws {KeypairLimitExceeded} {InvalidKeypair} {KeyPairExists}
   */
  importKeyPair(
    userId: string,
    name: string,
    publicKey: string,
    type: KeypairType,
    caller?: QuotaCaller,
  ): Keypair {
    this.#checkQuota(userId, caller);
    const fingerprint = type === "x509" ? x509Fingerprint(publicKey) : sshFingerprint(publicKey);
    return this.#create(
      { name, user_id: userId, public_key: publicKey, fingerprint, type },
      caller,
    );
  }

  /**
   * `KeypairAPI.create_key_pair`: a generated RSA key pair (ssh) or a
   * self-signed client certificate (x509); the private key is returned,
   * never stored.
   *
   * @throws {KeypairLimitExceeded} {KeyPairExists}
   */
  createKeyPair(userId: string, name: string, type: KeypairType, caller?: QuotaCaller) {
    this.#checkQuota(userId, caller);
    const made = type === "x509" ? generateX509KeyPair(userId) : generateKeyPair();
    const keypair = this.#create({
      name,
      user_id: userId,
      public_key: made.publicKey,
      fingerprint: made.fingerprint,
      type,
    }, caller);
    return { keypair, privateKey: made.privateKey };
  }

  /** `KeypairAPI.delete_key_pair`. @throws {KeypairNotFound} */
  delete(userId: string, name: string): void {
    this.store.destroy(userId, name);
  }

  /** `KeyPairList.get_by_user(user_id, limit, marker)`. @throws {KeypairMarkerNotFound} */
  page(userId: string, limit: number | null, marker: string | null): Keypair[] {
    return this.store.list(userId, { limit, marker });
  }

  /** `KeyPair.get_by_name(context, user_id, name)`, or null. */
  get(userId: string, name: string): Keypair | null {
    return this.store.get(userId, name);
  }

  /** `KeyPairList.get_by_user(context, user_id)`: the user's key pairs by name. */
  list(userId: string): Keypair[] {
    return this.store.list(userId, { limit: null, marker: null });
  }

  /** `KeyPairList.get_count_by_user`: how many key pairs the user has (quota counting). */
  count(userId: string): number {
    return this.store.count(userId);
  }
}

/** The keypair service of these services (one per process). */
export function keypairApi(services: Services): KeypairApi {
  return services.get(makeKeypairApi);
}

function makeKeypairApi(services: Services): KeypairApi {
  const api = new KeypairApi(new KeypairStore(services.store));
  api.quotaLimit = keyPairLimit(quotaEngine(services));
  return api;
}
