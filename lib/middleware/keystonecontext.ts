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

/** oslo_context `_ENVIRON_HEADERS` (lower-case header names), for the string fields. */
const ENVIRON_HEADERS = {
  userId: ["x-user-id", "x-user"],
  projectId: ["x-project-id", "x-tenant-id", "x-tenant"],
  domainId: ["x-domain-id"],
  systemScope: ["openstack-system-scope"],
  userDomainId: ["x-user-domain-id"],
  projectDomainId: ["x-project-domain-id"],
  userName: ["x-user-name"],
  projectName: ["x-project-name", "x-tenant-name"],
  userDomainName: ["x-user-domain-name"],
  projectDomainName: ["x-project-domain-name"],
  authToken: ["x-auth-token", "x-storage-token"],
  serviceToken: ["x-service-token"],
  serviceUserId: ["x-service-user-id"],
  serviceUserName: ["x-service-user-name"],
  serviceUserDomainId: ["x-service-user-domain-id"],
  serviceUserDomainName: ["x-service-user-domain-name"],
  serviceProjectId: ["x-service-project-id"],
  serviceProjectName: ["x-service-project-name"],
  serviceProjectDomainId: ["x-service-project-domain-id"],
  serviceProjectDomainName: ["x-service-project-domain-name"],
} as const;

type EnvironField = keyof typeof ENVIRON_HEADERS;

/**
 * Whether the context is an admin's: nova's `policy.check_is_admin`, the
 * rule `context_is_admin` whose default is `role:admin`.
 *
 * TODO(lead): evaluate `context_is_admin` through lib/policy/ once it exists.
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
  const f = (field: EnvironField) => firstPresent(req.headers, ENVIRON_HEADERS[field]);
  const roles = splitRoles(req.headers.get("x-roles") ?? req.headers.get("x-role"));
  const context: AuthContext = {
    // nova's RequestContext drops falsy user and project ids.
    userId: f("userId") || null,
    projectId: f("projectId") || null,
    userName: f("userName"),
    projectName: f("projectName"),
    userDomainId: f("userDomainId"),
    projectDomainId: f("projectDomainId"),
    domainId: f("domainId"),
    roles,
    isAdmin: false,
    systemScope: f("systemScope"),
    isAdminProject: (req.headers.get("x-is-admin-project") ?? "true").toLowerCase() === "true",
    authToken: f("authToken"),
    serviceCatalog: filterServiceCatalog(options.serviceCatalog),
    remoteAddress: options.remoteAddress,
    extra: extraFields(req, f),
  };
  context.isAdmin = (options.isAdmin ?? isAdminByPolicy)(context);
  return context;
}

/** The oslo/nova context fields AuthContext has no property for. */
function extraFields(
  req: ApiRequest,
  f: (field: EnvironField) => string | null,
): Record<string, unknown> {
  return {
    domainName: null, // oslo maps no header to domain_name
    userDomainName: f("userDomainName"),
    projectDomainName: f("projectDomainName"),
    requestId: req.requestId || `req-${crypto.randomUUID()}`,
    globalRequestId: req.globalRequestId,
    serviceToken: f("serviceToken"),
    serviceUserId: f("serviceUserId"),
    serviceUserName: f("serviceUserName"),
    serviceUserDomainId: f("serviceUserDomainId"),
    serviceUserDomainName: f("serviceUserDomainName"),
    serviceProjectId: f("serviceProjectId"),
    serviceProjectName: f("serviceProjectName"),
    serviceProjectDomainId: f("serviceProjectDomainId"),
    serviceProjectDomainName: f("serviceProjectDomainName"),
    serviceRoles: splitRoles(req.headers.get("x-service-roles")),
    userAuthPlugin: req.environ.get("keystone.token_auth") ?? null,
    readDeleted: "no",
  };
}

/** The value of the first header present, even an empty one (as `if v in environ`). */
function firstPresent(headers: Map<string, string>, names: readonly string[]): string | null {
  for (const name of names) {
    const value = headers.get(name);
    if (value !== undefined) return value;
  }
  return null;
}

/** `[r.strip() for r in roles.split(',')] if roles else []` */
function splitRoles(header: string | null | undefined): string[] {
  return header ? header.split(",").map((r) => r.trim()) : [];
}

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
  return async function novaKeystoneContext(req: ApiRequest) {
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
    req.context = context;
    return await next(req);
  };
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
