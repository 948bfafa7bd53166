/**
 * Behind a reverse proxy: takes the client-facing scheme, host, client
 * address and path prefix from the proxy's headers, so that the links nova
 * writes point at the proxy. Off unless
 * `[oslo_middleware] enable_proxy_headers_parsing`; an RFC 7239 `Forwarded`
 * header beats `X-Forwarded-Proto`/`-Host`/`-For`; `X-Forwarded-Prefix`
 * applies either way.
 *
 * Mirrors oslo_middleware/http_proxy_to_wsgi.py (HTTPProxyToWSGI).
 *
 * @module
 */

import type { FilterFactory } from "../app.ts";
import type { ApiRequest } from "../request.ts";
import { PasteOptions } from "./_local_conf.ts";

/** What a proxy tells about the original request. */
interface Forwarded {
  proto?: string;
  host?: string;
  for?: string;
}

/**
 * paste.filter_factory for `oslo_middleware.http_proxy_to_wsgi:HTTPProxyToWSGI.factory`.
 * Reads `[oslo_middleware] enable_proxy_headers_parsing` (paste key of the
 * same name overrides it). Rewrites `req.scheme`, the `host` header,
 * `req.remoteAddr` and `req.scriptName`.
 *
 * @throws {ConfigError} for a paste value that is not a boolean
 * @returns the http_proxy_to_wsgi filter (the next app itself when disabled)
 */
export const filterFactory: FilterFactory = (ctx, globalConf, localConf) => {
  const enabled = PasteOptions.merged(globalConf, localConf, "http_proxy_to_wsgi").bool(
    "enable_proxy_headers_parsing",
    ctx.conf.oslo_middleware.enable_proxy_headers_parsing,
  );
  return (next) => {
    if (!enabled) return next;
    return async function httpProxyToWsgi(req) {
      applyProxyHeaders(req);
      return await next(req);
    };
  };
};

/** HTTPProxyToWSGI.process_request. */
export function applyProxyHeaders(req: ApiRequest): void {
  const forwarded = req.header("forwarded");
  const proxy: Forwarded = forwarded ? parseRfc7239(forwarded)[0] ?? {} : {
    proto: req.header("x-forwarded-proto") ?? undefined,
    host: req.header("x-forwarded-host") ?? undefined,
    for: req.header("x-forwarded-for") ?? undefined,
  };
  if (proxy.proto) setScheme(req, proxy.proto);
  if (proxy.host) req.headers.set("host", proxy.host);
  if (proxy.for) req.remoteAddr = proxy.for;
  const prefix = req.header("x-forwarded-prefix");
  if (prefix) req.scriptName = prefix + req.scriptName;
}

/**
 * `for=192.0.2.60;proto=http, for=192.0.2.61` → one entry per proxy, the
 * first being the one nearest the client.
 *
 * NOTE(parity): as oslo does, values are taken verbatim: quoted values keep
 * their quotes.
 */
export function parseRfc7239(header: string): Forwarded[] {
  return header.split(",").map((proxy) => {
    const entry: Record<string, string> = {};
    for (const pair of proxy.split(";")) {
      const eq = pair.indexOf("=");
      const key = (eq < 0 ? pair : pair.slice(0, eq)).toLowerCase().trim();
      entry[key] = eq < 0 ? "" : pair.slice(eq + 1).trim();
    }
    return { proto: entry.proto, host: entry.host, for: entry.for };
  });
}

/**
 * NOTE(parity): oslo copies any proto into `wsgi.url_scheme`; only `http`
 * and `https` (any case) are taken here, so a proxy header cannot put an
 * arbitrary scheme into the links nova writes.
 */
function setScheme(req: ApiRequest, proto: string): void {
  const scheme = proto.toLowerCase();
  if (scheme === "http" || scheme === "https") req.scheme = scheme;
}
