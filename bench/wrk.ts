/**
 * Runs wrk and reads its report: requests per second and latency
 * percentiles (wrk --latency).
 *
 * @module
 */

export interface WrkResult {
  rps: number;
  p50ms: number;
  p99ms: number;
  errors: number;
}

export interface WrkOptions {
  threads?: number;
  connections?: number;
  seconds?: number;
  headers?: Record<string, string>;
}

/** Whether wrk is on the PATH. */
export async function haveWrk(): Promise<boolean> {
  try {
    await new Deno.Command("wrk", { args: ["--version"], stdout: "null", stderr: "null" }).output();
    return true;
  } catch {
    return false;
  }
}

/** Loads `url` for a few seconds; loopback only. */
export async function wrk(url: string, options: WrkOptions = {}): Promise<WrkResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url)) {
    throw new Error(`refusing to load a non-loopback URL: ${url}`);
  }
  const args = [
    `-t${options.threads ?? 2}`,
    `-c${options.connections ?? 64}`,
    `-d${options.seconds ?? 5}s`,
    "--timeout",
    "10s",
    "--latency",
  ];
  for (const [k, v] of Object.entries(options.headers ?? {})) args.push("-H", `${k}: ${v}`);
  args.push(url);
  const out = await new Deno.Command("wrk", { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout);
  return parseWrk(text);
}

export function parseWrk(text: string): WrkResult {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? NaN);
  const p50ms = toMs(/^\s+50%\s+([\d.]+)(us|ms|s)/m.exec(text));
  const p99ms = toMs(/^\s+99%\s+([\d.]+)(us|ms|s)/m.exec(text));
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(text)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    text,
  );
  const errors = non2xx +
    (socketErrors ? socketErrors.slice(1).reduce((n, x) => n + Number(x), 0) : 0);
  return { rps, p50ms, p99ms, errors };
}

function toMs(m: RegExpExecArray | null): number {
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === "us" ? v / 1000 : m[2] === "s" ? v * 1000 : v;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
