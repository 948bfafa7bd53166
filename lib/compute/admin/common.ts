/**
 * Helpers the admin controllers share: nova's `utils.validate_integer`,
 * oslo's strict `bool_from_string`, the request context, and turning the
 * nova exceptions of the host API into HTTP errors.
 *
 * Mirrors nova/utils.py `validate_integer` and
 * oslo_utils/strutils.py `bool_from_string`.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest, AuthContext } from "../../request.ts";
import { pyInt } from "../../validation/pynum.ts";
import { boolFromString } from "../flavors/extra_specs/validators.ts";

/**
 * `utils.validate_integer(value, name)`: Python's `int(str(value))`.
 *
 * @throws {HttpError} 400 "Invalid input received: <name> must be an integer"
 */
export function validateInteger(value: string, name: string): number {
  const n = pyInt(value);
  if (n === null) throw new HttpError(400, `Invalid input received: ${name} must be an integer`);
  return Number(n);
}

/** Python's `int(str(value))`, or null where it raises ValueError. */
export function intOrNull(value: string): number | null {
  const n = pyInt(value);
  return n === null ? null : Number(n);
}

const STRICT_VALUES = "'1', 't', 'true', 'on', 'y', 'yes', '0', 'f', 'false', 'off', 'n', 'no'";

/**
 * `strutils.bool_from_string(value, strict=True)` (a JSON boolean passes as is).
 *
 * @throws {HttpError} 400 with oslo's ValueError text (nova's handlers do
 *   not catch the ValueError, a 500; the schemas let no such value through)
 */
export function strictBool(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  const parsed = boolFromString(String(value));
  if (parsed === null) {
    throw new HttpError(
      400,
      `Unrecognized value '${value}', acceptable values are: ${STRICT_VALUES}`,
    );
  }
  return parsed;
}

/** The request's auth context (the noauth/keystone filters always set it). */
export function authOf(req: ApiRequest): AuthContext {
  if (!req.context) throw new Error("the request has no auth context");
  return req.context;
}

/** Nova's `%s` of a value in a message (`None` for null). */
export function pyStrOf(value: unknown): string {
  return value === null || value === undefined ? "None" : String(value);
}
