/**
 * The checks auth_token makes on a token Keystone accepted: expiry, token
 * binding, and the access rules of application credentials.
 *
 * Mirrors `BaseAuthProtocol._validate_token`, `_confirm_token_bind`,
 * `validate_allowed_request` and `_path_matches` of
 * keystonemiddleware/auth_token/__init__.py.
 *
 * @module
 */

import type { AccessInfo } from "./access_info.ts";
import { InvalidTokenError } from "./errors.ts";
import type { Logger } from "../log.ts";

/**
 * Rejects a token that has expired (`will_expire_soon(stale_duration=0)`),
 * unless expired tokens are allowed (a service token with a service role).
 *
 * @throws {InvalidTokenError}
 */
export function validateTokenExpiry(access: AccessInfo, allowExpired: boolean): void {
  if (!allowExpired && access.willExpireSoon(0)) throw new InvalidTokenError();
}

/**
 * Token binding (`enforce_token_bind`): disabled, permissive (default),
 * strict, required, or the name of a bind type that must be present. The
 * only known type, kerberos, needs a web server's Negotiate
 * authentication, which novalet never has, so a kerberos-bound token fails
 * wherever it is checked.
 *
 * @throws {InvalidTokenError}
 */
export function confirmTokenBind(access: AccessInfo, mode: string, log: Logger): void {
  if (mode === "disabled") return;
  const permissive = mode === "permissive" || mode === "strict";
  const bind = access.bind;
  if (!bind || Object.keys(bind).length === 0) {
    if (permissive) return;
    log.info("No bind information present in token.");
    throw new InvalidTokenError();
  }
  const name = permissive || mode === "required" ? null : mode;
  if (name && !(name in bind)) {
    log.info(`Named bind mode ${name} not in bind information`);
    throw new InvalidTokenError();
  }
  for (const bindType of Object.keys(bind)) {
    if (bindType === "kerberos") {
      log.info("Kerberos credentials required and not present.");
      throw new InvalidTokenError();
    }
    if (mode !== "permissive") {
      log.info(`Couldn\`t verify unknown bind: ${bindType}.`);
      throw new InvalidTokenError();
    }
    log.debug(`Ignoring Unknown bind for permissive mode: ${bindType}.`);
  }
}

/** What `validate_allowed_request` needs to know about the request. */
export interface RequestFacts {
  method: string;
  /** webob's `req.path`: SCRIPT_NAME + PATH_INFO. */
  path: string;
  hasServiceToken: boolean;
}

interface AccessRule {
  method?: unknown;
  path?: unknown;
  service?: unknown;
}

/** Whether the token is restricted by access rules: whether {@link validateAllowedRequest} has work. */
export function hasAccessRules(access: AccessInfo): boolean {
  const rules = access.applicationCredential?.access_rules;
  return rules !== undefined && rules !== null;
}

/**
 * Application credential access rules: a token restricted to some
 * requests passes only for a matching method, service type and path.
 *
 * @throws {InvalidTokenError}
 */
export function validateAllowedRequest(
  req: RequestFacts,
  access: AccessInfo,
  serviceType: string | null,
  log: Logger,
): void {
  if (!hasAccessRules(access)) return;
  const rules = access.applicationCredential!.access_rules;
  if (!serviceType) {
    log.warning(
      "Cannot validate request with restricted access rules. Set service_type in " +
        "[keystone_authtoken] to allow access rule validation.",
    );
    throw new InvalidTokenError();
  }
  if (serviceType === "identity" && req.method === "GET" && req.path.endsWith("/v3/auth/tokens")) {
    return;
  }
  if (!access.catalog.some((s) => s.type === serviceType)) {
    log.warning(
      "Cannot validate request with restricted access rules. service_type in " +
        "[keystone_authtoken] is not a valid service type in the catalog.",
    );
    throw new InvalidTokenError();
  }
  // A service token means a chain of requests between services.
  if (req.hasServiceToken) return;
  const list = Array.isArray(rules) ? rules as AccessRule[] : [];
  const allowed = list.some((rule) =>
    req.method === rule.method && rule.service === serviceType &&
    typeof rule.path === "string" && pathMatches(req.path, rule.path)
  );
  if (!allowed) throw new InvalidTokenError();
}

/**
 * `_path_matches`: `{tag}` and `*` match one path segment, `**` any rest;
 * everything else is literal (a regular expression character, as in
 * Python, keeps its meaning).
 */
export function pathMatches(requestPath: string, pattern: string): boolean {
  const token = /(\{[^}]*\})|(\*(?=$|[^*]))|(\*\*)|([^{}*])/g;
  let regex = "";
  for (const m of pattern.matchAll(token)) {
    if (m[1] || m[2]) regex += "[^\\/]+";
    else if (m[3]) regex += ".*";
    else if (m[4]) regex += m[4];
  }
  try {
    return new RegExp(`^${regex}$`).test(requestPath);
  } catch {
    return false;
  }
}
