import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  capitalizeHeaderName,
  CONTINUE_100,
  httpDate,
  reasonPhrase,
  serializeResponse,
  serializeSendError,
} from "../../lib/http/writer.ts";
import { ApiResponse, jsonResponse } from "../../lib/response.ts";

const dec = new TextDecoder();
const NOW = Date.UTC(2026, 10, 26, 1, 17, 22, 500);
const DATE = "Thu, 26 Nov 2026 01:17:22 GMT";
// Copies of recorded nova 26 answers (../shared/reference/nova26/cases).
const CASES = new URL("../testdata/nova26-cases/", import.meta.url);

interface RecordedCase {
  request: { method: string; path: string };
  response: { status_line: string; headers: [string, string][]; body: string | null };
}

function recorded(name: string): RecordedCase {
  return JSON.parse(readFileSync(new URL(name, CASES), "utf8"));
}

/** The wire bytes of a recorded response, with its own Date kept. */
function wire(c: RecordedCase, withBody = true): string {
  const r = c.response;
  const head = r.status_line + "\r\n" + r.headers.map(([k, v]) => `${k}: ${v}\r\n`).join("");
  return head + "\r\n" + (withBody ? r.body ?? "" : "");
}

function dateOf(c: RecordedCase): number {
  const date = c.response.headers.find(([k]) => k === "Date")![1];
  return Date.parse(date);
}

Deno.test("serializeResponse() writes case 001 (GET /) byte for byte", () => {
  const c = recorded("001-root-versions.json");
  const res = jsonResponse(200, JSON.parse(c.response.body!));
  const bytes = serializeResponse(res, { now: dateOf(c) });
  assert.equal(dec.decode(bytes), wire(c));
});

Deno.test("serializeResponse() writes HEAD as case 003: Content-Length kept, no body", () => {
  const c = recorded("003-root-versions-head.json");
  const get = recorded("001-root-versions.json");
  const res = jsonResponse(200, JSON.parse(get.response.body!));
  const bytes = serializeResponse(res, { head: true, now: dateOf(c) });
  assert.equal(dec.decode(bytes), wire(c, false));
  assert.ok(dec.decode(bytes).endsWith("\r\n\r\n"));
});

Deno.test("serializeResponse() capitalizes names and keeps order and both Vary (case 017)", () => {
  const c = recorded("017-v21-hex-project-mismatch.json");
  const res = new ApiResponse(400, [
    ["OpenStack-API-Version", "compute 2.1"],
    ["X-OpenStack-Nova-API-Version", "2.1"],
    ["Vary", "OpenStack-API-Version"],
    ["Vary", "X-OpenStack-Nova-API-Version"],
    ["Content-Type", "application/json; charset=UTF-8"],
    ["Content-Length", "140"],
    ["x-openstack-request-id", "req-5b4691fe-276d-413c-9267-108611592e1e"],
    ["x-compute-request-id", "req-5b4691fe-276d-413c-9267-108611592e1e"],
  ], c.response.body);
  assert.equal(dec.decode(serializeResponse(res, { now: dateOf(c) })), wire(c));
});

Deno.test("serializeResponse() writes case 038's 204 with Content-Length: 0", () => {
  const c = recorded("038-auth-no-token-flavors.json");
  const res = new ApiResponse(204, [
    ["Content-Length", "0"],
    ["X-Auth-Token", "admin:admin"],
    ["X-Server-Management-Url", "http://127.0.0.1:18774/v2.1/flavors/admin"],
    ["Content-Type", "text/plain; charset=UTF-8"],
    ["X-OpenStack-Request-Id", "req-33b05cd0-1248-4439-969a-bb1d1559b573"],
    ["X-Compute-Request-Id", "req-33b05cd0-1248-4439-969a-bb1d1559b573"],
  ]);
  assert.equal(dec.decode(serializeResponse(res, { now: dateOf(c) })), wire(c));
});

Deno.test("serializeResponse() adds Content-Length, Date and Connection as eventlet does", () => {
  const res = new ApiResponse(204, [["X-A", "1"]]);
  assert.equal(
    dec.decode(serializeResponse(res, { now: NOW, connection: "close" })),
    `HTTP/1.1 204 No Content\r\nX-A: 1\r\nContent-Length: 0\r\nDate: ${DATE}\r\nConnection: close\r\n\r\n`,
  );
  const body = new ApiResponse(200, [["Content-Type", "text/plain"]], "h\u00e9");
  assert.equal(
    dec.decode(serializeResponse(body, { now: NOW, connection: "keep-alive" })),
    `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nDate: ${DATE}\r\n` +
      "Connection: keep-alive\r\n\r\nh\u00e9",
  );
  const dated = new ApiResponse(200, [["date", "Mon, 01 Jan 2024 00:00:00 GMT"]], "");
  assert.equal(
    dec.decode(serializeResponse(dated, { now: NOW })),
    "HTTP/1.1 200 OK\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\nContent-Length: 0\r\n\r\n",
  );
});

Deno.test("serializeResponse() sends HEAD without a body and Content-Length 0 when none is set", () => {
  const res = new ApiResponse(200, [["Content-Type", "text/plain"]], "ignored");
  assert.equal(
    dec.decode(serializeResponse(res, { head: true, now: NOW })),
    `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 0\r\nDate: ${DATE}\r\n\r\n`,
  );
});

Deno.test("serializeResponse() uses webob's reason phrases unless the response has one", () => {
  const line = (res: ApiResponse) =>
    dec.decode(serializeResponse(res, { now: NOW })).split("\r\n")[0];
  assert.equal(line(new ApiResponse(207)), "HTTP/1.1 207 Multi Status");
  assert.equal(line(new ApiResponse(413)), "HTTP/1.1 413 Request Entity Too Large");
  assert.equal(line(new ApiResponse(299)), "HTTP/1.1 299 Success");
  assert.equal(line(new ApiResponse(599)), "HTTP/1.1 599 Unknown Server Error");
  assert.equal(
    line(new ApiResponse(414, [], null, "Request-URI Too Long")),
    "HTTP/1.1 414 Request-URI Too Long",
  );
  const old = new ApiResponse(400);
  old.http10 = true;
  assert.equal(line(old), "HTTP/1.0 400 Bad Request");
  assert.equal(reasonPhrase(202), "Accepted");
});

Deno.test("serializeResponse() refuses header injection", () => {
  const res = new ApiResponse(200, [["X-A", "1\r\nSet-Cookie: x"]]);
  assert.throws(() => serializeResponse(res), TypeError);
  assert.throws(() => serializeResponse(new ApiResponse(200, [["Bad Name", "1"]])), TypeError);
});

Deno.test("serializeResponse() writes header values as Latin-1", () => {
  const res = new ApiResponse(200, [["X-Name", "caf\u00e9\u20ac"]], "\u00e9");
  const bytes = serializeResponse(res, { now: NOW });
  const text = Array.from(bytes, (b) => String.fromCharCode(b)).join("");
  assert.ok(text.includes("X-Name: caf\u00e9?\r\n"), text);
  assert.deepEqual([...bytes.subarray(bytes.length - 2)], [0xc3, 0xa9], "the body stays UTF-8");
});

Deno.test("serializeResponse() writes into the given space when it fits", () => {
  const into = new Uint8Array(256);
  const res = new ApiResponse(200, [["Content-Type", "text/plain"]], "hello");
  const bytes = serializeResponse(res, { now: NOW, into });
  assert.equal(bytes.buffer, into.buffer);
  assert.equal(dec.decode(bytes), dec.decode(serializeResponse(res, { now: NOW })));
  const binary = new ApiResponse(200, [], new Uint8Array([1, 2, 3]));
  const viaInto = serializeResponse(binary, { now: NOW, into });
  assert.deepEqual([...viaInto.subarray(viaInto.length - 3)], [1, 2, 3]);
  const big = new ApiResponse(200, [], "x".repeat(1000));
  const out = serializeResponse(big, { now: NOW, into });
  assert.notEqual(out.buffer, into.buffer);
  assert.ok(dec.decode(out).endsWith("x".repeat(1000)));
});

Deno.test("capitalizeHeaderName() capitalizes each dash-separated part", () => {
  assert.equal(capitalizeHeaderName("X-OpenStack-Request-Id"), "X-Openstack-Request-Id");
  assert.equal(capitalizeHeaderName("content-type"), "Content-Type");
  assert.equal(capitalizeHeaderName("WWW-Authenticate"), "Www-Authenticate");
  assert.equal(capitalizeHeaderName("x--a"), "X--A");
  assert.equal(capitalizeHeaderName("ETAG"), "Etag");
});

Deno.test("httpDate() formats like eventlet's format_date_time", () => {
  assert.equal(httpDate(NOW), DATE);
  assert.equal(httpDate(Date.UTC(2027, 0, 3, 4, 5, 6)), "Sun, 03 Jan 2027 04:05:06 GMT");
});

Deno.test("serializeSendError() writes http.server's send_error page", () => {
  const page = (code: number, message: string, explain: string) =>
    `<!DOCTYPE HTML>\n<html lang="en">\n    <head>\n        <meta charset="utf-8">\n` +
    `        <title>Error response</title>\n    </head>\n    <body>\n        <h1>Error response</h1>\n` +
    `        <p>Error code: ${code}</p>\n        <p>Message: ${message}.</p>\n` +
    `        <p>Error code explanation: ${code} - ${explain}.</p>\n    </body>\n</html>\n`;
  const base = { method: null, requestLine: "" };
  const bare = serializeSendError({
    ...base,
    code: 400,
    message: "Bad request version ('<FOO>')",
    explain: "Bad request syntax or unsupported method",
    statusLine: false,
  }, NOW);
  assert.equal(
    dec.decode(bare),
    page(400, "Bad request version ('&lt;FOO&gt;')", "Bad request syntax or unsupported method"),
  );
  const full = serializeSendError({
    ...base,
    code: 431,
    message: "Too many headers",
    explain: "got more than 100 headers",
    statusLine: true,
  }, NOW);
  const body = page(431, "Too many headers", "got more than 100 headers");
  assert.equal(body.length, 333);
  assert.equal(
    dec.decode(full),
    "HTTP/1.1 431 Too many headers\r\nServer: BaseHTTP/0.6 Python/3.11.2\r\n" +
      `Date: ${DATE}\r\nConnection: close\r\nContent-Type: text/html;charset=utf-8\r\n` +
      `Content-Length: 333\r\n\r\n${body}`,
  );
  const head = serializeSendError({
    ...base,
    method: "HEAD",
    code: 431,
    message: "Too many headers",
    explain: "x",
    statusLine: true,
  }, NOW);
  assert.ok(dec.decode(head).endsWith("\r\n\r\n"));
});

Deno.test("CONTINUE_100 is eventlet's interim answer", () => {
  assert.equal(dec.decode(CONTINUE_100), "HTTP/1.1 100 Continue\r\n\r\n");
});
