/**
 * Keystone token authentication: the `authtoken` filter of nova's keystone
 * pipeline.
 *
 * Mirrors `keystonemiddleware.auth_token.AuthProtocol` (keystonemiddleware
 * 10.1, Zed): it removes every identity header a client sent, validates
 * `X-Auth-Token` (and `X-Service-Token`) with Keystone using the service
 * user's own token, caches the results in-process, answers 401 with
 * `WWW-Authenticate: Keystone uri="..."` when there is no valid token
 * (unless `delay_auth_decision`), answers 503 when Keystone cannot be asked,
 * and otherwise sets the identity headers (`X-User-Id`, `X-Roles`,
 * `X-Service-Catalog`, ...) for keystonecontext.
 *
 * Tokens are never logged; log lines name a token by the first 12 hex
 * digits of its SHA-256.
 *
 * @module
 */

import type { App, FilterFactory } from "../app.ts";
import type { Conf } from "../config/conf.ts";
import { webobError } from "../errors.ts";
import { getLogger, isEnabledFor, type LogContext, type Logger } from "../log.ts";
import type { ApiRequest } from "../request.ts";
import { ApiResponse, byteLength, pyJson } from "../response.ts";
import type { AccessInfo } from "../keystone/access_info.ts";
import {
  removeAuthHeaders,
  SERVICE_STATUS_HEADER,
  setServiceCatalogHeader,
  setServiceHeaders,
  setStatus,
  setUserHeaders,
  USER_STATUS_HEADER,
} from "../keystone/auth_headers.ts";
import { ConnectFailureError, InvalidTokenError, ServiceError } from "../keystone/errors.ts";
import { IdentityClient } from "../keystone/identity.ts";
import { type AuthTokenSettings, resolveAuthTokenSettings } from "../keystone/settings.ts";
import {
  confirmTokenBind,
  hasAccessRules,
  validateAllowedRequest,
  validateTokenExpiry,
} from "../keystone/token_checks.ts";
import { TokenCache, tokenHash } from "../keystone/token_cache.ts";

/** keystonemiddleware's logger (`conf.get('log_name', __name__)`). */
const LOG_NAME = "keystonemiddleware.auth_token";

/** The detail of the 503 answer (`webob.exc.HTTPServiceUnavailable(...)`). */
export const KEYSTONE_UNAVAILABLE_DETAIL = "The Keystone service is temporarily unavailable.";

/** The JSON body of the 401 answer, byte for byte as `jsonutils.dumps` writes it. */
export const UNAUTHORIZED_BODY = pyJson({
  error: {
    code: 401,
    title: "Unauthorized",
    message: "The request you have made requires authentication.",
  },
});

/** `keystone.token_auth` in `req.environ`: what `UserAuthPlugin` holds. */
export interface TokenAuth {
  user: AccessInfo | null;
  service: AccessInfo | null;
}

/** Raised inside the middleware where keystonemiddleware raises HTTPServiceUnavailable. */
class KeystoneUnavailable extends Error {}

interface ServiceTokenResult {
  access: AccessInfo | null;
  valid: boolean;
  allowExpired: boolean;
}

const NO_SERVICE_TOKEN: ServiceTokenResult = Object.freeze({
  access: null,
  valid: false,
  allowExpired: false,
});

/** The auth_token middleware: one instance per paste filter, with its own cache and service token. */
export class AuthTokenMiddleware {
  readonly settings: AuthTokenSettings;
  readonly cache: TokenCache;
  readonly identity: IdentityClient;
  readonly log: Logger;
  #serviceWarningEmitted = false;
  #inflight = new Map<string, Promise<AccessInfo>>();

  constructor(settings: AuthTokenSettings, log: Logger = getLogger(LOG_NAME)) {
    this.settings = settings;
    this.log = log;
    this.cache = new TokenCache({
      ttlSeconds: settings.tokenCacheTime,
      maxEntries: settings.tokenCacheMaxEntries,
    });
    this.identity = new IdentityClient({
      auth: settings.auth,
      interface: settings.interface,
      regionName: settings.regionName,
      timeoutMs: settings.timeoutMs,
      maxRetries: settings.maxRetries,
      includeCatalog: settings.includeServiceCatalog,
      userAgent: "novalet keystonemiddleware.auth_token/10.1.0",
      log,
    });
  }

  /** Wraps the next app (`AuthProtocol.__call__`). */
  filter(next: App): App {
    return async (req: ApiRequest): Promise<ApiResponse> => {
      let early: ApiResponse | null;
      try {
        early = await this.processRequest(req);
      } catch (err) {
        if (!(err instanceof KeystoneUnavailable)) throw err;
        return webobError(req, 503, { detail: KEYSTONE_UNAVAILABLE_DETAIL });
      }
      return early ?? this.processResponse(await next(req));
    };
  }

  /**
   * Authenticates the request (`AuthProtocol.process_request`): returns the
   * 401 answer, or null after setting the identity headers.
   *
   * @throws {KeystoneUnavailable} (internal) when Keystone cannot be asked
   */
  async processRequest(req: ApiRequest): Promise<ApiResponse | null> {
    removeAuthHeaders(req.headers);
    const serviceToken = req.headers.get("x-service-token") || null;
    const service = serviceToken
      ? await this.#checkServiceToken(req, serviceToken)
      : NO_SERVICE_TOKEN;
    const userToken = userTokenOf(req);
    const user = userToken
      ? await this.#checkUserToken(req, userToken, service.allowExpired, serviceToken !== null)
      : null;
    if (!userToken) setStatus(req.headers, USER_STATUS_HEADER, false);
    req.environ.set("keystone.token_auth", { user, service: service.access } as TokenAuth);

    const serviceStatus = req.headers.get(SERVICE_STATUS_HEADER) ?? "Confirmed";
    if (!(user && serviceStatus === "Confirmed")) {
      if (!this.settings.delayAuthDecision) {
        this.log.info("Rejecting request", logContext(req));
        return this.rejectResponse();
      }
      this.log.debug("Deferring reject downstream", logContext(req));
    }
    this.#setHeaders(req, user, service);
    return null;
  }

  /** Adds `WWW-Authenticate` to a 401 from further down (`process_response`). */
  processResponse(res: ApiResponse): ApiResponse {
    if (res.status === 401) res.headers.add(...this.#wwwAuthenticate());
    return res;
  }

  /** The 401 keystonemiddleware answers (`webob.exc.HTTPUnauthorized(body=..., headers=...)`). */
  rejectResponse(): ApiResponse {
    return new ApiResponse(401, [
      ["Content-Type", "application/json"],
      ["Content-Length", String(byteLength(UNAUTHORIZED_BODY))],
      this.#wwwAuthenticate(),
    ], UNAUTHORIZED_BODY);
  }

  #wwwAuthenticate(): [string, string] {
    return ["WWW-Authenticate", `Keystone uri="${this.settings.wwwAuthenticateUri}"`];
  }

  #setHeaders(req: ApiRequest, user: AccessInfo | null, service: ServiceTokenResult): void {
    if (user) {
      setUserHeaders(req.headers, user);
      if (this.settings.includeServiceCatalog) setServiceCatalogHeader(req.headers, user);
    }
    if (service.access && service.valid) setServiceHeaders(req.headers, service.access);
    if (isEnabledFor("DEBUG")) {
      this.log.debug(`Received request from ${describe(user, service.access)}`, logContext(req));
    }
  }

  /** The X-Service-Token part of `BaseAuthProtocol.process_request`. */
  async #checkServiceToken(req: ApiRequest, token: string): Promise<ServiceTokenResult> {
    this.#debug("Authenticating service token", req);
    let access: AccessInfo;
    try {
      access = await this.fetchToken(token, false, req);
      validateTokenExpiry(access, false);
      confirmTokenBind(access, this.settings.enforceTokenBind, this.log);
    } catch (err) {
      if (!(err instanceof InvalidTokenError)) throw err;
      this.log.info("Invalid service token", logContext(req));
      setStatus(req.headers, SERVICE_STATUS_HEADER, false);
      return NO_SERVICE_TOKEN;
    }
    const roles = new Set(access.roleNames);
    const passed = this.settings.serviceTokenRoles.some((r) => roles.has(r));
    let valid = passed;
    if (!this.settings.serviceTokenRolesRequired) {
      // NOTE(parity): keystonemiddleware warns once whether or not the roles
      // check passed, and accepts the token either way.
      if (!this.#serviceWarningEmitted) {
        this.log.warning(
          "A valid token was submitted as a service token, but it was not a valid service " +
            "token. This is incorrect but backwards compatible behaviour. This will be " +
            "removed in future releases.",
        );
        this.#serviceWarningEmitted = true;
      }
      valid = true;
    }
    setStatus(req.headers, SERVICE_STATUS_HEADER, valid);
    // allow_expired always requires passing the role check.
    return { access, valid, allowExpired: passed };
  }

  /** The X-Auth-Token part of `BaseAuthProtocol.process_request`; null when invalid. */
  async #checkUserToken(
    req: ApiRequest,
    token: string,
    allowExpired: boolean,
    hasServiceToken: boolean,
  ): Promise<AccessInfo | null> {
    this.#debug("Authenticating user token", req);
    try {
      // A valid cached token needs no await (the common case).
      const access = this.#cachedValid(token) ?? await this.fetchToken(token, allowExpired, req);
      validateTokenExpiry(access, allowExpired);
      if (hasAccessRules(access)) {
        const facts = { method: req.method, path: req.path, hasServiceToken };
        validateAllowedRequest(facts, access, this.settings.serviceType, this.log);
      }
      if (!hasServiceToken) confirmTokenBind(access, this.settings.enforceTokenBind, this.log);
      setStatus(req.headers, USER_STATUS_HEADER, true);
      req.environ.set("keystone.token_info", access.body);
      return access;
    } catch (err) {
      if (!(err instanceof InvalidTokenError)) throw err;
      this.log.info("Invalid user token", logContext(req));
      setStatus(req.headers, USER_STATUS_HEADER, false);
      return null;
    }
  }

  /**
   * The token's data from the cache or from Keystone (`fetch_token` and
   * `_do_fetch_token`). Keystone's verdict is cached, valid or not.
   *
   * @throws {InvalidTokenError} when the token is not valid (or, with
   *   delay_auth_decision, when Keystone cannot be asked)
   * @throws {KeystoneUnavailable} (internal) when Keystone cannot be asked
   */
  async fetchToken(rawToken: string, allowExpired: boolean, req: ApiRequest): Promise<AccessInfo> {
    // NOTE(edmondsw) in keystonemiddleware: strip whitespace (bug 1689468).
    const token = rawToken.trim();
    // Deliberately stricter than keystonemiddleware, which asks Keystone about "".
    if (!token) throw new InvalidTokenError();
    const cached = this.cache.get(token);
    if (cached?.valid) return cached.access;
    if (cached && !allowExpired) {
      if (isEnabledFor("DEBUG")) {
        this.#debug(`Token ${hashPrefix(token)} is cached as invalid`, req);
      }
      throw new InvalidTokenError();
    }
    try {
      const access = await this.#validateOnce(token, allowExpired);
      this.cache.set(token, { valid: true, access });
      return access;
    } catch (err) {
      throw this.#fetchFailure(err, token, logContext(req));
    }
  }

  /** The data of a token cached as valid, else null (then fetchToken decides). */
  #cachedValid(rawToken: string): AccessInfo | null {
    const token = rawToken.trim();
    const cached = token ? this.cache.get(token) : null;
    return cached?.valid ? cached.access : null;
  }

  /** A DEBUG line; the log context is built only when DEBUG is on (every request passes here). */
  #debug(message: string, req: ApiRequest): void {
    if (isEnabledFor("DEBUG")) this.log.debug(message, logContext(req));
  }

  #fetchFailure(err: unknown, token: string, ctx: LogContext): unknown {
    if (err instanceof InvalidTokenError) {
      this.cache.set(token, { valid: false });
      this.log.debug(`Token validation failure for token ${hashPrefix(token)}.`, ctx);
      this.log.warning("Authorization failed for token", ctx);
      return err;
    }
    if (err instanceof ConnectFailureError || err instanceof ServiceError) {
      this.log.log("CRITICAL", `Unable to validate token: ${err.message}`, ctx);
      if (!this.settings.delayAuthDecision) return new KeystoneUnavailable();
      this.log.debug("Keystone unavailable; marking token as invalid and deferring auth decision.");
      return new InvalidTokenError(`Keystone unavailable: ${err.message}`);
    }
    return err;
  }

  /** One Keystone validation per token at a time: concurrent requests share it. */
  #validateOnce(token: string, allowExpired: boolean): Promise<AccessInfo> {
    const key = `${tokenHash(token)}:${allowExpired}`;
    let pending = this.#inflight.get(key);
    if (!pending) {
      pending = this.identity.validate(token, allowExpired)
        .finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, pending);
    }
    return pending;
  }
}

/** `_AuthTokenRequest.user_token`: X-Auth-Token, else X-Storage-Token. */
function userTokenOf(req: ApiRequest): string | null {
  const token = req.headers.has("x-auth-token")
    ? req.headers.get("x-auth-token")
    : req.headers.get("x-storage-token");
  return token || null;
}

function hashPrefix(token: string): string {
  return `sha256:${tokenHash(token).slice(0, 12)}`;
}

function logContext(req: ApiRequest): LogContext {
  return { requestId: req.requestId, globalRequestId: req.globalRequestId };
}

/** `UserAuthPlugin._log_format`. */
function describe(user: AccessInfo | null, service: AccessInfo | null): string {
  const one = (a: AccessInfo) =>
    `user_id ${a.userId}, project_id ${a.projectId}, roles ${a.roleNames.join(",")}`;
  const parts = [];
  if (user) parts.push(`user: ${one(user)}`);
  if (service) parts.push(`service: ${one(service)}`);
  return parts.join(" ");
}

/**
 * Builds the middleware from nova.conf and a paste section's keys
 * (`AuthProtocol.__init__`).
 *
 * @throws {ConfigError} for a bad paste value or a missing `auth_url`
 */
export function createAuthToken(
  conf: Conf,
  pasteConf: Readonly<Record<string, string>> = {},
): AuthTokenMiddleware {
  const log = getLogger(LOG_NAME);
  log.info("Starting Keystone auth_token middleware");
  const settings = resolveAuthTokenSettings(conf, pasteConf, log);
  if (!settings.serviceTokenRolesRequired) {
    log.warning(
      "AuthToken middleware is set with keystone_authtoken.service_token_roles_required set " +
        "to False. This is backwards compatible but deprecated behaviour. Please set this to True.",
    );
  }
  if (settings.memcachedServers?.length) {
    log.warning("memcached_servers is set but unused: novalet caches tokens in-process");
  }
  return new AuthTokenMiddleware(settings, log);
}

/**
 * paste `keystonemiddleware.auth_token:filter_factory`: paste's global conf
 * and the section's local conf override `[keystone_authtoken]`.
 */
export const filterFactory: FilterFactory = (ctx, global, local) => {
  const middleware = createAuthToken(ctx.conf, { ...global, ...local });
  return (next) => middleware.filter(next);
};
