/**
 * One listener serving one WSGI service, as nova's `nova.wsgi.Server`
 * runs `eventlet.wsgi.server`: keep-alive and pipelined requests on each
 * connection, eventlet's answers and wire format, a pool bounding the
 * requests running at once, the access log in `[wsgi] wsgi_log_format`,
 * `[wsgi] client_socket_timeout`, TLS, and a graceful stop.
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
import { getLogger, isEnabledFor, type LogContext, type Logger } from "./log.ts";
import { Pool, poolSizeFromConf } from "./pool.ts";
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

  constructor(readonly conn: Conn, maxHeaderLine: number) {
    this.input = new SocketInput(conn);
    this.parser = new HeadParser(maxHeaderLine);
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
  readonly #sweeper: { stop(): void } | null = null;
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
    this.#pool = new Pool(poolSizeFromConf(options.conf.wsgi.default_pool_size));
    this.#timeoutMs = options.conf.wsgi.client_socket_timeout * 1000;
    this.finished = new Promise((resolve) => this.#finish = resolve);
    if (this.#timeoutMs > 0) {
      const period = Math.min(1000, Math.max(50, this.#timeoutMs / 4));
      this.#sweeper = every(period, () => this.#sweep());
    }
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
    try {
      while (!this.#stopping) {
        let result = this.#nextHead(client);
        while (result === null) {
          client.reading = true;
          const more = await client.input.fill();
          client.reading = false;
          if (!more || this.#stopping) return;
          result = this.#nextHead(client, true);
        }
        const keep = result.kind === "head"
          ? await this.#respond(client, result.head)
          : await this.#refuse(client, result);
        if (!keep) break;
      }
    } catch (err) {
      this.#log.debug(`(${PID}) connection from ${conn.remoteAddr.hostname} ended: ${err}`);
    } finally {
      conn.close();
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
    const permit = this.#pool.tryAcquire() ?? await this.#pool.acquire();
    const out = this.#outBuffers.pop() ?? new Uint8Array(OUT_SIZE);
    let res: ApiResponse;
    let length: number;
    let close: boolean;
    try {
      try {
        res = await this.#app(req);
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
      permit[Symbol.dispose]();
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
  #sweep(): void {
    const now = Date.now();
    for (const client of this.#clients) {
      const input = client.input;
      if (!input.waiting || input.ops !== client.seenOps) {
        client.seenOps = input.waiting ? input.ops : -1;
        client.stillSince = now;
      } else if (now - client.stillSince >= this.#timeoutMs) {
        this.#log.debug(`(${PID}) timed out ${client.conn.remoteAddr.hostname}`);
        client.conn.close();
      }
    }
  }

  async #shutdown(): Promise<void> {
    getLogger("nova.wsgi").info("Stopping WSGI server.");
    this.#stopping = true;
    this.#listener.close();
    for (const client of this.#clients) if (client.reading) client.conn.close();
    await this.#drain(this.#conf.DEFAULT.graceful_shutdown_timeout);
    for (const client of this.#clients) client.conn.close();
    this.#sweeper?.stop();
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
    userId: req.context?.userId ?? null,
    projectId: req.context?.projectId ?? null,
  };
}
