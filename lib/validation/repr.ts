/**
 * Python's view of JSON values: `repr()`, `str()`, `==` and type names, so
 * that validation messages print values exactly as nova does
 * (`{'name': 's1', 'ram': 64}`, `True`, `None`, `1.0`, `'x'`).
 *
 * JSON numbers arrive as JS numbers: an integral number is a Python `int`,
 * any other a `float`. A value Python holds as a float although it is
 * integral (`1.0` in the request text) is a `PyFloat` (lib/response.ts);
 * a `bigint` is an `int` too big for a double.
 *
 * @module
 */

import { PyFloat, pyFloatRepr } from "../response.ts";
import { isPrintable } from "./unicode.ts";

export { PyFloat };

/** `repr(value)` of Python, for JSON-ish values (dict, list, str, int, float, bool, None). */
export function pyRepr(value: unknown): string {
  switch (typeof value) {
    case "string":
      return pyStrRepr(value);
    case "number":
      return Number.isInteger(value) ? pyIntRepr(value) : pyFloatRepr(value);
    case "bigint":
      return value.toString();
    case "boolean":
      return value ? "True" : "False";
    case "object":
      if (value === null) return "None";
      if (value instanceof PyFloat) return pyFloatRepr(value.value);
      if (Array.isArray(value)) return listRepr(value);
      return dictRepr(value as Record<string, unknown>);
    default:
      return "None";
  }
}

/** `str(value)` of Python: a string as it is, anything else as its repr. */
export function pyStr(value: unknown): string {
  return typeof value === "string" ? value : pyRepr(value);
}

function listRepr(items: unknown[]): string {
  let out = "[";
  for (let i = 0; i < items.length; i++) out += (i ? ", " : "") + pyRepr(items[i]);
  return out + "]";
}

function dictRepr(obj: Record<string, unknown>): string {
  let out = "{";
  let first = true;
  for (const key in obj) {
    out += (first ? "" : ", ") + pyStrRepr(key) + ": " + pyRepr(obj[key]);
    first = false;
  }
  return out + "}";
}

/** `repr(int)`: digits without a fraction, also beyond 2**53 and for `-0`. */
export function pyIntRepr(n: number): string {
  if (Object.is(n, -0)) return "0";
  return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
}

export { pyFloatRepr };

/**
 * `repr(str)`: single quotes unless the text holds `'` and no `"`;
 * `\\`, `\t`, `\n`, `\r`, the quote, and characters that are not printable
 * (by Python's Unicode 14 tables) escaped as `\xNN`, `\uNNNN`, `\UNNNNNNNN`.
 */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  if (/^[ !#-&(-\[\]-~]*$/.test(s)) return quote + s + quote;
  let out = quote;
  for (const ch of s) out += escapeChar(ch, quote);
  return out + quote;
}

function escapeChar(ch: string, quote: string): string {
  if (ch === quote || ch === "\\") return "\\" + ch;
  if (ch === "\t") return "\\t";
  if (ch === "\n") return "\\n";
  if (ch === "\r") return "\\r";
  const cp = ch.codePointAt(0) as number;
  if (cp < 0x7f) return cp < 0x20 ? "\\x" + hex(cp, 2) : ch;
  if (isPrintable(cp)) return ch;
  if (cp <= 0xff) return "\\x" + hex(cp, 2);
  return cp <= 0xffff ? "\\u" + hex(cp, 4) : "\\U" + hex(cp, 8);
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/** Python's type name of a JSON value (`int`, `float`, `str`, `bool`, `NoneType`, `list`, `dict`). */
export function pyTypeName(value: unknown): string {
  switch (typeof value) {
    case "string":
      return "str";
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    case "bigint":
      return "int";
    case "boolean":
      return "bool";
    case "object":
      if (value === null) return "NoneType";
      if (value instanceof PyFloat) return "float";
      return Array.isArray(value) ? "list" : "dict";
    default:
      return "NoneType";
  }
}

/** True for the values Python holds as `int` (not `bool`). */
export function isPyInt(value: unknown): value is number | bigint {
  return typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value));
}

/** True for `int` or `float` (not `bool`): jsonschema's "number". */
export function isPyNumber(value: unknown): value is number | bigint | PyFloat {
  return typeof value === "number" || typeof value === "bigint" || value instanceof PyFloat;
}

/** True for a JSON object (Python `dict`). */
export function isPyDict(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof PyFloat);
}

/** The numeric value of an int/float/bool, for comparisons; NaN for anything else. */
export function numericValue(value: unknown): number | bigint {
  if (typeof value === "number" || typeof value === "bigint") return value;
  if (value instanceof PyFloat) return value.value;
  if (typeof value === "boolean") return value ? 1 : 0;
  return NaN;
}

/** Python's `a == b` for JSON values (`True == 1`, `1 == 1.0`, deep for list and dict). */
export function pyEquals(a: unknown, b: unknown): boolean {
  const na = numericValue(a);
  if (na === na) {
    const nb = numericValue(b);
    // deno-lint-ignore eqeqeq
    return nb === nb && na == nb;
  }
  return structuralEquals(a, b, pyEquals);
}

/**
 * jsonschema's `_utils.equal`: like `==` but `True`/`False` equal only
 * themselves, also inside lists and dicts.
 */
export function jsonschemaEquals(a: unknown, b: unknown): boolean {
  if (typeof a === "string" || typeof b === "string") return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return structuralEquals(a, b, jsonschemaEquals);
  if (isPyDict(a) && isPyDict(b)) return structuralEquals(a, b, jsonschemaEquals);
  if (typeof a === "boolean" || typeof b === "boolean") return a === b;
  return pyEquals(a, b);
}

function structuralEquals(
  a: unknown,
  b: unknown,
  eq: (x: unknown, y: unknown) => boolean,
): boolean {
  if (typeof a === "string" || a === null || a === undefined) return a === b;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => eq(x, b[i]));
  }
  if (!isPyDict(a) || !isPyDict(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && eq(a[k], b[k]));
}
