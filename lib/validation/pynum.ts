/**
 * Python's `int()` and `float()` applied to request values, for
 * `_SchemaValidator._number_from_str` (nova/api/validation/validators.py),
 * which lets `minimum`/`maximum` check numeric strings like `"64"`.
 *
 * @module
 */

import { PyFloat } from "../response.ts";
import { decimalValue, isPySpace } from "./unicode.ts";
import { PyException } from "./errors.ts";

/** A Python int (number when safe, bigint beyond) or float (`PyFloat`). */
export type PyNum = number | bigint | PyFloat;

/** CPython's default `sys.get_int_max_str_digits()` (3.11). */
const INT_MAX_STR_DIGITS = 4300;

/**
 * `_number_from_str`: `int(x)`, else `float(x)`, else `null`.
 *
 * NOTE(parity): `int()` truncates floats, so `0.5` is checked as `0`
 * (nova rejects `"rxtx_factor": 0.5` with "0 is less than or equal to the
 * minimum of 0"), and `int(inf)` raises OverflowError (a 500 in nova; the
 * bound checks of schema.ts compare the float instead).
 */
export function numberFromStr(value: unknown): PyNum | null {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "bigint") return value;
  if (typeof value === "number") return truncate(value);
  if (value instanceof PyFloat) return truncate(value.value);
  if (typeof value !== "string") return null;
  const ascii = transformDecimalAndSpace(value);
  return pyIntFromAscii(ascii) ?? pyFloatFromAscii(ascii);
}

function truncate(n: number): PyNum {
  if (Number.isInteger(n)) return n;
  if (Number.isNaN(n)) return new PyFloat(n); // int(nan) is a ValueError; float(nan) is nan
  if (!Number.isFinite(n)) {
    throw new PyException("OverflowError", "cannot convert float infinity to integer");
  }
  const t = Math.trunc(n);
  return Object.is(t, -0) ? 0 : t;
}

/**
 * `_PyUnicode_TransformDecimalAndSpaceToASCII`: Unicode spaces become ' ',
 * Unicode decimal digits their ASCII digit, other non-ASCII '?'.
 */
function transformDecimalAndSpace(s: string): string {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) out += ch;
    else if (isPySpace(cp)) out += " ";
    else {
      const d = decimalValue(cp);
      out += d >= 0 ? String(d) : "?";
    }
  }
  return out;
}

const INT_RE = /^[ \t\n\r\f\v]*([+-]?)([0-9](?:_?[0-9])*)[ \t\n\r\f\v]*$/;

/** `int(s)` in base 10, or null where Python raises ValueError. */
export function pyInt(s: string): number | bigint | null {
  return pyIntFromAscii(transformDecimalAndSpace(s));
}

function pyIntFromAscii(s: string): number | bigint | null {
  const m = INT_RE.exec(s);
  if (!m) return null;
  const digits = m[2].replaceAll("_", "");
  if (digits.length > INT_MAX_STR_DIGITS) return null;
  if (digits.length <= 15) {
    const n = Number(digits);
    return m[1] === "-" && n !== 0 ? -n : n;
  }
  const big = BigInt(digits);
  return m[1] === "-" ? -big : big;
}

const FLOAT_RE =
  /^[+-]?(?:(?:[0-9](?:_?[0-9])*)?\.?[0-9](?:_?[0-9])*(?:[eE][+-]?[0-9](?:_?[0-9])*)?|[0-9](?:_?[0-9])*\.(?:[eE][+-]?[0-9](?:_?[0-9])*)?|inf|infinity|nan)$/i;

/** `float(s)`, or null where Python raises ValueError. */
export function pyFloat(s: string): PyFloat | null {
  return pyFloatFromAscii(transformDecimalAndSpace(s));
}

function pyFloatFromAscii(s: string): PyFloat | null {
  const t = s.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, "");
  if (!FLOAT_RE.test(t)) return null;
  const body = t.replaceAll("_", "").toLowerCase();
  const sign = body.startsWith("-") ? -1 : 1;
  const bare = body.replace(/^[+-]/, "");
  if (bare === "nan") return new PyFloat(NaN);
  if (bare === "inf" || bare === "infinity") return new PyFloat(sign * Infinity);
  return new PyFloat(Number(body));
}
