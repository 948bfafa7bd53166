/**
 * The phases of a bench run, in the order bench/run.ts runs them: the
 * servers it needs (the fleet), the servers scenarios, the interleaved
 * rounds and the memory read after them, the 5,000-connection rounds, and
 * the 10,000 servers.
 *
 * @module
 */

import {
  connectNova,
  type Running,
  startBare,
  startKeystone,
  startNoauth,
  startServers,
} from "./fleet.ts";
import { measure, type Tool } from "./load.ts";
import { type Options, selects } from "./options.ts";
import { memory, memorySum } from "./procs.ts";
import { medians, type Results, type TargetRuns } from "./results.ts";
import { MANY_CONNECTIONS, type Role, SCENARIOS } from "./scenarios.ts";
import { createServers, fillServers } from "./servers.ts";

/** A run in progress: what was asked, with which generator, what is running, what came out. */
export interface Bench {
  opts: Options;
  tool: Tool;
  results: Results;
  fleet: Map<Role, Running>;
}

const log = (line: string) => console.error(line);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Which roles the chosen scenarios need (the bare hello world whenever any is loaded). */
export function rolesNeeded(opts: Options): Set<Role> {
  const roles = new Set<Role>();
  for (const s of SCENARIOS) if (selects(opts, s.id)) s.roles.forEach((r) => roles.add(r));
  if (selects(opts, MANY_CONNECTIONS.id)) MANY_CONNECTIONS.roles.forEach((r) => roles.add(r));
  if (selects(opts, "creates") || selects(opts, "servers-10k")) roles.add("servers");
  if (!opts.bun) roles.delete("bun");
  if (!Deno.env.get("NOVA_REF_URL")) roles.delete("nova");
  if (roles.size) roles.add("bare");
  return roles;
}

function target(scenario: string, title: string, role: Role, connections: number): TargetRuns {
  return { scenario, title, role, connections, runs: [], median: null! };
}

/** The targets of the rounds: the bare hello world (GET /) first, then each scenario's servers. */
export function targetsFor(b: Bench): TargetRuns[] {
  const c = b.opts.connections;
  const out: TargetRuns[] = [];
  if (b.fleet.has("bare")) out.push(target("root", "GET /", "bare", c));
  for (const s of SCENARIOS) {
    if (!selects(b.opts, s.id)) continue;
    for (const role of s.roles) {
      if (b.fleet.has(role) && role !== "bare") out.push(target(s.id, s.title, role, c));
    }
  }
  return out;
}

function urlOf(b: Bench, t: TargetRuns): { url: string; headers: Record<string, string> } {
  const server = b.fleet.get(t.role)!;
  const scenario = SCENARIOS.find((s) => s.id === t.scenario);
  const path = t.role === "bare" ? "/" : (scenario?.path ?? MANY_CONNECTIONS.path);
  const token = t.role !== "bare" && (scenario?.token ?? true);
  return { url: server.url + path, headers: token ? { "X-Auth-Token": server.token } : {} };
}

/** Warm-up (2 s each), then interleaved rounds of every target, `seconds` each; medians. */
export async function rounds(b: Bench, targets: TargetRuns[], seconds = b.opts.seconds) {
  for (const t of targets) {
    await measure({ ...urlOf(b, t), connections: 4, threads: 1, seconds: 2 }, { tool: b.tool });
  }
  for (let r = 1; r <= b.opts.rounds; r++) {
    for (const t of targets) {
      // Paced: each connection waits its share of a second between requests.
      const delayMs = t.paceRps ? Math.round((t.connections / t.paceRps) * 1000) : undefined;
      const run = await measure(
        { ...urlOf(b, t), connections: t.connections, threads: b.opts.threads, seconds, delayMs },
        { tool: b.tool, pids: b.fleet.get(t.role)!.pids },
      );
      t.runs.push(run);
      log(
        `round ${r}/${b.opts.rounds} ${t.title} | ${t.role} c${t.connections}` +
          `${t.paceRps ? ` paced ${t.paceRps}/s` : ""}: ` +
          `${run.rps.toFixed(0)} req/s, p50 ${run.p50.toFixed(3)} p99 ${run.p99.toFixed(3)} ` +
          `p99.9 ${run.p999.toFixed(3)} ms${run.errors ? `, ${run.errors} errors` : ""}`,
      );
    }
  }
  for (const t of targets) t.median = medians(t.runs);
}

/** Starts (or, for nova, finds and seeds) the servers of `roles`. */
export async function startFleet(b: Bench, roles: Set<Role>, bunExe: string | null) {
  const add = (r: Running | null) => r && b.fleet.set(r.role, r);
  if (roles.has("bare")) add(await startBare());
  if (roles.has("deno")) add(await startNoauth("deno"));
  if (roles.has("bun") && bunExe) add(await startNoauth("bun", bunExe));
  if (roles.has("servers")) add(await startServers());
  if (roles.has("keystone")) {
    const ks = await startKeystone();
    if (!ks) b.results.notes.push("Keystone did not answer: the keystone scenario was skipped.");
    add(ks);
  }
  const novaUrl = Deno.env.get("NOVA_REF_URL");
  if (roles.has("nova") && novaUrl) {
    const nova = await connectNova(novaUrl);
    b.results.seeded.nova = nova.seeded;
    b.results.nova = {
      pids: nova.pids,
      afterSeed: memorySum(nova.pids),
      afterLoad: null,
      settled: null,
      startupS: novaStartup(),
    };
    add(nova);
    await compareBodies(b);
  }
}

/** Notes whether novalet and nova-api answer each compared scenario with bodies of one size. */
async function compareBodies(b: Bench): Promise<void> {
  const ours = b.fleet.get("deno"), nova = b.fleet.get("nova");
  if (!ours || !nova) return;
  const sizes: string[] = [];
  for (const s of SCENARIOS.filter((s) => s.roles.includes("nova") && selects(b.opts, s.id))) {
    const size = async (r: Running) => {
      const res = await fetch(r.url + s.path, { headers: { "X-Auth-Token": r.token } });
      return `${res.status} ${(await res.arrayBuffer()).byteLength}`;
    };
    const [a, n] = [await size(ours), await size(nova)];
    sizes.push(a === n ? `${s.path} ${a} B` : `${s.path} novalet ${a} B, nova-api ${n} B`);
  }
  b.results.notes.push(`Answers compared (status, body bytes): ${sizes.join("; ")}.`);
}

/** start.sh's own measurement of the running nova-ref (NOVA_REF_STATE, default /tmp/nova-ref). */
function novaStartup(): number | null {
  const state = Deno.env.get("NOVA_REF_STATE") ?? "/tmp/nova-ref";
  try {
    return Number(Deno.readTextFileSync(`${state}/startup_s`).trim()) || null;
  } catch {
    return null;
  }
}

/** The timed creates on a fresh database, then up to 1,000 servers for the list scenario. */
export async function serversPhases(b: Bench): Promise<void> {
  const servers = b.fleet.get("servers");
  if (!servers) return;
  let have = 0;
  if (selects(b.opts, "creates")) {
    log(`creating ${b.opts.creates} servers ...`);
    b.results.creates = await createServers(servers, b.opts.creates);
    have = b.opts.creates;
    log(`all ACTIVE after ${b.results.creates.allActiveS?.toFixed(2)} s`);
  }
  if (selects(b.opts, "servers-1000") && have < 1000) await fillServers(servers, have, 1000);
}

/** Every server's memory right after the rounds and 30 s later (nova: parent + worker). */
export async function memoryAfterRounds(b: Bench): Promise<void> {
  const read = (key: "afterLoad" | "settled") => {
    for (const [role, r] of b.fleet) {
      if (role === "nova") b.results.nova![key] = memorySum(r.pids);
      else (b.results.memory[role] ??= { afterLoad: memory(r.pids[0]) })[key] = memory(r.pids[0]);
    }
  };
  read("afterLoad");
  // What stays once V8 (and Python) had time to give garbage back.
  await sleep(30_000);
  read("settled");
}

/** GET /v2.1/flavors/detail at 64 and 5,000 connections, on novalet and the hello world. */
export async function manyConnections(b: Bench): Promise<void> {
  if (!selects(b.opts, MANY_CONNECTIONS.id)) return;
  const targets: TargetRuns[] = [];
  for (const pace of [undefined, MANY_CONNECTIONS.paceRps]) {
    for (const role of MANY_CONNECTIONS.roles) {
      if (!b.fleet.has(role)) continue;
      for (const c of MANY_CONNECTIONS.connections) {
        targets.push({
          ...target(MANY_CONNECTIONS.id, MANY_CONNECTIONS.title, role, c),
          paceRps: pace,
        });
      }
    }
  }
  // At least 10 s: the first seconds of a run at 5,000 connections go to connecting them.
  await rounds(b, targets, Math.max(10, b.opts.seconds));
  b.results.manyConnections = targets;
  for (const role of ["deno", "bare"] as const) {
    const r = b.fleet.get(role), m = b.results.memory[role];
    if (r && m) m.afterManyConnections = memory(r.pids[0]);
  }
}

/**
 * Creates up to 10,000 servers; RSS 2 s after, after 30 s more idle, and of
 * a fresh start on that database after ten lists of 1,000.
 */
export async function tenThousand(b: Bench): Promise<void> {
  const servers = b.fleet.get("servers");
  if (!servers || !selects(b.opts, "servers-10k")) return;
  const have = (selects(b.opts, "servers-1000") ? 1000 : 0) || (b.results.creates?.count ?? 0);
  log(`filling up to 10,000 servers from ${have} ...`);
  const t0 = performance.now();
  const batches = await fillServers(servers, have, 10_000);
  const fillS = (performance.now() - t0) / 1000;
  await sleep(2000);
  const after = memory(servers.pids[0]);
  // V8 gives the garbage of the creates back after a while idle (its memory reducer).
  await sleep(30_000);
  const settled = memory(servers.pids[0]);
  // What holding them takes, without the garbage of the creates: a fresh start on that database
  // that has answered the largest list (1,000 servers) ten times.
  await servers.restart!();
  for (let i = 0; i < 10; i++) {
    const res = await fetch(`${servers.url}/v2.1/servers/detail?limit=1000`, {
      headers: { "X-Auth-Token": servers.token },
    });
    await res.arrayBuffer();
  }
  await sleep(2000);
  const restarted = memory(servers.pids[0]);
  b.results.servers10k = { servers: 10_000, fillS, batches, memory: after, settled, restarted };
}
