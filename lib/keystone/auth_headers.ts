/**
 * The identity headers auth_token removes from every request and then sets
 * from the validated tokens, for the next filter (keystonecontext) to read.
 *
 * Mirrors `keystonemiddleware.auth_token._request._AuthTokenRequest`:
 * `remove_auth_headers`, `set_user_headers`, `set_service_headers`,
 * `set_service_catalog_headers` and `_normalize_catalog`. Header names here
 * are lower-case, as `ApiRequest.headers` keeps them; a value Python sets to
 * `None` is removed.
 *
 * @module
 */

import type { AccessInfo, V3Service } from "./access_info.ts";
import { pyJson } from "../response.ts";

/** `X-Identity-Status`: Confirmed or Invalid. */
export const USER_STATUS_HEADER = "x-identity-status";
/** `X-Service-Identity-Status`: present only when an X-Service-Token came in. */
export const SERVICE_STATUS_HEADER = "x-service-identity-status";
/** `X-Service-Catalog`: the user's catalog in v2 form, JSON. */
export const SERVICE_CATALOG_HEADER = "x-service-catalog";
/** `X-Is-Admin-Project`: "True" or "False". */
export const ADMIN_PROJECT_HEADER = "x-is-admin-project";
/** `OpenStack-System-Scope`: "all" for a system-scoped token. */
export const SYSTEM_SCOPE_HEADER = "openstack-system-scope";

/** `_HEADER_TEMPLATE`: header (with `%s` for the prefix) and the AccessInfo field. */
const HEADER_TEMPLATE: ReadonlyArray<[string, keyof AccessInfo]> = [
  ["x%s-domain-id", "domainId"],
  ["x%s-domain-name", "domainName"],
  ["x%s-project-id", "projectId"],
  ["x%s-project-name", "projectName"],
  ["x%s-project-domain-id", "projectDomainId"],
  ["x%s-project-domain-name", "projectDomainName"],
  ["x%s-user-id", "userId"],
  ["x%s-user-name", "username"],
  ["x%s-user-domain-id", "userDomainId"],
  ["x%s-user-domain-name", "userDomainName"],
];

const ROLES_TEMPLATE = "x%s-roles";
const USER_PREFIX = "";
const SERVICE_PREFIX = "-service";

/** `_DEPRECATED_HEADER_MAP`: old header and the header it copies. */
const DEPRECATED_HEADER_MAP: ReadonlyArray<[string, string]> = [
  ["x-role", "x-roles"],
  ["x-user", "x-user-name"],
  ["x-tenant-id", "x-project-id"],
  ["x-tenant-name", "x-project-name"],
  ["x-tenant", "x-project-name"],
];

/**
 * Every header a client could send to pose as someone else
 * (`_all_auth_headers`), plus `OpenStack-System-Scope`, which
 * keystonemiddleware only overwrites. It is removed here as well so that a
 * request passed on under `delay_auth_decision` cannot claim system scope.
 */
export const AUTH_HEADERS: readonly string[] = [
  SERVICE_CATALOG_HEADER,
  USER_STATUS_HEADER,
  SERVICE_STATUS_HEADER,
  ADMIN_PROJECT_HEADER,
  ...DEPRECATED_HEADER_MAP.map(([k]) => k),
  ...HEADER_TEMPLATE.flatMap(([t]) => [USER_PREFIX, SERVICE_PREFIX].map((p) => fill(t, p))),
  fill(ROLES_TEMPLATE, USER_PREFIX),
  fill(ROLES_TEMPLATE, SERVICE_PREFIX),
  SYSTEM_SCOPE_HEADER,
];

function fill(template: string, prefix: string): string {
  return template.replace("%s", prefix);
}

const AUTH_HEADER_SET: ReadonlySet<string> = new Set(AUTH_HEADERS);

/** Removes every identity header (`remove_auth_headers`). */
export function removeAuthHeaders(headers: Map<string, string>): void {
  // A request carries a few headers and there are 37 names: look at the few.
  for (const name of headers.keys()) {
    if (AUTH_HEADER_SET.has(name)) headers.delete(name);
  }
}

/** Sets `X-Identity-Status` or `X-Service-Identity-Status` to Confirmed or Invalid. */
export function setStatus(headers: Map<string, string>, header: string, valid: boolean): void {
  headers.set(header, valid ? "Confirmed" : "Invalid");
}

/** Sets the user headers of a validated token, and the deprecated copies (`set_user_headers`). */
export function setUserHeaders(headers: Map<string, string>, access: AccessInfo): void {
  apply(headers, headersOf(access).user);
}

/** Sets the `X-Service-*` headers of a validated service token (`set_service_headers`). */
export function setServiceHeaders(headers: Map<string, string>, access: AccessInfo): void {
  apply(headers, headersOf(access).service);
}

/**
 * Sets `X-Service-Catalog` to the user's catalog in v2 form, or removes it
 * when the token has none (`set_service_catalog_headers`).
 */
export function setServiceCatalogHeader(headers: Map<string, string>, access: AccessInfo): void {
  if (!access.hasCatalog) {
    headers.delete(SERVICE_CATALOG_HEADER);
    return;
  }
  let text = catalogTexts.get(access);
  if (text === undefined) {
    text = pyJson(normalizeCatalog(access.catalog));
    catalogTexts.set(access, text);
  }
  headers.set(SERVICE_CATALOG_HEADER, text);
}

// A cached token's catalog is written once: the same text object also lets
// keystonecontext find its parse by identity.
const catalogTexts = new WeakMap<AccessInfo, string>();

/** Header names and values, in the order they are set; null removes the header. */
type HeaderValues = ReadonlyArray<readonly [string, string | null]>;

interface TokenHeaders {
  user: HeaderValues;
  service: HeaderValues;
}

// A cached token's headers are worked out once, on its first request.
const tokenHeaders = new WeakMap<AccessInfo, TokenHeaders>();

function headersOf(access: AccessInfo): TokenHeaders {
  let found = tokenHeaders.get(access);
  if (found === undefined) {
    found = { user: userHeaderValues(access), service: authHeaderValues(access, SERVICE_NAMES) };
    tokenHeaders.set(access, found);
  }
  return found;
}

function apply(headers: Map<string, string>, values: HeaderValues): void {
  for (const [name, value] of values) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
}

interface PrefixNames {
  roles: string;
  fields: ReadonlyArray<readonly [string, keyof AccessInfo]>;
}

function prefixNames(prefix: string): PrefixNames {
  return {
    roles: fill(ROLES_TEMPLATE, prefix),
    fields: HEADER_TEMPLATE.map(([template, attr]) => [fill(template, prefix), attr] as const),
  };
}

const USER_NAMES = prefixNames(USER_PREFIX);
const SERVICE_NAMES = prefixNames(SERVICE_PREFIX);

/** `set_user_headers`: the token's headers, X-Is-Admin-Project, and the deprecated copies. */
function userHeaderValues(access: AccessInfo): HeaderValues {
  const values = [
    ...authHeaderValues(access, USER_NAMES),
    [ADMIN_PROJECT_HEADER, access.isAdminProject ? "True" : "False"] as const,
  ];
  const valueOf = new Map(values);
  for (const [old, current] of DEPRECATED_HEADER_MAP) {
    values.push([old, valueOf.get(current) ?? null]);
  }
  return values;
}

/** `_set_auth_headers`. */
function authHeaderValues(access: AccessInfo, names: PrefixNames): Array<[string, string | null]> {
  return [
    [names.roles, access.roleNames.join(",")],
    // NOTE(parity): keystonemiddleware sets OpenStack-System-Scope for the user
    // and again for the service token, so a service token overwrites the
    // user's system scope.
    [SYSTEM_SCOPE_HEADER, access.systemScope],
    ...names.fields.map(([name, attr]) =>
      [name, access[attr] as string | null] as [string, string | null]
    ),
  ];
}

/** A service of a v2 catalog, as X-Service-Catalog carries it. */
export interface V2Service {
  type: string;
  name?: string;
  endpoints: Record<string, string>[];
}

/**
 * A v3 catalog in v2 form (`_normalize_catalog`): per service, one endpoint
 * entry per region with `publicURL`, `internalURL`, `adminURL` keys.
 */
export function normalizeCatalog(catalog: readonly V3Service[]): V2Service[] {
  return catalog.map((v3) => {
    const regions = new Map<string | null, Record<string, string>>();
    for (const ep of v3.endpoints ?? []) {
      const regionName = ep.region ?? null;
      let region = regions.get(regionName);
      if (!region) {
        region = regionName ? { region: regionName } : {};
        regions.set(regionName, region);
      }
      region[`${ep.interface.toLowerCase()}URL`] = ep.url;
    }
    // Key order as Python builds the dict: type, name, endpoints.
    const service: V2Service = { type: v3.type } as V2Service;
    if (v3.name !== undefined) service.name = v3.name;
    service.endpoints = [...regions.values()];
    return service;
  });
}
