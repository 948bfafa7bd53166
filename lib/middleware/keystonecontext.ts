/**
 * Builds the request context from the identity headers auth_token set: the
 * `keystonecontext` filter of nova's keystone pipeline.
 *
 * Mirrors `nova.api.auth.NovaKeystoneContext` with
 * `nova.context.RequestContext.from_environ` (oslo_context's
 * `_ENVIRON_HEADERS`, the header each field comes from, first present wins)
 * and `RequestContext.__init__` (empty user and project ids become None;
 * only the catalog entries nova uses are kept; `is_admin` from the
 * `context_is_admin` policy rule).
 *
 * @module
 */

import type { App, FilterFactory } from "../app.ts";
import { webobError } from "../errors.ts";
import { getLogger } from "../log.ts";
import type { ApiRequest, AuthContext } from "../request.ts";
import { ApiResponse } from "../response.ts";

const LOG = getLogger("nova.api.auth");

/** nova/context.py: the catalog service types a RequestContext keeps. */
export const CATALOG_SERVICE_TYPES: readonly string[] = [
  "image",
  "block-storage",
  "volumev3",
  "key-manager",
  "placement",
  "network",
  "accelerator",
];

// oslo_context `_ENVIRON_HEADERS` (lower-case header names): the first
// present wins, even when empty (`if v in environ`), which is what `??`
// does over Map.get. Written out: this runs on every request.
type Headers = ReadonlyMap<string, string>;
const userIdOf = (h: Headers) => h.get("x-user-id") ?? h.get("x-user") ?? null;
const projectIdOf = (h: Headers) =>
  h.get("x-project-id") ?? h.get("x-tenant-id") ?? h.get("x-tenant") ?? null;
const projectNameOf = (h: Headers) => h.get("x-project-name") ?? h.get("x-tenant-name") ?? null;
const authTokenOf = (h: Headers) => h.get("x-auth-token") ?? h.get("x-storage-token") ?? null;
const header = (h: Headers, name: string) => h.get(name) ?? null;

/**
 * Whether the context is an admin's by the default of nova's
 * `context_is_admin` rule (`role:admin`): the fallback when the filter has
 * no policy enforcer (the paste factory passes the enforcer's check).
 */
export function isAdminByPolicy(context: Pick<AuthContext, "roles">): boolean {
  return context.roles.includes("admin");
}

/**
 * The service catalog a RequestContext keeps: the entries of the types in
 * {@link CATALOG_SERVICE_TYPES}; nothing when the JSON value is false in
 * Python's sense (null, [], {}, "", 0, false).
 *
 * @throws {TypeError} for a catalog Python could not iterate as a list of
 *   dicts (nova fails there with an AttributeError or TypeError, a 500)
 */
export function filterServiceCatalog(catalog: unknown): unknown[] {
  if (!pyTruthy(catalog)) return [];
  if (!Array.isArray(catalog)) throw new TypeError("Service catalog is not a list");
  return catalog.filter((service) => {
    if (typeof service !== "object" || service === null || Array.isArray(service)) {
      throw new TypeError("Service catalog entry is not an object");
    }
    return CATALOG_SERVICE_TYPES.includes((service as { type?: unknown }).type as string);
  });
}

function pyTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object" && value !== null) return Object.keys(value).length > 0;
  return Boolean(value);
}

/**
 * `RequestContext.from_environ`: the context the identity headers describe.
 *
 * @param req the request, after auth_token
 * @param options the remote address and the parsed X-Service-Catalog
 * @returns the context; `userId` is null when no user header is usable
 */
export function contextFromHeaders(
  req: ApiRequest,
  options: {
    remoteAddress: string;
    serviceCatalog: unknown;
    isAdmin?: (ctx: AuthContext) => boolean;
  },
): AuthContext {
  const h = req.headers;
  const context: AuthContext = {
    // nova's RequestContext drops falsy user and project ids.
    userId: userIdOf(h) || null,
    projectId: projectIdOf(h) || null,
    userName: header(h, "x-user-name"),
    projectName: projectNameOf(h),
    userDomainId: header(h, "x-user-domain-id"),
    projectDomainId: header(h, "x-project-domain-id"),
    domainId: header(h, "x-domain-id"),
    roles: splitRoles(h.get("x-roles") ?? h.get("x-role")),
    isAdmin: false,
    systemScope: header(h, "openstack-system-scope"),
    isAdminProject: isTrue(h.get("x-is-admin-project") ?? "true"),
    authToken: authTokenOf(h),
    serviceCatalog: filterServiceCatalog(options.serviceCatalog),
    remoteAddress: options.remoteAddress,
    extra: extraFields(req, h),
  };
  context.isAdmin = (options.isAdmin ?? isAdminByPolicy)(context);
  return context;
}

/** The oslo/nova context fields AuthContext has no property for. */
function extraFields(req: ApiRequest, h: Headers): Record<string, unknown> {
  return {
    domainName: null, // oslo maps no header to domain_name
    userDomainName: header(h, "x-user-domain-name"),
    projectDomainName: header(h, "x-project-domain-name"),
    requestId: req.requestId || `req-${crypto.randomUUID()}`,
    globalRequestId: req.globalRequestId,
    serviceToken: header(h, "x-service-token"),
    serviceUserId: header(h, "x-service-user-id"),
    serviceUserName: header(h, "x-service-user-name"),
    serviceUserDomainId: header(h, "x-service-user-domain-id"),
    serviceUserDomainName: header(h, "x-service-user-domain-name"),
    serviceProjectId: header(h, "x-service-project-id"),
    serviceProjectName: header(h, "x-service-project-name"),
    serviceProjectDomainId: header(h, "x-service-project-domain-id"),
    serviceProjectDomainName: header(h, "x-service-project-domain-name"),
    serviceRoles: splitRoles(h.get("x-service-roles")),
    userAuthPlugin: req.environ.get("keystone.token_auth") ?? null,
    readDeleted: "no",
  };
}

function isTrue(value: string): boolean {
  return value === "True" || value.toLowerCase() === "true";
}

/** `[r.strip() for r in roles.split(',')] if roles else []` */
function splitRoles(header: string | null | undefined): string[] {
  if (!header) return [];
  let roles = splitOnes.get(header);
  if (roles === undefined) {
    roles = header.split(",").map((r) => r.trim());
    if (splitOnes.size >= 64) splitOnes.clear();
    splitOnes.set(header, roles);
  }
  return roles.slice(); // each context gets its own list
}

// Role lists are few (one per role set in use): split each once.
const splitOnes = new Map<string, string[]>();

/** The client address: REMOTE_ADDR, or X-Forwarded-For with `[api] use_forwarded_for`. */
function remoteAddressOf(req: ApiRequest, useForwardedFor: boolean): string {
  // NOTE(parity): nova takes the whole X-Forwarded-For value, list and all.
  if (useForwardedFor) return req.headers.get("x-forwarded-for") ?? req.remoteAddr;
  return req.remoteAddr;
}

/**
 * `NovaKeystoneContext.__call__`: sets `req.context`, or answers webob's 500
 * for an X-Service-Catalog that is not JSON and webob's 401 when there is
 * no user.
 */
export function keystoneContext(
  next: App,
  options: { useForwardedFor: boolean; isAdmin?: (ctx: AuthContext) => boolean },
): App {
  // Not async: a request with a context hands next's promise on, one await fewer.
  return function novaKeystoneContext(req: ApiRequest): Promise<ApiResponse> {
    try {
      const found = contextOrAnswer(req, options);
      if (found instanceof ApiResponse) return Promise.resolve(found);
      req.context = found;
      return next(req);
    } catch (err) {
      return Promise.reject(err);
    }
  };
}

/** The request's context, or webob's 500 (catalog not JSON) or 401 (no user). */
function contextOrAnswer(
  req: ApiRequest,
  options: { useForwardedFor: boolean; isAdmin?: (ctx: AuthContext) => boolean },
): AuthContext | ApiResponse {
  const remoteAddress = remoteAddressOf(req, options.useForwardedFor);
  let serviceCatalog: unknown = null;
  const header = req.headers.get("x-service-catalog");
  if (header !== undefined) {
    serviceCatalog = parsedCatalog(header);
    if (serviceCatalog === INVALID) {
      return webobError(req, 500, { detail: "Invalid service catalog json." });
    }
  }
  const context = contextFromHeaders(req, {
    remoteAddress,
    serviceCatalog,
    isAdmin: options.isAdmin,
  });
  if (context.userId === null) {
    LOG.debug("Neither X_USER_ID nor X_USER found in request", req);
    return webobError(req, 401);
  }
  return context;
}

const INVALID = Symbol("invalid catalog");
const catalogs = new Map<string, unknown>();

/**
 * The X-Service-Catalog header parsed, remembered by its text: tokens of
 * one project carry the same catalog, so most requests reuse a parse.
 */
function parsedCatalog(header: string): unknown {
  if (catalogs.has(header)) return catalogs.get(header);
  let parsed: unknown;
  try {
    parsed = JSON.parse(header);
  } catch {
    parsed = INVALID;
  }
  if (catalogs.size >= 64) catalogs.clear();
  catalogs.set(header, parsed);
  return parsed;
}

/** paste `nova.api.auth:NovaKeystoneContext.factory`. */
export const filterFactory: FilterFactory = (ctx) => {
  const useForwardedFor = ctx.conf.api.use_forwarded_for;
  // nova computes is_admin with the `context_is_admin` policy rule.
  const policy = ctx.services?.policy;
  const isAdmin = policy ? (c: AuthContext) => policy.isAdmin(c) : undefined;
  return (next) => keystoneContext(next, { useForwardedFor, isAdmin });
};
