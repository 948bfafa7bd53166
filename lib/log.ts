/**
 * Logging in oslo.log's line format:
 *
 *   2026-11-26 01:17:22.123 4242 INFO nova.api.openstack.requestlog [req-... - - - - - -] message
 *
 * Lines go to standard error or to `[DEFAULT] log_file` (under `log_dir`).
 * File writes are buffered and flushed on a short timer so that logging
 * never blocks a request.
 *
 * @module
 */

import { appendFileSync } from "node:fs";
import { pid } from "node:process";

export type Level = "DEBUG" | "INFO" | "WARNING" | "ERROR" | "CRITICAL";

const LEVEL_RANK: Record<Level, number> = {
  DEBUG: 10,
  INFO: 20,
  WARNING: 30,
  ERROR: 40,
  CRITICAL: 50,
};

/** The request fields oslo.log puts between brackets. */
export interface LogContext {
  requestId?: string | null;
  globalRequestId?: string | null;
  userId?: string | null;
  projectId?: string | null;
}

interface Sink {
  write(line: string): void;
  flush(): void;
}

class StderrSink implements Sink {
  #encoder = new TextEncoder();
  write(line: string): void {
    // console.error adds its own newline; write bytes directly for one line per record.
    writeStderr(this.#encoder.encode(line + "\n"));
  }
  flush(): void {}
}

class FileSink implements Sink {
  #buffer: string[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  constructor(readonly path: string, readonly alsoStderr: boolean) {}
  write(line: string): void {
    this.#buffer.push(line);
    if (this.alsoStderr) writeStderr(new TextEncoder().encode(line + "\n"));
    this.#timer ??= setTimeout(() => this.flush(), 50);
  }
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#buffer.length === 0) return;
    const text = this.#buffer.join("\n") + "\n";
    this.#buffer = [];
    try {
      appendFileSync(this.path, text);
    } catch (err) {
      writeStderr(new TextEncoder().encode(`log file ${this.path} not writable: ${err}\n${text}`));
    }
  }
}

function writeStderr(bytes: Uint8Array): void {
  // node:process is available in Deno and Bun alike.
  (globalThis as unknown as { process: { stderr: { write(b: Uint8Array): void } } }).process.stderr
    .write(bytes);
}

const state = {
  level: 20,
  sink: new StderrSink() as Sink,
  /** Records kept in memory for tests (null: off). */
  captured: null as string[] | null,
};

/** Configures the level and destination; called at start-up and on SIGHUP. */
export function configureLogging(
  options: { debug: boolean; logFile?: string | null; useStderr?: boolean },
): void {
  state.sink.flush();
  state.level = options.debug ? 10 : 20;
  state.sink = options.logFile
    ? new FileSink(options.logFile, options.useStderr ?? false)
    : new StderrSink();
}

/** Writes buffered lines now (on stop). */
export function flushLogs(): void {
  state.sink.flush();
}

/** Starts (or stops, with `false`) keeping every line in memory; returns the array. */
export function captureLogs(on = true): string[] {
  state.captured = on ? [] : null;
  return state.captured ?? [];
}

/** Whether records at `level` are written. */
export function isEnabledFor(level: Level): boolean {
  return LEVEL_RANK[level] >= state.level;
}

/** A named logger (`nova.osapi_compute.wsgi.server`, ...). */
export class Logger {
  constructor(readonly name: string) {}

  log(level: Level, message: string, ctx?: LogContext | null): void {
    if (LEVEL_RANK[level] < state.level) return;
    const line = formatLine(level, this.name, message, ctx);
    state.captured?.push(line);
    state.sink.write(line);
  }
  debug(message: string, ctx?: LogContext | null): void {
    this.log("DEBUG", message, ctx);
  }
  info(message: string, ctx?: LogContext | null): void {
    this.log("INFO", message, ctx);
  }
  warning(message: string, ctx?: LogContext | null): void {
    this.log("WARNING", message, ctx);
  }
  error(message: string, ctx?: LogContext | null): void {
    this.log("ERROR", message, ctx);
  }
  /** An ERROR record followed by the error's stack, as LOG.exception does. */
  exception(message: string, err: unknown, ctx?: LogContext | null): void {
    const stack = err instanceof Error ? err.stack ?? String(err) : String(err);
    this.log("ERROR", `${message}\n${stack}`, ctx);
  }
}

export function getLogger(name: string): Logger {
  return new Logger(name);
}

function formatLine(level: Level, name: string, message: string, ctx?: LogContext | null): string {
  const now = new Date();
  const stamp = now.toISOString().replace("T", " ").slice(0, 23);
  const identity = ctx
    ? `[${ctx.globalRequestId ?? "None"} ${ctx.requestId ?? "-"} ${ctx.userId ?? "-"} ${
      ctx.projectId ?? "-"
    } - - - -]`
    : "[-]";
  return `${stamp} ${pid} ${level} ${name} ${identity} ${message}`;
}
