/**
 * Response headers as an ordered list of `[name, value]` pairs, duplicates
 * allowed, the way webob and eventlet keep them (nova sends two `Vary`
 * headers). Lookups ignore case; names keep the spelling they were given.
 *
 * @module
 */

// Lower-case forms of the names seen so far: a handful of header names
// recur on every response, so each is lower-cased once per process.
const LOWER = new Map<string, string>();

function lower(name: string): string {
  let l = LOWER.get(name);
  if (l === undefined) {
    l = name.toLowerCase();
    if (LOWER.size < 1024) LOWER.set(name, l);
  }
  return l;
}

/** An ordered, duplicate-preserving header list with case-insensitive lookup. */
export class ResponseHeaders {
  readonly #list: [string, string][];
  /** The lower-case name of each entry of #list, at the same index. */
  readonly #keys: string[];

  constructor(init: [string, string][] = []) {
    this.#list = init.map(([k, v]) => [k, v]);
    this.#keys = init.map(([k]) => lower(k));
  }

  #index(name: string, from = 0): number {
    return this.#keys.indexOf(lower(name), from);
  }

  /** The first value for `name`, or `null`. */
  get(name: string): string | null {
    const i = this.#index(name);
    return i < 0 ? null : this.#list[i][1];
  }

  /** Every value for `name`, in order. */
  getAll(name: string): string[] {
    const key = lower(name);
    const out: string[] = [];
    for (let i = 0; i < this.#keys.length; i++) {
      if (this.#keys[i] === key) out.push(this.#list[i][1]);
    }
    return out;
  }

  has(name: string): boolean {
    return this.#index(name) >= 0;
  }

  /** Replaces every `name` header with one, appended at the end (webob's `headers[name] = v`). */
  set(name: string, value: string): void {
    this.delete(name);
    this.#push(name, value);
  }

  /** Replaces the value in place when present, else appends. Keeps wire order stable. */
  replace(name: string, value: string): void {
    const i = this.#index(name);
    if (i < 0) this.#push(name, value);
    else this.#list[i] = [this.#list[i][0], value];
  }

  /** Appends a header, keeping any existing ones with the same name. */
  add(name: string, value: string): void {
    this.#push(name, value);
  }

  /** Adds the header only when absent (oslo's "set if not present"). */
  setDefault(name: string, value: string): void {
    if (!this.has(name)) this.#push(name, value);
  }

  delete(name: string): void {
    const key = lower(name);
    for (let i = this.#keys.length - 1; i >= 0; i--) {
      if (this.#keys[i] === key) {
        this.#list.splice(i, 1);
        this.#keys.splice(i, 1);
      }
    }
  }

  /** The pairs in order; callers must not mutate them. */
  entries(): readonly (readonly [string, string])[] {
    return this.#list;
  }

  get size(): number {
    return this.#list.length;
  }

  #push(name: string, value: string): void {
    this.#list.push([name, value]);
    this.#keys.push(lower(name));
  }
}
