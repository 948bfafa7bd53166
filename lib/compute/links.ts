/**
 * Link building shared by nova's view builders (nova/api/openstack/common.py
 * ViewBuilder): self and bookmark hrefs, `[api] compute_link_prefix`, and
 * the `url_join` / `remove_trailing_version_from_href` helpers.
 *
 * @module
 */

import type { ApiRequest } from "../request.ts";

/** nova's url_join: strip `/` from each part, join; an empty last part adds a trailing slash. */
export function urlJoin(...parts: string[]): string {
  if (parts.length === 0) parts = [""];
  const clean = parts.filter((p) => p).map((p) => p.replace(/^\/+|\/+$/g, ""));
  if (!parts.at(-1)) clean.push("");
  return clean.join("/");
}

/** Replaces scheme and host of `url` with the prefix's, prepending its path (`_update_link_prefix`). */
export function updateLinkPrefix(url: string, prefix: string | null): string {
  if (!prefix) return url;
  const orig = splitUrl(url);
  const pre = splitUrl(prefix);
  return joinUrl({ ...orig, scheme: pre.scheme, netloc: pre.netloc, path: pre.path + orig.path })
    .replace(
      /\/+$/,
      "",
    );
}

/** `http://host/compute/v2.1` → `http://host/compute`. */
export function removeTrailingVersion(href: string): string {
  const parts = splitUrl(href);
  const segments = parts.path.split("/");
  const last = segments.pop() ?? "";
  if (!/^v([0-9]+|[0-9]+\.[0-9]+)(\/.*|$)/.test(last)) {
    throw new Error(`href ${href} does not contain version`);
  }
  return joinUrl({ ...parts, path: urlJoin(...segments) });
}

interface UrlParts {
  scheme: string;
  netloc: string;
  path: string;
  query: string;
  fragment: string;
}

/** urllib.parse.urlsplit for absolute http(s) URLs. */
function splitUrl(url: string): UrlParts {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/
    .exec(url)!;
  return {
    scheme: m[1] ?? "",
    netloc: m[2] ?? "",
    path: m[3] ?? "",
    query: m[4] ?? "",
    fragment: m[5] ?? "",
  };
}

/** urllib.parse.urlunsplit. */
function joinUrl(p: UrlParts): string {
  let url = p.path;
  if (p.netloc || (p.scheme && url.startsWith("//"))) {
    if (url && !url.startsWith("/")) url = "/" + url;
    url = "//" + p.netloc + url;
  }
  if (p.scheme) url = p.scheme + ":" + url;
  if (p.query) url += "?" + p.query;
  if (p.fragment) url += "#" + p.fragment;
  return url;
}

/** The project id segment for links: only when the request URL carries it. */
export function projectIdForLinks(req: ApiRequest): string {
  const projectId = req.context?.projectId;
  return projectId && req.url.includes(projectId) ? projectId : "";
}

/** The self and bookmark URL bases of one request (everything before `/collection/id`). */
interface LinkBases {
  readonly self: string;
  readonly bookmark: string;
}

/** Builds self/bookmark links the way nova's ViewBuilder does. */
export class LinkBuilder {
  // A list view builds two links per item from the same request: the bases
  // (prefix, project id, trailing version) are worked out once per request.
  readonly #bases = new WeakMap<ApiRequest, LinkBases>();

  constructor(readonly computeLinkPrefix: string | null) {}

  /** `_update_compute_link_prefix(url)`. */
  prefixed(url: string): string {
    return updateLinkPrefix(url, this.computeLinkPrefix);
  }

  hrefLink(req: ApiRequest, id: string, collection: string): string {
    return urlJoin(this.#basesOf(req).self, collection, String(id));
  }

  bookmarkLink(req: ApiRequest, id: string, collection: string): string {
    return urlJoin(this.#basesOf(req).bookmark, collection, String(id));
  }

  links(req: ApiRequest, id: string, collection: string): { rel: string; href: string }[] {
    return [
      { rel: "self", href: this.hrefLink(req, id, collection) },
      { rel: "bookmark", href: this.bookmarkLink(req, id, collection) },
    ];
  }

  /** The bases of this request's links (also a cache key for views built on them). */
  basesOf(req: ApiRequest): LinkBases {
    return this.#basesOf(req);
  }

  #basesOf(req: ApiRequest): LinkBases {
    let bases = this.#bases.get(req);
    if (!bases) {
      const project = projectIdForLinks(req);
      const key = `${project}\n${req.applicationUrl}`;
      bases = this.#byUrl.get(key);
      if (!bases) {
        bases = {
          self: urlJoin(this.prefixed(req.applicationUrl), project, ""),
          bookmark: urlJoin(this.prefixed(removeTrailingVersion(req.applicationUrl)), project, ""),
        };
        if (this.#byUrl.size >= 256) this.#byUrl.clear();
        this.#byUrl.set(key, bases);
      }
      this.#bases.set(req, bases);
    }
    return bases;
  }

  // The bases by application URL and project segment: the same few recur.
  readonly #byUrl = new Map<string, LinkBases>();
}

/** Python's `urllib.parse.quote_plus(s, safe="")` (UTF-8; `~` kept). */
export function quotePlus(s: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9_.~-]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/**
 * `_get_next_link`: the collection URL with the request's query parameters
 * (sorted; of a repeated one the greatest value, as `OrderedDict(sorted(
 * params.items()))` keeps it) and `marker` set to the last item's id.
 */
export function nextLink(
  links: LinkBuilder,
  req: ApiRequest,
  params: Readonly<Record<string, readonly string[]>>,
  marker: string,
  collection: string,
): string {
  const pairs = new Map<string, string>();
  for (const key of Object.keys(params).sort()) {
    const values = [...params[key]].sort();
    if (values.length) pairs.set(key, values[values.length - 1]);
  }
  pairs.set("marker", marker);
  const url = urlJoin(links.prefixed(req.applicationUrl), projectIdForLinks(req), collection);
  const query = [...pairs].map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`).join("&");
  return `${url}?${query}`;
}

/**
 * `_get_collection_links`: a `next` link when the page is full, i.e. it
 * holds `min(limit, max_limit)` items (`limit` is the last value sent).
 */
export function collectionLinks(
  links: LinkBuilder,
  req: ApiRequest,
  params: Readonly<Record<string, readonly string[]>>,
  ids: readonly string[],
  collection: string,
  maxLimit: number,
): { rel: string; href: string }[] {
  const limit = params.limit?.length ? Number.parseInt(params.limit.at(-1)!, 10) : maxLimit;
  const maxItems = Math.min(limit, maxLimit);
  if (!maxItems || maxItems !== ids.length) return [];
  return [{ rel: "next", href: nextLink(links, req, params, ids[ids.length - 1], collection) }];
}
