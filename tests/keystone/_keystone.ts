/**
 * Test helpers for the Keystone tests: start the real Keystone of
 * ../shared/keystone when it is not answering, read its fixtures, issue and
 * revoke tokens, build the authtoken → keystonecontext → echo chain.
 *
 * @module
 */

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { App } from "../../lib/app.ts";
import { Conf } from "../../lib/config/conf.ts";
import { ApiRequest } from "../../lib/request.ts";
import { ApiResponse } from "../../lib/response.ts";
import { type AuthTokenMiddleware, createAuthToken } from "../../lib/middleware/authtoken.ts";
import { keystoneContext } from "../../lib/middleware/keystonecontext.ts";

export const KEYSTONE_PORT = Number(Deno.env.get("KEYSTONE_PORT") ?? "15000");
export const KEYSTONE_URL = `http://127.0.0.1:${KEYSTONE_PORT}/v3`;
export const KEYSTONE_STATE = Deno.env.get("KEYSTONE_STATE") ?? "/tmp/keystone-state";
export const SERVER_LOG = `${KEYSTONE_STATE}/keystone-server.log`;
/** The shared Keystone scripts: `NOVALET_KEYSTONE_DIR`, else `../shared/keystone` beside the checkout, else /work/shared. */
const SCRIPTS = Deno.env.get("NOVALET_KEYSTONE_DIR") ?? [
  fileURLToPath(new URL("../../../shared/keystone/", import.meta.url)),
  "/work/shared/keystone/",
].find((dir) => existsSync(`${dir}start-keystone.sh`)) ??
  fileURLToPath(new URL("../../../shared/keystone/", import.meta.url));

/** Longest wait for start-keystone.sh (a fresh machine installs packages first). */
const START_TIMEOUT_MS = 300_000;

export interface UserFixture {
  id: string;
  password: string;
  project: string;
  project_id: string;
}

export interface Fixtures {
  auth_url: string;
  projects: Record<string, string>;
  roles: Record<string, string>;
  users: Record<"admin" | "demo" | "alt" | "reader" | "nova", UserFixture>;
  services: Record<string, { id: string; name: string; type: string; url: string }>;
}

/** One Keystone of start-keystone.sh: its port and state directory. */
export interface KeystoneInstance {
  port: number;
  state: string;
  url: string;
}

/** The shared Keystone every test uses (`KEYSTONE_PORT`, `KEYSTONE_STATE`). */
export const SHARED: KeystoneInstance = {
  port: KEYSTONE_PORT,
  state: KEYSTONE_STATE,
  url: KEYSTONE_URL,
};

/** A Keystone of its own on a free port, for tests that stop it. */
export function privateInstance(name: string): KeystoneInstance {
  const port = freePortBelowEphemeral();
  return { port, state: `/tmp/novalet-keystone-${name}`, url: `http://127.0.0.1:${port}/v3` };
}

/**
 * A free port below Linux's ephemeral range (32768-60999): the test stops and
 * restarts Keystone on it, and an ephemeral port could be handed to another
 * socket in between.
 */
function freePortBelowEphemeral(): number {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    try {
      Deno.listen({ hostname: "127.0.0.1", port }).close();
      return port;
    } catch { /* taken: try another */ }
  }
  throw new Error("no free port between 20000 and 32000");
}

/** Whether Keystone answers `GET /v3`. */
export async function keystoneAnswers(instance = SHARED): Promise<boolean> {
  try {
    const res = await fetch(instance.url, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** Runs one of the shared scripts (start-keystone.sh, stop-keystone.sh), bounded in time. */
export async function runScript(name: string, instance = SHARED): Promise<void> {
  // Through bash: a copy of shared/ may have lost its execute bits.
  const out = await new Deno.Command("bash", {
    args: [`${SCRIPTS}/${name}`],
    env: { KEYSTONE_PORT: String(instance.port), KEYSTONE_STATE: instance.state },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(START_TIMEOUT_MS),
  }).output();
  if (!out.success) {
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    throw new Error(`${name} failed (exit ${out.code}):\n${text.slice(-3000)}`);
  }
}

/** The fixtures of a started instance. */
export function readFixtures(instance = SHARED): Fixtures {
  return JSON.parse(readFileSync(`${instance.state}/fixtures.json`, "utf8")) as Fixtures;
}

let started: Promise<Fixtures> | null = null;

/** Starts the shared Keystone unless it already answers with fixtures; returns the fixtures. */
export function ensureKeystone(): Promise<Fixtures> {
  started ??= (async () => {
    const fixturesPath = `${SHARED.state}/fixtures.json`;
    if (!(await keystoneAnswers()) || !existsSync(fixturesPath)) {
      await runScript("start-keystone.sh");
    }
    return readFixtures();
  })();
  return started;
}

/** Issues a project-scoped token for `user` (password `<user>-secret` or the fixture's). */
export async function issueToken(
  fixtures: Fixtures,
  user: keyof Fixtures["users"],
): Promise<string> {
  const u = fixtures.users[user];
  const body = {
    auth: {
      identity: {
        methods: ["password"],
        password: { user: { id: u.id, password: u.password } },
      },
      scope: { project: { id: u.project_id } },
    },
  };
  const res = await fetch(`${fixtures.auth_url}/auth/tokens?nocatalog`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  await res.body?.cancel();
  const token = res.headers.get("x-subject-token");
  if (res.status !== 201 || !token) throw new Error(`token issue for ${user}: ${res.status}`);
  return token;
}

/** Revokes a token with itself (`DELETE /v3/auth/tokens`). */
export async function revokeToken(token: string, url = KEYSTONE_URL): Promise<void> {
  const res = await fetch(`${url}/auth/tokens`, {
    method: "DELETE",
    headers: { "X-Auth-Token": token, "X-Subject-Token": token },
  });
  await res.body?.cancel();
  if (res.status !== 204) throw new Error(`revoke: ${res.status}`);
}

/** nova.conf text with the nova service user in `[keystone_authtoken]`, plus `extra` lines. */
export function keystoneConf(fixtures: Fixtures, extra: string[] = []): Conf {
  const nova = fixtures.users.nova;
  const text = [
    "[keystone_authtoken]",
    `auth_url = ${fixtures.auth_url}`,
    `www_authenticate_uri = ${fixtures.auth_url}`,
    "auth_type = password",
    "username = nova",
    `password = ${nova.password}`,
    "user_domain_name = Default",
    "project_name = service",
    "project_domain_name = Default",
    "region_name = RegionOne",
    ...extra,
  ].join("\n");
  return Conf.load([{ name: "test-nova.conf", text }]);
}

/** What the app behind the chain saw. */
export interface Seen {
  req: ApiRequest | null;
}

/** authtoken → keystonecontext → an app that records the request and answers 200. */
export function chain(
  middleware: AuthTokenMiddleware,
  options: { useForwardedFor?: boolean } = {},
): { app: App; seen: Seen } {
  const seen: Seen = { req: null };
  const echo: App = (req) => {
    seen.req = req;
    return Promise.resolve(new ApiResponse(200, [["Content-Type", "text/plain"]], "ok"));
  };
  const inner = keystoneContext(echo, { useForwardedFor: options.useForwardedFor ?? false });
  return { app: middleware.filter(inner), seen };
}

/** Builds the middleware for `conf` and its chain. */
export function setup(conf: Conf, paste: Record<string, string> = {}) {
  const middleware = createAuthToken(conf, paste);
  return { middleware, ...chain(middleware) };
}

/** A GET of /v2.1/servers with `headers`. */
export function request(headers: [string, string][] = [], method = "GET"): ApiRequest {
  return new ApiRequest({
    method,
    path: "/v2.1/servers",
    headers: [["Accept", "application/json"], ...headers],
    serverPort: 8774,
  });
}

/** Lines of Keystone's uWSGI log that are requests to /v3/auth/tokens with `method`. */
export function serverLogCount(method: string): number {
  if (!existsSync(SERVER_LOG)) return 0;
  const text = readFileSync(SERVER_LOG, "utf8");
  return text.split("\n").filter((l) => l.includes(`] ${method} /v3/auth/tokens`)).length;
}

/** Lines of Keystone's uWSGI log (to find the ones a test caused). */
export function serverLogLines(): string[] {
  return existsSync(SERVER_LOG) ? readFileSync(SERVER_LOG, "utf8").split("\n") : [];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until uWSGI has written the lines of requests already answered: it
 * writes a line just after the response, so the log lags a little.
 */
export async function settleServerLog(quietMs = 150, maxMs = 3000): Promise<void> {
  let last = -1;
  for (const start = Date.now(); Date.now() - start < maxMs;) {
    const size = existsSync(SERVER_LOG) ? Deno.statSync(SERVER_LOG).size : 0;
    if (size === last) return;
    last = size;
    await sleep(quietMs);
  }
}
