/**
 * The shape of a bench run's results (results.json), and the medians over
 * rounds every table and the chart read.
 *
 * @module
 */

import type { LoadResult, Tool } from "./load.ts";
import type { Machine, Memory } from "./procs.ts";
import type { Role } from "./scenarios.ts";
import type { CreateFigures, FillBatch } from "./servers.ts";
import type { StartupFigures } from "./startup.ts";

/** Medians over rounds (each percentile on its own). */
export interface Medians {
  rps: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  cpuMsPerReq: number | null;
  cpuCores: number | null;
  /** Summed over rounds. */
  errors: number;
  curve: [number, number][];
}

/** Every round of one scenario on one server at one concurrency. */
export interface TargetRuns {
  scenario: string;
  title: string;
  role: Role;
  connections: number;
  /** Offered load in req/s over all connections (each waits between requests), or none. */
  paceRps?: number;
  runs: LoadResult[];
  median: Medians;
}

/** One target of the issues, checked. */
export interface Check {
  issue: string;
  target: string;
  measured: string;
  /** null: not measured in this run. */
  pass: boolean | null;
}

/** nova-api's memory (kB), parent + worker. */
export interface NovaMemory {
  pids: number[];
  afterSeed: Memory;
  afterLoad: Memory | null;
  settled: Memory | null;
}

export interface Results {
  schema: 1;
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  loadAverage: { start: number[]; rounds: number[] | null; end: number[] };
  versions: Record<string, string | null>;
  settings: {
    rounds: number;
    seconds: number;
    connections: number;
    threads: number;
    tool: Tool;
    filter: string[];
    novaRefUrl: string | null;
  };
  seeded: Record<string, unknown>;
  throughput: TargetRuns[];
  manyConnections: TargetRuns[];
  startup: {
    deno?: StartupFigures;
    bun?: StartupFigures;
    bare?: StartupFigures;
    bunBuildMs?: number;
  };
  /** RSS after the rounds, 30 s later, and after the 5,000-connection runs, per role. */
  memory: Partial<
    Record<Role, { afterLoad: Memory; settled?: Memory; afterManyConnections?: Memory }>
  >;
  nova: (NovaMemory & { startupS: number | null }) | null;
  creates: CreateFigures | null;
  /** RSS 2 s after the last create, after 30 s more idle, and after a restart. */
  servers10k: {
    servers: number;
    fillS: number;
    /** Creates per second and seconds to all ACTIVE, per batch of 1,000. */
    batches: FillBatch[];
    memory: Memory;
    settled: Memory;
    /** A fresh start on the 10,000 servers, after ten `GET /v2.1/servers/detail?limit=1000`. */
    restarted: Memory;
  } | null;
  targets: Check[];
  notes: string[];
}

export function median(values: number[]): number {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Medians of a target's rounds. */
export function medians(runs: LoadResult[]): Medians {
  const m = (f: (r: LoadResult) => number | null) => median(runs.map((r) => f(r) ?? NaN));
  const cpu = m((r) => r.cpuMsPerReq);
  const cores = m((r) => r.cpuCores);
  return {
    rps: m((r) => r.rps),
    mean: m((r) => r.mean),
    p50: m((r) => r.p50),
    p90: m((r) => r.p90),
    p99: m((r) => r.p99),
    p999: m((r) => r.p999),
    max: m((r) => r.max),
    cpuMsPerReq: Number.isFinite(cpu) ? cpu : null,
    cpuCores: Number.isFinite(cores) ? cores : null,
    errors: runs.reduce((n, r) => n + r.errors, 0),
    curve: (runs[0]?.curve ?? []).map(([p], i) => [p, median(runs.map((r) => r.curve[i][1]))]),
  };
}
