/**
 * Writes responses the way eventlet.wsgi's `handle_one_response` does:
 *
 *     HTTP/1.1 <status> <reason>
 *     <the app's headers, names capitalized per dash-part, in order>
 *     Content-Length: <n>        (when the app set none)
 *     Date: <now>                (when the app set none)
 *     Connection: close          (when the connection ends here)
 *     Connection: keep-alive     (when kept and the client asked so)
 *
 * There is no `Server` header. It also writes the pages of http.server's
 * `send_error`, which eventlet uses for request lines it cannot parse.
 *
 * @module
 */

import { type ApiResponse, byteLength } from "../response.ts";
import { STATUS_REASONS } from "../errors.ts";
import type { SendError } from "./parser.ts";

const ENCODER = new TextEncoder();

/** What eventlet writes when the app first reads a body sent with `Expect: 100-continue`. */
export const CONTINUE_100: Uint8Array = ENCODER.encode("HTTP/1.1 100 Continue\r\n\r\n");

/** webob.util.status_generic_reasons: the phrase for a status webob does not know. */
const GENERIC_REASONS: Record<number, string> = {
  1: "Continue",
  2: "Success",
  3: "Multiple Choices",
  4: "Unknown Client Error",
  5: "Unknown Server Error",
};

/** The reason phrase webob gives `status` (`207` → `Multi Status`). */
export function reasonPhrase(status: number): string {
  return STATUS_REASONS[status] ?? GENERIC_REASONS[Math.floor(status / 100)] ?? "";
}

const CAPITALIZED = new Map<string, string>();
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * A header name as eventlet writes it: each dash-separated part with its
 * first letter upper-case and the rest lower-case (`X-OpenStack-Request-Id`
 * → `X-Openstack-Request-Id`), as `bytes.capitalize()` does.
 *
 * @throws {TypeError} for a name that is not an HTTP token
 */
export function capitalizeHeaderName(name: string): string {
  const known = CAPITALIZED.get(name);
  if (known !== undefined) return known;
  if (!TOKEN.test(name)) {
    throw new TypeError(`Invalid response header name ${JSON.stringify(name)}`);
  }
  const spelled = name.split("-").map((part) =>
    part.length === 0 ? part : part[0].toUpperCase() + part.slice(1).toLowerCase()
  ).join("-");
  if (CAPITALIZED.size > 4096) CAPITALIZED.clear();
  CAPITALIZED.set(name, spelled);
  return spelled;
}

let dateSecond = -1;
let dateText = "";

/** The HTTP date eventlet's `format_date_time` writes, computed once per second. */
export function httpDate(now: number = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

/** How the server ends the response. */
export interface WriteOptions {
  /** A HEAD request: headers (with the app's Content-Length), no body. */
  head?: boolean;
  /** The Connection header eventlet adds: `close`, `keep-alive` or none. */
  connection?: "close" | "keep-alive" | null;
  /** The time for the Date header (ms since the epoch); default now. */
  now?: number;
  /**
   * Scratch space to write into; the result is then a view of it (valid
   * until the space is reused). Without it, or when too small, a new array.
   */
  into?: Uint8Array;
}

/**
 * Serializes `res` in one buffer, as eventlet.wsgi writes it; of a
 * streamed body (`res.stream`) only the head, with its length.
 *
 * @throws {TypeError} for a header name that is not a token or a value with CR or LF
 */
export function serializeResponse(res: ApiResponse, options: WriteOptions = {}): Uint8Array {
  const status = res.status;
  let head = (res.http10 ? "HTTP/1.0 " : "HTTP/1.1 ") + status + " " +
    (res.reason ?? reasonPhrase(status)) + "\r\n";
  let hasLength = false;
  let hasDate = false;
  for (const [name, value] of res.headers.entries()) {
    const spelled = capitalizeHeaderName(name);
    if (spelled === "Content-Length") hasLength = true;
    else if (spelled === "Date") hasDate = true;
    if (value.includes("\n") || value.includes("\r")) {
      throw new TypeError(`Invalid value for response header ${spelled}`);
    }
    head += spelled + ": " + value + "\r\n";
  }
  // NOTE(parity): eventlet appends the Content-Length of the app's body
  // iterable; for HEAD webob hands it an EmptyResponse, whose length is 0.
  if (!hasLength) {
    const length = res.stream ? res.stream.length : byteLength(res.body);
    head += "Content-Length: " + (options.head ? 0 : length) + "\r\n";
  }
  if (!hasDate) head += "Date: " + httpDate(options.now) + "\r\n";
  if (options.connection === "close") head += "Connection: close\r\n";
  else if (options.connection === "keep-alive") head += "Connection: keep-alive\r\n";
  head += "\r\n";
  // A streamed body follows the head (the server writes it).
  const body = options.head || res.stream ? null : res.body;
  return (options.into && encodeInto(head, body, options.into)) || join(head, body);
}

// Deno allocates typed arrays slowly, so the hot path encodes into reused
// space, in one call when head and body are ASCII text (nova's JSON is).
function encodeInto(head: string, body: string | Uint8Array | null, into: Uint8Array) {
  const text = typeof body === "string" ? head + body : head;
  if (text.length > into.length) return null;
  const done = ENCODER.encodeInto(text, into);
  if (done.read !== text.length) return null;
  if (done.written !== text.length) {
    // Not ASCII: fine in a text body, but a head goes out as Latin-1 (slow path).
    if (typeof body !== "string" || NON_ASCII.test(head)) return null;
    return into.subarray(0, done.written);
  }
  if (body === null || typeof body === "string" || body.length === 0) {
    return into.subarray(0, done.written);
  }
  if (done.written + body.length > into.length) return null;
  into.set(body, done.written);
  return into.subarray(0, done.written + body.length);
}

// deno-lint-ignore no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

// Heads go out as Latin-1 (eventlet encodes them so); bodies as UTF-8.
function join(head: string, body: string | Uint8Array | null): Uint8Array {
  const asciiHead = !NON_ASCII.test(head);
  if (body === null || body.length === 0) {
    return asciiHead ? ENCODER.encode(head) : latin1Bytes(head);
  }
  if (typeof body === "string" && asciiHead) return ENCODER.encode(head + body);
  const headBytes = asciiHead ? ENCODER.encode(head) : latin1Bytes(head);
  const bodyBytes = typeof body === "string" ? ENCODER.encode(body) : body;
  const out = new Uint8Array(headBytes.length + bodyBytes.length);
  out.set(headBytes, 0);
  out.set(bodyBytes, headBytes.length);
  return out;
}

const WIDE = /[\u0100-\uffff]/;
const WIDE_ALL = /[\u0100-\uffff]/g;

/** Latin-1 bytes of `text`; characters past U+00FF become `?`. */
function latin1Bytes(text: string): Uint8Array {
  const safe = WIDE.test(text) ? text.replace(WIDE_ALL, "?") : text;
  const out = new Uint8Array(safe.length);
  for (let i = 0; i < safe.length; i++) out[i] = safe.charCodeAt(i);
  return out;
}

// http.server.DEFAULT_ERROR_MESSAGE
const ERROR_PAGE = (code: number, message: string, explain: string) =>
  `<!DOCTYPE HTML>
<html lang="en">
    <head>
        <meta charset="utf-8">
        <title>Error response</title>
    </head>
    <body>
        <h1>Error response</h1>
        <p>Error code: ${code}</p>
        <p>Message: ${message}.</p>
        <p>Error code explanation: ${code} - ${explain}.</p>
    </body>
</html>
`;

/** The Server header of http.server's own answers on the nova 26 reference (Debian 12). */
const PY_SERVER = "BaseHTTP/0.6 Python/3.11.2";

/**
 * What `BaseHTTPRequestHandler.send_error` writes: a status line (unless
 * the request still counts as HTTP/0.9), `Server`, `Date`, `Connection:
 * close`, and an HTML page (not for HEAD).
 *
 * NOTE(parity): the Server header is the only one novalet ever sends; it
 * comes from Python's http.server, which eventlet lets answer these.
 */
export function serializeSendError(error: SendError, now: number = Date.now()): Uint8Array {
  const page = ENCODER.encode(
    ERROR_PAGE(error.code, htmlEscape(error.message), htmlEscape(error.explain)),
  );
  const body = error.method === "HEAD" ? new Uint8Array(0) : page;
  if (!error.statusLine) return body;
  const head = `HTTP/1.1 ${error.code} ${error.message}\r\nServer: ${PY_SERVER}\r\n` +
    `Date: ${httpDate(now)}\r\nConnection: close\r\n` +
    `Content-Type: text/html;charset=utf-8\r\nContent-Length: ${page.length}\r\n\r\n`;
  const headBytes = latin1Bytes(head);
  const out = new Uint8Array(headBytes.length + body.length);
  out.set(headBytes, 0);
  out.set(body, headBytes.length);
  return out;
}

/** `html.escape(s, quote=False)` */
function htmlEscape(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
