/**
 * nova.conf loading with oslo.config's rules: files apply in order (a later
 * file overrides an earlier one), a repeated section merges, `$name` and
 * `${group.name}` substitute other options, every value is checked against
 * its option's type. A bad value stops start-up with one line naming the
 * section, the option and the value.
 *
 * @module
 */

import { type IniSection, parseIni } from "./ini.ts";
import { OPTION_GROUPS, type OptionGroups } from "./opts.ts";
import type { Opt, OptValue } from "./types.ts";

/** Typed values of every registered option: `conf.wsgi.default_pool_size`. */
export type ConfValues = {
  readonly [G in keyof OptionGroups]: {
    readonly [K in keyof OptionGroups[G]]: OptValue<OptionGroups[G][K]>;
  };
};

/** A configuration source: its text and a name for messages. */
export interface ConfSource {
  readonly name: string;
  readonly text: string;
}

/** Thrown for a value that does not fit its option. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

type RawValues = Map<string, Map<string, string[]>>;

// Each option group is readable as a property: `conf.wsgi.default_pool_size`.
export interface Conf extends ConfValues {}

/** The loaded configuration. */
export class Conf {
  #values: ConfValues;
  #raw: RawValues;
  readonly sources: readonly ConfSource[];

  private constructor(values: ConfValues, raw: RawValues, sources: readonly ConfSource[]) {
    this.#values = values;
    this.#raw = raw;
    this.sources = sources;
    for (const group of Object.keys(OPTION_GROUPS)) {
      Object.defineProperty(this, group, {
        get: () => (this.#values as Record<string, unknown>)[group],
      });
    }
  }

  /**
   * Parses and checks `sources` in order.
   *
   * @throws {ConfigError} for an invalid value
   * @throws {SyntaxError} for malformed INI text
   */
  static load(sources: readonly ConfSource[]): Conf {
    const raw = mergeSources(sources);
    return new Conf(resolveAll(raw), raw, sources);
  }

  /** Loads with defaults only (tests). */
  static defaults(): Conf {
    return Conf.load([]);
  }

  get values(): ConfValues {
    return this.#values;
  }

  /** The last raw value of any key, registered or not (e.g. a paste filter's extra section). */
  raw(section: string, key: string): string | null {
    return this.#raw.get(section)?.get(key)?.at(-1) ?? null;
  }

  /** Whether `section` appeared in any source. */
  hasSection(section: string): boolean {
    return this.#raw.has(section);
  }

  /**
   * Re-reads `sources` and applies the mutable options only, as oslo's
   * `mutate_config_files` does on SIGHUP. Returns the names of immutable
   * options whose new value was ignored and of mutable ones that changed.
   *
   * @throws {ConfigError} when the new files hold an invalid value (nothing changes)
   */
  reload(sources: readonly ConfSource[]): { changed: string[]; ignored: string[] } {
    const raw = mergeSources(sources);
    const fresh = resolveAll(raw);
    const changed: string[] = [];
    const ignored: string[] = [];
    const next = structuredClone(this.#values) as Record<string, Record<string, unknown>>;
    for (const [group, opts] of Object.entries(OPTION_GROUPS)) {
      for (const [name, opt] of Object.entries(opts as Record<string, Opt>)) {
        const oldValue = (this.#values as Record<string, Record<string, unknown>>)[group][name];
        const newValue = (fresh as Record<string, Record<string, unknown>>)[group][name];
        if (JSON.stringify(oldValue) === JSON.stringify(newValue)) continue;
        if (opt.mutable) {
          next[group][name] = newValue;
          changed.push(`${group}.${name}`);
        } else {
          ignored.push(`${group}.${name}`);
        }
      }
    }
    this.#values = next as ConfValues;
    return { changed, ignored };
  }
}

function mergeSources(sources: readonly ConfSource[]): RawValues {
  const raw: RawValues = new Map();
  for (const source of sources) {
    const sections = parseIni(source.text, {
      mergeSections: true,
      stripQuotes: true,
      source: source.name,
    });
    mergeSections(raw, sections);
  }
  return raw;
}

function mergeSections(raw: RawValues, sections: IniSection[]): void {
  for (const section of sections) {
    let group = raw.get(section.name);
    if (!group) raw.set(section.name, group = new Map());
    const seenHere = new Set<string>();
    for (const entry of section.entries) {
      // A later file replaces a key; repeats within one file accumulate (MultiStrOpt).
      const list = seenHere.has(entry.key) ? group.get(entry.key) ?? [] : [];
      list.push(entry.value);
      group.set(entry.key, list);
      seenHere.add(entry.key);
    }
  }
}

function resolveAll(raw: RawValues): ConfValues {
  const cache = new Map<string, unknown>();
  const resolving = new Set<string>();
  const lookup = (group: string, name: string): unknown => {
    const key = `${group}.${name}`;
    if (cache.has(key)) return cache.get(key);
    const opt = (OPTION_GROUPS as Record<string, Record<string, Opt>>)[group]?.[name];
    if (!opt) return undefined;
    if (resolving.has(key)) throw new ConfigError(`Circular substitution of [${group}] ${name}`);
    resolving.add(key);
    const value = resolveOne(group, name, opt, raw.get(group)?.get(name) ?? null, lookup);
    resolving.delete(key);
    cache.set(key, value);
    return value;
  };
  const out: Record<string, Record<string, unknown>> = {};
  for (const [group, opts] of Object.entries(OPTION_GROUPS)) {
    out[group] = {};
    for (const name of Object.keys(opts)) out[group][name] = lookup(group, name);
  }
  return out as ConfValues;
}

type Lookup = (group: string, name: string) => unknown;

function resolveOne(
  group: string,
  name: string,
  opt: Opt,
  given: string[] | null,
  lookup: Lookup,
): unknown {
  if (given === null) {
    if (typeof opt.default === "string") return substitute(opt.default, group, name, lookup);
    return opt.default;
  }
  const texts = given.map((t) => substitute(t, group, name, lookup));
  return convert(
    opt,
    texts,
    (why) =>
      new ConfigError(
        `Invalid value for [${group}] ${name}: ${JSON.stringify(given.at(-1))} (${why})`,
      ),
  );
}

/** oslo's `$name` / `${group.name}` substitution; `$$` is a literal `$`. */
function substitute(text: string, group: string, _name: string, lookup: Lookup): string {
  if (!text.includes("$")) return text;
  return text.replace(
    /\$(\$|\{([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)\}|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g,
    (_m, dollar, g2, n2, n3, n4) => {
      if (dollar === "$") return "$";
      const [g, n] = g2 ? [g2, n2] : ["DEFAULT", n3 ?? n4];
      let value = lookup(g, n);
      if (value === undefined && g === "DEFAULT") value = lookup(group, n);
      return value === null || value === undefined ? "" : String(value);
    },
  );
}

function convert(opt: Opt, texts: string[], fail: (why: string) => ConfigError): unknown {
  const text = texts.at(-1)!;
  switch (opt.kind) {
    case "str":
      if (opt.choices && !opt.choices.includes(text)) {
        throw fail(`must be one of ${opt.choices.join(", ")}`);
      }
      return text;
    case "int":
    case "port": {
      if (!/^[+-]?\d+$/.test(text.trim())) throw fail("not an integer");
      const n = Number(text.trim());
      const min = opt.kind === "port" ? 0 : opt.min;
      const max = opt.kind === "port" ? 65535 : opt.max;
      if (min !== undefined && n < min) throw fail(`must be at least ${min}`);
      if (max !== undefined && n > max) throw fail(`must be at most ${max}`);
      return n;
    }
    case "float": {
      const n = Number(text.trim());
      if (text.trim() === "" || !Number.isFinite(n)) throw fail("not a number");
      if (opt.min !== undefined && n < opt.min) throw fail(`must be at least ${opt.min}`);
      return n;
    }
    case "bool": {
      const v = text.trim().toLowerCase();
      if (["true", "1", "on", "yes"].includes(v)) return true;
      if (["false", "0", "off", "no"].includes(v)) return false;
      throw fail("not a boolean");
    }
    case "list":
      return text.trim() === "" ? [] : text.split(",").map((s) => s.trim());
    case "multistr":
      return texts;
  }
}
