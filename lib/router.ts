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
  readonly regex: RegExp;
  readonly names: string[];
  readonly methods: ReadonlySet<string> | null;
  readonly target: T;
  readonly redirect?: string;
}

/** Registration-ordered route table; frozen on first match. */
export class Router<T> {
  readonly #routes: Route<T>[] = [];
  #frozen = false;

  /**
   * Adds a route. `methods` null means any method.
   *
   * @throws {TypeError} after the first match, or for a malformed template
   */
  add(methods: string[] | null, template: string, target: T): void {
    if (this.#frozen) throw new TypeError("Routes cannot be added after the router has matched");
    const { regex, names } = compileTemplate(template);
    this.#routes.push({ regex, names, methods: methods ? new Set(methods) : null, target });
  }

  /** Routes' `map.redirect(path, to)`: a 302 to `to` for any method. */
  addRedirect(template: string, to: string, target: T): void {
    const { regex, names } = compileTemplate(template);
    this.#routes.push({ regex, names, methods: null, target, redirect: to });
  }

  /** The first route matching `path` whose method condition accepts `method`. */
  match(method: string, path: string): RouteMatch<T> | null {
    this.#frozen = true;
    for (const route of this.#routes) {
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
