/**
 * A Paste Deploy loader: reads an api-paste.ini and builds the named app
 * from `[app:]`, `[filter:]`, `[pipeline:]` and `[composite:]` sections.
 * Mirrors paste/deploy/loadwsgi.py in two phases, as it does: sections are
 * first resolved into plain descriptors (`resolve*`), then built.
 *
 * Factory names (`egg:Paste#urlmap`, `call:nova.api.auth:pipeline_factory_v21`,
 * `nova.api.openstack.compute:APIRouterV21.factory`, ...) resolve through a
 * registry of TypeScript factories instead of Python imports.
 *
 * @module
 */

import type {
  App,
  AppFactory,
  CompositeFactory,
  FactoryContext,
  Filter,
  FilterFactory,
  GlobalConf,
  LocalConf,
  SectionLoader,
} from "./app.ts";
import { type IniSection, parseIni } from "./config/ini.ts";

/** A lookup failure: unknown section or factory, cycle, bad pipeline. */
export class PasteLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PasteLookupError";
  }
}

/** A factory registered under the dotted or egg name an ini file uses. */
export type RegistryEntry =
  | { kind: "app"; factory: AppFactory }
  | { kind: "filter"; factory: FilterFactory }
  | { kind: "composite"; factory: CompositeFactory };

export type PasteRegistry = ReadonlyMap<string, RegistryEntry>;

/** Reads another paste file for `use = config:...` (relative to the current one). */
export type FileReader = (path: string) => string;

type ObjectKind = "app" | "filter";

/** A resolved section, ready to build. */
type Descriptor =
  | { kind: "factory"; entry: RegistryEntry; section: string; global: GlobalConf; local: LocalConf }
  | { kind: "pipeline"; section: string; filters: Descriptor[]; app: Descriptor };

const APP_PREFIXES = [["app", "application"], ["composite", "composit"], ["pipeline"], [
  "filter-app",
]];
const FILTER_PREFIXES = [["filter"]];
const PROTOCOL_KINDS: Record<string, RegistryEntry["kind"]> = {
  "paste.app_factory": "app",
  "paste.composite_factory": "composite",
  "paste.composit_factory": "composite",
  "paste.filter_factory": "filter",
};

/** One parsed paste file. */
export class PasteConfig {
  readonly #sections: Map<string, IniSection>;
  readonly #defaults: Record<string, string>;
  readonly #resolving: string[] = [];

  /**
   * @param text the file's content
   * @param path its path (for `%(here)s`, `%(__file__)s` and messages)
   * @throws {SyntaxError} for malformed INI
   */
  constructor(
    text: string,
    readonly path: string,
    readonly registry: PasteRegistry,
    readonly readFile: FileReader = () => {
      throw new PasteLookupError(`config: references are not readable from ${path}`);
    },
  ) {
    const sections = parseIni(text, { source: path });
    this.#sections = new Map(sections.map((s) => [s.name, s]));
    const here = dirname(path);
    const base = { here, __file__: path };
    const defaults = this.#sections.get("DEFAULT");
    this.#defaults = { ...base };
    for (const entry of defaults?.entries ?? []) {
      this.#defaults[entry.key] = interpolate(
        entry.value,
        { ...base, ...this.#rawDefaults() },
        path,
      );
    }
  }

  #rawDefaults(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.#sections.get("DEFAULT")?.entries ?? []) out[e.key] = e.value;
    return out;
  }

  /** Resolves and builds the app named `name` (paste's `loadapp(..., name=)`). */
  loadApp(name: string, ctx: FactoryContext, global?: GlobalConf): App {
    return build(this.resolve("app", name, global), ctx, this);
  }

  /** Resolves `name` to a descriptor without building anything. */
  resolve(kind: ObjectKind, name: string, global?: GlobalConf): Descriptor {
    if (name.includes(":")) return this.#resolveScheme(kind, name, global ?? {});
    const section = this.#findSection(kind, name);
    if (this.#resolving.includes(section)) {
      throw new PasteLookupError(
        `Cycle in ${this.path}: ${[...this.#resolving, section].map((s) => `[${s}]`).join(" -> ")}`,
      );
    }
    this.#resolving.push(section);
    try {
      return this.#resolveSection(kind, section, global ?? {});
    } finally {
      this.#resolving.pop();
    }
  }

  #findSection(kind: ObjectKind, name: string): string {
    const groups = kind === "app" ? APP_PREFIXES : FILTER_PREFIXES;
    const found: string[] = [];
    for (const prefixes of groups) {
      const hits = [...this.#sections.keys()].filter((s) =>
        prefixes.some((p) => s.startsWith(p + ":") && s.slice(p.length + 1).trim() === name)
      );
      found.push(...hits.slice(0, 1));
    }
    if (found.length === 0) {
      const wanted = groups.flat().map((p) => `[${p}:${name}]`).join(" or ");
      const other = kind === "app" ? this.#otherKindHint(name) : "";
      throw new PasteLookupError(`No section ${wanted} in ${this.path}${other}`);
    }
    if (found.length > 1) {
      throw new PasteLookupError(
        `Ambiguous sections ${found.map((s) => `[${s}]`).join(", ")} for "${name}" in ${this.path}`,
      );
    }
    return found[0];
  }

  #otherKindHint(name: string): string {
    return this.#sections.has(`filter:${name}`)
      ? ` ([filter:${name}] is a filter: a pipeline must end in an app)`
      : "";
  }

  #resolveSection(kind: ObjectKind, section: string, inherited: GlobalConf): Descriptor {
    const global: Record<string, string> = { ...this.#defaults, ...inherited };
    const additions: Record<string, string> = {};
    const local: Record<string, string> = {};
    const gets: [string, string][] = [];
    const entries = this.#sections.get(section)!.entries;
    const vars = { ...this.#defaults, ...Object.fromEntries(entries.map((e) => [e.key, e.value])) };
    for (const { key, value: raw } of entries) {
      const value = interpolate(raw, vars, `[${section}] ${key} in ${this.path}`);
      if (key.startsWith("set ")) {
        additions[key.slice(4).trim()] = global[key.slice(4).trim()] = value;
      } else if (key.startsWith("get ")) gets.push([key.slice(4).trim(), value]);
      else if (!(key in this.#defaults)) local[key] = value;
    }
    for (const [localName, globalName] of gets) {
      if (!(globalName in global)) {
        throw new PasteLookupError(
          `[${section}] get ${localName}: no global "${globalName}" in ${this.path}`,
        );
      }
      local[localName] = global[globalName];
    }
    if (section.startsWith("pipeline:")) return this.#resolvePipeline(section, global, local);
    if ("use" in local) return this.#resolveUse(kind, section, global, additions, local);
    return this.#resolveExplicit(kind, section, global, local);
  }

  #resolvePipeline(section: string, global: GlobalConf, local: Record<string, string>): Descriptor {
    const names = (local.pipeline ?? "").split(/\s+/).filter(Boolean);
    if (names.length === 0) {
      throw new PasteLookupError(`[${section}] in ${this.path} has no "pipeline" setting`);
    }
    const extra = Object.keys(local).filter((k) => k !== "pipeline");
    if (extra.length > 0) {
      throw new PasteLookupError(
        `[${section}] in ${this.path} has extra (disallowed) settings: ${extra.join(", ")}`,
      );
    }
    return {
      kind: "pipeline",
      section,
      app: this.resolve("app", names.at(-1)!, global),
      filters: names.slice(0, -1).map((n) => this.resolve("filter", n, global)),
    };
  }

  #resolveUse(
    kind: ObjectKind,
    section: string,
    global: GlobalConf,
    additions: Record<string, string>,
    local: Record<string, string>,
  ): Descriptor {
    const { use, ...rest } = local;
    const target = this.resolve(kind, use, global);
    if (target.kind !== "factory") {
      if (Object.keys(rest).length > 0) {
        throw new PasteLookupError(
          `[${section}] in ${this.path}: a pipeline used by reference takes no settings`,
        );
      }
      return target;
    }
    const entry = this.#checkKind(section, target.entry, use);
    return {
      kind: "factory",
      entry,
      section,
      global: { ...target.global, ...additions },
      local: { ...target.local, ...rest },
    };
  }

  #resolveExplicit(
    kind: ObjectKind,
    section: string,
    global: GlobalConf,
    local: Record<string, string>,
  ): Descriptor {
    const protocols = Object.keys(PROTOCOL_KINDS).filter((p) => p in local);
    if (protocols.length === 0) {
      throw new PasteLookupError(`No loader given in [${section}] in ${this.path}`);
    }
    if (protocols.length > 1) {
      throw new PasteLookupError(
        `Multiple protocols given in [${section}] in ${this.path}: ${protocols.join(", ")}`,
      );
    }
    const protocol = protocols[0];
    const name = local[protocol];
    const entry = this.registry.get(name);
    if (!entry) {
      throw new PasteLookupError(`Unknown factory "${name}" in [${section}] of ${this.path}`);
    }
    if (entry.kind !== PROTOCOL_KINDS[protocol]) {
      throw new PasteLookupError(
        `"${name}" in [${section}] of ${this.path} is a ${entry.kind} factory, not ${protocol}`,
      );
    }
    const { [protocol]: _dropped, ...rest } = local;
    this.#checkKind(section, entry, name, kind);
    return { kind: "factory", entry, section, global, local: rest };
  }

  #resolveScheme(kind: ObjectKind, spec: string, global: GlobalConf): Descriptor {
    if (spec.startsWith("config:")) {
      const [file, name = "main"] = spec.slice("config:".length).split("#");
      const path = file.startsWith("/") ? file : `${dirname(this.path)}/${file}`;
      const other = new PasteConfig(this.readFile(path), path, this.registry, this.readFile);
      return other.resolve(kind, name, global);
    }
    const entry = this.registry.get(spec);
    if (!entry) {
      const where = this.#resolving.length ? ` in [${this.#resolving.at(-1)}]` : "";
      throw new PasteLookupError(`Unknown factory "${spec}"${where} of ${this.path}`);
    }
    const section = this.#resolving.at(-1) ?? spec;
    return { kind: "factory", entry, section, global: { ...this.#defaults, ...global }, local: {} };
  }

  #checkKind(
    section: string,
    entry: RegistryEntry,
    name: string,
    kind?: ObjectKind,
  ): RegistryEntry {
    const sectionKind = section.split(":")[0];
    const wantsFilter = kind === "filter" || sectionKind === "filter";
    if (wantsFilter !== (entry.kind === "filter")) {
      throw new PasteLookupError(
        `"${name}" used in [${section}] of ${this.path} is a ${entry.kind} factory`,
      );
    }
    return entry;
  }
}

function build(desc: Descriptor, ctx: FactoryContext, config: PasteConfig): App {
  if (desc.kind === "pipeline") {
    let app = build(desc.app, ctx, config);
    for (const filter of [...desc.filters].reverse()) app = buildFilter(filter, ctx)(app);
    return app;
  }
  const { entry, global, local } = desc;
  switch (entry.kind) {
    case "app":
      return entry.factory(ctx, global, local);
    case "composite":
      return entry.factory(ctx, sectionLoader(config, ctx), global, local);
    case "filter":
      throw new PasteLookupError(`[${desc.section}] is a filter where an app is needed`);
  }
}

function buildFilter(desc: Descriptor, ctx: FactoryContext): Filter {
  if (desc.kind !== "factory" || desc.entry.kind !== "filter") {
    throw new PasteLookupError(`[${desc.section}] is not a filter`);
  }
  return desc.entry.factory(ctx, desc.global, desc.local);
}

function sectionLoader(config: PasteConfig, ctx: FactoryContext): SectionLoader {
  return {
    getApp: (name, global) => build(config.resolve("app", name, global), ctx, config),
    getFilter: (name, global) => buildFilter(config.resolve("filter", name, global), ctx),
  };
}

/** ConfigParser's BasicInterpolation: `%(name)s` and `%%`. */
function interpolate(
  value: string,
  vars: Record<string, string>,
  where: string,
  depth = 0,
): string {
  if (!value.includes("%")) return value;
  if (depth > 10) throw new PasteLookupError(`Interpolation too deep in ${where}`);
  return value.replace(/%(%|\(([^)]*)\)s|.?)/g, (m, _all, name: string | undefined) => {
    if (m === "%%") return "%";
    if (name === undefined) {
      throw new PasteLookupError(`Bad interpolation syntax "${value}" in ${where}`);
    }
    if (!(name in vars)) {
      throw new PasteLookupError(`Bad interpolation variable "${name}" in ${where}`);
    }
    return interpolate(vars[name], vars, where, depth + 1);
  });
}

function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? (i === 0 ? "/" : ".") : path.slice(0, i);
}
