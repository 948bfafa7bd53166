/**
 * The metadata cache: an instance's gathered metadata kept for
 * `[api] metadata_cache_expiration` seconds under `metadata-<address>` or
 * `metadata-<instance id>`, as nova's handler keeps it in its dogpile
 * memory cache. Beyond nova, an entry is dropped as soon as its instance
 * changes (its row, metadata, system metadata, ports ...): every such
 * write moves the instance's view stamp, and an entry is only used while
 * the stamp it was gathered at still holds.
 *
 * Mirrors the cache use of nova/api/metadata/handler.py
 * (`cache_utils.get_client(expiration_time=...)`).
 *
 * @module
 */

import type { Store } from "../store/db.ts";
import type { InstanceMetadata } from "./instance_metadata.ts";

interface Entry {
  readonly md: InstanceMetadata;
  readonly expiresAt: number;
}

/** Entries kept at most (the oldest go first); nova's memory backend has no bound. */
const CAPACITY = 10_000;

/** Gathered metadata by cache key, each entry valid until it expires or its instance changes. */
export class MetadataCache {
  readonly #entries = new Map<string, Entry>();

  /**
   * @param expiration seconds an entry lives (0: nothing is cached)
   * @param db the store whose instance view stamps tell a changed instance
   * @param now the clock (ms)
   */
  constructor(
    readonly expiration: number,
    readonly db: Store,
    readonly now: () => number = Date.now,
  ) {}

  /** The entry under `key` while it is fresh and its instance unchanged, else undefined. */
  get(key: string): InstanceMetadata | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (
      entry.expiresAt <= this.now() || this.#stamp(entry.md.uuid) !== entry.md.instance.view_stamp
    ) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.md;
  }

  /** Keeps `md` under `key` (callers only call it when caching is on). */
  set(key: string, md: InstanceMetadata): void {
    this.#entries.delete(key);
    this.#entries.set(key, { md, expiresAt: this.now() + this.expiration * 1000 });
    if (this.#entries.size > CAPACITY) this.#prune();
  }

  /** Drops expired entries, then the oldest while over capacity. */
  #prune(): void {
    const now = this.now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#entries.delete(key);
    }
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= CAPACITY) break;
      this.#entries.delete(key);
    }
  }

  /** The instance's current view stamp; null when it is gone (deleted). */
  #stamp(uuid: string): number | null {
    return this.db.get<{ view_stamp: number }>(
      "SELECT view_stamp FROM instances WHERE uuid = ? AND deleted = 0",
      uuid,
    )?.view_stamp ?? null;
  }
}
