/**
 * nova's URLMap (nova/api/openstack/urlmap.py over paste/urlmap.py): mounts
 * apps on URL prefixes, longest first; `/v2.1/+` matches only when
 * something follows `/v2.1/`; optional `domain host [port p]` entries; the
 * API version may also come from the Content-Type or Accept header
 * (`application/vnd.openstack.compute+json;version=2.1`).
 *
 * @module
 */

import type { App, CompositeFactory } from "./app.ts";
import type { ApiRequest } from "./request.ts";
import { webobError } from "./errors.ts";

const SUPPORTED_CONTENT_TYPES: readonly string[] = [
  "application/json",
  "application/vnd.openstack.compute+json",
];
/** The offers for a mount's root and for `/`, where nova also offers Atom. */
const OFFERS_WITH_ATOM: readonly string[] = [...SUPPORTED_CONTENT_TYPES, "application/atom+xml"];

interface Mount {
  domain: string | null;
  url: string;
  app: App;
  /** What a path must start with: `url/`, or for `/x/+` the `/x/` (computed once). */
  prefix: string;
  /** A `/x/+` mount: something must follow the prefix. */
  plus: boolean;
}

/** A URL map built from `path: app_name` pairs (urlmap_factory). */
export class UrlMap {
  readonly #mounts: Mount[] = [];

  constructor(readonly notFound: App | null = null) {}

  /** Mounts `app` at a paste path expression (`/v2.1`, `domain example.com /`). */
  mount(expression: string, app: App): void {
    const { domain, url } = parsePathExpression(expression);
    const i = this.#mounts.findIndex((m) => m.domain === domain && m.url === url);
    if (i >= 0) this.#mounts.splice(i, 1);
    const plus = url.endsWith("/+");
    this.#mounts.push({ domain, url, app, prefix: plus ? url.slice(0, -1) : url + "/", plus });
    // Longest URL first; explicit domains before the catch-all. (Plain
    // comparisons, as Python sorts: localeCompare would also load ICU.)
    this.#mounts.sort((a, b) =>
      (a.domain === null ? 1 : 0) - (b.domain === null ? 1 : 0) ||
      compare(a.domain ?? "", b.domain ?? "") ||
      b.url.length - a.url.length ||
      compare(a.url, b.url)
    );
  }

  /** The app and its mount URL for a path (nova's `_match`). */
  match(host: string, port: string, pathInfo: string): { app: App; url: string } | null {
    for (const { domain, url, app, prefix, plus } of this.#mounts) {
      if (domain && domain !== host && domain !== `${host}:${port}`) continue;
      if (plus) {
        if (!pathInfo.startsWith(prefix) || pathInfo.length < url.length) continue;
        return { app, url: url.slice(0, -2) };
      }
      if (pathInfo === url || pathInfo.startsWith(prefix)) return { app, url };
    }
    return null;
  }

  /** Dispatches a request (nova URLMap.__call__). */
  handle(req: ApiRequest): Promise<import("./response.ts").ApiResponse> {
    const [host, port] = hostAndPort(req);
    const pathInfo = req.pathInfo.includes("//")
      ? req.pathInfo.replace(/\/\/+/g, "/")
      : req.pathInfo;
    let mimeType = pathMimeType(pathInfo);
    let chosen: { app: App; url: string; munge: boolean } | null = null;

    const hasSlash = pathInfo.includes("/");
    const byPath = hasSlash ? this.match(host, port, pathInfo) : null;
    let appUrl: string | null = null;
    if (byPath && byPath.url) {
      chosen = { app: byPath.app, url: byPath.url, munge: true };
      appUrl = byPath.url;
    }
    const withAtom = (appUrl !== null && appUrl + "/" === pathInfo) || pathInfo === "/";
    const offers = withAtom ? OFFERS_WITH_ATOM : SUPPORTED_CONTENT_TYPES;

    if (!chosen) {
      chosen = this.#byVersionParam(
        host,
        port,
        parseOptionsHeader(req.header("content-type") ?? "")[1],
      );
    }
    if (!mimeType || !chosen) {
      const [acceptMime, params] = bestMatch(req.header("accept") ?? "", offers);
      if (acceptMime && !mimeType) mimeType = acceptMime;
      if (!chosen) chosen = this.#byVersionParam(host, port, params);
    }
    if (!chosen) {
      // The same match as byPath's when that was made (`/` lands here).
      const fallback = hasSlash ? byPath : this.match(host, port, pathInfo);
      if (fallback) chosen = { app: fallback.app, url: fallback.url, munge: true };
    }
    if (!chosen) {
      return this.notFound
        ? this.notFound(req)
        : Promise.resolve(webobError(req, 404, { detail: req.pathInfo }));
    }
    req.bestContentType = mimeType ?? "application/json";
    req.scriptName += chosen.url;
    if (chosen.munge) req.pathInfo = pathInfo.slice(chosen.url.length);
    return chosen.app(req);
  }

  #byVersionParam(host: string, port: string, params: Record<string, string>) {
    if (!("version" in params)) return null;
    const found = this.match(host, port, "/v" + params.version);
    return found ? { app: found.app, url: found.url, munge: false } : null;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** paste.urlmap.parse_path_expression + normalize_url. */
export function parsePathExpression(expression: string): { domain: string | null; url: string } {
  const parts = expression.trim().split(/\s+/);
  let domain: string | null = null;
  let port: string | null = null;
  let path: string | null = null;
  while (parts.length) {
    const word = parts.shift()!;
    if (word === "domain" || word === "port") {
      const value = parts.shift();
      if (!value) throw new Error(`'${word}' must be followed with a value in "${expression}"`);
      if (word === "domain") domain = value;
      else port = value;
    } else {
      if (path) throw new Error(`More than one path given in "${expression}"`);
      path = word;
    }
  }
  if (port && !domain) throw new Error(`A port needs a domain in "${expression}"`);
  if (domain) domain = port ? `${domain}:${port}` : domain;
  const url = (path ?? "").replace(/\/\/+/g, "/").replace(/\/+$/, "");
  if (url && !url.startsWith("/")) {
    throw new Error(`URL fragments must start with / (got "${expression}")`);
  }
  return { domain, url };
}

function hostAndPort(req: ApiRequest): [string, string] {
  const host = req.host.toLowerCase();
  const colon = host.indexOf(":");
  if (colon >= 0) return [host.slice(0, colon), host.slice(colon + 1)];
  return [host, req.scheme === "http" ? "80" : "443"];
}

function pathMimeType(pathInfo: string): string | null {
  const dot = pathInfo.lastIndexOf(".");
  if (dot < 0) return null;
  const candidate = "application/" + pathInfo.slice(dot + 1);
  return SUPPORTED_CONTENT_TYPES.includes(candidate) ? candidate : null;
}

const OPTION_PIECE =
  /;\s*([^\s;=]+|"[^"\\]*(?:\\.[^"\\]*)*")\s*(?:=\s*([^;]+|"[^"\\]*(?:\\.[^"\\]*)*"))?\s*/g;

/** werkzeug-style parse_options_header as nova copies it. */
export function parseOptionsHeader(value: string): [string, Record<string, string>] {
  if (!value) return ["", {}];
  const pieces = [...(";" + value).matchAll(OPTION_PIECE)].map((
    m,
  ) => [unquote(m[1]), m[2] === undefined ? undefined : unquote(m[2])]);
  if (pieces.length === 0) return ["", {}];
  const params: Record<string, string> = {};
  for (const [k, v] of pieces.slice(1)) if (k !== undefined) params[k] = v as string;
  return [pieces[0][0] ?? "", params];
}

function unquote(value: string): string {
  return value.length >= 2 && value[0] === '"' && value.at(-1) === '"' ? value.slice(1, -1) : value;
}

type Match = readonly [string | null, Readonly<Record<string, string>>];

// Clients send the same few Accept headers over and over: parse each once,
// one table per list of offers (there are two).
const matches = new Map<readonly string[], Map<string, Match>>();

/** nova's urlmap.Accept.best_match, remembered per header and offers. */
function bestMatch(header: string, offers: readonly string[]): Match {
  let known = matches.get(offers);
  if (known === undefined) matches.set(offers, known = new Map());
  let match = known.get(header);
  if (!match) {
    match = computeBestMatch(header, offers);
    if (known.size >= 256) known.clear();
    known.set(header, match);
  }
  return match;
}

function computeBestMatch(header: string, offers: readonly string[]): Match {
  const ranges = splitList(header).map(parseOptionsHeader);
  let bestQ = -1;
  let bestType: string | null = null;
  let bestParams: Record<string, string> = {};
  let bestMask = "*/*";
  for (const offer of offers) {
    for (const [mask, params] of ranges) {
      const q = Number(params.q ?? 1);
      if (Number.isNaN(q) || q < bestQ) continue;
      if (q === bestQ && countStars(bestMask) <= countStars(mask)) continue;
      if (!maskMatches(mask, offer)) continue;
      [bestQ, bestType, bestParams, bestMask] = [q, offer, params, mask];
    }
  }
  return [bestType, bestParams];
}

function countStars(s: string): number {
  return s.split("*").length - 1;
}

function maskMatches(mask: string, contentType: string): boolean {
  if (!mask.includes("*")) return contentType === mask;
  if (mask === "*/*") return true;
  return contentType.split("/")[0] === mask.slice(0, -2);
}

/** urllib's parse_http_list: comma-separated, quoted strings kept whole. */
function splitList(value: string): string[] {
  const out: string[] = [];
  let part = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted && c === "\\" && i + 1 < value.length) {
      part += c + value[++i];
    } else if (c === '"') {
      quoted = !quoted;
      part += c;
    } else if (c === "," && !quoted) {
      out.push(part.trim());
      part = "";
    } else part += c;
  }
  if (part.trim()) out.push(part.trim());
  return out.filter(Boolean).map((
    p,
  ) => (p.startsWith('"') && p.endsWith('"') ? p.slice(1, -1) : p));
}

/** `egg:Paste#urlmap` and `call:nova.api.openstack.urlmap:urlmap_factory`. */
export const urlmapFactory: CompositeFactory = (_ctx, loader, global, local) => {
  const notFoundName = local.not_found_app ?? global.not_found_app;
  const map = new UrlMap(notFoundName ? loader.getApp(notFoundName, global) : null);
  for (const [path, appName] of Object.entries(local)) {
    if (path === "not_found_app") continue;
    map.mount(path, loader.getApp(appName, global));
  }
  return function urlmap(req) {
    return map.handle(req);
  };
};
