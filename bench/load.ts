/**
 * One measured load run, with whichever generator the bench uses: wrk when
 * present (GETs for a duration), else, and for fixed request counts or
 * bodies, the project's own bench/loadgen.ts in a child process. The server
 * processes' CPU time is read before and after.
 *
 * @module
 */

import { parseReport, type RawReport } from "./histogram.ts";
import { cpuSeconds } from "./procs.ts";
import { wrk, wrkArgs } from "./wrk.ts";

export type Tool = "wrk" | "loadgen";

/** What to load and how hard. */
export interface LoadSpec {
  url: string;
  headers?: Record<string, string>;
  method?: string;
  body?: string;
  connections: number;
  threads: number;
  /** Run for this long (or send `requests`). */
  seconds?: number;
  requests?: number;
  /** Open every connection before the clock starts (the project's generator only). */
  connectFirst?: boolean;
  /** Milliseconds each connection waits before each request: a paced load. */
  delayMs?: number;
}

/** One run's figures; times in milliseconds. */
export interface LoadResult {
  tool: Tool;
  cmd: string;
  connections: number;
  requests: number;
  seconds: number;
  rps: number;
  errors: number;
  errorDetail: RawReport["errors"];
  mean: number;
  stdev: number;
  min: number;
  max: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  /** [percentile, ms] for the chart. */
  curve: [number, number][];
  /** Server CPU per request (ms) and cores busy, when its pids are known. */
  cpuMsPerReq: number | null;
  cpuCores: number | null;
}

const LOADGEN = new URL("./loadgen.ts", import.meta.url).pathname;

/** bench/loadgen.ts's command line for `spec` (wrk's options where wrk has them). */
export function loadgenArgs(spec: LoadSpec): string[] {
  const args = [`-t`, String(spec.threads), `-c`, String(spec.connections)];
  if (spec.seconds !== undefined) args.push("-d", String(spec.seconds));
  if (spec.requests !== undefined) args.push("-n", String(spec.requests));
  for (const [k, v] of Object.entries(spec.headers ?? {})) args.push("-H", `${k}: ${v}`);
  if (spec.method) args.push("--method", spec.method);
  if (spec.body !== undefined) args.push("--body", spec.body);
  if (spec.connectFirst) args.push("--connect-first");
  if (spec.delayMs) args.push("--delay", String(spec.delayMs));
  return [...args, spec.url];
}

async function runLoadgen(spec: LoadSpec): Promise<{ report: RawReport; cmd: string }> {
  const args = loadgenArgs(spec);
  const deno = [Deno.execPath(), "run", "--allow-net=127.0.0.1", `--allow-read=${LOADGEN}/..`];
  const full = [...deno, LOADGEN, ...args];
  const [file, fileArgs] = spec.connections > 1000
    ? ["sh", ["-c", 'ulimit -n "$(ulimit -Hn)" && exec "$@"', "sh", ...full]]
    : [full[0], full.slice(1)];
  const out = await new Deno.Command(file, {
    args: fileArgs,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(((spec.seconds ?? 300) + 60) * 1000),
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const report = parseReport(text);
  if (!report) throw new Error(`loadgen gave no report:\n${new TextDecoder().decode(out.stderr)}`);
  return { report, cmd: `loadgen ${args.join(" ")}` };
}

function at(curve: [number, number][], p: number): number {
  return (curve.find(([q]) => q === p)?.[1] ?? NaN) / 1000;
}

/** Turns a generator's report into figures. */
export function toResult(
  report: RawReport,
  tool: Tool,
  cmd: string,
  connections: number,
): Omit<LoadResult, "cpuMsPerReq" | "cpuCores"> {
  const e = report.errors;
  const seconds = report.duration_us / 1e6;
  return {
    tool,
    cmd,
    connections,
    requests: report.requests,
    seconds,
    rps: report.requests / seconds,
    errors: e.connect + e.read + e.write + e.status + e.timeout,
    errorDetail: e,
    mean: report.mean_us / 1000,
    stdev: report.stdev_us / 1000,
    min: report.min_us / 1000,
    max: report.max_us / 1000,
    p50: at(report.curve, 50),
    p90: at(report.curve, 90),
    p99: at(report.curve, 99),
    p999: at(report.curve, 99.9),
    curve: report.curve.map(([p, us]) => [p, us / 1000] as [number, number]),
  };
}

/**
 * Runs one load and measures it; `pids` are the server's processes (for
 * CPU per request). wrk is used only for GETs over a duration with
 * connections opened as it starts.
 */
export async function measure(
  spec: LoadSpec,
  options: { tool: Tool; pids?: number[] },
): Promise<LoadResult> {
  const pids = options.pids ?? [];
  const useWrk = options.tool === "wrk" && spec.seconds !== undefined &&
    (spec.method ?? "GET") === "GET" && spec.requests === undefined && !spec.connectFirst;
  const cpu0 = cpuSeconds(pids);
  const t0 = performance.now();
  let run: { report: RawReport; cmd: string };
  if (useWrk) {
    const o = {
      url: spec.url,
      threads: spec.threads,
      connections: spec.connections,
      seconds: spec.seconds!,
      headers: spec.headers ?? {},
      delayMs: spec.delayMs,
    };
    const pace = spec.delayMs ? ` (Lua delay() ${spec.delayMs} ms)` : "";
    run = { report: await wrk(o), cmd: `wrk ${wrkArgs(o).join(" ")}${pace}` };
  } else {
    run = await runLoadgen(spec);
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(pids) - cpu0;
  const result = toResult(run.report, useWrk ? "wrk" : "loadgen", run.cmd, spec.connections);
  return {
    ...result,
    cpuMsPerReq: pids.length && result.requests ? (cpu * 1000) / result.requests : null,
    cpuCores: pids.length ? cpu / wall : null,
  };
}
