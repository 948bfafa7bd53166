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
import { after } from "../timers.ts";
import type { AccessInfo } from "./access_info.ts";

/** What a cache lookup finds: the token's data, or the fact that Keystone rejected it. */
export type CacheEntry = { valid: true; access: AccessInfo } | { valid: false };

interface Slot {
  entry: CacheEntry;
  /** Milliseconds since the epoch after which the slot is gone; Infinity: never. */
  expires: number;
  /** The token's hash: the slot's key. */
  key: string;
  /** False once the slot left the cache (expired, evicted, replaced, deleted). */
  live: boolean;
}

/** A token seen lately, and until when its raw text may stay in memory. */
interface Recent {
  slot: Slot;
  until: number;
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

/** Most raw tokens remembered for the fast path. */
const RECENT_MAX = 256;
/** Longest a raw token is remembered when the cache itself never expires (ttl 0). */
const RECENT_MAX_MS = 300_000;
/**
 * A raw token is remembered until this long before its entry expires, and
 * the sweep runs this long after that: at the expiry, never much sooner.
 */
const SWEEP_SLACK_MS = 1000;

/**
 * SHA-256 of a token in hex, as keystonemiddleware's `_hash_key`: the form
 * in which a token is kept by the cache's entries and written to logs.
 */
export function tokenHash(token: string): string {
  // node:crypto's native hash: this module loads only with the keystone pipeline.
  return nodeCrypto().createHash("sha256").update(token).digest("hex");
}

/**
 * A bounded, expiring map from token hash to validation result.
 *
 * Hashing costs more than the rest of a cached request, so the tokens of
 * the last lookups also find their slot by their text: at most
 * {@link RECENT_MAX} of them, each forgotten when its slot expires (a
 * timer sweeps them, so an idle process keeps none past its lifetime).
 */
export class TokenCache {
  #slots = new Map<string, Slot>();
  #recent = new Map<string, Recent>();
  #newest: Slot | null = null;
  #sweep: { cancel(): void } | null = null;
  #sweepAt = Infinity;
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

  /** Number of raw tokens remembered for the fast path (tests). */
  get recentSize(): number {
    return this.#recent.size;
  }

  /** The hashed keys held, least recently used first (tests check no raw token is kept). */
  keys(): string[] {
    return [...this.#slots.keys()];
  }

  /** The cached result for `token`, or null when absent or expired. */
  get(token: string): CacheEntry | null {
    const now = this.#now();
    const slot = this.#find(token, now);
    if (slot === null) return null;
    if (slot.expires <= now) {
      this.#remove(slot);
      this.#recent.delete(token);
      return null;
    }
    if (slot !== this.#newest) this.#touch(slot);
    return slot.entry;
  }

  /** Stores the result for `token`, evicting the least recently used entries beyond the bound. */
  set(token: string, entry: CacheEntry): void {
    if (!this.enabled) return;
    const key = tokenHash(token);
    const old = this.#slots.get(key);
    if (old) this.#remove(old);
    this.#recent.delete(token);
    const slot: Slot = { entry, expires: this.#now() + this.#ttlMs, key, live: true };
    this.#slots.set(key, slot);
    this.#newest = slot;
    while (this.#slots.size > this.#max) {
      this.#remove(this.#slots.values().next().value as Slot);
    }
  }

  /** Forgets `token`. */
  delete(token: string): void {
    this.#recent.delete(token);
    const slot = this.#slots.get(tokenHash(token));
    if (slot) this.#remove(slot);
  }

  /** Forgets everything. */
  clear(): void {
    for (const slot of this.#slots.values()) slot.live = false;
    this.#slots.clear();
    this.#recent.clear();
    this.#newest = null;
    this.#stopSweep();
  }

  /** The slot of `token` by its text if seen lately, else by its hash (then remembered). */
  #find(token: string, now: number): Slot | null {
    const recent = this.#recent.get(token);
    if (recent !== undefined && recent.slot.live && recent.until > now) return recent.slot;
    const slot = this.#slots.get(tokenHash(token));
    if (slot === undefined) {
      if (recent !== undefined) this.#recent.delete(token);
      return null;
    }
    this.#remember(token, slot, now);
    return slot;
  }

  /** Moves `slot` to the most recently used end. */
  #touch(slot: Slot): void {
    this.#slots.delete(slot.key);
    this.#slots.set(slot.key, slot);
    this.#newest = slot;
  }

  #remove(slot: Slot): void {
    slot.live = false;
    this.#slots.delete(slot.key);
  }

  #remember(token: string, slot: Slot, now: number): void {
    const until = Math.min(slot.expires, now + RECENT_MAX_MS) - SWEEP_SLACK_MS;
    this.#recent.delete(token);
    if (until <= now) return;
    this.#recent.set(token, { slot, until });
    if (this.#recent.size > RECENT_MAX) {
      this.#recent.delete(this.#recent.keys().next().value as string);
    }
    if (until < this.#sweepAt) this.#scheduleSweep(until, now);
  }

  /** Forgets the raw tokens whose time is up, then waits for the next one's. */
  #sweepRecent(): void {
    this.#sweep = null;
    this.#sweepAt = Infinity;
    const now = this.#now();
    let next = Infinity;
    for (const [token, recent] of this.#recent) {
      if (recent.until <= now || !recent.slot.live) this.#recent.delete(token);
      else next = Math.min(next, recent.until);
    }
    if (next !== Infinity) this.#scheduleSweep(next, now);
  }

  #scheduleSweep(at: number, now: number): void {
    this.#stopSweep();
    this.#sweepAt = at;
    // lib/timers.ts: the sweep never keeps the process (or a test) alive.
    const delay = Math.min(Math.max(at - now, 0) + SWEEP_SLACK_MS, 2 ** 31 - 1);
    this.#sweep = after(delay, () => this.#sweepRecent());
  }

  #stopSweep(): void {
    this.#sweep?.cancel();
    this.#sweep = null;
    this.#sweepAt = Infinity;
  }
}
