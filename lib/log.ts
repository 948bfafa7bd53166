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

import { appendBytes, pid as processId, writeStderr } from "./runtime.ts";
import { after } from "./timers.ts";

const pid = processId();

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
  /** The rest of oslo.context's user_identity: domain, system scope, user and project domains. */
  domainId?: string | null;
  systemScope?: string | null;
  userDomainId?: string | null;
  projectDomainId?: string | null;
}

interface Sink {
  write(line: string): void;
  flush(): void;
}

/** Bytes a sink gathers before it writes them out. */
const SINK_BYTES = 64 * 1024;
const ENCODER = new TextEncoder();

/**
 * Lines buffered and written in one go on a short timer (or when the buffer
 * fills): one write per burst instead of one per line. Each line is encoded
 * as it comes, so that under load no line lives on as a string until the
 * flush (kept strings are what the young-generation collections copy).
 */
class BufferedSink implements Sink {
  #bytes = new Uint8Array(SINK_BYTES);
  #used = 0;
  #timer: { cancel(): void } | null = null;

  constructor(readonly output: (bytes: Uint8Array) => void) {}

  write(line: string): void {
    // At most 3 bytes per UTF-16 unit, and the newline.
    const most = line.length * 3 + 1;
    if (this.#used + most > this.#bytes.length) {
      this.#writeOut();
      if (most > this.#bytes.length) {
        this.output(ENCODER.encode(line + "\n"));
        return;
      }
    }
    this.#used += ENCODER.encodeInto(line, this.#bytes.subarray(this.#used)).written;
    this.#bytes[this.#used++] = 10;
    // The timer armed for a burst stays when the buffer fills and is
    // written early: one timer per 50 ms under load, not one per write.
    this.#timer ??= after(50, () => this.#onTimer());
  }

  flush(): void {
    this.#timer?.cancel();
    this.#timer = null;
    this.#writeOut();
  }

  #onTimer(): void {
    this.#timer = null;
    this.#writeOut();
  }

  #writeOut(): void {
    if (this.#used === 0) return;
    // A copy: the output may keep what it is given (Bun's stderr writes later).
    const bytes = this.#bytes.slice(0, this.#used);
    this.#used = 0;
    this.output(bytes);
  }
}

function stderrSink(): Sink {
  return new BufferedSink(writeStderr);
}

function fileSink(path: string, alsoStderr: boolean): Sink {
  return new BufferedSink((bytes) => {
    try {
      appendBytes(path, bytes);
    } catch (err) {
      writeStderr(ENCODER.encode(`log file ${path} not writable: ${err}\n`));
    }
    if (alsoStderr) writeStderr(bytes);
  });
}

const state = {
  level: 20,
  sink: stderrSink(),
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
    ? fileSink(options.logFile, options.useStderr ?? false)
    : stderrSink();
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
  /** ` <pid> <LEVEL> <name> ` for each level used so far (the same on every line). */
  readonly #middles = new Map<Level, string>();

  constructor(readonly name: string) {}

  log(level: Level, message: string, ctx?: LogContext | null): void {
    if (LEVEL_RANK[level] < state.level) return;
    let middle = this.#middles.get(level);
    if (middle === undefined) this.#middles.set(level, middle = ` ${pid} ${level} ${this.name} `);
    const line = formatLine(middle, message, ctx);
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

// The "YYYY-MM-DD HH:MM:SS" part changes once a second: format it once per second.
let stampSecond = -1;
let stampPrefix = "";

function timestamp(): string {
  const ms = Date.now();
  const second = Math.floor(ms / 1000);
  if (second !== stampSecond) {
    stampSecond = second;
    stampPrefix = new Date(second * 1000).toISOString().replace("T", " ").slice(0, 19);
  }
  return stampPrefix + MILLIS[ms % 1000];
}

/** `.000` to `.999`, made once. */
const MILLIS = Array.from({ length: 1000 }, (_, i) => "." + String(i).padStart(3, "0"));

/** oslo.context's default `logging_user_identity_format`, `-` for what is unset. */
function userIdentity(ctx: LogContext): string {
  return `${ctx.userId ?? "-"} ${ctx.projectId ?? "-"} ${ctx.domainId ?? "-"} ${
    ctx.systemScope ?? "-"
  } ${ctx.userDomainId ?? "-"} ${ctx.projectDomainId ?? "-"}`;
}

/** The identity part of a request's log context, from its auth context. */
export function identityOf(
  auth: {
    userId: string | null;
    projectId: string | null;
    domainId?: string | null;
    systemScope?: string | null;
    userDomainId?: string | null;
    projectDomainId?: string | null;
  } | null,
): LogContext {
  if (auth === null) return {};
  return {
    userId: auth.userId,
    projectId: auth.projectId,
    domainId: auth.domainId,
    systemScope: auth.systemScope,
    userDomainId: auth.userDomainId,
    projectDomainId: auth.projectDomainId,
  };
}

/** `<time><middle><identity> <message>`; `middle` is ` <pid> <LEVEL> <logger name> `. */
function formatLine(middle: string, message: string, ctx?: LogContext | null): string {
  const identity = ctx
    ? `[${ctx.globalRequestId ?? "None"} ${ctx.requestId ?? "-"} ${userIdentity(ctx)}] `
    : "[-] ";
  return timestamp() + middle + identity + message;
}
