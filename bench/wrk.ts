/**
 * Runs Debian's wrk with a Lua `done()` callback that prints the latency
 * distribution (p50 ... p99.9 ... max) as one JSON line, and installs wrk
 * with apt-get when it is missing and we are root.
 *
 * @module
 */

import { CURVE_POINTS, parseReport, type RawReport, REPORT_PREFIX } from "./histogram.ts";

/** wrk's Lua script: the report line of bench/histogram.ts, in microseconds. */
const SCRIPT = `-- novalet bench: wrk's latency distribution as one JSON line (bench/wrk.ts)
local points = { ${CURVE_POINTS.join(", ")} }
function done(summary, latency, requests)
  local curve = {}
  for i, p in ipairs(points) do
    curve[i] = string.format("[%s,%d]", tostring(p), latency:percentile(p))
  end
  local e = summary.errors
  io.write(string.format('${REPORT_PREFIX}{"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"min_us":%d,"max_us":%d,"mean_us":%.3f,"stdev_us":%.3f,"curve":[%s]}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency.min, latency.max, latency.mean, latency.stdev, table.concat(curve, ",")))
end
`;

const scripts = new Map<number, string>();

/**
 * The Lua script's path. With `delayMs`, each connection waits a random
 * 0 to 2 × `delayMs` before each request (the first one too): `delayMs` on
 * average, and the connections drift apart instead of sending in lockstep.
 */
function script(delayMs: number): string {
  let path = scripts.get(delayMs);
  if (path === undefined) {
    path = Deno.makeTempFileSync({ prefix: "novalet-bench-", suffix: ".lua" });
    // Each thread has its own Lua state: seed it from the address of a table.
    const delay = delayMs > 0
      ? `function init(args)\n  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16))\nend\n` +
        `function delay()\n  return math.random(0, ${2 * delayMs})\nend\n`
      : "";
    Deno.writeTextFileSync(path, SCRIPT + delay);
    scripts.set(delayMs, path);
  }
  return path;
}

/** Removes the temporary Lua scripts. */
export function cleanUpWrk(): void {
  for (const path of scripts.values()) Deno.removeSync(path);
  scripts.clear();
}

/** wrk's version line, or null when it is not on the PATH. */
export async function wrkVersion(): Promise<string | null> {
  try {
    const out = await new Deno.Command("wrk", { args: ["--version"], stdout: "piped" }).output();
    const line = new TextDecoder().decode(out.stdout).split("\n")[0];
    return line.replace(/^wrk\s+/, "").replace(/\s*\[.*$/, "").trim() || "?";
  } catch {
    return null;
  }
}

async function sh(command: string, timeoutMs: number): Promise<boolean> {
  const out = await new Deno.Command("sh", {
    args: ["-c", command],
    stdout: "null",
    stderr: "null",
    env: { DEBIAN_FRONTEND: "noninteractive" },
    signal: AbortSignal.timeout(timeoutMs),
  }).output().catch(() => null);
  return out?.success ?? false;
}

/** wrk's version, after `apt-get install -y wrk` when it is missing and we are root; null without. */
export async function ensureWrk(): Promise<string | null> {
  const version = await wrkVersion();
  if (version || Deno.uid() !== 0) return version;
  console.log("wrk is missing: apt-get install -y wrk ...");
  if (!(await sh("apt-get install -y wrk", 300_000))) {
    await sh("apt-get update && apt-get install -y wrk", 600_000);
  }
  return await wrkVersion();
}

/** One wrk run. */
export interface WrkOptions {
  url: string;
  threads: number;
  connections: number;
  seconds: number;
  headers: Record<string, string>;
  /** Milliseconds each connection waits before each request (wrk's Lua `delay()`). */
  delayMs?: number;
}

/** The command line of a run (as the results record it). */
export function wrkArgs(o: WrkOptions): string[] {
  const args = [`-t${o.threads}`, `-c${o.connections}`, `-d${o.seconds}s`, "--timeout", "10s"];
  args.push("--latency");
  for (const [k, v] of Object.entries(o.headers)) args.push("-H", `${k}: ${v}`);
  return [...args, o.url];
}

/**
 * Loads `url` for `seconds`; loopback only. Past 1,000 connections wrk runs
 * under the hard limit of open files (`ulimit -n`).
 */
export async function wrk(o: WrkOptions): Promise<RawReport> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(o.url)) {
    throw new Error(`refusing to load a non-loopback URL: ${o.url}`);
  }
  const args = ["-s", script(o.delayMs ?? 0), ...wrkArgs(o)];
  const [file, fileArgs] = o.connections > 1000
    ? ["sh", ["-c", 'ulimit -n "$(ulimit -Hn)" && exec wrk "$@"', "sh", ...args]]
    : ["wrk", args];
  const out = await new Deno.Command(file, {
    args: fileArgs,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout((o.seconds + 60) * 1000),
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const report = parseReport(text);
  if (!report) {
    throw new Error(`wrk gave no report:\n${text}${new TextDecoder().decode(out.stderr)}`);
  }
  return report;
}
