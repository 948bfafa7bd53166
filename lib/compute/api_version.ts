/**
 * Microversions: nova's APIVersionRequest and the header parsing of
 * microversion_parse. Mirrors nova/api/openstack/api_version_request.py.
 *
 * @module
 */

import { HttpError } from "../errors.ts";

export const MIN_API_VERSION = "2.1";
export const MAX_API_VERSION = "2.93";

const VERSION_RE = /^([1-9]\d*)\.([1-9]\d*|0)$/;

/** An immutable microversion; the null version (0.0) is an open bound. */
export class ApiVersion {
  readonly #major: number;
  readonly #minor: number;

  private constructor(major: number, minor: number) {
    this.#major = major;
    this.#minor = minor;
  }

  static readonly NULL = new ApiVersion(0, 0);

  /**
   * Parses `X.Y` with nova's regex.
   *
   * @throws {HttpError} 400 with nova's wording when the text is malformed
   */
  static parse(text: string): ApiVersion {
    const m = VERSION_RE.exec(text);
    if (!m) {
      throw new HttpError(
        400,
        `API Version String ${text} is of invalid format. Must be of format MajorNum.MinorNum.`,
      );
    }
    return new ApiVersion(Number(m[1]), Number(m[2]));
  }

  get major(): number {
    return this.#major;
  }

  get minor(): number {
    return this.#minor;
  }

  isNull(): boolean {
    return this.#major === 0 && this.#minor === 0;
  }

  /** Negative, zero or positive as this version is below, equal to or above `other`. */
  compare(other: ApiVersion): number {
    return this.#major - other.#major || this.#minor - other.#minor;
  }

  /** True when `min <= this <= max`; a null bound is open. */
  matches(min: ApiVersion, max: ApiVersion): boolean {
    if (this.isNull()) throw new TypeError("Null APIVersionRequest cannot be matched");
    if (max.isNull() && min.isNull()) return true;
    if (max.isNull()) return min.compare(this) <= 0;
    if (min.isNull()) return this.compare(max) <= 0;
    return min.compare(this) <= 0 && this.compare(max) <= 0;
  }

  /** nova's `api_version_request.is_supported(req, min)`: this >= `version`. */
  atLeast(version: string | ApiVersion): boolean {
    return this.compare(typeof version === "string" ? ApiVersion.of(version) : version) >= 0;
  }

  /** Parses a version known to be valid (a constant in code), cached. */
  static of(text: string): ApiVersion {
    let v = CACHE.get(text);
    if (!v) {
      v = ApiVersion.parse(text);
      CACHE.set(text, v);
    }
    return v;
  }

  toString(): string {
    return `${this.#major}.${this.#minor}`;
  }
}

const CACHE = new Map<string, ApiVersion>();

export const MIN_VERSION = ApiVersion.of(MIN_API_VERSION);
export const MAX_VERSION = ApiVersion.of(MAX_API_VERSION);

/**
 * The version string a request asks for (microversion_parse.get_version):
 * `OpenStack-API-Version: compute X.Y` first (the last `compute` entry of a
 * comma-separated list), else the legacy `X-OpenStack-Nova-API-Version`
 * (its last comma-separated value). `null` when neither names one.
 */
export function requestedVersion(header: (name: string) => string | null): string | null {
  const standard = header("openstack-api-version");
  if (standard !== null) {
    const entries = standard.split(",").reverse();
    for (const entry of entries) {
      const parts = entry.trim().split(/\s+/);
      if (parts.length >= 2 && parts[0].toLowerCase() === "compute") {
        return entry.trim().slice(parts[0].length).trim();
      }
    }
  }
  const legacy = header("x-openstack-nova-api-version");
  if (legacy !== null) return legacy.split(",").at(-1)!.trim();
  return null;
}

/**
 * The request's microversion as nova's `set_api_version_request` decides it.
 * Returns the version; for a version out of range returns it with the 406
 * error to raise, since nova's fault then echoes the requested version.
 *
 * @throws {HttpError} 400 for a malformed version string
 */
export function negotiateVersion(
  header: (name: string) => string | null,
): { version: ApiVersion; error: HttpError | null } {
  const text = requestedVersion(header);
  if (text === null) return { version: MIN_VERSION, error: null };
  if (text === "latest") return { version: MAX_VERSION, error: null };
  const version = ApiVersion.parse(text);
  if (!version.matches(MIN_VERSION, MAX_VERSION)) {
    return {
      version,
      error: new HttpError(
        406,
        `Version ${version} is not supported by the API. Minimum is ${MIN_API_VERSION} and maximum is ${MAX_API_VERSION}.`,
      ),
    };
  }
  return { version, error: null };
}
