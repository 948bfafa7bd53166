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

// node:net and node:tls are loaded only on Bun: on Deno they would pull in
// a large part of its Node compatibility layer at start-up for nothing.
import type * as net from "node:net";
import type * as tlsModule from "node:tls";

/** The runtime novalet runs on. */
export type RuntimeName = "deno" | "bun" | "node";

const G = globalThis as unknown as { Deno?: typeof Deno; Bun?: { version: string } };

/** Detected once at load: `"deno"`, `"bun"` or `"node"`. */
export const RUNTIME: RuntimeName = G.Bun ? "bun" : G.Deno ? "deno" : "node";

// On Deno, node:fs and node:process would load its Node compatibility layer
// (about 25 ms and 12 MB at start-up); Deno's own APIs do the same work.
const nodeFs = RUNTIME === "deno" ? null : await import("node:fs");
const process: NodeJS.Process = RUNTIME === "deno" ? null! : (await import("node:process")).default;

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
  /**
   * Ends the write side (TCP FIN) and keeps reading possible, for a
   * lingering close; absent where the connection cannot half-close.
   */
  closeWrite?(): Promise<void>;
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
      cert: readText(files.certFile),
      key: readText(files.keyFile),
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
    closeWrite: () => raw.closeWrite(),
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
  const netModule: typeof net = await import("node:net");
  const server = options.tls
    ? tlsServer(await import("node:tls"), options.tls, onSocket)
    : netModule.createServer(onSocket);
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

function tlsServer(
  tls: typeof tlsModule,
  files: TlsFiles,
  onSocket: (s: net.Socket) => void,
): net.Server {
  const verify = Boolean(files.caFile);
  const server = tls.createServer({
    cert: readText(files.certFile),
    key: readText(files.keyFile),
    ...(verify ? { ca: readText(files.caFile!), requestCert: true, rejectUnauthorized: true } : {}),
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

/**
 * Keeps the process up when a promise rejects with no handler or a callback
 * throws outside any request (a bug in background work): `report` gets the
 * error, as eventlet logs a greenthread's exception and serves on.
 */
export function survivePanics(report: (err: unknown) => void): void {
  if (RUNTIME === "deno") {
    globalThis.addEventListener("unhandledrejection", (e) => {
      e.preventDefault();
      report(e.reason);
    });
    globalThis.addEventListener("error", (e) => {
      e.preventDefault();
      report(e.error);
    });
    return;
  }
  process.on("unhandledRejection", report);
  process.on("uncaughtException", report);
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

/**
 * node:crypto, loaded on first use through `process.getBuiltinModule` (Deno
 * and Bun both have it): modules that need it only for some requests
 * (keypair generation, x509) do not make every start-up pay ~25 ms for it.
 */
export function nodeCrypto(): typeof import("node:crypto") {
  return nodeBuiltin<typeof import("node:crypto")>("node:crypto");
}

/** Any Node built-in, loaded on first use (see {@link nodeCrypto}). */
export function nodeBuiltin<T>(name: string): T {
  let mod = builtins.get(name);
  if (!mod) {
    mod = (globalThis as unknown as { process: NodeJS.Process }).process.getBuiltinModule(name);
    builtins.set(name, mod);
  }
  return mod as T;
}

const builtins = new Map<string, unknown>();

/** The process id. */
export function pid(): number {
  return RUNTIME === "deno" ? G.Deno!.pid : process.pid;
}

/** The working directory. */
export function cwd(): string {
  return RUNTIME === "deno" ? G.Deno!.cwd() : process.cwd();
}

/** Writes bytes to standard error (best effort, synchronous). */
export function writeStderr(bytes: Uint8Array): void {
  if (RUNTIME === "deno") {
    let offset = 0;
    while (offset < bytes.length) offset += G.Deno!.stderr.writeSync(bytes.subarray(offset));
  } else process.stderr.write(bytes);
}

// ---- files ----------------------------------------------------------------

/** A file's bytes. @throws when it cannot be read */
export function readBytes(path: string): Uint8Array {
  return RUNTIME === "deno"
    ? G.Deno!.readFileSync(path)
    : new Uint8Array(nodeFs!.readFileSync(path));
}

/** A file's text (UTF-8). @throws when it cannot be read */
export function readText(path: string): string {
  return RUNTIME === "deno" ? G.Deno!.readTextFileSync(path) : nodeFs!.readFileSync(path, "utf8");
}

/** Writes (or replaces) a text file. */
export function writeText(path: string, text: string): void {
  if (RUNTIME === "deno") G.Deno!.writeTextFileSync(path, text);
  else nodeFs!.writeFileSync(path, text);
}

/** Appends bytes to a file, creating it. */
export function appendBytes(path: string, bytes: Uint8Array): void {
  if (RUNTIME === "deno") G.Deno!.writeFileSync(path, bytes, { append: true });
  else nodeFs!.appendFileSync(path, bytes);
}

/** Whether a path exists. @throws for errors other than "not found" (permissions) */
export function pathExists(path: string): boolean {
  try {
    if (RUNTIME === "deno") G.Deno!.statSync(path);
    else nodeFs!.statSync(path);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** Creates a directory and its parents. */
export function makeDirs(path: string): void {
  if (RUNTIME === "deno") G.Deno!.mkdirSync(path, { recursive: true });
  else nodeFs!.mkdirSync(path, { recursive: true });
}

/** The names in a directory. */
export function listDir(path: string): string[] {
  if (RUNTIME === "deno") return [...G.Deno!.readDirSync(path)].map((e) => e.name);
  return nodeFs!.readdirSync(path);
}

/** Size and modification time of a file, or null when it is missing or unreadable. */
export function fileInfo(
  path: string,
): { size: number; mtimeMs: number; isFile: boolean; isDirectory: boolean } | null {
  try {
    if (RUNTIME === "deno") {
      const st = G.Deno!.statSync(path);
      return {
        size: st.size,
        mtimeMs: st.mtime?.getTime() ?? 0,
        isFile: st.isFile,
        isDirectory: st.isDirectory,
      };
    }
    const st = nodeFs!.statSync(path);
    return {
      size: st.size,
      mtimeMs: st.mtimeMs,
      isFile: st.isFile(),
      isDirectory: st.isDirectory(),
    };
  } catch {
    return null;
  }
}

/** The user's home directory, when the environment may be read. */
export function homeDir(): string | null {
  try {
    return RUNTIME === "deno" ? G.Deno!.env.get("HOME") ?? null : process.env.HOME ?? null;
  } catch {
    return null; // no --allow-env
  }
}

/** Host name and platform for diagnostics; "unknown" where not permitted (Deno's --allow-sys). */
export function systemInfo(): { hostname: string; platform: string } {
  const guard = (f: () => string) => {
    try {
      return f();
    } catch {
      return "unknown";
    }
  };
  if (RUNTIME === "deno") {
    const d = G.Deno!;
    return {
      hostname: guard(() => d.hostname()),
      platform: `${d.build.os === "linux" ? "Linux" : d.build.os}-${
        guard(() => d.osRelease())
      }-${d.build.arch}`,
    };
  }
  const os = process.getBuiltinModule?.("node:os") as typeof import("node:os") | undefined;
  return {
    hostname: guard(() => os?.hostname() ?? "unknown"),
    platform: os ? `${os.type()}-${os.release()}-${os.machine()}` : "unknown",
  };
}

/** Whether a path is a directory (false when missing). */
export function isDirectory(path: string): boolean {
  try {
    return RUNTIME === "deno"
      ? G.Deno!.statSync(path).isDirectory
      : nodeFs!.statSync(path).isDirectory();
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** Modification time in ms, or null when the file is missing. */
export function modifiedAt(path: string): number | null {
  try {
    return RUNTIME === "deno"
      ? G.Deno!.statSync(path).mtime?.getTime() ?? null
      : nodeFs!.statSync(path).mtimeMs;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

function isNotFound(err: unknown): boolean {
  if (RUNTIME === "deno" && err instanceof G.Deno!.errors.NotFound) return true;
  return (err as { code?: string }).code === "ENOENT" ||
    (err as { code?: string }).code === "ENOTDIR";
}

// ---- streamed files (image data) -------------------------------------------

/** A file open for writing, written in order (see {@link openFileWriter}). */
export interface FileWriter {
  /** Writes all of `bytes` at the end of what was written so far. */
  write(bytes: Uint8Array): Promise<void>;
  /** Flushes to disk (fsync) when `sync`, then closes. Idempotent. */
  close(sync?: boolean): Promise<void>;
}

/** A file open for reading, read in order (see {@link openFileReader}). */
export interface FileReader {
  /** Reads into `buf`; resolves to the byte count, or `null` at the end of the file. */
  read(buf: Uint8Array): Promise<number | null>;
  /** Closes the file. Idempotent. */
  close(): void;
}

/** Creates (or truncates) `path` for writing, mode 0600. */
export async function openFileWriter(path: string): Promise<FileWriter> {
  if (RUNTIME === "deno") {
    const file = await G.Deno!.open(path, {
      write: true,
      create: true,
      truncate: true,
      mode: 0o600,
    });
    let closed = false;
    return {
      async write(bytes) {
        let done = 0;
        while (done < bytes.length) done += await file.write(bytes.subarray(done));
      },
      async close(sync = false) {
        if (closed) return;
        closed = true;
        try {
          if (sync) await file.sync();
        } finally {
          file.close();
        }
      },
    };
  }
  const handle = await nodeFs!.promises.open(path, "w", 0o600);
  let closed = false;
  return {
    async write(bytes) {
      let done = 0;
      while (done < bytes.length) {
        done += (await handle.write(bytes, done, bytes.length - done)).bytesWritten;
      }
    },
    async close(sync = false) {
      if (closed) return;
      closed = true;
      try {
        if (sync) await handle.sync();
      } finally {
        await handle.close();
      }
    },
  };
}

/** Opens `path` for reading. @throws when it cannot be opened */
export async function openFileReader(path: string): Promise<FileReader> {
  if (RUNTIME === "deno") {
    const file = await G.Deno!.open(path, { read: true });
    let closed = false;
    return {
      read: (buf) => file.read(buf),
      close() {
        if (closed) return;
        closed = true;
        file.close();
      },
    };
  }
  const handle = await nodeFs!.promises.open(path, "r");
  let closed = false;
  return {
    async read(buf) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      return bytesRead === 0 && buf.length > 0 ? null : bytesRead;
    },
    close() {
      if (closed) return;
      closed = true;
      void handle.close();
    },
  };
}

/** Renames (moves) a file, replacing `to` if it exists. */
export function renameFile(from: string, to: string): void {
  if (RUNTIME === "deno") G.Deno!.renameSync(from, to);
  else nodeFs!.renameSync(from, to);
}

/** Removes a file; false when it was not there. @throws for other errors */
export function removeFile(path: string): boolean {
  try {
    if (RUNTIME === "deno") G.Deno!.removeSync(path);
    else nodeFs!.unlinkSync(path);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}
