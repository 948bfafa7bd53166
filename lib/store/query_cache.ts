/**
 * A bounded memo of read results for tables that change rarely (flavors):
 * reads go through `get(key, compute)`, every write through the same store
 * calls `clear()`. Only this process writes the database, so a cleared
 * cache can never serve a stale row. Cached values are frozen: callers get
 * shared objects and must not change them.
 *
 * @module
 */

export class QueryCache {
  readonly #entries = new Map<string, unknown>();

  constructor(readonly limit = 512) {}

  /** The cached value for `key`, computing (and freezing) it on a miss. */
  get<T>(key: string, compute: () => T): T {
    if (this.#entries.has(key)) return this.#entries.get(key) as T;
    const value = deepFreeze(compute());
    // A client varying its query parameters only ever evicts: start over when full.
    if (this.#entries.size >= this.limit) this.#entries.clear();
    this.#entries.set(key, value);
    return value;
  }

  /** Forgets everything (after any write). */
  clear(): void {
    this.#entries.clear();
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
