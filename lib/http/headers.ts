/**
 * Response headers as an ordered list of `[name, value]` pairs, duplicates
 * allowed, the way webob and eventlet keep them (nova sends two `Vary`
 * headers). Lookups ignore case; names keep the spelling they were given.
 *
 * @module
 */

/** An ordered, duplicate-preserving header list with case-insensitive lookup. */
export class ResponseHeaders {
  readonly #list: [string, string][];

  constructor(init: [string, string][] = []) {
    this.#list = init.map(([k, v]) => [k, v]);
  }

  /** The first value for `name`, or `null`. */
  get(name: string): string | null {
    const lower = name.toLowerCase();
    for (const [k, v] of this.#list) if (k.toLowerCase() === lower) return v;
    return null;
  }

  /** Every value for `name`, in order. */
  getAll(name: string): string[] {
    const lower = name.toLowerCase();
    return this.#list.filter(([k]) => k.toLowerCase() === lower).map(([, v]) => v);
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  /** Replaces every `name` header with one, appended at the end (webob's `headers[name] = v`). */
  set(name: string, value: string): void {
    this.delete(name);
    this.#list.push([name, value]);
  }

  /** Replaces the value in place when present, else appends. Keeps wire order stable. */
  replace(name: string, value: string): void {
    const lower = name.toLowerCase();
    const i = this.#list.findIndex(([k]) => k.toLowerCase() === lower);
    if (i < 0) this.#list.push([name, value]);
    else this.#list[i] = [this.#list[i][0], value];
  }

  /** Appends a header, keeping any existing ones with the same name. */
  add(name: string, value: string): void {
    this.#list.push([name, value]);
  }

  /** Adds the header only when absent (oslo's "set if not present"). */
  setDefault(name: string, value: string): void {
    if (!this.has(name)) this.#list.push([name, value]);
  }

  delete(name: string): void {
    const lower = name.toLowerCase();
    for (let i = this.#list.length - 1; i >= 0; i--) {
      if (this.#list[i][0].toLowerCase() === lower) this.#list.splice(i, 1);
    }
  }

  /** The pairs in order; callers must not mutate them. */
  entries(): readonly (readonly [string, string])[] {
    return this.#list;
  }

  get size(): number {
    return this.#list.length;
  }
}
