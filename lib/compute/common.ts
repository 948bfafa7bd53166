/**
 * Helpers every compute controller shares: reading query parameters as
 * webob does, `common.get_limit_and_marker`, and
 * `api_version_request.is_supported`.
 *
 * Mirrors nova/api/openstack/common.py and api_version_request.py.
 *
 * @module
 */

import { HttpError } from "../errors.ts";
import type { ApiRequest } from "../request.ts";
import type { QueryDict } from "../validation/mod.ts";
import { pyInt } from "../validation/pynum.ts";
import { MIN_VERSION } from "./api_version.ts";

/** `api_version_request.is_supported(req, min_version)`. */
export function isSupported(req: ApiRequest, min: string): boolean {
  return (req.apiVersion ?? MIN_VERSION).atLeast(min);
}

/** The last value of a query parameter (webob's `params.get(name)`). */
export function lastParam(params: QueryDict, name: string): string | undefined {
  return params[name]?.at(-1);
}

/**
 * `common._get_int_param`: `utils.validate_integer(value, name, min_value=0)`.
 *
 * @throws {HttpError} 400 "Invalid input received: <name> must be an integer" / "must be >= 0"
 */
export function intParam(params: QueryDict, name: string): number | undefined {
  const raw = lastParam(params, name);
  if (raw === undefined) return undefined;
  const value = pyInt(raw);
  if (value === null) {
    throw new HttpError(400, `Invalid input received: ${name} must be an integer`);
  }
  if (value < 0) throw new HttpError(400, `Invalid input received: ${name} must be >= 0`);
  return Number(value);
}

/** `common.get_limit_and_marker`: `min(max_limit, limit)` and the marker. */
export function limitAndMarker(
  params: QueryDict,
  maxLimit: number,
): { limit: number; marker: string | null } {
  const limit = intParam(params, "limit");
  return {
    limit: limit === undefined ? maxLimit : Math.min(maxLimit, limit),
    marker: lastParam(params, "marker") ?? null,
  };
}
