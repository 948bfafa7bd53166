/**
 * The servers a bench run loads (see `Role` in bench/scenarios.ts): the bare
 * Deno.serve hello world, novalet under `deno run` and as the executable of
 * `bun build --compile`, novalet with the keystone pipeline, and a live
 * nova-api at NOVA_REF_URL. Every process started here is stopped by its
 * pid; all of them listen on 127.0.0.1 only.
 *
 * @module
 */

import { ensureKeystone, issueToken, keystoneAnswers } from "../tests/keystone/_keystone.ts";
import { startNovalet, type StartOptions } from "../tests/_server.ts";
import { listeners } from "./procs.ts";
import { NOAUTH_ADMIN, type Role, seed } from "./scenarios.ts";

/** One running server of the bench. */
export interface Running {
  role: Role;
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Its processes (nova-api: parent and worker). */
  pids: number[];
  /** X-Auth-Token for scenarios that send one. */
  token: string;
  stop(): Promise<void>;
  /** Stops it and starts it again on the same state (novalet only); url and pids change. */
  restart?(): Promise<void>;
}

const ROOT = new URL("..", import.meta.url).pathname;

/** Open files for the servers of the 5,000-connection runs. */
const FILE_LIMIT = 20000;

/** A free port on 127.0.0.1 (bound, then released). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Sends `signal` to a child and waits for it (bounded: SIGKILL after 15 s). */
export async function stopChild(child: Deno.ChildProcess, signal: Deno.Signal = "SIGTERM") {
  try {
    child.kill(signal);
  } catch { /* already gone */ }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, 15_000);
  await child.status;
  clearTimeout(timer);
}

/** Polls `url` until it answers (any status below 500); milliseconds waited. */
export async function waitFor(url: string, timeoutMs = 20_000): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.status < 500) return performance.now() - start;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** The bare Deno.serve hello world (bench/hello.ts), with the hard limit of open files. */
export async function startBare(): Promise<Running> {
  const port = freePort();
  const hello = new URL("./hello.ts", import.meta.url).pathname;
  const child = new Deno.Command("sh", {
    args: [
      "-c",
      'ulimit -n "$(ulimit -Hn)" && exec "$@"',
      "sh",
      Deno.execPath(),
      "run",
      `--allow-net=127.0.0.1:${port}`,
      hello,
      String(port),
    ],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/`);
  return { role: "bare", url, pids: [child.pid], token: "", stop: () => stopChild(child) };
}

/** Builds the single executable with `bun build --compile main.ts`; its path and build time. */
export async function buildBun(dir: string): Promise<{ path: string; buildMs: number }> {
  const path = `${dir}/novalet`;
  const t0 = performance.now();
  const out = await new Deno.Command("bun", {
    args: ["build", "--compile", "main.ts", "--outfile", path],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(300_000),
  }).output();
  if (!out.success) {
    throw new Error(`bun build --compile failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
  return { path, buildMs: performance.now() - t0 };
}

/** The config of the noauth2 novalet that stands beside nova-ref (no devstack flavors). */
const NOAUTH_CONF = "[novalet]\nseed_flavors = false\n";

/** Room for 10,000 m1.tiny servers on the fake host; no quota in the way. */
export const SERVERS_CONF = "[novalet]\nseed_flavors = true\n" +
  "[quota]\ninstances = -1\ncores = -1\nram = -1\n" +
  "[novalet_compute]\nvcpus = 100000\nmemory_mb = 10000000\nlocal_gb = 1000000\n";

async function novalet(
  role: Role,
  config: string,
  token: string,
  extra: StartOptions = {},
): Promise<Running> {
  const options: StartOptions = {
    config,
    // INFO log to a file, one access line per request, as nova-api ran in PERF.md.
    logFile: "novalet.log",
    // What `deno task start` grants, on any port of 127.0.0.1 (the state dir is the cwd).
    permissions: ["--allow-net=127.0.0.1", "--allow-read=.", "--allow-write=."],
    fileLimit: FILE_LIMIT,
    ...extra,
  };
  let n = await startNovalet(options);
  const running: Running = {
    role,
    url: n.url,
    pids: [n.pid],
    token,
    async stop() {
      await n.stop();
      await Deno.remove(n.stateDir, { recursive: true }).catch(() => {});
    },
    async restart() {
      await n.stop();
      // startNovalet finds the port in the log: start the new process on a new log.
      const log = `${n.stateDir}/novalet.log`;
      await Deno.rename(log, `${log}.${Date.now()}`).catch(() => {});
      n = await startNovalet({ ...options, stateDir: n.stateDir });
      running.url = n.url;
      running.pids = [n.pid];
    },
  };
  return running;
}

/** novalet under `deno run` (or the executable `exe`), noauth2, seeded as nova-ref is. */
export async function startNoauth(role: "deno" | "bun", exe?: string): Promise<Running> {
  const r = await novalet(role, NOAUTH_CONF, NOAUTH_ADMIN, exe ? { executable: exe } : {});
  await seed(r.url, r.token);
  return r;
}

/** novalet for the servers scenarios (its servers are created by bench/servers.ts). */
export function startServers(): Promise<Running> {
  return novalet("servers", SERVERS_CONF, NOAUTH_ADMIN);
}

/**
 * novalet with `auth_strategy = keystone` against the shared Keystone of
 * ../shared/keystone (started when it does not answer), seeded with the same
 * 10 flavors; null when Keystone cannot be had.
 */
export async function startKeystone(): Promise<Running | null> {
  const fixtures = await ensureKeystone().catch((e) => {
    console.error(`Keystone: ${e.message.split("\n")[0]}`);
    return null;
  });
  if (!fixtures || !(await keystoneAnswers())) return null;
  const config = `${NOAUTH_CONF}[api]\nauth_strategy = keystone\n[keystone_authtoken]\n` +
    `auth_url = ${fixtures.auth_url}\nwww_authenticate_uri = ${fixtures.auth_url}\n` +
    `auth_type = password\nusername = nova\npassword = ${fixtures.users.nova.password}\n` +
    `user_domain_name = Default\nproject_name = service\nproject_domain_name = Default\n`;
  const token = await issueToken(fixtures, "admin");
  const r = await novalet("keystone", config, token);
  await seed(r.url, token, 0);
  return r;
}

/** The nova-api at `url` (NOVA_REF_URL), seeded; its pids from the listening socket. */
export async function connectNova(url: string): Promise<Running & { seeded: object }> {
  const u = new URL(url);
  if (u.hostname !== "127.0.0.1") throw new Error(`NOVA_REF_URL must be on 127.0.0.1: ${url}`);
  const base = `${u.protocol}//${u.host}`;
  await waitFor(`${base}/`);
  const seeded = await seed(base, NOAUTH_ADMIN);
  return {
    role: "nova",
    url: base,
    pids: listeners(Number(u.port)),
    token: NOAUTH_ADMIN,
    seeded,
    stop: () => Promise.resolve(), // not ours: nova-ref/stop.sh stops it
  };
}
