/**
 * Starts the real novalet (main.ts in a child process) on a free port with
 * a config of the test's choosing, for end-to-end tests over HTTP.
 *
 * @module
 */

import { existsSync } from "node:fs";

const MAIN = new URL("../main.ts", import.meta.url).pathname;

/** A running novalet child process. */
export interface Novalet {
  /** `http://127.0.0.1:PORT` of the compute API. */
  readonly url: string;
  readonly port: number;
  /** The process id (for /proc/PID/status). */
  readonly pid: number;
  /** Its state_path (a fresh temp dir unless given). */
  readonly stateDir: string;
  /** Everything the process wrote to stderr so far (its log). */
  log(): string;
  /** Sends a signal. */
  signal(sig: Deno.Signal): void;
  /** Stops it with SIGTERM and waits; returns the exit code. */
  stop(): Promise<number>;
  /** Resolves when the process exits on its own. */
  readonly exited: Promise<number>;
  /**
   * `http://127.0.0.1:PORT` of another enabled API (`metadata`, ...), read
   * from its "wsgi starting up" line (logger `nova.<api>.wsgi.server`).
   */
  apiUrl(api: string): Promise<string>;
}

export interface StartOptions {
  /** nova.conf text added after the test defaults. */
  config?: string;
  /** Reuse a state dir (to test restarts). */
  stateDir?: string;
  /** Extra command-line arguments. */
  args?: string[];
  /** Deno permission flags instead of --allow-all. */
  permissions?: string[];
  /** Start a compiled executable instead of `deno run main.ts`. */
  executable?: string;
  /** Log to this file (`[DEFAULT] log_file`, relative to the state dir) instead of stderr. */
  logFile?: string;
  /** Raise the soft limit of open files to this (`ulimit -n`, up to the hard limit) first. */
  fileLimit?: number;
}

/** Starts novalet and waits until it listens (bounded to 20 s). */
export async function startNovalet(options: StartOptions = {}): Promise<Novalet> {
  const stateDir = options.stateDir ?? Deno.makeTempDirSync({ prefix: "novalet-test-" });
  const confPath = `${stateDir}/test.conf`;
  Deno.writeTextFileSync(
    confPath,
    `[DEFAULT]\nstate_path = ${stateDir}\nosapi_compute_listen = 127.0.0.1\nosapi_compute_listen_port = 0\n` +
      `enabled_apis = osapi_compute\n` +
      (options.logFile ? `log_file = ${stateDir}/${options.logFile}\n` : "") +
      `\n${options.config ?? ""}\n`,
  );
  const cmdArgs = ["--config-file", confPath, ...(options.args ?? [])];
  const program = options.executable ?? Deno.execPath();
  const programArgs = options.executable
    ? cmdArgs
    : ["run", ...(options.permissions ?? ["--allow-all"]), MAIN, ...cmdArgs];
  // With a file limit, a shell raises it and then becomes the program (same pid).
  const [file, fileArgs] = options.fileLimit
    ? ["/bin/sh", ["-c", 'ulimit -n "$0" && exec "$@"', String(options.fileLimit), program]]
    : [program, []];
  const command = new Deno.Command(file, {
    args: [...fileArgs, ...programArgs],
    stdout: "null",
    stderr: "piped",
    cwd: stateDir,
  });
  const child = command.spawn();
  let output = "";
  const decoder = new TextDecoder();
  const reading = (async () => {
    for await (const chunk of child.stderr) output += decoder.decode(chunk, { stream: true });
  })();
  const exited = child.status.then((s) => s.code);
  const logPath = options.logFile ? `${stateDir}/${options.logFile}` : null;
  const log = () => output + (logPath && existsSync(logPath) ? Deno.readTextFileSync(logPath) : "");
  const port = await waitForPort(log, exited);
  let stopped: Promise<number> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    stateDir,
    log,
    signal: (sig) => child.kill(sig),
    exited,
    apiUrl: async (api) => `http://127.0.0.1:${await waitForPort(log, exited, api)}`,
    stop() {
      stopped ??= (async () => {
        try {
          child.kill("SIGTERM");
        } catch { /* already gone */ }
        const code = await exited;
        await reading;
        return code;
      })();
      return stopped;
    },
  };
}

async function waitForPort(
  output: () => string,
  exited: Promise<number>,
  api?: string,
): Promise<number> {
  let done = false;
  exited.then(() => (done = true));
  const deadline = Date.now() + 20_000;
  const line = api
    ? new RegExp(`nova\\.${api}\\.wsgi\\.server .*wsgi starting up on https?:\\/\\/[^:]+:(\\d+)`)
    : /wsgi starting up on https?:\/\/[^:]+:(\d+)/;
  while (Date.now() < deadline) {
    const m = line.exec(output());
    if (m) return Number(m[1]);
    if (done) throw new Error(`novalet exited during start-up:\n${output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`novalet did not start within 20 s:\n${output()}`);
}

/** Raw HTTP/1.1 exchange over one TCP connection: the exact bytes nova's clients see. */
export async function rawRequest(
  port: number,
  request: string | Uint8Array,
  timeoutMs = 5000,
): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(typeof request === "string" ? new TextEncoder().encode(request) : request);
    const chunks: Uint8Array[] = [];
    const buf = new Uint8Array(65536);
    const timer = setTimeout(() => conn.close(), timeoutMs);
    try {
      while (true) {
        const n = await conn.read(buf).catch(() => null);
        if (n === null) break;
        chunks.push(buf.slice(0, n));
      }
    } finally {
      clearTimeout(timer);
    }
    return new TextDecoder().decode(concat(chunks));
  } finally {
    try {
      conn.close();
    } catch { /* closed by the timer or the peer */ }
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
