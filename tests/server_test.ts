import assert from "node:assert/strict";
import type { App } from "../lib/app.ts";
import { Conf } from "../lib/config/conf.ts";
import { captureLogs } from "../lib/log.ts";
import { type ApiRequest, BodyTooLargeError } from "../lib/request.ts";
import { ApiResponse, jsonResponse } from "../lib/response.ts";
import { DRAIN_LIMIT, serve, type Server } from "../lib/server.ts";

// ---- helpers --------------------------------------------------------------

const enc = new TextEncoder();

function conf(wsgi = "", extra = ""): Conf {
  return Conf.load([{ name: "test", text: `[wsgi]\n${wsgi}\n${extra}` }]);
}

async function start(app: App, wsgi = "", extra = ""): Promise<Server> {
  return await serve({
    name: "test",
    app,
    hostname: "127.0.0.1",
    port: 0,
    conf: conf(wsgi, extra),
  });
}

/** A raw TCP client that reads whole responses. */
class Client {
  #buf = "";
  #closed = false;
  constructor(readonly conn: Deno.Conn) {}

  static async open(port: number): Promise<Client> {
    return new Client(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  async send(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === "string" ? latin1(data) : data;
    for (let n = 0; n < bytes.length;) n += await this.conn.write(bytes.subarray(n));
  }

  /** Reads more; false at EOF. */
  async #more(timeoutMs: number): Promise<boolean> {
    if (this.#closed) return false;
    const chunk = new Uint8Array(65536);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((r) =>
      timer = setTimeout(() => r("timeout"), timeoutMs)
    );
    const n = await Promise.race([this.conn.read(chunk).catch(() => null), timeout]);
    clearTimeout(timer);
    if (n === "timeout") throw new Error(`Timed out; got so far: ${JSON.stringify(this.#buf)}`);
    if (n === null) {
      this.#closed = true;
      return false;
    }
    this.#buf += String.fromCharCode(...chunk.subarray(0, n));
    return true;
  }

  /** Reads exactly `text` next (e.g. a 100 Continue). */
  async expect(text: string, timeoutMs = 3000): Promise<void> {
    while (this.#buf.length < text.length && await this.#more(timeoutMs));
    assert.equal(this.#buf.slice(0, text.length), text);
    this.#buf = this.#buf.slice(text.length);
  }

  /** One response (head and Content-Length body; no body for HEAD). */
  async response(options: { head?: boolean; timeoutMs?: number } = {}): Promise<Reply> {
    const timeoutMs = options.timeoutMs ?? 3000;
    let end: number;
    while ((end = this.#buf.indexOf("\r\n\r\n")) < 0) {
      if (!await this.#more(timeoutMs)) {
        throw new Error(`EOF in head: ${JSON.stringify(this.#buf)}`);
      }
    }
    const head = this.#buf.slice(0, end + 4);
    const match = /\r\ncontent-length: *(\d+)/i.exec(head);
    const length = options.head || !match ? 0 : Number(match[1]);
    while (this.#buf.length < end + 4 + length) {
      if (!await this.#more(timeoutMs)) throw new Error("EOF in body");
    }
    const body = this.#buf.slice(end + 4, end + 4 + length);
    this.#buf = this.#buf.slice(end + 4 + length);
    return new Reply(head, body);
  }

  /** Everything until the server closes (or `timeoutMs` passes: then it throws). */
  async rest(timeoutMs = 3000): Promise<string> {
    while (await this.#more(timeoutMs));
    const text = this.#buf;
    this.#buf = "";
    return text;
  }

  close(): void {
    try {
      this.conn.close();
    } catch { /* closed */ }
  }
}

class Reply {
  constructor(readonly head: string, readonly body: string) {}
  get statusLine(): string {
    return this.head.slice(0, this.head.indexOf("\r\n"));
  }
  get status(): number {
    return Number(this.statusLine.split(" ")[1]);
  }
  /** The head with the Date value masked. */
  get masked(): string {
    return this.head.replace(/\r\nDate: [^\r]*/, "\r\nDate: X");
  }
  header(name: string): string | null {
    const m = new RegExp(`\r\n${name}: ([^\r]*)`, "i").exec(this.head);
    return m ? m[1] : null;
  }
  get raw(): string {
    return this.head + this.body;
  }
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => resolve = r);
  return { promise, resolve };
}

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("Condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

const text = (status: number, body: string, extra: [string, string][] = []) =>
  new ApiResponse(status, [
    ["Content-Type", "text/plain"],
    ["Content-Length", String(enc.encode(body).length)],
    ...extra,
  ], body);

/** Echoes the path and query. */
const echo: App = (req) => Promise.resolve(text(200, `${req.method} ${req.pathInfo} ${req.query}`));

// ---- request line and headers ----------------------------------------------

Deno.test("serve() answers a 9000-char URL with eventlet's 414 byte for byte (case 191)", async () => {
  const server = await start(echo);
  const client = await Client.open(server.port);
  try {
    await client.send(
      `GET /v2.1/flavors/${
        "a".repeat(9000)
      } HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n`,
    );
    assert.equal(
      await client.rest(),
      "HTTP/1.0 414 Request URI Too Long\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
    );
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("serve() accepts an 8000-char URL (case 190)", async () => {
  const server = await start(echo);
  const client = await Client.open(server.port);
  try {
    const path = "/v2.1/flavors/" + "a".repeat(8000);
    await client.send(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
    const reply = await client.response();
    assert.equal(reply.status, 200);
    assert.equal(reply.body, `GET ${path} `);
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("serve() writes capitalized headers in order, two Vary, then Date", async () => {
  const app: App = () =>
    Promise.resolve(
      new ApiResponse(400, [
        ["OpenStack-API-Version", "compute 2.1"],
        ["Vary", "OpenStack-API-Version"],
        ["Vary", "X-OpenStack-Nova-API-Version"],
        ["Content-Type", "application/json; charset=UTF-8"],
        ["Content-Length", "2"],
        ["x-openstack-request-id", "req-1"],
      ], "{}"),
    );
  const server = await start(app);
  const client = await Client.open(server.port);
  try {
    await client.send("GET /v2.1/x HTTP/1.1\r\nHost: x\r\n\r\n");
    const reply = await client.response();
    assert.equal(
      reply.masked + reply.body,
      "HTTP/1.1 400 Bad Request\r\nOpenstack-Api-Version: compute 2.1\r\n" +
        "Vary: OpenStack-API-Version\r\nVary: X-OpenStack-Nova-API-Version\r\n" +
        "Content-Type: application/json; charset=UTF-8\r\nContent-Length: 2\r\n" +
        "X-Openstack-Request-Id: req-1\r\nDate: X\r\n\r\n{}",
    );
    assert.match(reply.header("Date")!, /^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/);
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("serve() writes Content-Length: 0 on a 204 and HEAD without a body", async () => {
  const app: App = (req) =>
    Promise.resolve(
      req.pathInfo === "/none" ? new ApiResponse(204) : jsonResponse(200, { hello: "world" }),
    );
  const server = await start(app);
  const client = await Client.open(server.port);
  try {
    await client.send("GET /none HTTP/1.1\r\n\r\n");
    assert.equal(
      (await client.response()).masked,
      "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nDate: X\r\n\r\n",
    );
    await client.send("HEAD / HTTP/1.1\r\n\r\n");
    const head = await client.response({ head: true });
    assert.equal(
      head.masked,
      "HTTP/1.1 200 OK\r\nContent-Length: 18\r\nContent-Type: application/json\r\nDate: X\r\n\r\n",
    );
    // No body bytes followed the HEAD answer: the next response starts right away.
    await client.send("GET / HTTP/1.1\r\n\r\n");
    const get = await client.response();
    assert.equal(get.statusLine, "HTTP/1.1 200 OK");
    assert.equal(get.body, '{"hello": "world"}');
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("serve() answers malformed request lines as http.server does, then closes", async () => {
  const server = await start(echo);
  const client = await Client.open(server.port);
  try {
    await client.send("GET / FOO\r\n\r\n");
    const page = await client.rest();
    assert.ok(page.startsWith("<!DOCTYPE HTML>\n"), page);
    assert.ok(
      page.includes("<p>Message: Bad request version (&#x27;FOO&#x27;).</p>") ||
        page.includes("<p>Message: Bad request version ('FOO').</p>"),
    );
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("serve() answers a header line of max_header_line bytes with eventlet's 400", async () => {
  const server = await start(echo, "max_header_line = 64");
  const client = await Client.open(server.port);
  try {
    await client.send(`GET / HTTP/1.1\r\nX-Long: ${"a".repeat(60)}\r\n\r\n`);
    assert.equal(
      await client.rest(),
      "HTTP/1.0 400 Header Line Too Long\r\nConnection: close\r\nContent-length: 0\r\n\r\n",
    );
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("serve() refuses Content-Length with Transfer-Encoding (no smuggling)", async () => {
  const server = await start(echo);
  const client = await Client.open(server.port);
  try {
    await client.send(
      "POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n",
    );
    assert.equal(
      await client.rest(),
      "HTTP/1.0 400 Bad Request\r\nConnection: close\r\nContent-length: 0\r\n\r\n",
    );
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("serve() builds the request like a WSGI environ", async () => {
  let seen: ApiRequest | null = null;
  const app: App = (req) => {
    seen = req;
    return echo(req);
  };
  const server = await start(app);
  const client = await Client.open(server.port);
  try {
    await client.send(
      "GET //v2.1/x%20y/%C3%A9?a=%20b HTTP/1.1\r\nHost: api:8774\r\nX-Auth-Token: t\r\nX_Roles: admin\r\n\r\n",
    );
    await client.response();
    const req = seen! as ApiRequest;
    assert.equal(req.pathInfo, "/v2.1/x y/\u00e9");
    assert.equal(req.query, "a=%20b");
    assert.equal(req.header("x-auth-token"), "t");
    assert.equal(req.header("x-roles"), "admin");
    assert.equal(req.scheme, "http");
    assert.equal(req.serverName, "127.0.0.1");
    assert.equal(req.serverPort, server.port);
    assert.equal(req.remoteAddr, "127.0.0.1");
    assert.equal(req.httpVersion, "HTTP/1.1");
    assert.equal(req.url, "http://api:8774/v2.1/x%20y/%C3%A9?a=%20b");
  } finally {
    client.close();
    await server.stop();
  }
});

// ---- connections ----------------------------------------------------------

Deno.test("serve() keeps a connection alive for several requests", async () => {
  const server = await start(echo);
  const client = await Client.open(server.port);
  try {
    for (const path of ["/a", "/b", "/c"]) {
      await client.send(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
      const reply = await client.response();
      assert.equal(reply.body, `GET ${path} `);
      assert.equal(reply.header("Connection"), null);
    }
    assert.equal(server.connections, 1);
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("serve() answers pipelined requests in order", async () => {
  const server = await start(echo);
  const client = await Client.open(server.port);
  try {
    await client.send(
      "GET /1 HTTP/1.1\r\n\r\nHEAD /2 HTTP/1.1\r\n\r\nGET /3?x HTTP/1.1\r\nConnection: close\r\n\r\n",
    );
    assert.equal((await client.response()).body, "GET /1 ");
    const head = await client.response({ head: true });
    assert.equal(head.header("Content-Length"), "8");
    const last = await client.response();
    assert.equal(last.body, "GET /3 x");
    assert.equal(last.header("Connection"), "close");
    assert.equal(await client.rest(), "");
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("serve() closes after an HTTP/1.0 request and honours its keep-alive", async () => {
  const server = await start(echo);
  const one = await Client.open(server.port);
  const two = await Client.open(server.port);
  try {
    await one.send("GET / HTTP/1.0\r\n\r\n");
    assert.equal((await one.response()).header("Connection"), "close");
    assert.equal(await one.rest(), "");
    await two.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    assert.equal((await two.response()).header("Connection"), "keep-alive");
    await two.send("GET /again HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    assert.equal((await two.response()).body, "GET /again ");
  } finally {
    one.close();
    two.close();
    await server.stop();
  }
});

Deno.test("serve() with keep_alive = false closes after each response", async () => {
  const server = await start(echo, "keep_alive = false");
  const client = await Client.open(server.port);
  try {
    await client.send("GET / HTTP/1.1\r\n\r\nGET /ignored HTTP/1.1\r\n\r\n");
    const reply = await client.response();
    assert.equal(reply.header("Connection"), "close");
    assert.equal(await client.rest(), "");
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("serve() closes a connection idle for client_socket_timeout", async () => {
  const server = await start(echo, "client_socket_timeout = 1");
  const client = await Client.open(server.port);
  try {
    await client.send("GET / HTTP/1.1\r\n\r\n");
    await client.response();
    const t0 = Date.now();
    assert.equal(await client.rest(4000), "");
    const waited = Date.now() - t0;
    assert.ok(waited >= 900 && waited < 2500, `closed after ${waited} ms`);
    await until(() => server.connections === 0);
  } finally {
    client.close();
    await server.stop();
  }
});

// ---- bodies ---------------------------------------------------------------

/** /read reads the body (limit from ?limit=); anything else ignores it. */
const bodyApp: App = async (req) => {
  if (req.pathInfo !== "/read") return text(200, "ignored");
  const limit = req.query ? Number(req.query.split("=")[1]) : undefined;
  try {
    const body = await req.body.read(limit);
    return text(200, `read ${body.length}: ${new TextDecoder().decode(body)}`);
  } catch (err) {
    if (err instanceof BodyTooLargeError) return text(413, "too large");
    return text(500, String(err));
  }
};

Deno.test("serve() reads chunked bodies, and skips those the app ignores", async () => {
  const server = await start(bodyApp);
  const client = await Client.open(server.port);
  try {
    const chunked =
      "Transfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n";
    await client.send(`POST /read HTTP/1.1\r\n${chunked}`);
    assert.equal((await client.response()).body, "read 11: hello world");
    await client.send(`POST /ignore HTTP/1.1\r\n${chunked}GET /read HTTP/1.1\r\n\r\n`);
    assert.equal((await client.response()).body, "ignored");
    assert.equal((await client.response()).body, "read 0: ");
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("serve() drains an unread Content-Length body and keeps the connection", async () => {
  const server = await start(bodyApp);
  const client = await Client.open(server.port);
  try {
    await client.send(
      "POST /ignore HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /read HTTP/1.1\r\n\r\n",
    );
    assert.equal((await client.response()).body, "ignored");
    assert.equal((await client.response()).body, "read 0: ");
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("serve() closes instead of draining a body larger than DRAIN_LIMIT", async () => {
  const server = await start(bodyApp);
  const client = await Client.open(server.port);
  try {
    await client.send(`POST /ignore HTTP/1.1\r\nContent-Length: ${DRAIN_LIMIT + 1}\r\n\r\n`);
    const reply = await client.response();
    assert.equal(reply.header("Connection"), "close");
    assert.equal(await client.rest(), "");
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("serve() refuses a Content-Length over the limit before reading the body", async () => {
  const server = await start(bodyApp);
  const client = await Client.open(server.port);
  try {
    // No body byte is sent: the app's answer must not wait for any. (A body
    // of up to max_request_body_size would be read before the app runs.)
    await client.send("POST /read?limit=10 HTTP/1.1\r\nContent-Length: 200000\r\n\r\n");
    const reply = await client.response();
    assert.equal(reply.status, 413);
    assert.equal(reply.header("Connection"), null, "a small unread body is drained later");
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("serve() stops reading a chunked body as soon as it passes the limit", async () => {
  const server = await start(bodyApp);
  const client = await Client.open(server.port);
  try {
    // The first chunk already passes the limit; the rest is never sent.
    await client.send(
      "POST /read?limit=10 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n14\r\n" + "x".repeat(20) +
        "\r\n",
    );
    const reply = await client.response();
    assert.equal(reply.status, 413);
    assert.equal(reply.header("Connection"), "close");
    assert.equal(await client.rest(), "");
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("serve() refuses invalid chunked framing and closes", async () => {
  const server = await start(bodyApp);
  const client = await Client.open(server.port);
  try {
    await client.send(
      "POST /read HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
    );
    const reply = await client.response();
    assert.equal(reply.status, 500);
    assert.match(reply.body, /ChunkedBodyError: Invalid chunk size/);
    assert.equal(reply.header("Connection"), "close");
    assert.equal(await client.rest(), "");
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("serve() sends 100 Continue when the app reads an Expect body", async () => {
  const server = await start(bodyApp);
  const client = await Client.open(server.port);
  try {
    await client.send("POST /read HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    await client.expect("HTTP/1.1 100 Continue\r\n\r\n");
    await client.send("hello");
    const reply = await client.response();
    assert.equal(reply.body, "read 5: hello");
    assert.equal(reply.header("Connection"), null);
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("serve() closes when the app answers an Expect request without reading", async () => {
  const server = await start(bodyApp);
  const client = await Client.open(server.port);
  try {
    await client.send("POST /ignore HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    const reply = await client.response();
    assert.equal(reply.statusLine, "HTTP/1.1 200 OK");
    assert.equal(reply.header("Connection"), "close");
    assert.equal(await client.rest(), "");
  } finally {
    client.close();
  }
  // eventlet does so even when no body was announced.
  const bare = await Client.open(server.port);
  try {
    await bare.send("GET /ignore HTTP/1.1\r\nExpect: 100-continue\r\n\r\n");
    assert.equal((await bare.response()).header("Connection"), "close");
    assert.equal(await bare.rest(), "");
  } finally {
    bare.close();
    await server.stop();
  }
});

// ---- failures and logging ---------------------------------------------------

Deno.test("serve() answers eventlet's empty 500 when the app throws, and logs the stack", async () => {
  const logs = captureLogs();
  const server = await start(() => Promise.reject(new Error("boom")));
  const client = await Client.open(server.port);
  try {
    await client.send("GET /crash HTTP/1.1\r\n\r\n");
    const reply = await client.response();
    assert.equal(
      reply.masked,
      "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n" +
        "Date: X\r\nConnection: close\r\n\r\n",
    );
    assert.equal(await client.rest(), "");
    const error = logs.find((l) => l.includes(" ERROR nova.test.wsgi.server "));
    assert.ok(error?.includes("Error: boom\n    at "), error);
    assert.ok(logs.some((l) => l.includes('"GET /crash HTTP/1.1" status: 500 len: ')));
  } finally {
    captureLogs(false);
    client.close();
    await server.stop();
  }
});

Deno.test("serve() logs each request in [wsgi] wsgi_log_format", async () => {
  const logs = captureLogs();
  const app: App = (req) => {
    req.requestId = "req-42";
    return echo(req);
  };
  const server = await start(app);
  const client = await Client.open(server.port);
  try {
    await client.send("GET /x?y=1 HTTP/1.1\r\nX-Forwarded-For: 10.0.0.1, 10.0.0.2\r\n\r\n");
    const reply = await client.response();
    await until(() => logs.some((l) => l.includes('"GET /x?y=1 HTTP/1.1"')));
    const line = logs.find((l) => l.includes('"GET /x?y=1 HTTP/1.1"'))!;
    const m =
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \d+ INFO nova\.test\.wsgi\.server \[None req-42 - - - - - -\] 10\.0\.0\.1,10\.0\.0\.2,127\.0\.0\.1 "GET \/x\?y=1 HTTP\/1\.1" status: 200 len: (\d+) time: \d+\.\d{7}$/
        .exec(line);
    assert.ok(m, line);
    assert.equal(Number(m[1]), reply.raw.length, "len counts status line, headers and body");
  } finally {
    captureLogs(false);
    client.close();
    await server.stop();
  }
});

Deno.test("serve() formats eventlet's other log keys", async () => {
  const logs = captureLogs();
  const format =
    "wsgi_log_format = %%(client_ip)s:%%(client_port)s [%%(date_time)s] %%(status_code)s " +
    "%%(body_length)d %%(wall_seconds).3f %%(request_line)r %%%%";
  // oslo.config reads "%%" in the file as written; the option keeps Python's %-format.
  const server = await start(echo, format.replaceAll("%%", "%"));
  const client = await Client.open(server.port);
  try {
    await client.send("GET /k HTTP/1.1\r\n\r\n");
    await client.response();
    await until(() => logs.some((l) => l.includes("'GET /k HTTP/1.1'")));
    const line = logs.find((l) => l.includes("'GET /k HTTP/1.1'"))!;
    const port = (client.conn.localAddr as Deno.NetAddr).port;
    assert.match(
      line,
      new RegExp(
        `\\] 127\\.0\\.0\\.1:${port} \\[\\d\\d/\\w{3}/\\d{4} \\d\\d:\\d\\d:\\d\\d\\] 200 \\d+ \\d\\.\\d{3} 'GET /k HTTP/1\\.1' %$`,
      ),
    );
  } finally {
    captureLogs(false);
    client.close();
    await server.stop();
  }
});

Deno.test("serve() rejects a wsgi_log_format it cannot format", async () => {
  await assert.rejects(start(echo, "wsgi_log_format = %(nope)s"), TypeError);
  await assert.rejects(start(echo, "wsgi_log_format = %(status_code)d"), TypeError);
});

// ---- pool and stop ----------------------------------------------------------

Deno.test("serve() runs at most default_pool_size requests, the rest in FIFO order", async () => {
  const entered: string[] = [];
  const gates = new Map<string, () => void>();
  const app: App = async (req) => {
    entered.push(req.pathInfo);
    await new Promise<void>((resolve) => gates.set(req.pathInfo, resolve));
    return echo(req);
  };
  const server = await start(app, "default_pool_size = 2");
  const clients: Client[] = [];
  try {
    for (const n of [1, 2, 3, 4, 5]) {
      const client = await Client.open(server.port);
      clients.push(client);
      await client.send(`GET /${n} HTTP/1.1\r\n\r\n`);
      await until(() => server.activeRequests + server.waitingRequests === n);
    }
    assert.equal(server.activeRequests, 2);
    assert.equal(server.waitingRequests, 3);
    assert.deepEqual(entered, ["/1", "/2"]);
    for (const n of [2, 1, 3, 4, 5]) {
      await until(() => gates.has(`/${n}`));
      gates.get(`/${n}`)!();
      assert.equal((await clients[n - 1].response()).body, `GET /${n} `);
    }
    assert.deepEqual(entered, ["/1", "/2", "/3", "/4", "/5"]);
    assert.equal(server.activeRequests, 0);
  } finally {
    for (const gate of gates.values()) gate();
    for (const client of clients) client.close();
    await server.stop();
  }
});

Deno.test("stop() finishes in-flight requests, closes idle ones and refuses new ones", async () => {
  const gate = deferred();
  const app: App = async (req) => {
    if (req.pathInfo === "/slow") await gate.promise;
    return echo(req);
  };
  const server = await start(app);
  const slow = await Client.open(server.port);
  const idle = await Client.open(server.port);
  let stopped = false;
  try {
    await idle.send("GET /first HTTP/1.1\r\n\r\n");
    await idle.response();
    await slow.send("GET /slow HTTP/1.1\r\n\r\n");
    await until(() => server.activeRequests === 1);
    const stopping = server.stop().then(() => stopped = true);
    assert.equal(await idle.rest(), "", "the idle keep-alive connection is closed");
    await assert.rejects(Deno.connect({ hostname: "127.0.0.1", port: server.port }));
    assert.equal(stopped, false);
    gate.resolve();
    const reply = await slow.response();
    assert.equal(reply.body, "GET /slow ");
    assert.equal(reply.header("Connection"), "close");
    await stopping;
    assert.equal(stopped, true);
    assert.equal(server.connections, 0);
  } finally {
    gate.resolve();
    slow.close();
    idle.close();
    await server.stop();
  }
});

Deno.test("stop() gives up on requests after graceful_shutdown_timeout", async () => {
  const gate = deferred();
  const server = await start(
    async () => {
      await gate.promise;
      return text(200, "late");
    },
    "",
    "[DEFAULT]\ngraceful_shutdown_timeout = 1",
  );
  const client = await Client.open(server.port);
  try {
    await client.send("GET / HTTP/1.1\r\n\r\n");
    await until(() => server.activeRequests === 1);
    const t0 = Date.now();
    await server.stop();
    const waited = Date.now() - t0;
    assert.ok(waited >= 900 && waited < 2500, `stopped after ${waited} ms`);
    assert.equal(await client.rest(), "");
  } finally {
    gate.resolve();
    client.close();
  }
});

// ---- TLS ------------------------------------------------------------------

async function hasOpenssl(): Promise<boolean> {
  try {
    return (await new Deno.Command("openssl", { args: ["version"], stdout: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

async function selfSigned(dir: string): Promise<{ cert: string; key: string }> {
  const cert = `${dir}/cert.pem`;
  const key = `${dir}/key.pem`;
  const out = await new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      // rustls refuses a CA certificate as the server's own.
      "-addext",
      "basicConstraints=critical,CA:FALSE",
      "-keyout",
      key,
      "-out",
      cert,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return { cert, key };
}

Deno.test({
  name: "serve() speaks TLS with [wsgi] ssl_cert_file and ssl_key_file",
  ignore: !await hasOpenssl(),
  async fn() {
    const dir = await Deno.makeTempDir();
    const { cert, key } = await selfSigned(dir);
    let scheme = "";
    const app: App = (req) => {
      scheme = req.scheme;
      return echo(req);
    };
    const server = await serve({
      name: "test",
      app,
      hostname: "127.0.0.1",
      port: 0,
      useSsl: true,
      conf: conf(`ssl_cert_file = ${cert}\nssl_key_file = ${key}`),
    });
    const conn = await Deno.connectTls({
      hostname: "127.0.0.1",
      port: server.port,
      caCerts: [await Deno.readTextFile(cert)],
    });
    const client = new Client(conn);
    try {
      assert.equal(server.scheme, "https");
      await client.send("GET /tls HTTP/1.1\r\nHost: x\r\n\r\n");
      const reply = await client.response();
      assert.equal(reply.body, "GET /tls ");
      assert.equal(scheme, "https");
      // Deno's TLS cannot verify client certificates: asking for it is a start-up error.
      await assert.rejects(
        serve({
          name: "test",
          app,
          hostname: "127.0.0.1",
          port: 0,
          useSsl: true,
          conf: conf(`ssl_cert_file = ${cert}\nssl_key_file = ${key}\nssl_ca_file = ${cert}`),
        }),
        /Cannot verify client certificates \(\[wsgi\] ssl_ca_file\) on Deno/,
      );
    } finally {
      client.close();
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("serve() checks the TLS options as nova does", async () => {
  const options = { name: "test", app: echo, hostname: "127.0.0.1", port: 0, useSsl: true };
  await assert.rejects(
    serve({ ...options, conf: conf() }),
    /you must specify both a cert_file and key_file/,
  );
  await assert.rejects(
    serve({ ...options, conf: conf("ssl_cert_file = /nonexistent.pem\nssl_key_file = /x") }),
    /Unable to find cert_file : \/nonexistent\.pem/,
  );
});
