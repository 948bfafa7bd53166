/**
 * The issues' performance targets, checked against one run's results. A
 * ratio to nova-api uses the live nova of the same run when NOVA_REF_URL
 * was set, else PERF.md's figure (another machine and run: indicative).
 *
 * @module
 */

import type { Memory } from "./procs.ts";
import { type Check, median, type Results, type TargetRuns } from "./results.ts";
import { PERF_NOVA, type Role, SCENARIOS } from "./scenarios.ts";

function find(r: Results, scenario: string, role: Role, connections = 64): TargetRuns | undefined {
  return [...r.throughput, ...r.manyConnections].find((t) =>
    t.scenario === scenario && t.role === role && t.connections === connections
  );
}

const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;
const x = (v: number) => `${v >= 10 ? v.toFixed(0) : v.toFixed(1)}×`;

/** nova's req/s for a scenario: live, else PERF.md's; and which. */
function novaRps(r: Results, scenario: string): { rps: number; live: boolean } | null {
  const live = find(r, scenario, "nova");
  if (live) return { rps: live.median.rps, live: true };
  const perf = SCENARIOS.find((s) => s.id === scenario)?.perf;
  return perf ? { rps: perf.rps, live: false } : null;
}

function vsNova(r: Results, scenario: string, min: number, issue: string): Check {
  const ours = find(r, scenario, "deno");
  const nova = novaRps(r, scenario);
  const title = SCENARIOS.find((s) => s.id === scenario)!.title;
  const target = `${title}: ≥ ${min}× nova-api's req/s`;
  if (!ours || !nova) return { issue, target, measured: "not measured", pass: null };
  const ratio = ours.median.rps / nova.rps;
  return {
    issue,
    target,
    measured: `${x(ratio)} (${ours.median.rps.toFixed(0)} vs ${nova.rps.toFixed(0)} req/s` +
      `${nova.live ? "" : ", nova from PERF.md"})`,
    pass: ratio >= min,
  };
}

function below(
  issue: string,
  target: string,
  value: number | undefined,
  max: number,
  text: string,
) {
  return value === undefined || !Number.isFinite(value)
    ? { issue, target, measured: "not measured", pass: null }
    : { issue, target, measured: text, pass: value < max };
}

function startupChecks(r: Results): Check[] {
  const out: Check[] = [];
  for (const [kind, name] of [["deno", "deno run"], ["bun", "bun executable"]] as const) {
    const s = r.startup[kind];
    const ms = s ? median(s.startsMs) : undefined;
    out.push(below(
      "2",
      `first answer < 100 ms after start (${name})`,
      ms,
      100,
      `${ms?.toFixed(0)} ms (median of ${s?.startsMs.length})`,
    ));
    const kb = s?.after10k.rssKb;
    out.push(
      below("2", `RSS < 60 MB after 10,000 requests (${name})`, kb, 60 * 1024, mb(kb ?? 0)),
    );
  }
  return out;
}

function pipelineCheck(r: Results): Check {
  const ours = find(r, "root", "deno");
  const bare = find(r, "root", "bare");
  const target = "GET / full pipeline ≥ 50% of bare Deno.serve req/s";
  if (!ours || !bare) return { issue: "2, 8", target, measured: "not measured", pass: null };
  const share = ours.median.rps / bare.median.rps;
  return {
    issue: "2, 8",
    target,
    measured: `${(share * 100).toFixed(0)}% (${ours.median.rps.toFixed(0)} vs ` +
      `${bare.median.rps.toFixed(0)} req/s)`,
    pass: share >= 0.5,
  };
}

function serversChecks(r: Results): Check[] {
  const list = find(r, "servers-1000", "servers");
  const c = r.creates;
  const k = r.servers10k;
  return [
    {
      issue: "4",
      target: "GET /v2.1/servers/detail, 1,000 servers at limit 1000: ≥ 200 req/s",
      measured: list ? `${list.median.rps.toFixed(0)} req/s` : "not measured",
      pass: list ? list.median.rps >= 200 : null,
    },
    {
      issue: "4",
      target: `${c?.count ?? 500} creates all ACTIVE within 10 s`,
      measured: c
        ? (c.allActiveS === null ? "not all ACTIVE" : `${c.allActiveS.toFixed(2)} s`) +
          (c.errorServers ? `, ${c.errorServers} in ERROR` : "")
        : "not measured",
      pass: c ? c.allActiveS !== null && c.allActiveS <= 10 && c.errorServers === 0 : null,
    },
    below(
      "4",
      "RSS < 120 MB with 10,000 servers stored (the process that created them)",
      k ? k.memory.rssKb : undefined,
      120 * 1024,
      k ? `${mb(k.memory.rssKb)} 2 s after the last create, ${mb(k.settled.rssKb)} 30 s later` : "",
    ),
    below(
      "4",
      "RSS < 120 MB with 10,000 servers stored (restarted on them, after 10 lists of 1,000)",
      k ? k.restarted.rssKb : undefined,
      120 * 1024,
      k ? mb(k.restarted.rssKb) : "",
    ),
  ];
}

function keystoneCheck(r: Results): Check {
  const ks = find(r, "keystone-flavors", "keystone");
  const noauth = find(r, "keystone-flavors", "deno");
  const target = "keystone cached-token GET /v2.1/flavors ≥ 85% of noauth2";
  if (!ks || !noauth) return { issue: "3", target, measured: "not measured", pass: null };
  const share = ks.median.rps / noauth.median.rps;
  return {
    issue: "3",
    target,
    measured: `${(share * 100).toFixed(0)}% (${ks.median.rps.toFixed(0)} vs ` +
      `${noauth.median.rps.toFixed(0)} req/s)`,
    pass: share >= 0.85,
  };
}

function connectionsCheck(r: Results, paced: boolean): Check {
  const of = (c: number) =>
    r.manyConnections.find((t) =>
      t.role === "deno" && t.connections === c && !!t.paceRps === paced
    );
  const many = of(5000), few = of(64);
  const target = "p99 under 5,000 connections ≤ 10× its p99 under 64" +
    (paced ? ` (paced: ${many?.paceRps ?? 5000} req/s offered)` : " (closed loop, saturated)");
  if (!many || !few) return { issue: "8", target, measured: "not measured", pass: null };
  const ratio = many.median.p99 / few.median.p99;
  return {
    issue: "8",
    target,
    measured: `${x(ratio)} (${many.median.p99.toFixed(1)} vs ${few.median.p99.toFixed(1)} ms; ` +
      `${many.median.errors} errors)`,
    pass: ratio <= 10 && many.median.errors === 0,
  };
}

function memoryVsNova(r: Results): Check {
  const ours: Memory | undefined = r.memory.deno?.afterLoad;
  const live = r.nova?.afterLoad ?? null;
  const novaKb = live ? live.rssKb : PERF_NOVA.afterLoad.rssKb;
  const target = "RSS ≤ 1/5 of nova-api's (parent + worker) after the same load";
  if (!ours) return { issue: "8", target, measured: "not measured", pass: null };
  const share = ours.rssKb / novaKb;
  const oursLater = r.memory.deno?.settled, novaLater = r.nova?.settled;
  const later = oursLater && novaLater
    ? `; 30 s later 1/${(novaLater.rssKb / oursLater.rssKb).toFixed(1)} ` +
      `(${mb(oursLater.rssKb)} vs ${mb(novaLater.rssKb)})`
    : "";
  return {
    issue: "8",
    target,
    measured: `1/${(1 / share).toFixed(1)} right after (${mb(ours.rssKb)} vs ${mb(novaKb)}` +
      `${live ? "" : ", nova from PERF.md"})${later}`,
    pass: share <= 0.2,
  };
}

/** Every target the issues set, in the order the report lists them. */
export function checkTargets(r: Results): Check[] {
  return [
    pipelineCheck(r),
    ...startupChecks(r),
    vsNova(r, "flavors-detail", 50, "4"),
    vsNova(r, "flavors-detail", 100, "8"),
    vsNova(r, "servers-empty", 100, "4, 8"),
    ...serversChecks(r),
    keystoneCheck(r),
    connectionsCheck(r, false),
    connectionsCheck(r, true),
    memoryVsNova(r),
  ];
}
