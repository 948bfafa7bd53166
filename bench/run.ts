/**
 * `deno task bench [FILTER] [--rounds N] [--seconds S]`: novalet against a
 * bare Deno.serve hello world measured in the same run, rounds interleaved
 * so that the machine's noise hits every target alike; medians over rounds.
 *
 * Prints req/s with p50/p99 per target, the ratio to the bare server and to
 * nova-api's figure (../shared/reference/nova26/PERF.md), then the time from
 * spawn to the first answer and the RSS after 10,000 requests. All traffic
 * stays on 127.0.0.1. `deno run -A bench/servers.ts` covers the servers
 * scenarios with many instances.
 *
 * @module
 */

import {
  ensureKeystone,
  type Fixtures,
  issueToken,
  keystoneAnswers,
} from "../tests/keystone/_keystone.ts";
import { type Novalet, startNovalet } from "../tests/_server.ts";
import { type Scenario, SCENARIOS, seedNoauth2, type ServerKind } from "./scenarios.ts";
import { haveWrk, median, wrk, type WrkResult } from "./wrk.ts";

const args = Deno.args;
const filter = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--")) ?? "";
const rounds = Number(option("--rounds") ?? 3);
const seconds = Number(option("--seconds") ?? 5);
// INFO logging to a file, one access line per request, as nova-api ran in PERF.md.
const LOG_FILE = "novalet.log";

function option(name: string): string | null {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] ?? null : null;
}

async function startHello(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = 30000 + Math.floor(Math.random() * 20000);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--allow-net=127.0.0.1:${port}`,
      new URL("./hello.ts", import.meta.url).pathname,
      String(port),
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}/`;
  await waitFor(url);
  return {
    url,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

async function waitFor(url: string, timeoutMs = 20000): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.status < 500) return performance.now() - start;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${url} did not answer`);
}

function keystoneConfig(f: Fixtures): string {
  return `[api]\nauth_strategy = keystone\n[keystone_authtoken]\nauth_url = ${f.auth_url}\n` +
    `auth_type = password\nusername = nova\npassword = ${f.users.nova.password}\n` +
    `user_domain_name = Default\nproject_name = service\nproject_domain_name = Default\n`;
}

/** The novalet instances the chosen scenarios need, with per-kind extra headers. */
async function startServers(
  kinds: Set<ServerKind>,
): Promise<Map<ServerKind, { n: Novalet; headers: Record<string, string> }>> {
  const servers = new Map<ServerKind, { n: Novalet; headers: Record<string, string> }>();
  if (kinds.has("noauth2")) {
    const n = await startNovalet({
      config: "[novalet]\nseed_flavors = false\n",
      logFile: LOG_FILE,
    });
    await seedNoauth2(n);
    servers.set("noauth2", { n, headers: {} });
  }
  if (kinds.has("keystone")) {
    if (!(await keystoneAnswers()) && !(await ensureKeystone().then(() => true, () => false))) {
      console.log("(Keystone does not answer: keystone scenarios skipped)");
    } else {
      const fixtures = await ensureKeystone();
      const n = await startNovalet({ config: keystoneConfig(fixtures), logFile: LOG_FILE });
      const token = await issueToken(fixtures, "admin");
      servers.set("keystone", { n, headers: { "X-Auth-Token": token } });
    }
  }
  return servers;
}

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  scenario: Scenario | null;
  results: WrkResult[];
}

async function throughput(targets: Target[]): Promise<Map<string, number>> {
  for (const t of targets) {
    await wrk(t.url, { threads: 1, connections: 4, seconds: 1, headers: t.headers });
  }
  for (let r = 0; r < rounds; r++) {
    for (const t of targets) t.results.push(await wrk(t.url, { seconds, headers: t.headers }));
  }
  const rps = new Map(targets.map((t) => [t.name, median(t.results.map((x) => x.rps))]));
  const base = rps.get(targets[0].name)!;
  console.log(`\nwrk -t2 -c64 -d${seconds}s, medians of ${rounds} interleaved rounds`);
  console.log(
    pad("target", 46) + pad("req/s", 10) + pad("p50 ms", 9) + pad("p99 ms", 9) + pad("÷ bare", 8) +
      pad("× nova", 8) + "target",
  );
  for (const t of targets) {
    const r = rps.get(t.name)!;
    const errors = t.results.reduce((n, x) => n + x.errors, 0);
    const nova = t.scenario?.nova ? `${(r / t.scenario.nova).toFixed(0)}×` : "";
    console.log(
      pad(t.name, 46) + pad(r.toFixed(0), 10) + pad(
        median(t.results.map((x) => x.p50ms)).toFixed(2),
        9,
      ) +
        pad(median(t.results.map((x) => x.p99ms)).toFixed(2), 9) +
        pad(`${((r / base) * 100).toFixed(0)}%`, 8) +
        pad(nova, 8) + (t.scenario?.target ?? "") + (errors ? `  (${errors} errors)` : ""),
    );
  }
  return rps;
}

function keystoneRatio(rps: Map<string, number>): void {
  const noauth = rps.get("GET /v2.1/flavors (noauth2)");
  const keystone = rps.get("GET /v2.1/flavors (keystone, cached token)");
  if (noauth && keystone) {
    console.log(
      `keystone with a cached token: ${
        ((keystone / noauth) * 100).toFixed(0)
      }% of noauth2 (target ≥ 85%)`,
    );
  }
}

/** One start of `deno run main.ts` with `confPath`: milliseconds from spawn to the first answer on GET /. */
async function timeStart(confPath: string, port: number): Promise<number> {
  const t0 = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      new URL("../main.ts", import.meta.url).pathname,
      "--config-file",
      confPath,
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  await waitFor(`http://127.0.0.1:${port}/`);
  const ms = performance.now() - t0;
  child.kill("SIGTERM");
  await child.status;
  return ms;
}

/** Start-up on an existing database, as PERF.md measured nova-api (after one start that creates it). */
async function startup(runs = 5): Promise<void> {
  const stateDir = Deno.makeTempDirSync();
  const port = 20000 + Math.floor(Math.random() * 12000);
  const confPath = `${stateDir}/b.conf`;
  Deno.writeTextFileSync(
    confPath,
    `[DEFAULT]\nstate_path = ${stateDir}\nosapi_compute_listen_port = ${port}\nenabled_apis = osapi_compute\n` +
      `log_file = ${stateDir}/novalet.log\n`,
  );
  const first = await timeStart(confPath, port);
  const measured: number[] = [];
  for (let i = 0; i < runs; i++) measured.push(await timeStart(confPath, port));
  console.log(
    `\nstart-up, spawn of deno run main.ts to first answer on GET /, existing database (${runs} runs): median ` +
      `${median(measured).toFixed(0)} ms [${measured.map((m) => m.toFixed(0)).join(", ")}] ` +
      `(first start, creating the database: ${
        first.toFixed(0)
      } ms); target < 100 ms; nova-api 1440 ms`,
  );
}

async function memory(): Promise<void> {
  const n = await startNovalet({ logFile: LOG_FILE });
  try {
    const before = rssKb(n.pid);
    let sent = 0;
    const worker = async () => {
      while (sent < 10000) {
        sent++;
        const res = await fetch(`${n.url}${sent % 2 ? "/" : "/v2.1/"}`);
        await res.body?.cancel();
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const after = rssKb(n.pid);
    console.log(
      `\nRSS of novalet (deno run): ${(before / 1024).toFixed(1)} MB at start, ${
        (after / 1024).toFixed(1)
      } MB after ` +
        `10,000 requests; target < 60 MB; nova-api 318 MB (parent + worker)`,
    );
  } finally {
    await n.stop();
  }
}

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(Deno.readTextFileSync(`/proc/${pid}/status`))?.[1] ?? NaN);
}

function pad(s: string, n: number): string {
  return s.length >= n ? s + " " : s + " ".repeat(n - s.length);
}

async function main(): Promise<void> {
  if (!(await haveWrk())) {
    console.error("bench needs wrk (Debian: apt-get install wrk)");
    Deno.exit(2);
  }
  const scenarios = SCENARIOS.filter((s) => s.name.includes(filter));
  console.log(`novalet bench on ${Deno.build.target}, deno ${Deno.version.deno}`);
  const hello = await startHello();
  const servers = await startServers(new Set(scenarios.map((s) => s.server)));
  try {
    const targets: Target[] = [{
      name: "bare Deno.serve hello",
      url: hello.url,
      headers: {},
      scenario: null,
      results: [],
    }];
    for (const s of scenarios) {
      const server = servers.get(s.server);
      if (server) {
        targets.push({
          name: s.name,
          url: server.n.url + s.path,
          headers: { ...s.headers, ...server.headers },
          scenario: s,
          results: [],
        });
      }
    }
    if (targets.length > 1) keystoneRatio(await throughput(targets));
  } finally {
    for (const { n } of servers.values()) await n.stop();
    await hello.stop();
  }
  if (!filter || "startup".includes(filter)) await startup();
  if (!filter || "memory".includes(filter)) await memory();
}

await main();
