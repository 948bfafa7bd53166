/**
 * A validated Keystone v3 token: the fields auth_token reads from the body of
 * `GET /v3/auth/tokens` (or `POST`, for the service user's own token).
 *
 * Mirrors `keystoneauth1.access.AccessInfoV3`: a missing field reads as
 * `null` (its `_missingproperty`), `is_admin_project` defaults to true.
 *
 * @module
 */

import { InvalidTokenError } from "./errors.ts";

/** One endpoint of a v3 catalog entry. */
export interface V3Endpoint {
  interface: string;
  url: string;
  region?: string | null;
  region_id?: string | null;
  id?: string;
}

/** One service of a v3 catalog. */
export interface V3Service {
  type: string;
  name?: string;
  id?: string;
  endpoints?: V3Endpoint[];
}

type Json = Record<string, unknown>;

/** Seconds before expiry at which keystoneauth re-authenticates (`MIN_TOKEN_LIFE_SECONDS`). */
export const MIN_TOKEN_LIFE_SECONDS = 120;

/** The token data of one validation, read the way keystoneauth reads it. */
export class AccessInfo {
  /** The whole `{"token": {...}}` body, as keystone.token_info holds it. */
  readonly body: { token: Json };
  /** `expires_at` in milliseconds since the epoch. */
  readonly expiresAt: number;

  /**
   * @param body the JSON body Keystone answered with
   * @throws {InvalidTokenError} when the body has no `token` object or no
   *   parseable `expires_at` (keystonemiddleware's "Invalid token contents")
   */
  constructor(body: unknown) {
    const token = isObject(body) ? body.token : undefined;
    if (!isObject(token)) throw new InvalidTokenError();
    const expires = typeof token.expires_at === "string" ? parseIsoTime(token.expires_at) : NaN;
    if (Number.isNaN(expires)) throw new InvalidTokenError();
    this.body = { token };
    this.expiresAt = expires;
  }

  get #token(): Json {
    return this.body.token;
  }

  get userId(): string | null {
    return field(this.#token.user, "id");
  }
  get username(): string | null {
    return field(this.#token.user, "name");
  }
  get userDomainId(): string | null {
    return field(member(this.#token.user, "domain"), "id");
  }
  get userDomainName(): string | null {
    return field(member(this.#token.user, "domain"), "name");
  }
  get projectId(): string | null {
    return field(this.#token.project, "id");
  }
  get projectName(): string | null {
    return field(this.#token.project, "name");
  }
  get projectDomainId(): string | null {
    return field(member(this.#token.project, "domain"), "id");
  }
  get projectDomainName(): string | null {
    return field(member(this.#token.project, "domain"), "name");
  }
  get domainId(): string | null {
    return field(this.#token.domain, "id");
  }
  get domainName(): string | null {
    return field(this.#token.domain, "name");
  }

  /** Role names in the order Keystone lists them. */
  get roleNames(): string[] {
    const roles = this.#token.roles;
    if (!Array.isArray(roles)) return [];
    return roles.map((r) => field(r, "name")).filter((n): n is string => n !== null);
  }

  /** `is_admin_project`, true when Keystone does not say (keystoneauth's default). */
  get isAdminProject(): boolean {
    const value = this.#token.is_admin_project;
    return value === undefined ? true : Boolean(value);
  }

  /** `"all"` for a token scoped to the whole system, else null (`_get_system_scope`). */
  get systemScope(): string | null {
    const system = this.#token.system;
    return isObject(system) && system.all ? "all" : null;
  }

  /** Whether the body carries a catalog (`has_service_catalog`). */
  get hasCatalog(): boolean {
    return "catalog" in this.#token;
  }

  /** The v3 catalog, or an empty list. */
  get catalog(): V3Service[] {
    const catalog = this.#token.catalog;
    return Array.isArray(catalog) ? catalog.filter(isObject) as unknown as V3Service[] : [];
  }

  /** The token's `bind` object, or null. */
  get bind(): Record<string, unknown> | null {
    const bind = this.#token.bind;
    return isObject(bind) ? bind : null;
  }

  /** The `application_credential` object of an application credential token, or null. */
  get applicationCredential(): Json | null {
    const cred = this.#token.application_credential;
    return isObject(cred) ? cred : null;
  }

  /**
   * keystoneauth's `will_expire_soon(stale_duration)`: whether the token
   * expires within `staleSeconds` from `now`.
   */
  willExpireSoon(staleSeconds: number, now = Date.now()): boolean {
    return this.expiresAt < now + staleSeconds * 1000;
  }
}

/** Parses Keystone's ISO 8601 times (`2026-11-26T03:26:50.000000Z`); NaN when unparseable. */
export function parseIsoTime(text: string): number {
  // Keystone writes microseconds; JavaScript keeps milliseconds.
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$/.exec(text.trim());
  if (!m) return NaN;
  const fraction = m[2] ? `.${m[2].slice(0, 3).padEnd(3, "0")}` : "";
  const zone = m[3] === undefined ? "Z" : m[3] === "Z" ? "Z" : normalizeZone(m[3]);
  return Date.parse(`${m[1]}${fraction}${zone}`);
}

function normalizeZone(zone: string): string {
  return zone.includes(":") ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function member(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

function field(value: unknown, key: string): string | null {
  const v = member(value, key);
  return typeof v === "string" ? v : null;
}
