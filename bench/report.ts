/**
 * The Markdown report of a bench run (printed, and written as results.md
 * beside results.json and latency.svg).
 *
 * @module
 */

import type { Memory } from "./procs.ts";
import { median, type Results, type TargetRuns } from "./results.ts";
import { MANY_CONNECTIONS, PERF_NOVA, ROLE_NAMES, SCENARIOS } from "./scenarios.ts";

const ms = (v: number) =>
  !Number.isFinite(v) ? "–" : v < 1 ? v.toFixed(3) : v < 100 ? v.toFixed(2) : v.toFixed(0);
const mb = (kb: number) => (kb / 1024).toFixed(1);
const x = (v: number) => `${v >= 10 ? v.toFixed(0) : v.toFixed(2)}×`;

function row(cells: (string | number)[]): string {
  return `| ${cells.join(" | ")} |`;
}

function header(r: Results): string[] {
  const m = r.machine;
  const la = (v: number[] | null) => v ? v.map((n) => n.toFixed(2)).join(", ") : "–";
  const s = r.settings;
  return [
    `# novalet bench, ${r.startedAt.slice(0, 10)} on ${m.slug}`,
    "",
    `- machine: ${m.cpu}, ${m.cores} cores, ${m.memoryMb} MB, Linux ${m.kernel} (${m.hostname})`,
    `- runtimes: ${
      Object.entries(r.versions).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(", ")
    }`,
    `- load average (1, 5, 15 min): ${la(r.loadAverage.start)} at start, ${
      la(r.loadAverage.rounds)
    } ` +
    `before the rounds, ${la(r.loadAverage.end)} at the end`,
    `- load: ${s.tool}, ${s.threads} threads, ${s.connections} connections, ${s.rounds} rounds of ` +
    `${s.seconds} s per target, rounds interleaved; medians of rounds` +
    (s.filter.length ? `; filter: ${s.filter.join(" ")}` : ""),
    `- nova-api: ${
      s.novaRefUrl
        ? `live at ${s.novaRefUrl} (nova-ref, 1 worker)`
        : `PERF.md's figures (${PERF_NOVA.source})`
    }`,
    "",
  ];
}

function checks(r: Results): string[] {
  const mark = (p: boolean | null) => p === null ? "–" : p ? "**pass**" : "**MISS**";
  return [
    "## Targets",
    "",
    row(["issue", "target", "measured", "result"]),
    row(["---", "---", "---", "---"]),
    ...r.targets.map((c) => row([c.issue, c.target, c.measured, mark(c.pass)])),
    "",
  ];
}

function throughputRows(r: Results, list: TargetRuns[]): string[] {
  const out: string[] = [];
  for (const t of list) {
    const bare = list.find((b) =>
      b.role === "bare" && b.connections === t.connections && b.paceRps === t.paceRps
    );
    const nova = r.throughput.find((n) => n.scenario === t.scenario && n.role === "nova");
    const perf = SCENARIOS.find((s) => s.id === t.scenario)?.perf;
    const vsNova = t.role === "nova" || t.role === "bare"
      ? ""
      : nova
      ? x(t.median.rps / nova.median.rps)
      : perf
      ? `${x(t.median.rps / perf.rps)} †`
      : "";
    const m = t.median;
    out.push(row([
      t.role === "bare" ? "GET / (hello)" : t.title,
      ROLE_NAMES[t.role] + (t.connections !== 64 ? `, ${t.connections} conn.` : "") +
      (t.paceRps ? `, paced ${t.paceRps} req/s` : ""),
      m.rps.toFixed(0),
      ms(m.p50),
      ms(m.p99),
      ms(m.p999),
      ms(m.max),
      bare && t !== bare ? `${((m.rps / bare.median.rps) * 100).toFixed(0)}%` : "",
      vsNova,
      m.cpuMsPerReq === null ? "–" : m.cpuMsPerReq.toFixed(3),
      (m.rps * m.mean / 1000 / t.connections).toFixed(2),
      String(m.errors),
    ]));
  }
  return out;
}

function throughput(r: Results): string[] {
  if (!r.throughput.length && !r.manyConnections.length) return [];
  const head = [
    row([
      "scenario",
      "server",
      "req/s",
      "p50 ms",
      "p99 ms",
      "p99.9 ms",
      "max ms",
      "÷ bare",
      "× nova",
      "server CPU ms/req",
      "Little",
      "errors",
    ]),
    row(["---", "---", ...Array(10).fill("---:")]),
  ];
  const out = [];
  if (r.throughput.length) {
    out.push(
      `## Throughput and latency (${r.settings.connections} connections)`,
      "",
      ...head,
      ...throughputRows(r, r.throughput),
      "",
      "÷ bare: req/s as a share of the bare Deno.serve hello world of the same rounds. " +
        "× nova: req/s over nova-api's in the same rounds († over PERF.md's figure, another " +
        "machine). Little: req/s × mean latency ÷ connections, ≈ 1 when the latency figures " +
        "are consistent with the throughput.",
      "",
    );
  }
  if (r.manyConnections.length) {
    out.push(
      "## 64 and 5,000 connections (GET /v2.1/flavors/detail)",
      "",
      `Closed loop (each connection sends its next request when the answer is in), then paced ` +
        `(each connection waits a random 0 to 2 × connections ÷ ${MANY_CONNECTIONS.paceRps} s before ` +
        `each request: the same ` +
        `offered load over 64 or 5,000 connections). Runs of ${
          Math.max(10, r.settings.seconds)
        } s; wrk ` +
        `opens its connections as it starts, and 5,000 at once overflow the listen backlog, so the first ` +
        `seconds of each run include connecting.`,
      "",
      ...head,
      ...throughputRows(r, r.manyConnections),
      "",
    );
  }
  return out;
}

function memCells(m: Memory | undefined): string {
  return m ? `${mb(m.rssKb)} (PSS ${mb(m.pssKb)}, anon ${mb(m.anonKb)})` : "–";
}

function startup(r: Results): string[] {
  const d = r.startup.deno, b = r.startup.bun, h = r.startup.bare, n = r.nova;
  if (!d && !b && !r.memory.deno) return [];
  const first = (s?: typeof d) =>
    s
      ? `${median(s.startsMs).toFixed(0)} ms [${s.startsMs.map((v) => v.toFixed(0)).join(", ")}]`
      : "–";
  const novaStart = n?.startupS
    ? `${(n.startupS * 1000).toFixed(0)} ms (start.sh, polled every 50 ms)`
    : `${PERF_NOVA.startupMs} ms (PERF.md)`;
  const novaLoad = n?.afterLoad ?? null;
  const perf = (m: { rssKb: number; pssKb: number }, what: string) =>
    `${mb(m.rssKb)} (PSS ${mb(m.pssKb)}) (PERF.md${what})`;
  const after = (role: "deno" | "bun" | "bare") => memCells(r.memory[role]?.afterLoad);
  return [
    "## Start-up and memory (MB)",
    "",
    row([
      "",
      "novalet, deno run",
      "novalet, bun executable",
      "bare Deno.serve",
      "nova-api 26 (parent + worker)",
    ]),
    row(["---", "---:", "---:", "---:", "---:"]),
    row(["spawn to first answer, existing database", first(d), first(b), first(h), novaStart]),
    row([
      "first start (creating the database)",
      ...[d, b, h].map((s) => s ? `${s.firstStartMs.toFixed(0)} ms` : "–"),
      "+ ≈ 8 s of nova-manage (PERF.md)",
    ]),
    row([
      "RSS idle (2 s after start)",
      ...[d, b, h].map((s) => memCells(s?.idle)),
      n ? `${memCells(n.afterSeed)} (live, seeded)` : perf(PERF_NOVA.afterStart, ""),
    ]),
    row([
      "RSS after 10,000 requests (GET /, GET /v2.1/)",
      ...[d, b, h].map((s) => memCells(s?.after10k)),
      "–",
    ]),
    row([
      "RSS after the rounds (each its share of them)",
      after("deno"),
      after("bun"),
      after("bare"),
      novaLoad ? `${memCells(novaLoad)} (live)` : perf(PERF_NOVA.afterLoad, ", 460k requests"),
    ]),
    row([
      "RSS 30 s after the rounds",
      ...(["deno", "bun", "bare"] as const).map((k) => memCells(r.memory[k]?.settled)),
      n?.settled ? `${memCells(n.settled)} (live)` : "–",
    ]),
    row([
      "peak RSS (VmHWM) after the rounds",
      ...(["deno", "bun", "bare"] as const).map((k) => {
        const m = r.memory[k]?.afterLoad;
        return m ? mb(m.hwmKb) : "–";
      }),
      novaLoad ? mb(novaLoad.hwmKb) : "–",
    ]),
    row([
      "RSS after the 5,000-connection runs",
      memCells(r.memory.deno?.afterManyConnections),
      "–",
      memCells(r.memory.bare?.afterManyConnections),
      "–",
    ]),
    "",
    "RSS (PSS, anonymous): PSS shares out the pages other processes map too (the runtime's " +
    "executable); anonymous pages are the heap. nova-api's figures are the sums of its parent and " +
    "its worker.",
    "",
    r.startup.bunBuildMs
      ? `bun build --compile main.ts took ${(r.startup.bunBuildMs / 1000).toFixed(1)} s.\n`
      : "",
  ];
}

function servers(r: Results): string[] {
  const c = r.creates, k = r.servers10k;
  const list = r.throughput.find((t) => t.scenario === "servers-1000");
  if (!c && !k && !list) return [];
  const out = ["## Servers (novalet only: nova-ref has no compute service)", ""];
  if (c) {
    const p = c.post;
    out.push(
      `- ${c.count} × POST /v2.1/servers (${p.connections} in flight): accepted in ${
        c.acceptedS.toFixed(2)
      } s ` +
        `(${p.rps.toFixed(0)} req/s; p50 ${ms(p.p50)} ms, p99 ${ms(p.p99)} ms, p99.9 ${
          ms(p.p999)
        } ms, ` +
        `${p.errors} errors), all ACTIVE after ` +
        `${c.allActiveS === null ? "(timed out)" : `${c.allActiveS.toFixed(2)} s`}` +
        `${c.errorServers ? `, ${c.errorServers} in ERROR` : ""}; server CPU ${
          (p.cpuMsPerReq ?? 0).toFixed(2)
        } ms per create.`,
    );
  }
  if (list) {
    out.push(
      `- GET /v2.1/servers/detail?limit=1000 with 1,000 servers: ${
        list.median.rps.toFixed(0)
      } req/s, ` +
        `p50 ${ms(list.median.p50)} ms, p99 ${ms(list.median.p99)} ms (table above).`,
    );
  }
  if (k) {
    out.push(
      `- ${k.servers.toLocaleString("en")} servers stored (created through the API in ` +
        `${k.fillS.toFixed(0)} s): RSS ${memCells(k.memory)} MB 2 s after the last create, ` +
        `${memCells(k.settled)} MB after 30 s more idle; peak ${mb(k.memory.hwmKb)} MB. ` +
        `Restarted on that database, after ten lists of 1,000: ${memCells(k.restarted)} MB.`,
      `- creates per second by servers stored (batches of 1,000, ${k.batches.length} batches): ` +
        k.batches.map((b) => `${b.servers / 1000}k: ${b.createsPerS.toFixed(0)}`).join(", ") + ".",
    );
  }
  return [...out, ""];
}

/** The whole report. */
export function markdown(r: Results): string {
  return [
    ...header(r),
    ...checks(r),
    ...throughput(r),
    ...startup(r),
    ...servers(r),
    ...(r.notes.length ? ["## Notes", "", ...r.notes.map((n) => `- ${n}`), ""] : []),
  ].join("\n");
}
