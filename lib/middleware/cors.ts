/**
 * Cross-origin resource sharing for browsers (W3C CORS): decorates answers
 * to requests from an allowed `Origin` with `Access-Control-*` headers.
 * A preflight (`OPTIONS`) goes down the pipeline like any request; when the
 * app below does not answer it with a 2xx, a bare 200 takes its place.
 *
 * Mirrors oslo_middleware/cors.py (CORS, filter_factory).
 *
 * @module
 */

import type { FilterFactory, GlobalConf, LocalConf } from "../app.ts";
import type { Conf } from "../config/conf.ts";
import { getLogger } from "../log.ts";
import type { ApiRequest } from "../request.ts";
import { ApiResponse } from "../response.ts";
import { PasteOptions } from "./_local_conf.ts";

const LOG = getLogger("oslo_middleware.cors");

/** The CORS settings of one allowed origin. */
export interface OriginConfig {
  readonly allowCredentials: boolean;
  readonly exposeHeaders: readonly string[];
  readonly maxAge: number | null;
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
}

/** Headers a preflight may always ask for (oslo's `simple_headers`). */
const SIMPLE_HEADERS = [
  "Accept",
  "Accept-Language",
  "Content-Type",
  "Cache-Control",
  "Content-Language",
  "Expires",
  "Last-Modified",
  "Pragma",
];

/**
 * paste.filter_factory for `oslo_middleware.cors:filter_factory`. Reads the
 * `[cors]` group (`allowed_origin`, `allow_credentials`, `expose_headers`,
 * `max_age`, `allow_methods`, `allow_headers`); paste keys of the same names
 * override it. `oslo_config_project = nova` means "nova.conf", which is what
 * `ctx.conf` holds.
 *
 * @throws {TypeError} when the paste section has neither `allowed_origin` nor `oslo_config_project`
 * @throws {ConfigError} for a paste value of the wrong type
 * @returns the cors filter
 */
export const filterFactory: FilterFactory = (ctx, globalConf, localConf) => {
  if (!("allowed_origin" in localConf) && !("oslo_config_project" in localConf)) {
    throw new TypeError("allowed_origin or oslo_config_project is required");
  }
  const origins = allowedOrigins(ctx.conf, globalConf, localConf);
  return (next) =>
    function cors(req) {
      // With no allowed origin only a preflight's answer can change (a
      // non-2xx becomes a bare 200): pass the rest through untouched.
      if (origins.size === 0 && req.method !== "OPTIONS") return next(req);
      return next(req).then((res) => decorate(req, res, origins));
    };
};

/** CORS.process_response. */
function decorate(
  req: ApiRequest,
  res: ApiResponse,
  origins: Map<string, OriginConfig>,
): ApiResponse {
  // Something below set CORS headers itself: it knows better.
  if (res.headers.has("Access-Control-Allow-Origin")) return res;
  if (req.method === "OPTIONS") return preflight(req, res, origins);
  applyRequestHeaders(req, res, origins);
  return res;
}

/** CORS._init_conf / add_origin: one config per allowed origin, from `[cors]`. */
function allowedOrigins(
  conf: Conf,
  globalConf: GlobalConf,
  localConf: LocalConf,
): Map<string, OriginConfig> {
  const local = PasteOptions.merged(globalConf, localConf, "cors");
  const group = conf.cors;
  const config: OriginConfig = {
    allowCredentials: local.bool("allow_credentials", group.allow_credentials),
    exposeHeaders: local.list("expose_headers", group.expose_headers),
    maxAge: local.int("max_age", group.max_age),
    allowMethods: local.list("allow_methods", group.allow_methods),
    allowHeaders: local.list("allow_headers", group.allow_headers),
  };
  const origins = new Map<string, OriginConfig>();
  for (const origin of local.list("allowed_origin", group.allowed_origin) ?? []) {
    if (origins.has(origin)) {
      LOG.warning(`Allowed origin [${origin}] already exists, skipping`);
      continue;
    }
    origins.set(origin, config);
  }
  return origins;
}

/** `_get_cors_config_by_origin`: the origin itself, else `*`, else not allowed. */
function configFor(
  req: ApiRequest,
  origins: Map<string, OriginConfig>,
): [string, OriginConfig] | null {
  const origin = req.header("origin");
  if (origin === null) return null;
  const key = origins.has(origin) ? origin : origins.has("*") ? "*" : null;
  if (key === null) {
    LOG.debug(`CORS request from origin '${origin}' not permitted.`);
    return null;
  }
  return [key, origins.get(key)!];
}

/**
 * Preflight (section 6.2). A non-2xx answer from below becomes a bare 200
 * (`Content-Length: 0` only, case 198); a 2xx keeps its headers and body
 * (noauth2's 204 in case 195, the versions document in case 199).
 */
function preflight(
  req: ApiRequest,
  downstream: ApiResponse,
  origins: Map<string, OriginConfig>,
): ApiResponse {
  const res = downstream.status >= 200 && downstream.status < 300
    ? downstream
    : new ApiResponse(200, [["Content-Length", "0"]]);
  const match = configFor(req, origins);
  if (match === null) return res;
  const [origin, config] = match;
  const method = req.header("access-control-request-method");
  if (method === null) {
    LOG.debug("CORS request does not contain Access-Control-Request-Method header.");
    return res;
  }
  const requested = splitHeaderValues(req.header("access-control-request-headers"));
  if (!preflightAllowed(method, requested, config)) return res;
  res.headers.set("Vary", "Origin");
  res.headers.set("Access-Control-Allow-Origin", origin);
  if (config.allowCredentials) res.headers.set("Access-Control-Allow-Credentials", "true");
  if (config.maxAge) res.headers.set("Access-Control-Max-Age", String(config.maxAge));
  res.headers.set("Access-Control-Allow-Methods", method);
  if (requested.length > 0) res.headers.set("Access-Control-Allow-Headers", requested.join(","));
  return res;
}

/** Sections 6.2.5 and 6.2.6: the method exactly, the headers case-insensitively. */
function preflightAllowed(method: string, requested: string[], config: OriginConfig): boolean {
  if (!config.allowMethods.includes(method)) {
    LOG.debug(`Request method '${method}' not in permitted list: ${config.allowMethods}`);
    return false;
  }
  const permitted = [...config.allowHeaders, ...SIMPLE_HEADERS].map((h) => h.toUpperCase());
  const refused = requested.find((h) => !permitted.includes(h.toUpperCase()));
  if (refused !== undefined) {
    LOG.debug(`Request header '${refused}' not in permitted list: ${permitted}`);
    return false;
  }
  return true;
}

/**
 * A simple or actual request (section 6.1).
 *
 * NOTE(parity): webob's `headers['Vary']` reads only the last Vary header
 * and the write replaces all of them, so nova's two Vary headers become
 * one `Vary: X-OpenStack-Nova-API-Version,Origin` at the end (case 201).
 */
function applyRequestHeaders(
  req: ApiRequest,
  res: ApiResponse,
  origins: Map<string, OriginConfig>,
): void {
  const match = configFor(req, origins);
  if (match === null) return;
  const [origin, config] = match;
  const vary = res.headers.getAll("Vary").at(-1);
  res.headers.set("Vary", vary === undefined ? "Origin" : `${vary},Origin`);
  res.headers.set("Access-Control-Allow-Origin", origin);
  if (config.allowCredentials) res.headers.set("Access-Control-Allow-Credentials", "true");
  if (config.exposeHeaders.length > 0) {
    res.headers.set("Access-Control-Expose-Headers", config.exposeHeaders.join(","));
  }
}

/** A comma-separated request header as a list of non-empty, stripped values. */
function splitHeaderValues(value: string | null): string[] {
  if (value === null) return [];
  return value.split(",").map((v) => v.trim()).filter((v) => v !== "");
}
