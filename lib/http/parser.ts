/**
 * Incremental HTTP/1.x request parsing with eventlet.wsgi's limits and
 * answers: the request line as `BaseHTTPRequestHandler.parse_request`
 * (Python 3.11 `http/server.py`) reads it, headers as
 * `http.client.parse_headers` reads them through eventlet's
 * `FileObjectForHeaders`, and chunked bodies as eventlet's
 * `Input._chunked_read` decodes them (stricter: see the notes).
 *
 * Everything here is pure: bytes in, results out. The server does the I/O.
 *
 * @module
 */

import { latin1, pyRepr, pySplit } from "./wsgi_text.ts";

/** eventlet.wsgi.MAX_REQUEST_LINE: a request line this long (with its LF) gets the 414. */
export const MAX_REQUEST_LINE = 8192;
/** eventlet.wsgi.MAX_TOTAL_HEADER_SIZE: header bytes allowed after the request line. */
export const MAX_TOTAL_HEADER_SIZE = 65536;
/** http.client._MAXHEADERS; the blank line counts, so 99 headers is the most that passes. */
export const MAX_HEADERS = 100;
/** http.client reads header lines with readline(_MAXLINE + 1). */
const READLINE_CAP = 65536 + 1;

const ENCODER = new TextEncoder();
function ascii(text: string): Uint8Array {
  return ENCODER.encode(text);
}

/** eventlet.wsgi.RESPONSE_414, sent for a request line of MAX_REQUEST_LINE bytes or more. */
export const RESPONSE_414 = ascii(
  "HTTP/1.0 414 Request URI Too Long\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
);
/** eventlet's answer to a header line of `[wsgi] max_header_line` bytes or more. */
export const RESPONSE_HEADER_LINE_TOO_LONG = ascii(
  "HTTP/1.0 400 Header Line Too Long\r\nConnection: close\r\nContent-length: 0\r\n\r\n",
);
/** eventlet's answer when the headers pass MAX_TOTAL_HEADER_SIZE. */
export const RESPONSE_HEADERS_TOO_LARGE = ascii(
  "HTTP/1.0 400 Headers Too Large\r\nConnection: close\r\nContent-length: 0\r\n\r\n",
);
/**
 * eventlet's answer to a bad Content-Length; novalet also sends it for
 * requests eventlet would misread (malformed header lines, conflicting
 * framing), rather than guess.
 */
export const RESPONSE_BAD_REQUEST = ascii(
  "HTTP/1.0 400 Bad Request\r\nConnection: close\r\nContent-length: 0\r\n\r\n",
);

/** A parsed request head: what eventlet puts in the WSGI environ. */
export interface RequestHead {
  /** REQUEST_METHOD, as sent. */
  method: string;
  /** The path before `?` (RAW_PATH_INFO), still percent-encoded; `//` prefixes collapsed. */
  rawPath: string;
  /** QUERY_STRING, raw. */
  query: string;
  /** The request's version word (`HTTP/1.1`, `HTTP/1.0`; `HTTP/0.9` for a two-word line). */
  version: string;
  /** The request line as logged (`GET / HTTP/1.1`). */
  requestLine: string;
  /** Header pairs in order: names lower-cased with `_` read as `-`, values trimmed. */
  headers: [string, string][];
  /** Content-Length, or `null` when absent. */
  contentLength: number | null;
  /** Transfer-Encoding: chunked. */
  chunked: boolean;
  /** http.server's `close_connection` after parsing (HTTP/1.0 without keep-alive, ...). */
  closeConnection: boolean;
  /** The first Connection header, lower-cased (`""` when absent). */
  connection: string;
  /** Expect: 100-continue (eventlet sends `100 Continue` when the app first reads). */
  expectContinue: boolean;
  /** The first X-Forwarded-For header, spelled so (for the access log), or `null`. */
  forwardedFor: string | null;
}

/** An error `BaseHTTPRequestHandler.send_error` answers. */
export interface SendError {
  code: number;
  message: string;
  explain: string;
  /**
   * False when http.server still thinks the request is HTTP/0.9: it then
   * writes the HTML body alone, with no status line and no headers.
   */
  statusLine: boolean;
  /** The method when known (no body is sent for HEAD). */
  method: string | null;
  requestLine: string;
}

/** What {@link HeadParser.parse} found. */
export type HeadResult =
  /** A complete head of `size` bytes. */
  | { kind: "head"; head: RequestHead; size: number }
  /** One of eventlet's fixed answers; then close. */
  | { kind: "answer"; bytes: Uint8Array; why: string }
  /** A `send_error` page; then close. */
  | { kind: "error"; error: SendError }
  /** An empty request line: http.server closes without answering. */
  | { kind: "close" };

interface RequestLine {
  method: string;
  target: string;
  version: string;
  line: string;
  closeConnection: boolean;
}

/**
 * Reads one request head at a time from a growing buffer. Feed it the
 * unconsumed bytes after each read; it remembers how far it got, so a head
 * that trickles in is scanned once. Call {@link reset} between requests.
 */
export class HeadParser {
  readonly #maxHeaderLine: number;
  #request: RequestLine | null = null;
  /** Bytes of the request line with its LF; 0 until it is complete. */
  #lineEnd = 0;
  #scan = 0;
  #total = 0;
  #count = 0;

  /** @param maxHeaderLine `[wsgi] max_header_line` (nova sets eventlet.wsgi.MAX_HEADER_LINE) */
  constructor(maxHeaderLine = 16384) {
    this.#maxHeaderLine = maxHeaderLine;
  }

  /** Forgets the request in progress. */
  reset(): void {
    this.#request = null;
    this.#lineEnd =
      this.#scan =
      this.#total =
      this.#count =
        0;
  }

  /**
   * Parses as far as `data` (the unconsumed bytes, from the start of the
   * request) allows.
   *
   * @returns the outcome, or `null` when more bytes are needed
   */
  parse(data: Uint8Array): HeadResult | null {
    if (this.#lineEnd === 0) {
      const lf = data.indexOf(10);
      if (lf < 0) return data.length >= MAX_REQUEST_LINE ? TOO_LONG_414 : null;
      // NOTE(parity): eventlet reads the line with readline(url_length_limit)
      // and answers 414 when it gets that many bytes, LF included.
      if (lf + 1 >= MAX_REQUEST_LINE) return TOO_LONG_414;
      this.#lineEnd = this.#scan = lf + 1;
    }
    const end = this.#scanHeaders(data);
    if (end > 0) {
      // The usual case: the whole head at once, decoded in one go.
      const text = latin1(data, 0, end);
      const request = this.#request ?? parseRequestLine(text.slice(0, this.#lineEnd));
      if (!("target" in request)) return request;
      return finishHead(request, text, this.#lineEnd, end);
    }
    // http.server judges the request line before it reads any header.
    if (this.#request === null) {
      const request = parseRequestLine(latin1(data, 0, this.#lineEnd));
      if (!("target" in request)) return request;
      this.#request = request;
    }
    return end === INCOMPLETE ? null : scanFailure(end, this.#request);
  }

  /** Checks header lines against the limits; the head's size once complete, else a code. */
  #scanHeaders(data: Uint8Array): number {
    const max = this.#maxHeaderLine;
    for (;;) {
      const start = this.#scan;
      const lf = data.indexOf(10, start);
      if (lf < 0) {
        const pending = data.length - start;
        if (pending < Math.min(max, READLINE_CAP)) return INCOMPLETE;
        return Math.min(pending, READLINE_CAP) >= max ? LINE_TOO_LONG : TOO_LARGE;
      }
      // Python's readline(65537) hands a longer line over in pieces; the first piece decides.
      const length = Math.min(lf + 1 - start, READLINE_CAP);
      if (length >= max) return LINE_TOO_LONG;
      this.#total += length;
      if (this.#total > MAX_TOTAL_HEADER_SIZE) return TOO_LARGE;
      if (++this.#count > MAX_HEADERS) return TOO_MANY;
      this.#scan = lf + 1;
      if (length === 1 || (length === 2 && data[start] === 13)) return lf + 1;
    }
  }
}

const INCOMPLETE = 0;
const LINE_TOO_LONG = -1;
const TOO_LARGE = -2;
const TOO_MANY = -3;

function scanFailure(code: number, request: RequestLine): HeadResult {
  if (code === LINE_TOO_LONG) {
    return { kind: "answer", bytes: RESPONSE_HEADER_LINE_TOO_LONG, why: "header line too long" };
  }
  if (code === TOO_LARGE) {
    return { kind: "answer", bytes: RESPONSE_HEADERS_TOO_LARGE, why: "headers too large" };
  }
  return tooManyHeaders(request);
}

const TOO_LONG_414: HeadResult = {
  kind: "answer",
  bytes: RESPONSE_414,
  why: "request line too long",
};
const CLOSE: HeadResult = { kind: "close" };

function badRequest(why: string): HeadResult {
  return { kind: "answer", bytes: RESPONSE_BAD_REQUEST, why };
}

function tooManyHeaders(request: RequestLine): HeadResult {
  return {
    kind: "error",
    error: {
      code: 431,
      message: "Too many headers",
      explain: `got more than ${MAX_HEADERS} headers`,
      statusLine: true,
      method: request.method,
      requestLine: request.line,
    },
  };
}

// ---- request line ---------------------------------------------------------

const BAD_REQUEST_EXPLAIN = "Bad request syntax or unsupported method";
const VERSION_EXPLAIN = "Cannot fulfill request";
const PY_INT = /^[+-]?\d+(?:_\d+)*$/;

/** `BaseHTTPRequestHandler.parse_request` for the first line. */
function parseRequestLine(raw: string): RequestLine | HeadResult {
  const line = rstripCrLf(raw);
  const words = pySplit(line);
  if (words.length === 0) return CLOSE;
  let version = "HTTP/0.9";
  let closeConnection = true;
  if (words.length >= 3) {
    const word = words[words.length - 1];
    const number = word === "HTTP/1.1" ? 11 : word === "HTTP/1.0" ? 10 : versionNumber(word);
    if (number < 0) {
      return sendError(400, `Bad request version (${pyRepr(word)})`, BAD_REQUEST_EXPLAIN, line);
    }
    if (number >= 11) closeConnection = false;
    if (number >= 20) {
      return sendError(505, `Invalid HTTP version (${word.slice(5)})`, VERSION_EXPLAIN, line);
    }
    version = word;
  }
  if (words.length > 3) {
    return sendError(400, `Bad request syntax (${pyRepr(line)})`, BAD_REQUEST_EXPLAIN, line, true);
  }
  const [method, target] = words;
  if (words.length === 2 && method !== "GET") {
    return sendError(
      400,
      `Bad HTTP/0.9 request type (${pyRepr(method)})`,
      BAD_REQUEST_EXPLAIN,
      line,
    );
  }
  return { method, target: collapseSlashes(target), version, line, closeConnection };
}

/**
 * The version as `major * 10 + min(minor, 9)` (enough to compare with 1.1
 * and 2.0), or -1 when http.server rejects it: `HTTP/` and two int()s.
 */
function versionNumber(word: string): number {
  const numbers = word.startsWith("HTTP/") ? word.slice(5).split(".") : [];
  if (numbers.length !== 2 || !PY_INT.test(numbers[0]) || !PY_INT.test(numbers[1])) return -1;
  const major = parseInt(numbers[0].replaceAll("_", ""), 10);
  const minor = parseInt(numbers[1].replaceAll("_", ""), 10);
  if (major < 0 || minor < 0) return major < 1 ? 0 : major * 10;
  return Math.min(major, 1000) * 10 + Math.min(minor, 9);
}

function sendError(
  code: number,
  message: string,
  explain: string,
  requestLine: string,
  statusLine = false,
): HeadResult {
  // NOTE(parity): until the version word parses, http.server holds the
  // request as HTTP/0.9 and send_error writes the page without a status line.
  return {
    kind: "error",
    error: { code, message, explain, statusLine, method: null, requestLine },
  };
}

// NOTE(parity): Python 3.11's parse_request reduces a leading "//" to "/"
// (gh-87389), so `GET //v2.1//flavors` reaches nova as `/v2.1//flavors`.
function collapseSlashes(target: string): string {
  if (!target.startsWith("//")) return target;
  let i = 2;
  while (target.charCodeAt(i) === 47) i++;
  return "/" + target.slice(i);
}

function rstripCrLf(s: string): string {
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    if (c !== 10 && c !== 13) break;
    end--;
  }
  return end === s.length ? s : s.slice(0, end);
}

// ---- headers --------------------------------------------------------------

// RFC 9110 token characters: what a header name may hold.
const TOKEN = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789") TOKEN[c.charCodeAt(0)] = 1;
for (let c = 65; c <= 90; c++) TOKEN[c] = TOKEN[c + 32] = 1;

function isToken(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 128 || TOKEN[c] === 0) return false;
  }
  return true;
}

/** What the framing and connection handling need from the headers. */
interface Framing {
  length: string | null;
  lengthConflict: boolean;
  encoding: string | null;
  encodings: number;
  connection: string | null;
  expect: string | null;
  forwardedFor: string | null;
}

function finishHead(request: RequestLine, text: string, from: number, size: number): HeadResult {
  const headers: [string, string][] = [];
  const framing: Framing = {
    length: null,
    lengthConflict: false,
    encoding: null,
    encodings: 0,
    connection: null,
    expect: null,
    forwardedFor: null,
  };
  let pos = from;
  for (;;) {
    const lf = text.indexOf("\n", pos);
    const end = lf > pos && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
    if (end === pos) break;
    const bad = addHeader(text.slice(pos, end), headers, framing);
    if (bad) return badRequest(bad);
    pos = lf + 1;
  }
  return buildHead(request, headers, framing, size);
}

/** Adds one header line; returns why it is rejected, or null. */
function addHeader(line: string, headers: [string, string][], framing: Framing): string | null {
  // NOTE(parity): Python's email parser splits lines at a bare CR, folds
  // lines that start with whitespace and drops every header after a line
  // without a colon. Each of those lets a request mean two things; refuse.
  if (line.includes("\r")) return "bare CR in header";
  const colon = line.indexOf(":");
  if (colon <= 0) return "header line without a name";
  let name = line.slice(0, colon);
  if (!isToken(name)) return "invalid header name";
  name = name.toLowerCase();
  const value = trimValue(line, colon + 1);
  // eventlet's access log reads this header by its exact name.
  if (name === "x-forwarded-for") framing.forwardedFor ??= value;
  // NOTE(parity): WSGI maps `X_Foo` and `X-Foo` to the same HTTP_X_FOO.
  if (name.includes("_")) name = name.replaceAll("_", "-");
  headers.push([name, value]);
  switch (name) {
    case "content-length":
      if (framing.length !== null && framing.length !== value) framing.lengthConflict = true;
      framing.length ??= value;
      break;
    case "transfer-encoding":
      framing.encoding ??= value;
      framing.encodings++;
      break;
    case "connection":
      framing.connection ??= value.toLowerCase();
      break;
    case "expect":
      framing.expect = framing.expect === null ? value : `${framing.expect},${value}`;
      break;
  }
  return null;
}

/** eventlet strips ' \t\n\r' around header values. */
function trimValue(line: string, from: number): string {
  let start = from;
  let end = line.length;
  while (start < end && (line.charCodeAt(start) === 32 || line.charCodeAt(start) === 9)) start++;
  while (end > start && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  return line.slice(start, end);
}

const DIGITS = /^\d{1,15}$/;

function buildHead(
  request: RequestLine,
  headers: [string, string][],
  framing: Framing,
  size: number,
): HeadResult {
  let contentLength: number | null = null;
  if (framing.length !== null) {
    // NOTE(parity): eventlet answers 400 to a Content-Length int() rejects or
    // finds negative. int() also takes "+5" and "1_0", and eventlet uses the
    // first of several; novalet takes digits only, and one value.
    if (!DIGITS.test(framing.length)) return badRequest("invalid Content-Length");
    if (framing.lengthConflict) return badRequest("conflicting Content-Length");
    contentLength = Number(framing.length);
  }
  let chunked = false;
  if (framing.encoding !== null) {
    // eventlet honours exactly "chunked"; with anything else, or with a
    // Content-Length as well, the body's end is ambiguous: refuse.
    if (framing.encodings > 1 || framing.encoding.toLowerCase() !== "chunked") {
      return badRequest("unsupported Transfer-Encoding");
    }
    if (contentLength !== null) return badRequest("Content-Length with Transfer-Encoding");
    chunked = true;
  }
  const connection = framing.connection ?? "";
  let closeConnection = request.closeConnection;
  if (connection === "close") closeConnection = true;
  else if (connection === "keep-alive") closeConnection = false;
  const q = request.target.indexOf("?");
  const head: RequestHead = {
    method: request.method,
    rawPath: q < 0 ? request.target : request.target.slice(0, q),
    query: q < 0 ? "" : request.target.slice(q + 1),
    version: request.version,
    requestLine: request.line,
    headers,
    contentLength,
    chunked,
    closeConnection,
    connection,
    expectContinue: framing.expect !== null && framing.expect.toLowerCase() === "100-continue",
    forwardedFor: framing.forwardedFor,
  };
  return { kind: "head", head, size };
}
