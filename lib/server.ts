/**
 * One listener serving one WSGI service, as nova's `nova.wsgi.Server`
 * runs `eventlet.wsgi.server`: keep-alive and pipelined requests on each
 * connection, eventlet's answers and wire format, a pool bounding the
 * requests running at once, the access log in `[wsgi] wsgi_log_format`,
 * `[wsgi] client_socket_timeout`, TLS, and a graceful stop.
 *
 * Where eventlet is known to suffer, novalet holds (see the notes below):
 * request heads and small bodies are read before a request takes a pool
 * slot, so slow clients never hold one; a client that keeps the server
 * waiting (idle, or sending slower than MIN_RATE) is cut at
 * `client_socket_timeout`; a request that waits longer than
 * `[wsgi] max_queue_wait` for a slot is answered 503; connections closed
 * after an answer linger (write side shut, the rest read and dropped) so
 * that the answer is not lost to a TCP reset; and a stop still answers
 * the requests already sent on idle keep-alive connections.
 *
 * Mirrors nova/wsgi.py `Server` and eventlet/wsgi.py `server()`,
 * `HttpProtocol.handle_one_request` and `handle_one_response`.
 *
 * @module
 */

import { after, every } from "./timers.ts";
import { pathExists as existsSync, pid as processId } from "./runtime.ts";

const PID = processId();
import type { App } from "./app.ts";
import type { Conf } from "./config/conf.ts";
import { webobError } from "./errors.ts";
import { getLogger, identityOf, isEnabledFor, type LogContext, type Logger } from "./log.ts";
import { Pool, poolSizeFromConf, PoolWaitTimeout } from "./pool.ts";
import { ApiRequest } from "./request.ts";
import { ApiResponse, type StreamedBody } from "./response.ts";
import { type Conn, listen, type Listener, type TlsFiles } from "./runtime.ts";
import { type AccessFormat, compileAccessFormat, logDateTime } from "./http/access_log.ts";
import { NO_BODY, type RequestBody, SocketBody, SocketInput } from "./http/body.ts";
import { HeadParser, type HeadResult, type RequestHead } from "./http/parser.ts";
import { decodePath } from "./http/wsgi_text.ts";
import { CONTINUE_100, serializeResponse, serializeSendError } from "./http/writer.ts";

/** Unread request body the server drops to keep a connection; past it, it closes. */
export const DRAIN_LIMIT = 1024 * 1024;

/**
 * The slowest pace a client may send or read at, in bytes per second: each
 * request may keep the server waiting `client_socket_timeout` seconds plus
 * one second per MIN_RATE bytes it moved (Apache mod_reqtimeout's MinRate).
 */
export const MIN_RATE = 500;

/** Largest Content-Length body read before the request takes a pool slot. */
const PREREAD_MAX = 128 * 1024;

/** How long a closing connection reads and drops what still comes after its last answer. */
const LINGER_MS = 2000;
/** Where lingering reads land (their bytes are dropped, so they may share it). */
const LINGER_SCRATCH = new Uint8Array(64 * 1024);

/** On stop, how long idle keep-alive connections stay open for requests already on their way. */
const STOP_GRACE_MS = 50;

/** What {@link serve} needs. */
export interface ServeOptions {
  /** The service (`osapi_compute`, `metadata`): names the logger `nova.<name>.wsgi.server`. */
  name: string;
  app: App;
  hostname: string;
  /** 0 picks a free port ({@link Server.port} tells which). */
  port: number;
  /** Reads `[wsgi]` and `[DEFAULT] graceful_shutdown_timeout`. */
  conf: Conf;
  /** Serve TLS with `[wsgi] ssl_cert_file`/`ssl_key_file` (nova: the API is in `enabled_ssl_apis`). */
  useSsl?: boolean;
}

/** A running listener. */
export interface Server {
  readonly name: string;
  readonly hostname: string;
  /** The bound port. */
  readonly port: number;
  readonly scheme: "http" | "https";
  /** Requests running in the app (holding a pool permit). */
  readonly activeRequests: number;
  /** Requests parsed and waiting for a pool permit. */
  readonly waitingRequests: number;
  /**
   * The most requests that ran in the app at once so far (counted around
   * the app call, apart from the pool's own count). Logged at DEBUG each
   * time it grows.
   */
  readonly peakActiveRequests: number;
  /** Requests answered 503 after waiting `[wsgi] max_queue_wait` for a pool slot. */
  readonly queueTimeouts: number;
  /** Open client connections. */
  readonly connections: number;
  /** Resolves once the server has stopped. */
  readonly finished: Promise<void>;
  /**
   * Stops accepting, closes connections waiting for a request, lets the
   * requests in flight finish (at most `graceful_shutdown_timeout` seconds;
   * 0 waits forever), then closes the rest. Idempotent.
   */
  stop(): Promise<void>;
}

/**
 * Starts serving `options.app` (nova.wsgi.Server.__init__ + start).
 *
 * @throws {Error} when the address cannot be bound or TLS is misconfigured
 * @throws {SyntaxError | TypeError} for a `[wsgi] wsgi_log_format` that cannot format
 */
export async function serve(options: ServeOptions): Promise<Server> {
  const log = getLogger("nova.wsgi");
  const tls = options.useSsl ? tlsFiles(options.conf) : null;
  const format = compileAccessFormat(options.conf.wsgi.wsgi_log_format);
  let listener: Listener;
  try {
    listener = await listen({
      hostname: options.hostname,
      port: options.port,
      tls,
      keepIdle: options.conf.wsgi.tcp_keepidle,
    });
  } catch (err) {
    log.error(
      tls
        ? `Failed to start ${options.name} on ${options.hostname}:${options.port} with SSL support`
        : `Could not bind to ${options.hostname}:${options.port}`,
    );
    throw err;
  }
  log.info(`${options.name} listening on ${listener.addr.hostname}:${listener.addr.port}`);
  return new WsgiServer(options, listener, format, tls ? "https" : "http");
}

/**
 * Serves on a listener the caller opened (socket activation, benchmarks
 * with an in-memory listener); `options.hostname`/`port`/`useSsl` are not used.
 *
 * @throws {SyntaxError | TypeError} for a `[wsgi] wsgi_log_format` that cannot format
 */
export function serveListener(
  listener: Listener,
  options: ServeOptions & { scheme?: "http" | "https" },
): Server {
  const format = compileAccessFormat(options.conf.wsgi.wsgi_log_format);
  return new WsgiServer(options, listener, format, options.scheme ?? "http");
}

/** nova.wsgi.Server.start's checks of the TLS options. */
function tlsFiles(conf: Conf): TlsFiles {
  const { ssl_cert_file: cert, ssl_key_file: key, ssl_ca_file: ca } = conf.wsgi;
  if (cert && !existsSync(cert)) throw new Error(`Unable to find cert_file : ${cert}`);
  if (ca && !existsSync(ca)) throw new Error(`Unable to find ca_file : ${ca}`);
  if (key && !existsSync(key)) throw new Error(`Unable to find key_file : ${key}`);
  if (!cert || !key) {
    throw new Error(
      "When running server in SSL mode, you must specify both a cert_file and key_file " +
        "option value in your configuration file",
    );
  }
  return { certFile: cert, keyFile: key, caFile: ca };
}

/** One client connection. */
class Client {
  readonly input: SocketInput;
  readonly parser: HeadParser;
  /** True while waiting for (the rest of) a request head: safe to close on stop. */
  reading = false;
  /** What the timeout sweep saw last: the operation count, and since when it stands still. */
  seenOps = -1;
  stillSince = 0;
  /** Time the current request kept the server waiting on the socket (ms, sampled). */
  waited = 0;
  /** `input.transferred` when the current request began. */
  base = 0;
  /** Date.now() past which a lingering close ends (0: not lingering). */
  lingerUntil = 0;

  constructor(readonly conn: Conn, maxHeaderLine: number) {
    this.input = new SocketInput(conn);
    this.parser = new HeadParser(maxHeaderLine);
  }

  /** Starts the timeout budget of the next request. */
  nextRequest(): void {
    this.waited = 0;
    this.base = this.input.transferred;
  }
}

const OUT_SIZE = 16 * 1024;
const OUT_KEPT = 256;

/** eventlet's own answer to an exception escaping the app. */
function internalError(): ApiResponse {
  const res = new ApiResponse(500, [["Content-type", "text/plain"], ["Content-length", "0"]]);
  res.reason = "Internal Server Error";
  res.closeConnection = true;
  return res;
}

class WsgiServer implements Server {
  readonly name: string;
  readonly hostname: string;
  readonly port: number;
  readonly scheme: "http" | "https";
  readonly finished: Promise<void>;
  readonly #app: App;
  readonly #conf: Conf;
  readonly #listener: Listener;
  readonly #format: AccessFormat;
  readonly #log: Logger;
  readonly #pool: Pool;
  readonly #clients = new Set<Client>();
  /** Reused output buffers (Deno allocates typed arrays slowly). */
  readonly #outBuffers: Uint8Array[] = [];
  readonly #timeoutMs: number;
  readonly #sweeper: { stop(): void };
  #lastSweep = Date.now();
  readonly #preReadMax: number;
  /** Requests in the app now, and the most so far (see {@link Server.peakActiveRequests}). */
  #running = 0;
  #peak = 0;
  #queueTimeouts = 0;
  #stopping = false;
  #stopped: Promise<void> | null = null;
  #onIdle: (() => void) | null = null;
  #finish!: () => void;

  constructor(
    options: ServeOptions,
    listener: Listener,
    format: AccessFormat,
    scheme: "http" | "https",
  ) {
    this.name = options.name;
    this.#app = options.app;
    this.#conf = options.conf;
    this.#listener = listener;
    this.#format = format;
    this.scheme = scheme;
    this.hostname = listener.addr.hostname;
    this.port = listener.addr.port;
    this.#log = getLogger(`nova.${options.name}.wsgi.server`);
    const wsgi = options.conf.wsgi;
    this.#pool = new Pool(poolSizeFromConf(wsgi.default_pool_size), {
      maxWaitMs: wsgi.max_queue_wait * 1000,
    });
    this.#timeoutMs = wsgi.client_socket_timeout * 1000;
    const sizeLimit = options.conf.oslo_middleware.max_request_body_size;
    this.#preReadMax = sizeLimit > 0 ? Math.min(sizeLimit, PREREAD_MAX) : PREREAD_MAX;
    this.finished = new Promise((resolve) => this.#finish = resolve);
    // The sweep also ends lingering closes, so it runs without a timeout too.
    const period = this.#timeoutMs > 0 ? Math.min(1000, Math.max(50, this.#timeoutMs / 4)) : 1000;
    this.#sweeper = every(period, () => this.#sweep());
    this.#log.info(`(${PID}) wsgi starting up on ${scheme}://${this.hostname}:${this.port}`);
    this.#acceptLoop();
  }

  get activeRequests(): number {
    return this.#pool.active;
  }

  get waitingRequests(): number {
    return this.#pool.waiting;
  }

  get connections(): number {
    return this.#clients.size;
  }

  get peakActiveRequests(): number {
    return this.#peak;
  }

  get queueTimeouts(): number {
    return this.#queueTimeouts;
  }

  stop(): Promise<void> {
    this.#stopped ??= this.#shutdown();
    return this.#stopped;
  }

  async #acceptLoop(): Promise<void> {
    try {
      for (;;) {
        const conn = await this.#listener.accept();
        if (conn === null) return;
        if (this.#stopping) conn.close();
        else this.#serveClient(conn);
      }
    } catch (err) {
      this.#log.exception(`(${PID}) wsgi stopped accepting`, err);
    }
  }

  async #serveClient(conn: Conn): Promise<void> {
    const client = new Client(conn, this.#conf.wsgi.max_header_line);
    this.#clients.add(client);
    let linger = false;
    try {
      while (!this.#stopping) {
        client.nextRequest();
        let result = this.#nextHead(client);
        while (result === null) {
          client.reading = true;
          const more = await client.input.fill();
          client.reading = false;
          // While stopping, a request that arrives on an idle connection is
          // still answered (with Connection: close): it may have been sent
          // before the stop began.
          if (!more) return;
          result = this.#nextHead(client, true);
        }
        const keep = result.kind === "head"
          ? await this.#respond(client, result.head)
          : await this.#refuse(client, result);
        if (!keep) {
          linger = true;
          break;
        }
      }
    } catch (err) {
      this.#log.debug(`(${PID}) connection from ${conn.remoteAddr.hostname} ended: ${err}`);
    } finally {
      if (linger) await this.#linger(client);
      conn.close();
      if (isEnabledFor("DEBUG")) {
        const { hostname, port } = conn.remoteAddr;
        this.#log.debug(
          `(${PID}) closed connection from ${hostname}:${port}: ` +
            `${client.input.bytesIn} bytes read, ${client.input.bytesOut} written`,
        );
      }
      this.#clients.delete(client);
      if (this.#clients.size === 0) this.#onIdle?.();
    }
  }

  /** Writes eventlet's own answer to a request it does not pass to the app; false (close). */
  async #refuse(client: Client, result: Exclude<HeadResult, { kind: "head" }>): Promise<false> {
    if (result.kind === "answer") {
      this.#log.debug(`(${PID}) ${client.conn.remoteAddr.hostname}: ${result.why}`);
      await client.input.write(result.bytes);
    } else if (result.kind === "error") {
      this.#log.info(`code ${result.error.code}, message ${result.error.message}`);
      await client.input.write(serializeSendError(result.error));
    }
    return false;
  }

  /**
   * The next head from what is buffered, or null when more bytes are
   * needed; `more` continues a head already begun.
   */
  #nextHead(client: Client, more = false): HeadResult | null {
    const input = client.input;
    if (!more) client.parser.reset();
    if (input.available === 0) return null;
    const result = client.parser.parse(input.view());
    if (result !== null && result.kind === "head") input.consume(result.size);
    return result;
  }

  /**
   * After the last answer: closes the write side, then reads and drops
   * what the client still sends, until it closes or LINGER_MS pass.
   * Closing a socket with unread bytes makes the kernel send a reset, and
   * the client may lose the answer with it: a client that sends a whole
   * body refused by its Content-Length before it reads gets its 413 (as
   * Apache's lingering close). What it sends after the answer is all the
   * server reads of it.
   */
  async #linger(client: Client): Promise<void> {
    const { conn, input } = client;
    if (!conn.closeWrite) return;
    try {
      await conn.closeWrite();
    } catch {
      return;
    }
    client.reading = true; // nothing is owed to it any more: stop() may close it
    client.lingerUntil = Date.now() + LINGER_MS;
    for (;;) {
      const n = await input.readInto(LINGER_SCRATCH);
      if (n === null || n === 0) break;
    }
  }

  /**
   * Reads a Content-Length body of up to `#preReadMax` bytes into the input
   * buffer before the request takes a pool slot, so that a client
   * trickling its body keeps no slot while it does. Not for chunked bodies
   * (nova reads none) nor for Expect: 100-continue (the client waits to be
   * asked, which only the app's first read does).
   */
  async #preRead(input: SocketInput, head: RequestHead): Promise<void> {
    const length = head.contentLength;
    if (length === null || length > this.#preReadMax || head.expectContinue || head.chunked) return;
    while (input.available < length) if (!await input.fill()) return;
  }

  /** handle_one_response: runs the app, writes its answer, drops the unread body. */
  async #respond(client: Client, head: RequestHead): Promise<boolean> {
    const started = performance.now();
    const input = client.input;
    const body = head.contentLength === null && !head.chunked && !head.expectContinue
      ? NO_BODY
      : new SocketBody(input, head, {
        sendContinue: () => input.write(CONTINUE_100),
        maxLine: this.#conf.wsgi.max_header_line,
      });
    const req = this.#request(client.conn, head, body);
    if (body !== NO_BODY && input.available < (head.contentLength ?? 0)) {
      await this.#preRead(input, head);
    }
    const permit = this.#pool.tryAcquire() ?? await this.#pool.acquire().catch(queueTimeout);
    const out = this.#outBuffers.pop() ?? new Uint8Array(OUT_SIZE);
    let res: ApiResponse;
    let length: number;
    let close: boolean;
    try {
      try {
        if (permit === null) res = this.#overloaded(req);
        else {
          if (++this.#running > this.#peak) this.#newPeak();
          try {
            res = await this.#app(req);
          } finally {
            this.#running--;
          }
        }
      } catch (err) {
        res = this.#crashed(req, err);
      }
      close = this.#closes(head, res, body);
      let bytes: Uint8Array;
      let serialized: boolean;
      [bytes, close, serialized] = this.#serialize(head, res, close, out);
      length = bytes.length;
      await input.write(bytes);
      if (res.stream) {
        const sent = await this.#sendStream(
          input,
          res.stream,
          serialized && head.method !== "HEAD",
        );
        length += sent.bytes;
        if (!sent.complete) close = true;
      }
    } finally {
      permit?.[Symbol.dispose]();
      if (this.#outBuffers.length < OUT_KEPT) this.#outBuffers.push(out);
    }
    const keep = !close && (body.complete || await body.discard(DRAIN_LIMIT));
    this.#logAccess(client.conn, head, req, res.status, length, started);
    return keep;
  }

  #request(conn: Conn, head: RequestHead, body: RequestBody): ApiRequest {
    const req = new ApiRequest({
      method: head.method,
      path: decodePath(head.rawPath),
      query: head.query,
      headers: head.headers,
      scheme: this.scheme,
      serverName: conn.localAddr.hostname,
      serverPort: conn.localAddr.port,
      remoteAddr: conn.remoteAddr.hostname,
      httpVersion: head.version,
      body,
    });
    req.eventletInput = true;
    return req;
  }

  #newPeak(): void {
    this.#peak = this.#running;
    if (!isEnabledFor("DEBUG")) return;
    this.#log.debug(
      `(${PID}) ${this.#peak} requests running at once, the most so far ` +
        `(default_pool_size ${this.#conf.wsgi.default_pool_size})`,
    );
  }

  /**
   * The answer to a request that waited `[wsgi] max_queue_wait` for a pool
   * slot: 503 with Retry-After, without running the app.
   *
   * NOTE(parity): nova has no such bound (eventlet's pool waits forever).
   * What a nova behind a proxy or mod_wsgi with a queue timeout sends is
   * that front's own 503; novalet answers from below the API pipeline too,
   * so it sends webob's 503 page (JSON, HTML or plain text by Accept), the
   * shape keystonemiddleware's 503 already has, which OpenStack clients
   * read as an error with a message.
   */
  #overloaded(req: ApiRequest): ApiResponse {
    this.#queueTimeouts++;
    const seconds = this.#conf.wsgi.max_queue_wait;
    this.#log.warning(
      `(${PID}) ${req.method} ${req.pathInfo} waited ${seconds} s for one of ` +
        `${this.#conf.wsgi.default_pool_size} request slots: answered 503`,
    );
    return webobError(req, 503, {
      headers: [["Retry-After", String(Math.max(1, Math.ceil(seconds)))]],
    });
  }

  #crashed(req: ApiRequest, err: unknown): ApiResponse {
    // NOTE(parity): eventlet logs the traceback (at INFO) and answers an
    // empty 500 (nova runs it with debug=False); novalet logs at ERROR.
    this.#log.exception("Unhandled error from the application", err, logContext(req));
    return internalError();
  }

  /** eventlet's keep-alive decision in handle_one_response's write(). */
  #closes(head: RequestHead, res: ApiResponse, body: RequestBody): boolean {
    if (res.closeConnection || this.#stopping || head.closeConnection) return true;
    if (!this.#conf.wsgi.keep_alive) return true;
    if (head.connection !== "keep-alive") {
      if (head.version !== "HTTP/1.1" || head.connection === "close") return true;
    }
    // NOTE(parity): eventlet closes when the response is complete before the
    // app read a body the client is waiting to be asked for (Expect).
    if (body.continuePending) return true;
    // eventlet would discard any amount; novalet closes past DRAIN_LIMIT.
    return body.broken || body.unread > DRAIN_LIMIT;
  }

  #serialize(
    head: RequestHead,
    res: ApiResponse,
    close: boolean,
    into: Uint8Array,
  ): [Uint8Array, boolean, boolean] {
    const isHead = head.method === "HEAD";
    const connection = close ? "close" : head.connection === "keep-alive" ? "keep-alive" : null;
    try {
      return [serializeResponse(res, { head: isHead, connection, into }), close, true];
    } catch (err) {
      this.#log.exception("Cannot write the application's response", err);
      return [
        serializeResponse(internalError(), { head: isHead, connection: "close" }),
        true,
        false,
      ];
    }
  }

  /**
   * Writes a streamed body after its head (eventlet iterating the app's
   * body), at most `stream.length` bytes; when `send` is false only ends
   * the iteration. `complete` is false when fewer bytes went out than the
   * head announced (the source failed, the client went away): the
   * connection must close.
   */
  async #sendStream(
    input: SocketInput,
    stream: StreamedBody,
    send: boolean,
  ): Promise<{ bytes: number; complete: boolean }> {
    const chunks = stream.chunks[Symbol.asyncIterator]();
    let sent = 0;
    try {
      while (send && sent < stream.length) {
        const next = await chunks.next();
        if (next.done) break;
        const chunk = next.value.length > stream.length - sent
          ? next.value.subarray(0, stream.length - sent)
          : next.value;
        await input.write(chunk);
        sent += chunk.length;
      }
    } catch (err) {
      this.#log.debug(`(${PID}) streamed body ended after ${sent} bytes: ${err}`);
    } finally {
      await chunks.return?.().catch(() => {});
    }
    return { bytes: sent, complete: !send || sent === stream.length };
  }

  #logAccess(
    conn: Conn,
    head: RequestHead,
    req: ApiRequest,
    status: number,
    length: number,
    started: number,
  ): void {
    if (!isEnabledFor("INFO")) return;
    const line = this.#format({
      client_ip: clientIp(conn, head),
      client_port: conn.remoteAddr.port,
      date_time: this.#format.usesDateTime ? logDateTime() : "",
      request_line: head.requestLine,
      status_code: String(status),
      body_length: length,
      wall_seconds: (performance.now() - started) / 1000,
    });
    this.#log.info(line, logContext(req));
  }

  // eventlet's socket timeout: a read or write that makes no progress for
  // client_socket_timeout seconds ends the connection.
  // NOTE(parity): eventlet's timeout is per socket call, so a client that
  // sends a byte a second (slowloris) holds its connection, and eventlet's
  // pool slot, forever. novalet also adds up the time each request keeps
  // it waiting on the socket (sampled here) and cuts the connection once
  // that passes the timeout plus a second per MIN_RATE bytes moved.
  #sweep(): void {
    const now = Date.now();
    const elapsed = now - this.#lastSweep;
    this.#lastSweep = now;
    for (const client of this.#clients) {
      if (client.lingerUntil !== 0) {
        if (now >= client.lingerUntil) client.conn.close();
        continue;
      }
      if (this.#timeoutMs === 0) continue;
      const input = client.input;
      if (!input.waiting) {
        client.seenOps = -1;
        client.stillSince = now;
        continue;
      }
      client.waited += elapsed;
      if (input.ops !== client.seenOps) {
        client.seenOps = input.ops;
        client.stillSince = now;
      }
      const allowance = this.#timeoutMs + (input.transferred - client.base) * 1000 / MIN_RATE;
      if (now - client.stillSince >= this.#timeoutMs || client.waited >= allowance) {
        this.#log.debug(`(${PID}) timed out ${client.conn.remoteAddr.hostname}`);
        client.conn.close();
      }
    }
  }

  async #shutdown(): Promise<void> {
    getLogger("nova.wsgi").info("Stopping WSGI server.");
    this.#stopping = true;
    this.#listener.close();
    // Requests already sent on idle keep-alive connections may not have
    // been read yet: give them a moment to arrive (they are answered, with
    // Connection: close), then close the connections still waiting.
    if ([...this.#clients].some((c) => c.reading)) {
      await new Promise<void>((resolve) => after(STOP_GRACE_MS, resolve));
    }
    for (const client of this.#clients) if (client.reading) client.conn.close();
    await this.#drain(this.#conf.DEFAULT.graceful_shutdown_timeout);
    for (const client of this.#clients) client.conn.close();
    this.#sweeper.stop();
    this.#log.info(`(${PID}) wsgi exited, is_accepting=True`);
    this.#finish();
  }

  /** Waits until no connection is left, or `seconds` pass (0: no limit). */
  #drain(seconds: number): Promise<void> {
    if (this.#clients.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = seconds > 0 ? after(seconds * 1000, done) : null;
      function done() {
        timer?.cancel();
        resolve();
      }
      this.#onIdle = done;
    });
  }
}

/** A pool wait that ran out is `null` (answered 503); anything else is a failure. */
function queueTimeout(err: unknown): null {
  if (err instanceof PoolWaitTimeout) return null;
  throw err;
}

/** eventlet's get_client_address with log_x_forwarded_for (its default). */
function clientIp(conn: Conn, head: RequestHead): string {
  const host = conn.remoteAddr.hostname;
  const forward = head.forwardedFor?.replaceAll(" ", "");
  return forward ? `${forward},${host}` : host;
}

/** The request's identity, as oslo.log finds it in its thread-local context. */
function logContext(req: ApiRequest): LogContext | null {
  if (req.requestId === null) return null;
  return {
    requestId: req.requestId,
    globalRequestId: req.globalRequestId,
    ...identityOf(req.context),
  };
}
