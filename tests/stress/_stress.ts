/**
 * Helpers of the stress tests: a novalet with devstack's flavors and
 * noauth2, what /proc says about its process (memory, open files), the
 * open-file limit, and small timing tools.
 *
 * @module
 */

import { type Novalet, startNovalet, type StartOptions } from "../_server.ts";

export const ADMIN = "admin:admin";
export const IMAGE = "5c5e1b6f-3b5e-4a39-9d6a-6a2f4b0e7c01";

/** Starts novalet with noauth2, devstack's flavors and `config` on top. */
export function startStressNovalet(
  config = "",
  options: Omit<StartOptions, "config"> = {},
): Promise<Novalet> {
  return startNovalet({
    ...options,
    config: `[api]\nauth_strategy = noauth2\n[novalet]\nseed_flavors = true\n${config}`,
  });
}

/** A field of /proc/PID/status in KiB (`VmRSS`, `VmHWM`). */
export function procStatusKb(pid: number, field: string): number {
  const text = Deno.readTextFileSync(`/proc/${pid}/status`);
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]);
}

/** Open file descriptors of the process. */
export function openFiles(pid: number): number {
  let n = 0;
  for (const _ of Deno.readDirSync(`/proc/${pid}/fd`)) n++;
  return n;
}

/** The soft and hard limits of open files of this process. */
export function fileLimits(): { soft: number; hard: number } {
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(Deno.readTextFileSync("/proc/self/limits"));
  const num = (s: string | undefined) => s === "unlimited" ? Infinity : Number(s);
  return { soft: num(m?.[1]), hard: num(m?.[2]) };
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 20 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The value at quantile `q` (0..1) of `values`. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** A raw HTTP/1.1 request (CRLF line ends, Host first). */
export function rawRequest(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body = "",
): string {
  const lines = [`${method} ${path} HTTP/1.1`, "Host: 127.0.0.1"];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  const hasLength = Object.keys(headers).some((k) => k.toLowerCase() === "content-length");
  if (!hasLength && (body || method === "POST" || method === "PUT")) {
    lines.push(`Content-Length: ${body.length}`);
  }
  return lines.join("\r\n") + "\r\n\r\n" + body;
}
