/**
 * Paste local conf for the filters: merged with paste's `[DEFAULT]` the way
 * oslo's `ConfigurableMiddleware.factory` does, its string values parsed the
 * way oslo.config parses an override of a nova.conf option (`_conf_get`
 * calls `set_override(key, value)`, which converts by the option's type).
 *
 * Mirrors oslo_middleware/base.py (`factory`, `_conf_get`).
 *
 * @module
 */

import type { GlobalConf, LocalConf } from "../app.ts";
import { ConfigError } from "../config/conf.ts";

/** A filter's paste keys, each read with the nova.conf value it overrides as fallback. */
export class PasteOptions {
  readonly #values: Readonly<Record<string, string>>;
  readonly #filter: string;

  /**
   * @param values the paste keys (see {@link PasteOptions.merged} for oslo's merge)
   * @param filter the filter's name, for error messages
   */
  constructor(values: Readonly<Record<string, string>>, filter: string) {
    this.#values = values;
    this.#filter = filter;
  }

  /** oslo's `conf = global_conf.copy(); conf.update(local_conf)`. */
  static merged(globalConf: GlobalConf, localConf: LocalConf, filter: string): PasteOptions {
    return new PasteOptions({ ...globalConf, ...localConf }, filter);
  }

  /** A string override, or `fallback`. */
  str<T extends string | null>(key: string, fallback: T): string | T {
    return this.#values[key] ?? fallback;
  }

  /**
   * A boolean override (oslo.config's words, any case), or `fallback`.
   *
   * @throws {ConfigError} when the value is not a boolean word
   */
  bool(key: string, fallback: boolean): boolean {
    const text = this.#values[key];
    if (text === undefined) return fallback;
    const v = text.trim().toLowerCase();
    if (["true", "1", "on", "yes"].includes(v)) return true;
    if (["false", "0", "off", "no"].includes(v)) return false;
    throw this.#invalid(key, text, "not a boolean");
  }

  /**
   * An integer override, or `fallback`.
   *
   * @throws {ConfigError} when the value is not an integer
   */
  int(key: string, fallback: number): number {
    const text = this.#values[key];
    if (text === undefined) return fallback;
    if (!/^\s*[+-]?\d+\s*$/.test(text)) throw this.#invalid(key, text, "not an integer");
    return Number(text.trim());
  }

  /** A list override (comma-separated, items stripped), or `fallback`. */
  list<T extends readonly string[] | null>(key: string, fallback: T): readonly string[] | T {
    const text = this.#values[key];
    return text === undefined ? fallback : splitList(text);
  }

  #invalid(key: string, text: string, why: string): ConfigError {
    return new ConfigError(
      `Invalid value for ${key} in the ${this.#filter} filter: ${JSON.stringify(text)} (${why})`,
    );
  }
}

/** oslo.config's ListOpt parsing: split on commas, strip; an empty text is an empty list. */
export function splitList(text: string): string[] {
  return text.trim() === "" ? [] : text.split(",").map((s) => s.trim());
}
