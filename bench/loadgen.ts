/**
 * The project's own load generator, for machines without wrk and for what
 * wrk cannot do (a fixed number of requests, POST bodies):
 *
 *     deno run --allow-net=127.0.0.1 bench/loadgen.ts -t 2 -c 64 -d 10 \
 *       [-n REQUESTS] [-H 'Name: value'] [--method POST --body '{...}'] [--connect-first] [--delay MS] URL
 *
 * Keep-alive connections at a fixed concurrency, split over `-t` worker
 * threads, closed loop as wrk runs. It prints the same one-line report as
 * bench/wrk.ts's Lua script (requests, errors, latency percentiles).
 * Loopback only.
 *
 * @module
 */

import { CURVE_POINTS, Histogram, type RawReport, REPORT_PREFIX } from "./histogram.ts";
import { runTask, type WorkerResult, type WorkerTask } from "./loadgen_conn.ts";

/** What one run does. */
export interface LoadgenOptions {
  url: string;
  threads: number;
  connections: number;
  seconds: number | null;
  requests: number | null;
  headers: Record<string, string>;
  method: string;
  body: string | null;
  timeoutMs: number;
  /** Open every connection before the clock starts (wrk opens them as it starts). */
  connectFirst: boolean;
  /** Milliseconds each connection waits before each request (paced load, as wrk's `delay()`). */
  delayMs: number;
}

/** The request bytes, as wrk writes them (Host, the -H headers, Content-Length with a body). */
export function requestBytes(o: LoadgenOptions): Uint8Array {
  const url = new URL(o.url);
  const body = o.body === null ? "" : o.body;
  const lines = [`${o.method} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`];
  for (const [k, v] of Object.entries(o.headers)) lines.push(`${k}: ${v}`);
  if (o.body !== null) lines.push(`Content-Length: ${new TextEncoder().encode(body).length}`);
  return new TextEncoder().encode(lines.join("\r\n") + "\r\n\r\n" + body);
}

function share(total: number, parts: number, i: number): number {
  return Math.floor(total / parts) + (i < total % parts ? 1 : 0);
}

/** A worker thread running `task`: it posts "ready", waits for `started`, then runs. */
function inWorker(
  task: WorkerTask,
  ready: () => void,
  started: Promise<void>,
): Promise<WorkerResult> {
  const worker = new Worker(new URL("./loadgen_worker.ts", import.meta.url), { type: "module" });
  return new Promise<WorkerResult>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<WorkerResult | "ready">) => {
      if (e.data === "ready") {
        ready();
        started.then(() => worker.postMessage("go"));
        return;
      }
      worker.terminate();
      resolve(e.data);
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message));
    };
    worker.postMessage(task);
  });
}

/**
 * Runs the load in `threads` worker threads (or, `inProcess`, on this
 * thread: one task, no start-up of workers) and returns the merged report.
 * The clock starts when every thread is ready (its connections open, with
 * `connectFirst`).
 */
export async function loadgen(o: LoadgenOptions, inProcess = false): Promise<RawReport> {
  const url = new URL(o.url);
  if (url.hostname !== "127.0.0.1") throw new Error(`refusing a non-loopback URL: ${o.url}`);
  const request = requestBytes(o);
  const threads = inProcess ? 1 : Math.max(1, Math.min(o.threads, o.connections));
  let start = 0;
  let waiting = threads;
  let go: () => void = () => {};
  const started = new Promise<void>((resolve) => (go = resolve));
  const ready = () => {
    if (--waiting > 0) return;
    start = performance.now();
    go();
  };
  const results = await Promise.all(Array.from({ length: threads }, (_, i) => {
    const task: WorkerTask = {
      hostname: url.hostname,
      port: Number(url.port || 80),
      request,
      connections: share(o.connections, threads, i),
      seconds: o.seconds,
      connectFirst: o.connectFirst,
      requests: o.requests === null ? null : share(o.requests, threads, i),
      timeoutMs: o.timeoutMs,
      delayMs: o.delayMs,
    };
    return inProcess ? runTask(task, () => (ready(), started)) : inWorker(task, ready, started);
  }));
  const durationUs = (performance.now() - start) * 1000;
  const all = new Histogram();
  const errors = { connect: 0, read: 0, write: 0, status: 0, timeout: 0 };
  let bytes = 0;
  for (const r of results) {
    all.merge(Histogram.from(r.histogram));
    bytes += r.bytes;
    for (const k of Object.keys(errors) as (keyof typeof errors)[]) errors[k] += r.errors[k];
  }
  const { mean, stdev } = all.moments();
  return {
    requests: all.count,
    duration_us: Math.round(durationUs),
    bytes,
    errors,
    min_us: all.count ? Math.round(all.min) : 0,
    max_us: Math.round(all.max),
    mean_us: mean,
    stdev_us: stdev,
    curve: CURVE_POINTS.map((p) => [p, Math.round(all.percentile(p))]),
  };
}

/** Reads the command line (wrk's short options, plus -n, --method and --body). */
export function parseArgs(args: string[]): LoadgenOptions {
  const o: LoadgenOptions = {
    url: "",
    threads: 2,
    connections: 64,
    seconds: null,
    requests: null,
    headers: {},
    method: "GET",
    body: null,
    timeoutMs: 10_000,
    connectFirst: false,
    delayMs: 0,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => args[++i] ?? "";
    if (a === "-t") o.threads = Number(value());
    else if (a === "-c") o.connections = Number(value());
    else if (a === "-d") o.seconds = Number(value().replace(/s$/, ""));
    else if (a === "-n") o.requests = Number(value());
    else if (a === "--timeout") o.timeoutMs = Number(value().replace(/s$/, "")) * 1000;
    else if (a === "--method") o.method = value();
    else if (a === "--body") o.body = value();
    else if (a === "--connect-first") o.connectFirst = true;
    else if (a === "--delay") o.delayMs = Number(value());
    else if (a === "-H") {
      const h = value();
      o.headers[h.slice(0, h.indexOf(":")).trim()] = h.slice(h.indexOf(":") + 1).trim();
    } else o.url = a;
  }
  if (o.seconds === null && o.requests === null) o.seconds = 10;
  return o;
}

if (import.meta.main) {
  const report = await loadgen(parseArgs(Deno.args));
  console.log(REPORT_PREFIX + JSON.stringify(report));
}
