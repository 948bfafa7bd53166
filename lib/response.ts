/**
 * The response object apps and filters return: a status, an ordered header
 * list that keeps duplicates and spelling, and a body. The server writes it
 * the way eventlet.wsgi does.
 *
 * @module
 */

import { ResponseHeaders } from "./http/headers.ts";

export type Body = string | Uint8Array | null;

/**
 * A body sent as it is produced (image downloads): chunks whose lengths add
 * up to `length`, the Content-Length. The server iterates `chunks` once
 * after the head, or only ends the iteration (`return()`) when no body is
 * sent (HEAD, a failed head), so a generator that opens its source inside
 * its body leaks nothing. Chunks past `length` are cut; fewer bytes than
 * `length` close the connection. The server is done with a chunk when it
 * asks for the next one, so a producer may reuse its buffer.
 */
export interface StreamedBody {
  readonly length: number;
  readonly chunks: AsyncIterable<Uint8Array>;
}

/** One HTTP response on its way up the pipeline. */
export class ApiResponse {
  status: number;
  /** Reason phrase; when unset the server uses webob's phrase for the status. */
  reason: string | null;
  readonly headers: ResponseHeaders;
  body: Body;
  /** A body written as it is produced; when set, `body` is not sent. */
  stream: StreamedBody | null = null;
  /**
   * Close the connection after this response (eventlet does for 414 and
   * for some 400s it answers itself).
   */
  closeConnection = false;
  /** Send `HTTP/1.0` in the status line (eventlet's own early errors do). */
  http10 = false;
  /**
   * Set by the server: a body that must not be sent (HEAD), though its
   * Content-Length is.
   */
  constructor(
    status: number,
    headers: [string, string][] | ResponseHeaders = [],
    body: Body = null,
    reason: string | null = null,
  ) {
    this.status = status;
    this.headers = headers instanceof ResponseHeaders ? headers : new ResponseHeaders(headers);
    this.body = body;
    this.reason = reason;
  }

  /** The body as bytes (UTF-8 for strings). */
  bodyBytes(): Uint8Array {
    const body = this.body;
    if (body === null) return EMPTY;
    return typeof body === "string" ? ENCODER.encode(body) : body;
  }

  /** The body as text (UTF-8). */
  text(): string {
    const body = this.body;
    if (body === null) return "";
    return typeof body === "string" ? body : new TextDecoder().decode(body);
  }
}

const EMPTY = new Uint8Array(0);
const ENCODER = new TextEncoder();

/** The byte length of a body without copying strings when it is ASCII-only. */
export function byteLength(body: Body): number {
  if (body === null) return 0;
  if (typeof body !== "string") return body.length;
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(body)) return body.length;
  return ENCODER.encode(body).length;
}

/**
 * A 2xx JSON response shaped like nova's `ResponseObject.serialize`:
 * Content-Length, then Content-Type (webob order).
 */
export function jsonResponse(
  status: number,
  data: unknown,
  extra: [string, string][] = [],
): ApiResponse {
  const body = data === null || data === undefined ? "" : pyJson(data);
  return new ApiResponse(status, [
    ["Content-Length", String(body.length)], // pyJson writes ASCII only
    ...extra,
    ["Content-Type", "application/json"],
  ], body);
}

/**
 * JSON text already serialized by {@link pyJson}: written verbatim, so that
 * views can cache the text of items that have not changed.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** A number that Python holds as a float: written `1.0`, not `1` (flavor rxtx_factor). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/**
 * JSON text the way Python's `json.dumps` writes it: `", "` and `": "`
 * separators, non-ASCII escaped as `\uXXXX`, floats as Python prints them,
 * so bodies and their Content-Length match nova byte for byte.
 */
export function pyJson(data: unknown): string {
  return writeValue(data);
}

function writeValue(value: unknown): string {
  switch (typeof value) {
    case "string":
      return writeString(value);
    case "number":
      return Number.isFinite(value)
        ? String(value)
        : value > 0
        ? "Infinity"
        : value < 0
        ? "-Infinity"
        : "NaN";
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return value.toString();
    case "object":
      if (value === null) return "null";
      if (Array.isArray(value)) return writeArray(value);
      if (value instanceof PyFloat) return pyFloatText(value.value);
      if (value instanceof RawJson) return value.text;
      return writeObject(value as Record<string, unknown>);
    default:
      return "null";
  }
}

function writeArray(items: unknown[]): string {
  if (items.length === 0) return "[]";
  let out = "[" + writeValue(items[0]);
  for (let i = 1; i < items.length; i++) out += ", " + writeValue(items[i]);
  return out + "]";
}

function writeObject(obj: Record<string, unknown>): string {
  let out = "{";
  let first = true;
  for (const key in obj) {
    const v = obj[key];
    if (v === undefined || typeof v === "function") continue;
    out += (first ? "" : ", ") + writeString(key) + ": " + writeValue(v);
    first = false;
  }
  return out + "}";
}

// deno-lint-ignore no-control-regex
const NEEDS_ESCAPE = /["\\\x00-\x1f\u007f-\uffff]/;

function writeString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  return escapeNonAscii(JSON.stringify(s));
}

function escapeNonAscii(text: string): string {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7e]*$/.test(text)) return text;
  return text.replace(
    /[\u007f-\uffff]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
  );
}

/** Python's repr of a float: always with a fraction or exponent (`1.0`, `1e+16`, `1e-05`). */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  const sign = n < 0 ? "-" : "";
  const [mantissa, expText] = Math.abs(n).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const frac = digits.length > 1 ? "." + digits.slice(1) : "";
    const e = Math.abs(exp).toString().padStart(2, "0");
    return `${sign}${digits[0]}${frac}e${exp < 0 ? "-" : "+"}${e}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  return `${sign}${whole}.${digits.slice(exp + 1) || "0"}`;
}

/** A float as json.dumps writes it (repr, with JSON's names for the non-finite ones). */
export function pyFloatText(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
  return pyFloatRepr(n);
}
