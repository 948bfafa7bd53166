/**
 * The in-process token cache of the auth_token middleware: validation
 * results (valid token data, or "invalid") keyed by a SHA-256 hash of the
 * token, kept for `token_cache_time` seconds, bounded in size with
 * least-recently-used eviction.
 *
 * Mirrors `keystonemiddleware.auth_token._cache.TokenCache` over its
 * in-process `_FakeClient` (memcached semantics for the lifetime), with two
 * differences: the number of entries is bounded (`token_cache_max_entries`),
 * and invalid tokens are cached too (keystonemiddleware 10 re-asks Keystone
 * for every request that carries a bad token).
 *
 * @module
 */

import { nodeCrypto } from "../runtime.ts";
import type { AccessInfo } from "./access_info.ts";

/** What a cache lookup finds: the token's data, or the fact that Keystone rejected it. */
export type CacheEntry = { valid: true; access: AccessInfo } | { valid: false };

interface Slot {
  entry: CacheEntry;
  /** Milliseconds since the epoch after which the slot is gone; Infinity: never. */
  expires: number;
}

/** Options of {@link TokenCache}. */
export interface TokenCacheOptions {
  /** `token_cache_time`: seconds; 0 keeps entries until evicted; negative disables the cache. */
  ttlSeconds: number;
  /** Most entries kept. */
  maxEntries: number;
  /** The clock, in milliseconds (tests). */
  now?: () => number;
}

/**
 * SHA-256 of a token in hex, as keystonemiddleware's `_hash_key`: the only
 * form in which a token is kept in memory by the cache or written to logs.
 */
export function tokenHash(token: string): string {
  // node:crypto's native hash: this module loads only with the keystone pipeline.
  return nodeCrypto().createHash("sha256").update(token).digest("hex");
}

/** A bounded, expiring map from token hash to validation result. */
export class TokenCache {
  #slots = new Map<string, Slot>();
  #ttlMs: number;
  #max: number;
  #now: () => number;

  constructor(options: TokenCacheOptions) {
    // NOTE(parity): memcached (and keystonemiddleware's _FakeClient) treat a
    // time of 0 as "never expires"; -1 is the documented way to turn it off.
    this.#ttlMs = options.ttlSeconds === 0 ? Infinity : options.ttlSeconds * 1000;
    this.#max = Math.max(1, options.maxEntries);
    this.#now = options.now ?? Date.now;
  }

  /** Whether results are kept at all. */
  get enabled(): boolean {
    return this.#ttlMs > 0;
  }

  /** Number of live and not yet purged entries. */
  get size(): number {
    return this.#slots.size;
  }

  /** The hashed keys held, least recently used first (tests check no raw token is kept). */
  keys(): string[] {
    return [...this.#slots.keys()];
  }

  /** The cached result for `token`, or null when absent or expired. */
  get(token: string): CacheEntry | null {
    const key = tokenHash(token);
    const slot = this.#slots.get(key);
    if (!slot) return null;
    this.#slots.delete(key);
    if (slot.expires <= this.#now()) return null;
    this.#slots.set(key, slot); // most recently used goes last
    return slot.entry;
  }

  /** Stores the result for `token`, evicting the least recently used entries beyond the bound. */
  set(token: string, entry: CacheEntry): void {
    if (!this.enabled) return;
    const key = tokenHash(token);
    this.#slots.delete(key);
    this.#slots.set(key, { entry, expires: this.#now() + this.#ttlMs });
    while (this.#slots.size > this.#max) {
      const oldest = this.#slots.keys().next().value as string;
      this.#slots.delete(oldest);
    }
  }

  /** Forgets `token`. */
  delete(token: string): void {
    this.#slots.delete(tokenHash(token));
  }

  /** Forgets everything. */
  clear(): void {
    this.#slots.clear();
  }
}
