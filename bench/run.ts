/**
 * `deno task bench [FILTER...] [options]`: novalet's benchmarks, each beside
 * a bare Deno.serve hello world measured in the same run and beside a live
 * nova-api when NOVA_REF_URL points at one (else PERF.md's figures).
 *
 * FILTER picks scenarios and phases by substring of their ids: root, v2.1,
 * flavors-detail, keypairs, servers-empty, servers-1000, keystone-flavors,
 * c5000, creates, servers-10k, startup (start-up and RSS of deno run and the
 * bun executable). `deno task bench flavors` runs every flavors scenario.
 *
 * Options: --rounds N (5), --seconds S (5), --connections C (64),
 * --threads T (2), --tool wrk|loadgen (wrk when installed), --starts N (5),
 * --creates N (500), --no-bun, --quiet-wait MINUTES (wait up to that long
 * for a 1-minute load average below 0.5), --out DIR (a full run writes
 * bench/results/<date>-<machine>/), --no-write.
 *
 * Results: results.json, results.md and latency.svg in the output folder;
 * the Markdown is also printed. All traffic stays on 127.0.0.1.
 *
 * @module
 */

import { latencyChart } from "./chart.ts";
import { buildBun, type Running } from "./fleet.ts";
import type { Tool } from "./load.ts";
import { parseOptions, selects } from "./options.ts";
import {
  type Bench,
  manyConnections,
  memoryAfterRounds,
  rolesNeeded,
  rounds,
  serversPhases,
  startFleet,
  targetsFor,
  tenThousand,
} from "./phases.ts";
import { loadAverage, machine } from "./procs.ts";
import { markdown } from "./report.ts";
import type { Results } from "./results.ts";
import type { Role } from "./scenarios.ts";
import { startup } from "./startup.ts";
import { checkTargets } from "./targets.ts";
import { cleanUpWrk, ensureWrk } from "./wrk.ts";

const opts = parseOptions(Deno.args);
const log = (line: string) => console.error(line);

async function versions(wrk: string | null): Promise<Record<string, string | null>> {
  const bun = await new Deno.Command("bun", { args: ["--version"], stdout: "piped" }).output()
    .then((o) => new TextDecoder().decode(o.stdout).trim(), () => null);
  // The Debian package a live nova-ref runs.
  const nova = Deno.env.get("NOVA_REF_URL")
    ? await new Deno.Command("dpkg-query", {
      args: ["-W", "-f=${Version}", "nova-api"],
      stdout: "piped",
      stderr: "null",
    }).output().then((o) => new TextDecoder().decode(o.stdout).trim() || null, () => null)
    : null;
  return {
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    bun,
    wrk,
    "nova-api": nova,
  };
}

async function quietWait(minutes: number): Promise<void> {
  const deadline = Date.now() + minutes * 60_000;
  while (Date.now() < deadline && loadAverage()[0] >= 0.5) {
    log(`waiting for a quiet machine: load average ${loadAverage().join(", ")}`);
    await new Promise((r) => setTimeout(r, 15_000));
  }
}

function outDir(r: Results): string | null {
  if (!opts.write) return null;
  if (opts.out) return opts.out;
  if (opts.filter.length) return null; // subsets print only, unless --out
  return new URL(`./results/${r.startedAt.slice(0, 10)}-${r.machine.slug}`, import.meta.url)
    .pathname;
}

function write(r: Results): void {
  const dir = outDir(r);
  const md = markdown(r);
  console.log(md);
  if (!dir) return;
  Deno.mkdirSync(dir, { recursive: true });
  Deno.writeTextFileSync(`${dir}/results.json`, JSON.stringify(r, null, 1) + "\n");
  Deno.writeTextFileSync(`${dir}/results.md`, md);
  const svg = latencyChart(r);
  if (svg) Deno.writeTextFileSync(`${dir}/latency.svg`, svg);
  console.log(`written to ${dir}/ (results.json, results.md${svg ? ", latency.svg" : ""})`);
}

/** Start-up and memory of the hello world, deno run and the bun executable (first, on a quiet machine). */
async function startups(b: Bench, bunExe: string | null): Promise<void> {
  log("start-up: bare Deno.serve ...");
  b.results.startup.bare = await startup("bare", opts.starts, b.tool);
  log("start-up: deno run ...");
  b.results.startup.deno = await startup("deno", opts.starts, b.tool);
  if (bunExe) {
    log("start-up: bun executable ...");
    b.results.startup.bun = await startup(bunExe, opts.starts, b.tool);
  }
}

const NOTES = [
  "nova-ref has no compute service (no scheduler, conductor or hypervisor): a create there " +
  "cannot reach ACTIVE, so the servers figures (creates, 1,000 and 10,000 servers) are novalet's alone.",
  "The load generator runs on the same cores as the servers; figures are what this machine does " +
  "with the generator on it (as in PERF.md).",
];

async function main(): Promise<void> {
  if (opts.help) {
    console.log(
      "deno task bench [FILTER...] [--rounds N] [--seconds S] [--connections C] " +
        "[--threads T] [--tool wrk|loadgen] [--starts N] [--creates N] [--no-bun] " +
        "[--quiet-wait MINUTES] [--out DIR] [--no-write]; see bench/README.md",
    );
    return;
  }
  if (opts.quietWait) await quietWait(opts.quietWait);
  const m = machine();
  const wrkVersion = opts.tool === "loadgen" ? null : await ensureWrk();
  const tool: Tool = opts.tool ?? (wrkVersion ? "wrk" : "loadgen");
  const results: Results = {
    schema: 1,
    startedAt: new Date().toISOString(),
    finishedAt: "",
    machine: m,
    loadAverage: { start: loadAverage(), rounds: null, end: [] },
    versions: await versions(tool === "wrk" ? wrkVersion : null),
    settings: {
      rounds: opts.rounds,
      seconds: opts.seconds,
      connections: opts.connections,
      threads: opts.threads,
      tool,
      filter: opts.filter,
      novaRefUrl: Deno.env.get("NOVA_REF_URL") ?? null,
    },
    seeded: {},
    throughput: [],
    manyConnections: [],
    startup: {},
    memory: {},
    nova: null,
    creates: null,
    servers10k: null,
    targets: [],
    notes: [...NOTES],
  };
  log(
    `novalet bench on ${m.cpu} × ${m.cores}, load average ${
      results.loadAverage.start.join(", ")
    }, ${tool}`,
  );
  const roles = rolesNeeded(opts);
  const b: Bench = { opts, tool, results, fleet: new Map<Role, Running>() };
  const tmp = Deno.makeTempDirSync({ prefix: "novalet-bench-" });
  try {
    let bunExe: string | null = null;
    if (opts.bun && (roles.has("bun") || selects(opts, "startup"))) {
      const built = await buildBun(tmp);
      bunExe = built.path;
      results.startup.bunBuildMs = built.buildMs;
    }
    if (selects(opts, "startup")) await startups(b, bunExe);
    await startFleet(b, roles, bunExe);
    await serversPhases(b);
    results.throughput = targetsFor(b);
    results.loadAverage.rounds = loadAverage();
    if (results.throughput.length > 1) {
      await rounds(b, results.throughput);
      await memoryAfterRounds(b);
    } else results.throughput = [];
    await manyConnections(b);
    await tenThousand(b);
  } finally {
    for (const r of b.fleet.values()) await r.stop();
    cleanUpWrk();
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
  results.loadAverage.end = loadAverage();
  results.finishedAt = new Date().toISOString();
  results.targets = checkTargets(results);
  if (!results.nova && roles.size) {
    results.notes.push(
      "NOVA_REF_URL was not set: nova-api's figures are PERF.md's (another machine and run). For a live " +
        "comparison: NOVA_REF_STATE=/tmp/nova-ref-bench ../shared/reference/nova26/nova-ref/start.sh --fresh, " +
        "then NOVA_REF_URL=http://127.0.0.1:18774 NOVA_REF_STATE=/tmp/nova-ref-bench deno task bench, " +
        "then nova-ref/stop.sh with the same NOVA_REF_STATE.",
    );
  }
  write(results);
}

await main();
