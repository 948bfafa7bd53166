/**
 * `deno run -A bench/servers.ts [--creates N] [--servers N] [--seconds S]`:
 * the servers benchmarks of issue 4 on loopback.
 *
 * 1. N creates (default 500, 16 in flight) timed until every server is
 *    ACTIVE (target: within 10 s).
 * 2. `GET /v2.1/servers/detail?limit=1000` with 1,000 servers stored, with
 *    wrk (target: ≥ 200 req/s), and the empty list for comparison.
 * 3. The RSS of the novalet process afterwards.
 *
 * @module
 */

import { type Novalet, startNovalet } from "../tests/_server.ts";
import { haveWrk, wrk } from "./wrk.ts";

const IMAGE = "5c5e1b6f-3b5e-4a39-9d6a-6a2f4b0e7c01";
const HEADERS = { "X-Auth-Token": "admin:admin", "Content-Type": "application/json" };

function option(name: string, fallback: number): number {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}

async function createMany(n: Novalet, count: number, inFlight = 16): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await fetch(`${n.url}/v2.1/servers`, {
        method: "POST",
        headers: HEADERS,
        body: JSON.stringify({ server: { name: `bench-${i}`, imageRef: IMAGE, flavorRef: "1" } }),
      });
      const body = await res.json();
      if (res.status !== 202) throw new Error(`create: ${res.status} ${JSON.stringify(body)}`);
      ids.push(body.server.id);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return ids;
}

/** Polls until no server is in BUILD; false on timeout or when one ended in ERROR. */
async function untilActive(n: Novalet, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  const count = async (status: string) => {
    const url = `${n.url}/v2.1/servers?status=${status}&limit=1`;
    return (await (await fetch(url, { headers: HEADERS })).json()).servers.length;
  };
  while (performance.now() < deadline) {
    if (await count("BUILD") === 0) return await count("ERROR") === 0;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

function rssMb(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function main(): Promise<void> {
  const creates = option("--creates", 500);
  const servers = option("--servers", 1000);
  const seconds = option("--seconds", 5);
  const n = await startNovalet({
    config: "[novalet]\nseed_flavors = true\n[api]\nauth_strategy = noauth2\n",
  });
  try {
    const start = performance.now();
    await createMany(n, creates);
    const accepted = performance.now() - start;
    const ok = await untilActive(n, 60_000);
    const total = performance.now() - start;
    console.log(
      `${creates} creates: accepted in ${(accepted / 1000).toFixed(2)} s, all ACTIVE ${
        ok ? "after" : "NOT within"
      } ${(total / 1000).toFixed(2)} s (target: 10 s)`,
    );
    if (servers > creates) await createMany(n, servers - creates);
    await untilActive(n, 120_000);
    console.log(`RSS with ${servers} servers stored: ${rssMb(n.pid).toFixed(0)} MB`);
    if (!await haveWrk()) {
      console.log("wrk not found: skipping the list benchmarks");
      return;
    }
    for (const path of ["/v2.1/servers/detail?limit=1000", "/v2.1/servers?limit=1000"]) {
      const r = await wrk(`${n.url}${path}`, {
        seconds,
        connections: 8,
        threads: 2,
        headers: { "X-Auth-Token": "admin:admin" },
      });
      console.log(
        `GET ${path} with ${servers} servers: ${r.rps.toFixed(0)} req/s ` +
          `(p50 ${r.p50ms} ms, p99 ${r.p99ms} ms, errors ${r.errors})`,
      );
    }
    console.log(`RSS after the list benchmarks: ${rssMb(n.pid).toFixed(0)} MB`);
  } finally {
    await n.stop();
  }
}

await main();
