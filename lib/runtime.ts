/**
 * The one file that touches `Deno.*` and `Bun.*`: TCP and TLS listeners
 * with one connection shape for both runtimes, signals, exit and argv.
 *
 * On Deno, sockets come from `Deno.listen` / `Deno.listenTls` (faster than
 * its `node:net`); on Bun (and anything else) from `node:net` / `node:tls`.
 * Everything else in novalet uses web APIs and `node:` built-ins.
 *
 * @module
 */

import * as net from "node:net";
import * as tls from "node:tls";
import { readFileSync } from "node:fs";
import process from "node:process";

/** The runtime novalet runs on. */
export type RuntimeName = "deno" | "bun" | "node";

const G = globalThis as unknown as { Deno?: typeof Deno; Bun?: { version: string } };

/** Detected once at load: `"deno"`, `"bun"` or `"node"`. */
export const RUNTIME: RuntimeName = G.Bun ? "bun" : G.Deno ? "deno" : "node";

/** A host and port. */
export interface Address {
  readonly hostname: string;
  readonly port: number;
}

/** One accepted connection: a byte stream with pull reads. */
export interface Conn {
  readonly remoteAddr: Address;
  readonly localAddr: Address;
  /** Reads into `buf`; resolves to the byte count, or `null` at end of stream. */
  read(buf: Uint8Array): Promise<number | null>;
  /**
   * Writes `bytes`, maybe only their start (as Deno's `Conn.write`):
   * resolves to how many were written; rejects when the connection is gone.
   */
  write(bytes: Uint8Array): Promise<number>;
  /** Closes now; pending reads end with `null` or reject. Idempotent. */
  close(): void;
}

/** A listening socket. */
export interface Listener {
  readonly addr: Address;
  /** The next connection, or `null` once the listener is closed. */
  accept(): Promise<Conn | null>;
  /** Stops accepting; open connections stay open. Idempotent. */
  close(): void;
}

/** TLS material, as `[wsgi] ssl_cert_file` / `ssl_key_file` / `ssl_ca_file`. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
  /** When set, clients must present a certificate signed by this CA. */
  caFile?: string | null;
}

/** Where and how to listen. */
export interface ListenOptions {
  hostname: string;
  /** 0 picks a free port; {@link Listener.addr} tells which. */
  port: number;
  tls?: TlsFiles | null;
  /** TCP keep-alive idle seconds (`[wsgi] tcp_keepidle`); Deno only enables keep-alive. */
  keepIdle?: number;
}

/**
 * Opens a listener (nova's `eventlet.listen` + `eventlet.wrap_ssl`).
 *
 * @throws {Error} when the address is in use, the TLS files cannot be read,
 *   or client certificates are asked for on Deno (its TLS cannot verify them)
 */
export function listen(options: ListenOptions): Promise<Listener> {
  if (RUNTIME === "deno") {
    if (options.tls?.caFile) {
      return Promise.reject(
        new Error(
          "Cannot verify client certificates ([wsgi] ssl_ca_file) on Deno: run under Bun or unset it",
        ),
      );
    }
    return Promise.resolve(listenDeno(options));
  }
  return listenNode(options);
}

// ---- Deno -----------------------------------------------------------------

function listenDeno(options: ListenOptions): Listener {
  const D = G.Deno!;
  const files = options.tls;
  const raw = files
    ? D.listenTls({
      hostname: options.hostname,
      port: options.port,
      cert: readFileSync(files.certFile, "utf8"),
      key: readFileSync(files.keyFile, "utf8"),
    })
    : D.listen({ hostname: options.hostname, port: options.port, transport: "tcp" });
  const addr = raw.addr as Deno.NetAddr;
  let closed = false;
  return {
    addr: { hostname: addr.hostname, port: addr.port },
    async accept() {
      while (!closed) {
        try {
          return wrapDenoConn(await raw.accept());
        } catch (err) {
          if (closed) return null;
          if (!(err instanceof Error)) throw err;
          // One client's failure must not stop the listener; running out of
          // file descriptors must not spin it either.
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      return null;
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        raw.close();
      } catch { /* already closed */ }
    },
  };
}

function wrapDenoConn(raw: Deno.Conn): Conn {
  const tcp = raw as Partial<Deno.TcpConn>;
  try {
    tcp.setNoDelay?.(true);
    tcp.setKeepAlive?.(true);
  } catch { /* not a TCP socket option holder */ }
  const remote = raw.remoteAddr as Deno.NetAddr;
  const local = raw.localAddr as Deno.NetAddr;
  let closed = false;
  return {
    remoteAddr: { hostname: remote.hostname, port: remote.port },
    localAddr: { hostname: local.hostname, port: local.port },
    read: (buf) => raw.read(buf),
    write: (bytes) => raw.write(bytes),
    close() {
      if (closed) return;
      closed = true;
      try {
        raw.close();
      } catch { /* already closed */ }
    },
  };
}

// ---- node:net / node:tls (Bun) --------------------------------------------

async function listenNode(options: ListenOptions): Promise<Listener> {
  const queue: Conn[] = [];
  let wake: ((c: Conn | null) => void) | null = null;
  let closed = false;
  const onSocket = (sock: net.Socket) => {
    const conn = wrapNodeSocket(sock, options.keepIdle ?? 0);
    if (wake) {
      const w = wake;
      wake = null;
      w(conn);
    } else queue.push(conn);
  };
  const server = options.tls ? tlsServer(options.tls, onSocket) : net.createServer(onSocket);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // Errors after start-up (a client's failed handshake) are per-connection.
  server.on("error", () => {});
  const addr = server.address() as net.AddressInfo;
  return {
    addr: { hostname: addr.address, port: addr.port },
    accept() {
      const next = queue.shift();
      if (next) return Promise.resolve(next);
      if (closed) return Promise.resolve(null);
      return new Promise((resolve) => wake = resolve);
    },
    close() {
      if (closed) return;
      closed = true;
      server.close();
      wake?.(null);
      wake = null;
    },
  };
}

function tlsServer(files: TlsFiles, onSocket: (s: net.Socket) => void): net.Server {
  const verify = Boolean(files.caFile);
  const server = tls.createServer({
    cert: readFileSync(files.certFile),
    key: readFileSync(files.keyFile),
    ...(verify
      ? { ca: readFileSync(files.caFile!), requestCert: true, rejectUnauthorized: true }
      : {}),
  }, onSocket);
  server.on("tlsClientError", () => {});
  return server;
}

const HIGH_WATER = 256 * 1024;

function wrapNodeSocket(sock: net.Socket, keepIdle: number): Conn {
  sock.setNoDelay(true);
  sock.setKeepAlive(true, keepIdle * 1000);
  const chunks: Uint8Array[] = [];
  let queued = 0;
  let ended = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  sock.on("data", (chunk: Uint8Array) => {
    chunks.push(chunk);
    queued += chunk.length;
    if (queued > HIGH_WATER) sock.pause();
    notify();
  });
  const finish = () => {
    ended = true;
    notify();
  };
  sock.on("end", finish);
  sock.on("close", finish);
  sock.on("error", finish);
  const read = async (buf: Uint8Array): Promise<number | null> => {
    while (chunks.length === 0) {
      if (ended) return null;
      await new Promise<void>((resolve) => wake = resolve);
    }
    return takeChunks(buf);
  };
  const takeChunks = (buf: Uint8Array): number => {
    let n = 0;
    while (n < buf.length && chunks.length > 0) {
      const head = chunks[0];
      const take = Math.min(head.length, buf.length - n);
      buf.set(take === head.length ? head : head.subarray(0, take), n);
      n += take;
      if (take === head.length) chunks.shift();
      else chunks[0] = head.subarray(take);
    }
    queued -= n;
    if (sock.isPaused() && queued <= HIGH_WATER / 2) sock.resume();
    return n;
  };
  return {
    remoteAddr: { hostname: sock.remoteAddress ?? "", port: sock.remotePort ?? 0 },
    localAddr: { hostname: sock.localAddress ?? "", port: sock.localPort ?? 0 },
    read(buf) {
      return chunks.length > 0 ? Promise.resolve(takeChunks(buf)) : read(buf);
    },
    write: (bytes) => writeNode(sock, bytes),
    close() {
      if (sock.destroyed) return;
      // end() flushes what is queued; destroy() follows when the peer lingers.
      sock.end();
      setTimeout(() => sock.destroy(), 2000).unref?.();
      finish();
    },
  };
}

function writeNode(sock: net.Socket, bytes: Uint8Array): Promise<number> {
  if (sock.destroyed || !sock.writable) return Promise.reject(new Error("Connection closed"));
  // node:net may keep the array until it is flushed: give it its own copy
  // when the caller reuses its buffer (the server does).
  if (sock.write(bytes.slice())) return Promise.resolve(bytes.length);
  return new Promise((resolve, reject) => {
    const done = (err?: unknown) => {
      sock.off("drain", done);
      sock.off("close", closedEarly);
      if (err) reject(err);
      else resolve(bytes.length);
    };
    const closedEarly = () => done(new Error("Connection closed"));
    sock.on("drain", done);
    sock.on("close", closedEarly);
  });
}

// ---- process --------------------------------------------------------------

/** The signals main.ts reacts to. */
export type SignalName = "SIGTERM" | "SIGINT" | "SIGHUP";

/**
 * Calls `handler` on each delivery of `signal`.
 *
 * @returns a function that removes the handler
 */
export function onSignal(signal: SignalName, handler: () => void): () => void {
  if (RUNTIME === "deno") {
    G.Deno!.addSignalListener(signal, handler);
    return () => G.Deno!.removeSignalListener(signal, handler);
  }
  process.on(signal, handler);
  return () => process.off(signal, handler);
}

/** Ends the process with `code`. */
export function exit(code: number): never {
  if (RUNTIME === "deno") G.Deno!.exit(code);
  process.exit(code);
}

/** The command-line arguments after the script name. */
export function args(): string[] {
  return RUNTIME === "deno" ? [...G.Deno!.args] : process.argv.slice(2);
}

/** The runtime's name and version, for logs (`deno 2.9.6`, `bun 1.4.4`). */
export function runtimeVersion(): string {
  if (RUNTIME === "deno") return `deno ${G.Deno!.version.deno}`;
  if (RUNTIME === "bun") return `bun ${G.Bun!.version}`;
  return `node ${process.versions.node}`;
}
