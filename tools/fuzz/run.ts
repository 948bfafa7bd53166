/**
 * A fuzz run against a running novalet: creates fixtures (a server, a
 * flavor, a key pair, a server group, an aggregate), sends the cases one
 * after the other on a keep-alive connection, and checks each answer: never
 * a 5xx, every error in one of the nova stack's shapes, a body its schema
 * refuses never accepted, and no row left behind by a refused request (the
 * row counts of every table before and after it). At the end the server
 * must still answer, its log must hold no unexpected exception, and the
 * database must pass `PRAGMA integrity_check` and the invariants.
 *
 * @module
 */

import {
  countChanges,
  type Counts,
  databaseProblems,
  openStateDb,
  rowCounter,
} from "../db_checks.ts";
import { header, RawClosed, RawConnection, type RawResponse } from "../raw_http.ts";
import { type FuzzCase, nextCase } from "./cases.ts";
import { seededRandom } from "./random.ts";
import { shapeProblem } from "./shape.ts";
import type { Fixtures } from "./targets.ts";

/** The server under test. */
export interface FuzzServer {
  readonly url: string;
  readonly port: number;
  readonly stateDir: string;
  log(): string;
  readonly exited: Promise<number>;
}

/** What a run is told. */
export interface FuzzOptions {
  /** Cases to send (the run stops at this count or at `seconds`, whichever comes first). */
  count: number;
  seed: number;
  seconds: number;
  /** Called every 1,000 cases. */
  progress?: (sent: number) => void;
}

/** What a run found. */
export interface FuzzReport {
  seed: number;
  sent: number;
  seconds: number;
  /** Answers by status (`closed`: no answer; `timeout`). */
  byStatus: Record<string, number>;
  /** Cases by what they mutated (body, query, path, method, headers, wire). */
  byKind: Record<string, number>;
  /** Answers by target (`body: server create`) and status class (`2xx`, `4xx`, ...). */
  byTarget: Record<string, Record<string, number>>;
  /** 2xx and 3xx answers: mutations that stayed valid (their rows are allowed). */
  accepted: number;
  /** Bodies their own schema refuses (each must have been refused). */
  refusedBySchema: number;
  /** Every failed check (the first 100), and how many there were. */
  problems: string[];
  problemCount: number;
  /** The database after the run: integrity_check and the invariants (empty: fine). */
  database: string[];
  /** Unexpected exceptions in the server's log. */
  logErrors: string[];
  serverUp: boolean;
}

const IMAGE = "5c5e1b6f-3b5e-4a39-9d6a-6a2f4b0e7c01";
const NETWORK = "c4f6ca9e-7b0a-4d4e-9a53-2f0c1c8e6a10";
const READS = new Set(["GET", "HEAD", "OPTIONS"]);
/** The record of a server action and its failure, which a refused action may keep. */
const AUDIT_TABLES = new Set([
  "instance_actions",
  "instance_actions_events",
  "instance_faults",
  "migrations",
]);

async function call(
  server: FuzzServer,
  method: string,
  path: string,
  body?: unknown,
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const res = await fetch(`${server.url}/v2.1${path}`, {
    method,
    headers: {
      "X-Auth-Token": "admin:admin",
      "Content-Type": "application/json",
      "OpenStack-API-Version": "compute 2.53",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`fixture ${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function makeFixtures(server: FuzzServer): Promise<Fixtures> {
  const created = await call(server, "POST", "/servers", {
    server: { name: "fuzz-server", imageRef: IMAGE, flavorRef: "1", networks: "auto" },
  });
  const id = created.server.id;
  const deadline = Date.now() + 15_000;
  while ((await call(server, "GET", `/servers/${id}`)).server.status !== "ACTIVE") {
    if (Date.now() > deadline) throw new Error("the fixture server did not become ACTIVE");
    await new Promise((r) => setTimeout(r, 50));
  }
  await call(server, "POST", "/flavors", {
    flavor: { name: "fuzz-flavor", id: "fuzz-flavor", ram: 64, vcpus: 1, disk: 1 },
  });
  await call(server, "POST", "/os-keypairs", { keypair: { name: "fuzz-key" } });
  const group = await call(server, "POST", "/os-server-groups", {
    server_group: { name: "fuzz-group", policies: ["affinity"] },
  });
  const aggregate = await call(server, "POST", "/os-aggregates", {
    aggregate: { name: "fuzz-aggregate" },
  });
  const services = await call(server, "GET", "/os-services");
  return {
    server: id,
    flavor: "fuzz-flavor",
    keypair: "fuzz-key",
    group: group.server_group.id,
    aggregate: aggregate.aggregate.id,
    service: services.services[0].id,
    project: "admin",
    image: IMAGE,
    network: NETWORK,
  };
}

/** Sends one case on `conn` (a fresh connection when null); its answer, or why there was none. */
async function exchange(
  server: FuzzServer,
  conn: RawConnection | null,
  fc: FuzzCase,
): Promise<{ conn: RawConnection | null; res: RawResponse | null; why: string | null }> {
  const c = conn && !conn.ended ? conn : await RawConnection.open(server.port);
  // The server may answer and close before taking the whole request: read anyway.
  await c.send(fc.bytes).catch(() => {});
  let res: RawResponse | null = null;
  let why: string | null = null;
  try {
    res = await c.response({ head: fc.method === "HEAD", timeoutMs: 10_000 });
  } catch (err) {
    if (!(err instanceof RawClosed)) throw err;
    why = err.why;
  }
  const keep = res !== null && !fc.wire && header(res, "Connection") !== "close";
  if (!keep) c.close();
  return { conn: keep ? c : null, res, why };
}

/** Waits until the background work of an accepted request is done; the counts then. */
async function settle(count: () => Counts, busy: () => number): Promise<Counts> {
  let last = count();
  let stable = 0;
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && stable < 2) {
    await new Promise((r) => setTimeout(r, 15));
    const now = count();
    stable = busy() === 0 && countChanges(last, now).length === 0 ? stable + 1 : 0;
    last = now;
  }
  return last;
}

function kindOf(fc: FuzzCase): string {
  return fc.kind.split(":")[0];
}

/** Runs the fuzzer against `server` (see the module doc). */
export async function runFuzz(server: FuzzServer, options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const fixtures = await makeFixtures(server);
  const random = seededRandom(options.seed);
  const known = { uuids: [fixtures.image, fixtures.network, fixtures.server, fixtures.group] };
  const db = openStateDb(server.stateDir, true);
  const count = rowCounter(db);
  const busyStatement = db.prepare(
    "SELECT count(*) AS n FROM instances WHERE deleted = 0 AND task_state IS NOT NULL",
  );
  const busy = () => Number((busyStatement.get() as { n: number }).n);
  const report: FuzzReport = {
    seed: options.seed,
    sent: 0,
    seconds: 0,
    byStatus: {},
    byKind: {},
    byTarget: {},
    accepted: 0,
    refusedBySchema: 0,
    problems: [],
    problemCount: 0,
    database: [],
    logErrors: [],
    serverUp: false,
  };
  const problem = (text: string) => {
    report.problemCount++;
    if (report.problems.length < 100) report.problems.push(text);
  };
  let baseline = await settle(count, busy);
  let conn: RawConnection | null = null;
  const deadline = Date.now() + options.seconds * 1000;
  try {
    while (report.sent < options.count && Date.now() < deadline) {
      const fc = nextCase(random, fixtures, known);
      const answer = await exchange(server, conn, fc);
      conn = answer.conn;
      const { res } = answer;
      report.sent++;
      report.byKind[kindOf(fc)] = (report.byKind[kindOf(fc)] ?? 0) + 1;
      const status = res === null
        ? answer.why === "timeout" ? "timeout" : "closed"
        : res.status === 0
        ? "page without status line"
        : String(res.status);
      report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
      const target = fc.kind.split(": ").slice(0, 2).join(": ");
      const klass = res === null || res.status === 0 ? "none" : `${String(res.status)[0]}xx`;
      const counts = report.byTarget[target] ??= {};
      counts[klass] = (counts[klass] ?? 0) + 1;
      if (res === null) {
        if (!fc.wire || answer.why === "timeout") problem(`${fc.kind}: no answer (${answer.why})`);
      } else {
        const shape = shapeProblem(res, fc.method === "HEAD");
        if (shape) problem(`${fc.kind}: ${shape}`);
        if (fc.mustReject) report.refusedBySchema++;
        if (fc.mustReject && res.status < 400) {
          problem(`${fc.kind}: ${res.status} for a body its schema refuses`);
        }
      }
      if (res !== null && res.status < 400) {
        report.accepted++;
        if (!READS.has(fc.method)) baseline = await settle(count, busy);
      } else {
        const now = count();
        const changes = countChanges(baseline, now);
        // NOTE(parity): nova keeps a refused server action's record and fault.
        const audit = fc.audited && changes.every((c) => AUDIT_TABLES.has(c.split(" ")[0]));
        if (changes.length > 0 && !audit) {
          problem(`${fc.kind}: rows left by a refused request (${status}): ${changes.join(", ")}`);
        }
        baseline = now;
      }
      if (report.sent % 1000 === 0) options.progress?.(report.sent);
    }
  } finally {
    conn?.close();
  }
  report.seconds = Math.round((performance.now() - started) / 100) / 10;
  try {
    const res = await fetch(`${server.url}/`);
    await res.body?.cancel();
    report.serverUp = res.status === 200;
  } catch {
    report.serverUp = false;
  }
  report.database = databaseProblems(db);
  db.close();
  report.logErrors = server.log().split("\n").filter((l) =>
    / ERROR /.test(l) && /Unhandled error|Unexpected exception|Cannot write/.test(l)
  );
  return report;
}
