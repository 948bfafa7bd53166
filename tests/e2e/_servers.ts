/**
 * Helpers of the servers end-to-end tests: a novalet with devstack's
 * flavors, JSON calls as admin / demo / alt, and polling a server until it
 * reaches a state.
 *
 * @module
 */

import { type Novalet, startNovalet } from "../_server.ts";

export const IMAGE = "5c5e1b6f-3b5e-4a39-9d6a-6a2f4b0e7c01";
export const NETWORK = "c4f6ca9e-7b0a-4d4e-9a53-2f0c1c8e6a10";
export const ADMIN = "admin:admin";
export const DEMO = "demo:demoproject";
export const ALT = "alt:altproject";

/** A JSON answer. */
export interface Answer {
  status: number;
  headers: Headers;
  // deno-lint-ignore no-explicit-any
  body: any;
  text: string;
}

/** Options of one call. */
export interface CallOptions {
  token?: string;
  version?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Starts novalet with devstack's flavors and noauth2 (plus `config`). */
export function startServersNovalet(config = "", stateDir?: string): Promise<Novalet> {
  return startNovalet({
    config: `[api]\nauth_strategy = noauth2\n[novalet]\nseed_flavors = true\n${config}`,
    stateDir,
  });
}

/** One JSON call to the compute API. */
export async function call(
  n: Novalet,
  method: string,
  path: string,
  o: CallOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = { "X-Auth-Token": o.token ?? ADMIN, ...o.headers };
  if (o.version) headers["OpenStack-API-Version"] = `compute ${o.version}`;
  if (o.body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(`${n.url}/v2.1${path}`, {
    method,
    headers,
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, body, text };
}

/** POST /servers; returns the answer (202 expected by most callers). */
export function createServer(
  n: Novalet,
  server: Record<string, unknown> = {},
  o: CallOptions = {},
): Promise<Answer> {
  return call(n, "POST", "/servers", {
    ...o,
    body: { server: { name: "vm", imageRef: IMAGE, flavorRef: "1", ...server } },
  });
}

/** Polls GET /servers/{id} until `done(server)` holds (bounded to 10 s). */
export async function waitForServer(
  n: Novalet,
  id: string,
  // deno-lint-ignore no-explicit-any
  done: (server: any) => boolean,
  o: CallOptions = {},
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const deadline = Date.now() + 10_000;
  let last: Answer | null = null;
  while (Date.now() < deadline) {
    last = await call(n, "GET", `/servers/${id}`, { version: "2.1", ...o });
    if (last.status === 200 && done(last.body.server)) return last.body.server;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`server ${id} did not get there: ${last?.text}`);
}

/** Creates a server and waits until it is ACTIVE. */
export async function activeServer(
  n: Novalet,
  server: Record<string, unknown> = {},
  o: CallOptions = {},
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const res = await createServer(n, server, o);
  if (res.status !== 202) throw new Error(`create: ${res.status} ${res.text}`);
  return await waitForServer(n, res.body.server.id, (s) => s.status === "ACTIVE", o);
}

/** Polls until GET /servers/{id} is a 404 (bounded to 10 s). */
export async function waitGone(n: Novalet, id: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if ((await call(n, "GET", `/servers/${id}`)).status === 404) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`server ${id} was not deleted`);
}

/** Runs `fn` against a fresh novalet, stopping it afterwards. */
export async function withServers(
  fn: (n: Novalet) => Promise<void>,
  config = "",
): Promise<void> {
  const n = await startServersNovalet(config);
  try {
    await fn(n);
  } finally {
    await n.stop();
  }
}
