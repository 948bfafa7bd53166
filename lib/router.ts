/**
 * A Routes-style mapper (bbangert/routes as nova uses it): each route is a
 * path template compiled once into an anchored regex (`{id}` is `[^/]+?`,
 * `{name:regex}` brings its own pattern), tried in registration order; a
 * route whose method condition fails does not match, and the search goes on.
 * So a wrong method on a known path is a 404, not a 405, as in nova.
 *
 * nova's ProjectMapper registers every path twice: with a
 * `{project_id:[0-9a-f-]+}` prefix and without.
 *
 * Like Routes' master regex, an index keeps the search short: routes are
 * grouped by their first literal path segment (the one after a leading
 * variable segment too), and only the groups a path can match are tried,
 * still in registration order.
 *
 * @module
 */

/** A successful match: the route's target and the template variables. */
export interface RouteMatch<T> {
  readonly target: T;
  readonly params: Readonly<Record<string, string>>;
  /** Set for redirect routes (Routes' `map.redirect`). */
  readonly redirect?: string;
}

interface Route<T> {
  readonly index: number;
  readonly regex: RegExp;
  readonly names: string[];
  readonly methods: ReadonlySet<string> | null;
  readonly target: T;
  readonly redirect?: string;
}

/** Where a route can be found: by its first segment, its second (after a variable), or anywhere. */
type IndexKey = { first: string } | { second: string } | null;

/** Registration-ordered route table; frozen on first match. */
export class Router<T> {
  readonly #routes: Route<T>[] = [];
  readonly #byFirst = new Map<string, Route<T>[]>();
  readonly #bySecond = new Map<string, Route<T>[]>();
  readonly #anywhere: Route<T>[] = [];
  #frozen = false;

  /**
   * Adds a route. `methods` null means any method.
   *
   * @throws {TypeError} after the first match, or for a malformed template
   */
  add(methods: string[] | null, template: string, target: T): void {
    this.#push(template, { methods: methods ? new Set(methods) : null, target });
  }

  /** Routes' `map.redirect(path, to)`: a 302 to `to` for any method. */
  addRedirect(template: string, to: string, target: T): void {
    this.#push(template, { methods: null, target, redirect: to });
  }

  #push(template: string, route: Pick<Route<T>, "methods" | "target" | "redirect">): void {
    if (this.#frozen) throw new TypeError("Routes cannot be added after the router has matched");
    const { regex, names } = compileTemplate(template);
    const full: Route<T> = { ...route, index: this.#routes.length, regex, names };
    this.#routes.push(full);
    const key = indexKey(template);
    if (key === null) this.#anywhere.push(full);
    else if ("first" in key) listOf(this.#byFirst, key.first).push(full);
    else listOf(this.#bySecond, key.second).push(full);
  }

  /** The first route matching `path` whose method condition accepts `method`. */
  match(method: string, path: string): RouteMatch<T> | null {
    this.#frozen = true;
    const [first, second] = firstSegments(path);
    const candidates = mergeByIndex(
      this.#byFirst.get(first) ?? EMPTY,
      this.#bySecond.get(second) ?? EMPTY,
      this.#anywhere,
    );
    for (const route of candidates) {
      if (route.methods && !route.methods.has(method)) continue;
      const m = route.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = m[i + 1]));
      return { target: route.target, params, redirect: route.redirect };
    }
    return null;
  }

  get size(): number {
    return this.#routes.length;
  }
}

const EMPTY: never[] = [];

function listOf<V>(map: Map<string, V[]>, key: string): V[] {
  let list = map.get(key);
  if (!list) map.set(key, list = []);
  return list;
}

/**
 * The index key of a template: its first segment when literal; else, when
 * the first segment is a lone variable that cannot contain `/` (like
 * `{project_id:[0-9a-f-]+}`), its second segment when literal; else none.
 */
function indexKey(template: string): IndexKey {
  if (template === "" || template === "/") return { first: "" }; // only "" and "/" match these
  const segments = template.split("/");
  if (segments[0] !== "" || segments.length < 2) return null;
  const first = segments[1];
  if (isLiteral(first)) return first === "" ? null : { first };
  if (!isSingleSegmentVariable(first) || segments.length < 3) return null;
  return isLiteral(segments[2]) && segments[2] !== "" ? { second: segments[2] } : null;
}

function isLiteral(segment: string): boolean {
  return !segment.includes("{");
}

function isSingleSegmentVariable(segment: string): boolean {
  const m = /^\{[A-Za-z_][A-Za-z0-9_]*(?::(.*))?\}$/.exec(segment);
  if (!m) return false;
  // A custom pattern that could cross a `/` would break the grouping.
  return m[1] === undefined || !/[/.]|\\[sSWD]|\[\^/.test(m[1]);
}

/** The first two segments of a path (`/a/b/c` → `a`, `b`). */
function firstSegments(path: string): [string, string] {
  const a = path.indexOf("/", 1);
  if (a < 0) return [path.slice(1), ""];
  const b = path.indexOf("/", a + 1);
  return [path.slice(1, a), path.slice(a + 1, b < 0 ? path.length : b)];
}

/** The routes of three index-ordered lists, merged in registration order. */
function mergeByIndex<V extends { index: number }>(a: V[], b: V[], c: V[]): V[] {
  if (b.length === 0 && c.length === 0) return a;
  if (a.length === 0 && c.length === 0) return b;
  const out: V[] = [];
  let i = 0, j = 0, k = 0;
  while (i < a.length || j < b.length || k < c.length) {
    const x = a[i]?.index ?? Infinity, y = b[j]?.index ?? Infinity, z = c[k]?.index ?? Infinity;
    if (x <= y && x <= z) out.push(a[i++]);
    else if (y <= z) out.push(b[j++]);
    else out.push(c[k++]);
  }
  return out;
}

/** Compiles a Routes template (`/servers/{server_id}/tags/{tag}`) to an anchored regex. */
export function compileTemplate(template: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  let source = "^";
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf("{", i);
    if (open < 0) {
      source += escapeRegex(template.slice(i));
      break;
    }
    source += escapeRegex(template.slice(i, open));
    const close = findClose(template, open);
    const inner = template.slice(open + 1, close);
    const colon = inner.indexOf(":");
    const name = colon < 0 ? inner : inner.slice(0, colon);
    const pattern = colon < 0 ? "[^/]+?" : inner.slice(colon + 1);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new TypeError(`Bad variable "${name}" in route ${template}`);
    }
    names.push(name);
    source += `(${pattern})`;
    i = close + 1;
  }
  return { regex: new RegExp(source + "$", "s"), names };
}

function findClose(template: string, open: number): number {
  let depth = 0;
  for (let j = open; j < template.length; j++) {
    if (template[j] === "{") depth++;
    else if (template[j] === "}" && --depth === 0) return j;
  }
  throw new TypeError(`Unclosed "{" in route ${template}`);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
