/**
 * A small Keystone v3 client for the auth_token middleware: it gets a token
 * for its own service user (password method), keeps it until shortly before
 * it expires, and validates users' tokens with it.
 *
 * Mirrors what keystonemiddleware builds from keystoneauth1 and
 * keystoneclient: the `password` auth plugin (`keystoneauth1.identity.v3`),
 * a `Session` with `timeout = http_connect_timeout`, an `Adapter` for the
 * identity service with `interface`, `region_name` and
 * `connect_retries = http_request_max_retries`, and
 * `auth_token._identity.IdentityServer.verify_token`.
 *
 * Differences, on purpose: no version discovery (a versioned `/v3` URL is
 * used as is, an unversioned one gets `/v3` appended), and one
 * re-authentication on a 401 instead of keystoneauth's two nested ones.
 *
 * @module
 */

import { AccessInfo, MIN_TOKEN_LIFE_SECONDS, type V3Service } from "./access_info.ts";
import {
  ConnectFailureError,
  EndpointNotFoundError,
  InvalidTokenError,
  ServiceError,
} from "./errors.ts";
import type { Logger } from "../log.ts";

/** The password plugin's settings (keystoneauth1 `password` / `v3password`). */
export interface PasswordAuthOptions {
  authUrl: string;
  userId?: string | null;
  username?: string | null;
  userDomainId?: string | null;
  userDomainName?: string | null;
  password?: string | null;
  projectId?: string | null;
  projectName?: string | null;
  projectDomainId?: string | null;
  projectDomainName?: string | null;
  domainId?: string | null;
  domainName?: string | null;
  systemScope?: string | null;
}

/** Settings of {@link IdentityClient}. */
export interface IdentityClientOptions {
  auth: PasswordAuthOptions;
  /** Catalog interface of the identity endpoint that validates tokens. */
  interface: string;
  regionName: string | null;
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
  /** Retries of a validation that cannot connect (`http_request_max_retries`). */
  maxRetries: number;
  /** Ask for the catalog in validations (`include_service_catalog`). */
  includeCatalog: boolean;
  userAgent: string;
  log: Logger;
}

/** The service user's own token. */
interface ServiceAuth {
  token: string;
  access: AccessInfo;
}

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** keystoneauth1.session: first retry delay and its cap, in milliseconds. */
const RETRY_DELAY_START_MS = 500;
const RETRY_DELAY_MAX_MS = 60_000;

/** Talks to Keystone for the auth_token middleware. */
export class IdentityClient {
  /** HTTP requests sent to Keystone, per kind (tests count them). */
  readonly stats = { authenticate: 0, validate: 0 };
  readonly #options: IdentityClientOptions;
  readonly #authBase: string;
  #auth: ServiceAuth | null = null;
  #pending: Promise<ServiceAuth> | null = null;

  constructor(options: IdentityClientOptions) {
    this.#options = options;
    this.#authBase = versionedUrl(options.auth.authUrl);
  }

  /** Drops the service token so that the next call authenticates again (`Adapter.invalidate`). */
  invalidate(): void {
    this.#auth = null;
  }

  /**
   * The service user's token, reused until it is within two minutes of
   * expiring (keystoneauth's `MIN_TOKEN_LIFE_SECONDS`). Concurrent callers
   * share one authentication.
   *
   * @throws {ConnectFailureError} when Keystone cannot be reached
   * @throws {ServiceError} when Keystone refuses the service user
   */
  serviceAuth(): Promise<ServiceAuth> {
    const auth = this.#auth;
    if (auth && !auth.access.willExpireSoon(MIN_TOKEN_LIFE_SECONDS)) return Promise.resolve(auth);
    this.#pending ??= this.#authenticate().finally(() => this.#pending = null);
    return this.#pending;
  }

  /**
   * Validates a user's token: `GET /v3/auth/tokens` with the token in
   * `X-Subject-Token`. Mirrors `IdentityServer.verify_token`.
   *
   * @param token the token to check (already stripped)
   * @param allowExpired ask Keystone to accept a recently expired token
   * @returns the token data
   * @throws {InvalidTokenError} when Keystone answers 404 or the body is not token data
   * @throws {ServiceError} for any other answer but 200
   * @throws {ConnectFailureError} when Keystone cannot be reached after the retries
   * @throws {EndpointNotFoundError} when the catalog has no identity endpoint
   */
  async validate(token: string, allowExpired = false): Promise<AccessInfo> {
    const log = this.#options.log;
    let res = await this.#validateOnce(token, allowExpired);
    if (res.status === 401) {
      // keystoneauth's Session: a 401 invalidates the service token, then retries once.
      log.info("Identity server rejected authorization");
      log.warning(`Identity response: ${res.text}`);
      this.invalidate();
      res = await this.#validateOnce(token, allowExpired);
    }
    if (res.status === 200) return parseTokenBody(res.text);
    if (res.status === 404) {
      log.info("Authorization failed for token");
      log.info(`Identity response: ${res.text}`);
      throw new InvalidTokenError();
    }
    if (res.status === 401) {
      throw new ServiceError(
        "Identity server rejected authorization necessary to fetch token data",
      );
    }
    log.error(`Bad response code while validating token: ${res.status}`);
    log.warning(`Identity response: ${res.text}`);
    throw new ServiceError("Failed to fetch token data from identity server");
  }

  async #validateOnce(token: string, allowExpired: boolean): Promise<RawResponse> {
    const auth = await this.serviceAuth();
    const base = this.#identityEndpoint(auth.access);
    const flags = [
      ...(this.#options.includeCatalog ? [] : ["nocatalog"]),
      ...(allowExpired ? ["allow_expired=1"] : []),
    ];
    const url = `${base}/auth/tokens${flags.length ? "?" + flags.join("&") : ""}`;
    const headers = {
      "Accept": "application/json",
      "User-Agent": this.#options.userAgent,
      "X-Auth-Token": auth.token,
      "X-Subject-Token": token,
      // keystonemiddleware enforces application credential access rules itself.
      "OpenStack-Identity-Access-Rules": "1",
    };
    return await this.#send(url, { method: "GET", headers }, this.#options.maxRetries, "validate");
  }

  async #authenticate(): Promise<ServiceAuth> {
    const body = JSON.stringify(passwordAuthBody(this.#options.auth));
    const headers = {
      "Accept": "application/json",
      "Content-Type": "application/json",
      "User-Agent": this.#options.userAgent,
    };
    // NOTE(parity): keystoneauth's auth plugin posts without connect retries;
    // only the validations through the Adapter are retried.
    const url = `${this.#authBase}/auth/tokens`;
    const res = await this.#send(url, { method: "POST", headers, body }, 0, "authenticate");
    const token = res.headers.get("x-subject-token");
    if (res.status !== 201 && res.status !== 200 || !token) {
      throw new ServiceError(
        `Unable to authenticate the service user at ${url}: HTTP ${res.status} ${res.text}`,
      );
    }
    let access: AccessInfo;
    try {
      access = parseTokenBody(res.text);
    } catch {
      throw new ServiceError(`Unexpected answer to the service user's authentication at ${url}`);
    }
    this.#auth = { token, access };
    return this.#auth;
  }

  #identityEndpoint(access: AccessInfo): string {
    const { interface: iface, regionName } = this.#options;
    const url = findEndpoint(access.catalog, "identity", iface, regionName);
    if (url === null) {
      this.invalidate();
      throw new EndpointNotFoundError(
        `Could not find identity endpoint for interface ${iface}` +
          (regionName ? ` in region ${regionName}` : "") + " in the service user's catalog",
      );
    }
    return versionedUrl(url);
  }

  /** One request with keystoneauth's connect retries (0.5 s, 1 s, 2 s ... apart). */
  async #send(
    url: string,
    init: RequestInit,
    retries: number,
    kind: keyof IdentityClient["stats"],
  ): Promise<RawResponse> {
    let delay = RETRY_DELAY_START_MS;
    for (let left = retries;; left--) {
      try {
        this.stats[kind]++;
        return await this.#sendOnce(url, init);
      } catch (err) {
        if (!(err instanceof ConnectFailureError) || left <= 0) throw err;
        this.#options.log.info(`Failure: ${err.message}. Retrying in ${delay / 1000}s.`);
        await sleep(delay);
        delay = Math.min(delay * 2, RETRY_DELAY_MAX_MS);
      }
    }
  }

  async #sendOnce(url: string, init: RequestInit): Promise<RawResponse> {
    const signal = AbortSignal.timeout(this.#options.timeoutMs);
    try {
      const res = await fetch(url, { ...init, signal });
      return { status: res.status, headers: res.headers, text: await res.text() };
    } catch (err) {
      if (err instanceof DOMException && err.name === "TimeoutError") {
        throw new ConnectFailureError(`Request to ${url} timed out`);
      }
      const why = err instanceof Error ? err.message : String(err);
      throw new ConnectFailureError(`Unable to establish connection to ${url}: ${why}`);
    }
  }
}

/** The JSON body of a v3 password authentication (keystoneauth1 `v3.Password`). */
export function passwordAuthBody(auth: PasswordAuthOptions): unknown {
  const user: Record<string, unknown> = { password: auth.password ?? null };
  if (auth.userId) {
    user.id = auth.userId;
  } else if (auth.username) {
    user.name = auth.username;
    const domain = idOrName(auth.userDomainId, auth.userDomainName);
    if (domain) user.domain = domain;
  }
  const body: Record<string, unknown> = {
    identity: { methods: ["password"], password: { user } },
  };
  const scope = authScope(auth);
  if (scope) body.scope = scope;
  return { auth: body };
}

function authScope(auth: PasswordAuthOptions): Record<string, unknown> | null {
  if (auth.systemScope) {
    return auth.systemScope === "all" ? { system: { all: true } } : null;
  }
  const domain = idOrName(auth.domainId, auth.domainName);
  if (domain) return { domain };
  if (auth.projectId) return { project: { id: auth.projectId } };
  if (!auth.projectName) return null;
  const project: Record<string, unknown> = { name: auth.projectName };
  const projectDomain = idOrName(auth.projectDomainId, auth.projectDomainName);
  if (projectDomain) project.domain = projectDomain;
  return { project };
}

function idOrName(id?: string | null, name?: string | null): Record<string, string> | null {
  if (id) return { id };
  if (name) return { name };
  return null;
}

/**
 * The URL of a service in a v3 catalog for an interface (`internal` or
 * `internalURL`) and, when given, a region. Mirrors
 * `ServiceCatalogV3.url_for`: the first match wins.
 */
export function findEndpoint(
  catalog: readonly V3Service[],
  type: string,
  iface: string,
  regionName: string | null,
): string | null {
  const wanted = iface.replace(/URL$/, "");
  for (const service of catalog) {
    if (service.type !== type) continue;
    for (const ep of service.endpoints ?? []) {
      if (ep.interface !== wanted) continue;
      if (regionName && ep.region_id !== regionName && ep.region !== regionName) continue;
      return ep.url;
    }
  }
  return null;
}

/**
 * An identity URL with its version: `.../v3` as is, `.../v2.0` replaced,
 * anything else with `/v3` appended.
 */
export function versionedUrl(url: string): string {
  const base = url.replace(/\/+$/, "");
  if (/\/v3(\.\d+)?$/.test(base)) return base;
  if (/\/v2\.0$/.test(base)) return base.replace(/\/v2\.0$/, "/v3");
  return `${base}/v3`;
}

function parseTokenBody(text: string): AccessInfo {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ServiceError("Failed to fetch token data from identity server");
  }
  return new AccessInfo(body);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
