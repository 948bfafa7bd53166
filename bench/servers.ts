/**
 * The servers scenarios of issue 4 on a novalet of their own: N creates
 * (`POST /v2.1/servers`, 16 in flight, from this process so that the clock
 * starts with the first request) timed until every server is ACTIVE; and
 * filling the database up to 1,000 or 10,000 servers for the list and
 * memory figures. nova-ref has no compute service, so none of this can be
 * compared with it.
 *
 * @module
 */

import { DEFAULT_IMAGE_ID } from "../lib/compute/images/api.ts";
import { type LoadResult, toResult } from "./load.ts";
import { loadgen } from "./loadgen.ts";
import { cpuSeconds } from "./procs.ts";
import type { Running } from "./fleet.ts";

/** How many creates are in flight at once. */
export const CREATE_CONCURRENCY = 16;

/** What a batch of creates measured. */
export interface CreateFigures {
  count: number;
  /** The POSTs: req/s and latency of the 202s. */
  post: LoadResult;
  /** From the first POST to the last 202, and to the last server ACTIVE (seconds). */
  acceptedS: number;
  allActiveS: number | null;
  /** Servers in ERROR afterwards. */
  errorServers: number;
}

async function count(r: Running, status: string): Promise<number> {
  const res = await fetch(`${r.url}/v2.1/servers?status=${status}&limit=1000`, {
    headers: { "X-Auth-Token": r.token },
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`listing ${status} servers: ${res.status}`);
  return body.servers.length;
}

/** Polls every 10 ms until no server is in BUILD; seconds waited, or null at the deadline. */
async function untilBuilt(r: Running, timeoutS: number): Promise<boolean> {
  const deadline = performance.now() + timeoutS * 1000;
  while (performance.now() < deadline) {
    if (await count(r, "BUILD") === 0) return true;
    await new Promise((res) => setTimeout(res, 10));
  }
  return false;
}

/** Creates `n` m1.tiny servers of the seeded cirros image and waits until none is building. */
export async function createServers(r: Running, n: number, timeoutS = 120): Promise<CreateFigures> {
  const body = JSON.stringify({
    server: { name: "bench", imageRef: DEFAULT_IMAGE_ID, flavorRef: "1", networks: "auto" },
  });
  const cpu0 = cpuSeconds(r.pids);
  const t0 = performance.now();
  const report = await loadgen({
    url: `${r.url}/v2.1/servers`,
    threads: 1,
    connections: CREATE_CONCURRENCY,
    seconds: null,
    requests: n,
    headers: {
      "X-Auth-Token": r.token,
      "Content-Type": "application/json",
      "OpenStack-API-Version": "compute 2.37",
    },
    method: "POST",
    body,
    timeoutMs: 60_000,
    connectFirst: true,
    delayMs: 0,
  }, true);
  const accepted = (performance.now() - t0) / 1000;
  const built = await untilBuilt(r, timeoutS);
  const allActive = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(r.pids) - cpu0;
  const post = toResult(
    report,
    "loadgen",
    `${n} POST /v2.1/servers, ${CREATE_CONCURRENCY} in flight`,
    CREATE_CONCURRENCY,
  );
  return {
    count: n,
    post: { ...post, cpuMsPerReq: (cpu * 1000) / n, cpuCores: cpu / allActive },
    acceptedS: accepted,
    allActiveS: built ? allActive : null,
    errorServers: await count(r, "ERROR"),
  };
}

/** One batch of {@link fillServers}. */
export interface FillBatch {
  /** Servers stored after the batch. */
  servers: number;
  createsPerS: number;
  allActiveS: number;
}

/** Creates servers in batches of 1,000 until `total` exist; what each batch took. */
export async function fillServers(r: Running, have: number, total: number): Promise<FillBatch[]> {
  const batches: FillBatch[] = [];
  for (let n = have; n < total;) {
    const batch = Math.min(1000, total - n);
    const f = await createServers(r, batch, 300);
    if (f.post.errors || f.allActiveS === null) {
      throw new Error(`creating servers ${n}..${n + batch}: ${f.post.errors} errors`);
    }
    n += batch;
    batches.push({ servers: n, createsPerS: f.post.rps, allActiveS: f.allActiveS });
    console.error(
      `  ${n} servers: ${f.post.rps.toFixed(0)} creates/s, all ACTIVE after ${
        f.allActiveS.toFixed(1)
      } s`,
    );
  }
  return batches;
}
