import assert from "node:assert/strict";
import { ChunkedBodyError, ChunkedDecoder } from "../../lib/http/chunked.ts";
import {
  HeadParser,
  type HeadResult,
  MAX_REQUEST_LINE,
  type RequestHead,
  RESPONSE_414,
  RESPONSE_BAD_REQUEST,
  RESPONSE_HEADER_LINE_TOO_LONG,
  RESPONSE_HEADERS_TOO_LARGE,
  type SendError,
} from "../../lib/http/parser.ts";
import { decodePath, pyRepr, pySplit } from "../../lib/http/wsgi_text.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function parse(text: string | Uint8Array, maxHeaderLine = 16384): HeadResult | null {
  const bytes = typeof text === "string" ? latin1(text) : text;
  return new HeadParser(maxHeaderLine).parse(bytes);
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function head(text: string): RequestHead {
  const result = parse(text);
  assert.ok(result && result.kind === "head", `expected a head, got ${JSON.stringify(result)}`);
  return result.head;
}

function answer(result: HeadResult | null): string {
  assert.ok(
    result && result.kind === "answer",
    `expected an answer, got ${JSON.stringify(result)}`,
  );
  return dec.decode(result.bytes);
}

function sendError(result: HeadResult | null): SendError {
  assert.ok(result && result.kind === "error", `expected an error, got ${JSON.stringify(result)}`);
  return result.error;
}

Deno.test("HeadParser parses a request head into WSGI environ fields", () => {
  const text = "GET /v2.1/flavors?limit=1&marker=x HTTP/1.1\r\nHost: 127.0.0.1:8774\r\n" +
    "Accept: application/json\r\nX-Auth-Token:  tok \t\r\nX-Multi: a\r\nX-Multi: b\r\n\r\nNEXT";
  const result = parse(text);
  assert.ok(result && result.kind === "head");
  assert.equal(result.size, text.length - 4);
  const h = result.head;
  assert.equal(h.method, "GET");
  assert.equal(h.rawPath, "/v2.1/flavors");
  assert.equal(h.query, "limit=1&marker=x");
  assert.equal(h.version, "HTTP/1.1");
  assert.equal(h.requestLine, "GET /v2.1/flavors?limit=1&marker=x HTTP/1.1");
  assert.deepEqual(h.headers, [
    ["host", "127.0.0.1:8774"],
    ["accept", "application/json"],
    ["x-auth-token", "tok"],
    ["x-multi", "a"],
    ["x-multi", "b"],
  ]);
  assert.equal(h.contentLength, null);
  assert.equal(h.chunked, false);
  assert.equal(h.closeConnection, false);
  assert.equal(h.expectContinue, false);
});

Deno.test("HeadParser waits for the blank line, also when fed one byte at a time", () => {
  const bytes = enc.encode("POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
  const parser = new HeadParser();
  let result: HeadResult | null = null;
  let fed = 0;
  while (result === null) result = parser.parse(bytes.subarray(0, ++fed));
  assert.equal(fed, bytes.length - 3);
  assert.ok(result.kind === "head");
  assert.equal(result.head.contentLength, 3);
  assert.equal(result.size, fed);
});

Deno.test("HeadParser accepts bare LF line ends like Python's readline", () => {
  const h = head("GET /q HTTP/1.1\nX-A: 1\n\n");
  assert.equal(h.rawPath, "/q");
  assert.deepEqual(h.headers, [["x-a", "1"]]);
});

Deno.test("HeadParser answers eventlet's 414 for a request line of MAX_REQUEST_LINE bytes", () => {
  const line = (n: number) => "GET /" + "a".repeat(n - 16) + " HTTP/1.1\r\n";
  assert.equal(line(MAX_REQUEST_LINE).length, 8192);
  assert.equal(
    answer(parse(line(MAX_REQUEST_LINE) + "\r\n")),
    "HTTP/1.0 414 Request URI Too Long\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
  );
  assert.equal(head(line(MAX_REQUEST_LINE - 1) + "\r\n").rawPath.length, 8176);
  // eventlet's readline(8192) decides without waiting for the end of the line.
  const partial = parse("GET /" + "a".repeat(9000));
  assert.ok(partial && partial.kind === "answer" && partial.bytes === RESPONSE_414);
  assert.equal(parse("GET /" + "a".repeat(8000)), null);
});

Deno.test("HeadParser answers eventlet's 400 for a header line of max_header_line bytes", () => {
  const limit = 100;
  const ok = "GET / HTTP/1.1\r\nX: " + "a".repeat(limit - 6) + "\r\n\r\n";
  const accepted = parse(ok, limit);
  assert.ok(accepted && accepted.kind === "head");
  assert.equal(accepted.head.headers[0][1].length, limit - 6);
  const long = "GET / HTTP/1.1\r\nX: " + "a".repeat(limit - 5) + "\r\n\r\n";
  assert.equal(
    answer(parse(long, limit)),
    "HTTP/1.0 400 Header Line Too Long\r\nConnection: close\r\nContent-length: 0\r\n\r\n",
  );
  assert.equal(answer(parse("GET / HTTP/1.1\r\nX: " + "a".repeat(200), limit)), answerText(1));
  assert.equal(parse("GET / HTTP/1.1\r\nX: " + "a".repeat(90), limit), null);
});

function answerText(which: number): string {
  return dec.decode(which === 1 ? RESPONSE_HEADER_LINE_TOO_LONG : RESPONSE_HEADERS_TOO_LARGE);
}

Deno.test("HeadParser answers eventlet's 400 when headers pass 64 KiB in all", () => {
  const headers = Array.from({ length: 5 }, (_, i) => `X${i}: ${"y".repeat(16000)}\r\n`).join("");
  assert.equal(
    answer(parse("GET / HTTP/1.1\r\n" + headers + "\r\n")),
    "HTTP/1.0 400 Headers Too Large\r\nConnection: close\r\nContent-length: 0\r\n\r\n",
  );
});

Deno.test("HeadParser takes 99 headers and answers 431 for 100, as http.client does", () => {
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `X${i}: y\r\n`).join("");
  assert.equal(head("GET / HTTP/1.1\r\n" + lines(99) + "\r\n").headers.length, 99);
  assert.deepEqual(sendError(parse("GET / HTTP/1.1\r\n" + lines(100) + "\r\n")), {
    code: 431,
    message: "Too many headers",
    explain: "got more than 100 headers",
    statusLine: true,
    method: "GET",
    requestLine: "GET / HTTP/1.1",
  });
});

Deno.test("HeadParser reproduces http.server's request line errors", () => {
  const version = sendError(parse("GET / FOO\r\n\r\n"));
  assert.equal(version.code, 400);
  assert.equal(version.message, "Bad request version ('FOO')");
  assert.equal(version.explain, "Bad request syntax or unsupported method");
  assert.equal(version.statusLine, false);
  const http2 = sendError(parse("GET / HTTP/2.0\r\n\r\n"));
  assert.deepEqual([http2.code, http2.message, http2.statusLine], [
    505,
    "Invalid HTTP version (2.0)",
    false,
  ]);
  const words = sendError(parse("GET /a b HTTP/1.1\r\nHost: h\r\n\r\n"));
  assert.deepEqual([words.code, words.message, words.statusLine], [
    400,
    "Bad request syntax ('GET /a b HTTP/1.1')",
    true,
  ]);
  const http09 = sendError(parse("POST /\r\n\r\n"));
  assert.equal(http09.message, "Bad HTTP/0.9 request type ('POST')");
  assert.equal(
    sendError(parse("GET / HTTP/x'\r\n\r\n")).message,
    `Bad request version ("HTTP/x'")`,
  );
});

Deno.test("HeadParser judges the request line before any header limit", () => {
  const result = parse("GET / FOO\r\nX: " + "a".repeat(20000));
  assert.equal(sendError(result).code, 400);
});

Deno.test("HeadParser closes silently on an empty request line", () => {
  assert.deepEqual(parse("\r\nGET / HTTP/1.1\r\n\r\n"), { kind: "close" });
});

Deno.test("HeadParser handles HTTP/0.9, HTTP/1.0 and odd versions like http.server", () => {
  const h09 = head("GET /\r\n\r\n");
  assert.equal(h09.version, "HTTP/0.9");
  assert.equal(h09.closeConnection, true);
  assert.equal(head("GET / HTTP/1.0\r\n\r\n").closeConnection, true);
  const keep10 = head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
  assert.equal(keep10.closeConnection, false);
  assert.equal(keep10.connection, "keep-alive");
  assert.equal(head("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").closeConnection, true);
  const h15 = head("GET / HTTP/1.5\r\n\r\n");
  assert.equal(h15.version, "HTTP/1.5");
  assert.equal(h15.closeConnection, false);
  assert.equal(head("GET  /x\tHTTP/1.1\r\n\r\n").rawPath, "/x");
});

Deno.test("HeadParser reduces a leading // to / (Python 3.11 gh-87389)", () => {
  assert.equal(head("GET ///v2.1//flavors?a=//b HTTP/1.1\r\n\r\n").rawPath, "/v2.1//flavors");
});

Deno.test("HeadParser refuses header lines Python's email parser would misread", () => {
  for (
    const bad of [
      "NoColon\r\n",
      "X : a\r\n",
      ": a\r\n",
      "X: a\r\n  folded\r\n",
      " X: a\r\n",
      "X: a\rY: b\r\n",
      "X\u00e9: a\r\n",
    ]
  ) {
    assert.equal(
      answer(parse("GET / HTTP/1.1\r\n" + bad + "\r\n")),
      dec.decode(RESPONSE_BAD_REQUEST),
    );
  }
});

Deno.test("HeadParser checks Content-Length and Transfer-Encoding, and refuses ambiguity", () => {
  const bad = dec.decode(RESPONSE_BAD_REQUEST);
  assert.equal(bad, "HTTP/1.0 400 Bad Request\r\nConnection: close\r\nContent-length: 0\r\n\r\n");
  for (const value of ["-1", "abc", "", "+5", "1_0", "5, 5", "1e3"]) {
    assert.equal(answer(parse(`POST / HTTP/1.1\r\nContent-Length: ${value}\r\n\r\n`)), bad, value);
  }
  assert.equal(
    head("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n").contentLength,
    5,
  );
  assert.equal(
    answer(parse("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\n")),
    bad,
  );
  assert.equal(
    answer(parse("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n")),
    bad,
  );
  assert.equal(answer(parse("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")), bad);
  assert.equal(
    answer(
      parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"),
    ),
    bad,
  );
  const chunked = head("POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n");
  assert.equal(chunked.chunked, true);
  assert.equal(chunked.contentLength, null);
});

Deno.test("HeadParser notes Expect: 100-continue and reads X_Foo as X-Foo", () => {
  const h = head(
    "POST / HTTP/1.1\r\nExpect: 100-Continue\r\nX_Auth_Token: t\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n",
  );
  assert.equal(h.expectContinue, true);
  assert.deepEqual(h.headers[1], ["x-auth-token", "t"]);
  assert.equal(h.forwardedFor, "1.2.3.4");
  assert.equal(head("GET / HTTP/1.1\r\nX_Forwarded_For: 1.2.3.4\r\n\r\n").forwardedFor, null);
});

Deno.test("HeadParser keeps header values as Latin-1 text", () => {
  const bytes = new Uint8Array([
    ...enc.encode("GET / HTTP/1.1\r\nX-Name: "),
    0xc3,
    0xa9,
    0xff,
    ...enc.encode("\r\n\r\n"),
  ]);
  const result = new HeadParser().parse(bytes);
  assert.ok(result && result.kind === "head");
  assert.equal(result.head.headers[0][1], "\u00c3\u00a9\u00ff");
});

Deno.test("decodePath() unquotes and decodes UTF-8 as webob's path_info", () => {
  assert.equal(decodePath("/v2.1/flavors"), "/v2.1/flavors");
  assert.equal(decodePath("/x%20y/%C3%A9"), "/x y/\u00e9");
  assert.equal(decodePath("/\u00c3\u00a9"), "/\u00e9", "raw UTF-8 bytes in the request line");
  assert.equal(decodePath("/%zz/%4"), "/%zz/%4");
  assert.equal(decodePath("/%ff"), "/\ufffd");
});

Deno.test("pySplit() and pyRepr() behave like Python's str.split() and repr()", () => {
  assert.deepEqual(pySplit("GET / HTTP/1.1"), ["GET", "/", "HTTP/1.1"]);
  assert.deepEqual(pySplit("  a\tb\x1cc\u00a0d  "), ["a", "b", "c", "d"]);
  assert.deepEqual(pySplit(" \t "), []);
  assert.equal(pyRepr("FOO"), "'FOO'");
  assert.equal(pyRepr("it's"), `"it's"`);
  assert.equal(pyRepr(`'"`), `'\\'"'`);
  assert.equal(pyRepr("a\\b\x00\t\u00e9\u00ad"), "'a\\\\b\\x00\\t\u00e9\\xad'");
});

function decodeAll(decoder: ChunkedDecoder, bytes: Uint8Array, step = bytes.length) {
  const parts: string[] = [];
  let pending = new Uint8Array(0);
  let used = 0;
  for (let i = 0; i < bytes.length && !decoder.done; i += step) {
    const joined = new Uint8Array([...pending, ...bytes.subarray(i, i + step)]);
    const n = decoder.decode(joined, (b) => parts.push(dec.decode(b)));
    used += n;
    pending = joined.subarray(n);
  }
  return { body: parts.join(""), used, rest: dec.decode(pending) };
}

Deno.test("ChunkedDecoder decodes chunks with extensions and skips trailers", () => {
  const wire = enc.encode("5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\nGET");
  for (const step of [wire.length, 1, 3]) {
    const { body, rest } = decodeAll(new ChunkedDecoder(), wire, step);
    assert.equal(body, "hello world", `step ${step}`);
    assert.equal(rest.startsWith("GET") || rest === "", true);
  }
  const decoder = new ChunkedDecoder();
  const used = decoder.decode(wire, () => {});
  assert.equal(decoder.done, true);
  assert.equal(dec.decode(wire.subarray(used)), "GET");
});

Deno.test("ChunkedDecoder accepts hex sizes, spaces before ';' and LF-only lines", () => {
  const { body } = decodeAll(new ChunkedDecoder(), enc.encode("A \t;x\nabcdefghij\n0\n\n"));
  assert.equal(body, "abcdefghij");
});

Deno.test("ChunkedDecoder throws ChunkedBodyError for invalid framing", () => {
  const cases = [
    "zz\r\nhello\r\n0\r\n\r\n",
    "0x5\r\nhello\r\n",
    "5\r\nhelloXX0\r\n\r\n",
    "\r\n",
    "-1\r\n",
  ];
  for (const wire of cases) {
    assert.throws(
      () => new ChunkedDecoder().decode(enc.encode(wire), () => {}),
      ChunkedBodyError,
      wire,
    );
  }
  assert.throws(
    () => new ChunkedDecoder(64).decode(enc.encode("1" + "0".repeat(100)), () => {}),
    ChunkedBodyError,
  );
});
