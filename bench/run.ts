/**
 * `deno task bench [FILTER] [--rounds N] [--seconds S]`: novalet against a
 * bare Deno.serve hello world measured in the same run, rounds interleaved
 * so that the machine's noise hits every target alike; medians over rounds.
 *
 * Prints req/s with p50/p99 per target and the ratio to the bare server,
 * then the time from spawn to the first answer, then the RSS after 10,000
 * requests, each beside nova-api's figures (../shared/reference/nova26/PERF.md)
 * and the target. All traffic stays on 127.0.0.1.
 *
 * @module
 */

import { type Novalet, startNovalet } from "../tests/_server.ts";
import { haveWrk, median, wrk, type WrkResult } from "./wrk.ts";
import { type Scenario, SCENARIOS } from "./scenarios.ts";

const args = Deno.args;
const filter = args.find((a) => !a.startsWith("--") && !/^\d+$/.test(a)) ?? "";
const rounds = Number(option("--rounds") ?? 3);
const seconds = Number(option("--seconds") ?? 5);

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
  await waitFor(url, {});
  return {
    url,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

async function waitFor(
  url: string,
  headers: Record<string, string>,
  timeoutMs = 20000,
): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    try {
      const res = await fetch(url, { headers });
      await res.body?.cancel();
      if (res.status < 500) return performance.now() - start;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${url} did not answer`);
}

interface Target {
  scenario: Scenario;
  url: string;
  results: WrkResult[];
}

async function throughput(
  novalet: Novalet,
  helloUrl: string,
  scenarios: Scenario[],
): Promise<void> {
  const hello: Target = {
    scenario: { name: "bare Deno.serve hello", path: "/", nova: null, target: null },
    url: helloUrl,
    results: [],
  };
  const targets: Target[] = [
    hello,
    ...scenarios.map((s) => ({ scenario: s, url: novalet.url + s.path, results: [] })),
  ];
  for (const t of targets) {
    await wrk(t.url, { threads: 1, connections: 4, seconds: 1, headers: t.scenario.headers });
  }
  for (let r = 0; r < rounds; r++) {
    for (const t of targets) {
      t.results.push(await wrk(t.url, { seconds, headers: t.scenario.headers }));
    }
  }
  const base = median(hello.results.map((x) => x.rps));
  console.log(`\nwrk -t2 -c64 -d${seconds}s, medians of ${rounds} interleaved rounds`);
  console.log(
    pad("target", 44) + pad("req/s", 10) + pad("p50 ms", 9) + pad("p99 ms", 9) + pad("÷ bare", 9) +
      pad("× nova", 9) + "target",
  );
  for (const t of targets) {
    const rps = median(t.results.map((x) => x.rps));
    const p50 = median(t.results.map((x) => x.p50ms));
    const p99 = median(t.results.map((x) => x.p99ms));
    const errors = t.results.reduce((n, x) => n + x.errors, 0);
    const vsNova = t.scenario.nova ? `${(rps / t.scenario.nova).toFixed(0)}×` : "";
    console.log(
      pad(t.scenario.name, 44) + pad(rps.toFixed(0), 10) + pad(p50.toFixed(2), 9) +
        pad(p99.toFixed(2), 9) +
        pad(`${((rps / base) * 100).toFixed(0)}%`, 9) + pad(vsNova, 9) + (t.scenario.target ?? "") +
        (errors ? `  (${errors} errors)` : ""),
    );
  }
}

async function startup(runs = 5): Promise<void> {
  // From spawning `deno run main.ts` to the first answer on GET /, polled every 5 ms.
  const measured: number[] = [];
  for (let i = 0; i < runs; i++) {
    const stateDir = Deno.makeTempDirSync();
    const port = 30000 + Math.floor(Math.random() * 20000);
    Deno.writeTextFileSync(
      `${stateDir}/b.conf`,
      `[DEFAULT]\nstate_path = ${stateDir}\nosapi_compute_listen_port = ${port}\n`,
    );
    const t0 = performance.now();
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-all",
        new URL("../main.ts", import.meta.url).pathname,
        "--config-file",
        `${stateDir}/b.conf`,
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    await waitFor(`http://127.0.0.1:${port}/`, {});
    measured.push(performance.now() - t0);
    child.kill("SIGTERM");
    await child.status;
  }
  console.log(
    `\nstart-up, spawn of deno run main.ts to first answer on GET / (${runs} runs): median ` +
      `${median(measured).toFixed(0)} ms [${
        measured.map((m) => m.toFixed(0)).join(", ")
      }]; target < 100 ms; nova-api 1440 ms`,
  );
}

async function memory(): Promise<void> {
  const n = await startNovalet({ config: SCENARIO_CONFIG, logFile: LOG_FILE });
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
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
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
  const novalet = await startNovalet({ config: SCENARIO_CONFIG, logFile: LOG_FILE });
  try {
    for (const s of scenarios) await s.setup?.(novalet);
    await throughput(novalet, hello.url, scenarios);
  } finally {
    await novalet.stop();
    await hello.stop();
  }
  if (!filter || "startup".includes(filter)) await startup();
  if (!filter || "memory".includes(filter)) await memory();
}

// INFO logging to a file, one access line per request, as nova-api ran in PERF.md.
const SCENARIO_CONFIG = SCENARIOS.map((s) => s.config ?? "").join("\n");
const LOG_FILE = "novalet.log";

await main();
