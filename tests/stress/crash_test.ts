/**
 * Crash safety, end to end: novalet killed with SIGKILL in the middle of a
 * burst of server creates, actions and deletes leaves no half-written
 * rows, and once started again on the same state every instance is
 * recovered as nova-compute's init_host recovers it; a SIGTERM in the
 * middle of load answers every request sent before it.
 */

import assert from "node:assert/strict";
import { header, RawClosed, RawConnection } from "../../tools/raw_http.ts";
import { seededRandom } from "../../tools/fuzz/random.ts";
import type { Novalet } from "../_server.ts";
import {
  databaseProblems,
  type InstanceState,
  instanceStates,
  openStateDb,
} from "../../tools/db_checks.ts";
import { ADMIN, IMAGE, sleep, startStressNovalet, until } from "./_stress.ts";

const CONFIG = "[novalet_compute]\nspawn_delay_ms = 120\naction_delay_ms = 120\n" +
  "[quota]\ninstances = -1\ncores = -1\nram = -1\n";
const SEED = 20261126;

const POWER = { NOSTATE: 0, RUNNING: 1, PAUSED: 3, SHUTDOWN: 4 } as const;
const BUILD_TASKS = ["scheduling", "block_device_mapping", "networking", "spawning"];
const REBOOT_TASKS = [
  "rebooting",
  "reboot_pending",
  "reboot_started",
  "rebooting_hard",
  "reboot_pending_hard",
  "reboot_started_hard",
];

/** One JSON call as admin; the status and parsed body. */
async function api(
  n: Novalet,
  method: string,
  path: string,
  body?: unknown,
  // deno-lint-ignore no-explicit-any
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${n.url}/v2.1${path}`, {
    method,
    headers: { "X-Auth-Token": ADMIN, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const ACTIONS: [string, unknown][] = [
  ["os-stop", { "os-stop": null }],
  ["os-start", { "os-start": null }],
  ["reboot soft", { reboot: { type: "SOFT" } }],
  ["reboot hard", { reboot: { type: "HARD" } }],
  ["pause", { pause: null }],
  ["unpause", { unpause: null }],
  ["lock", { lock: null }],
  ["unlock", { unlock: null }],
];

/** Creates, acts on and deletes servers from `workers` clients at once until `stop()`. */
function burst(n: Novalet, ids: string[], workers: number) {
  const random = seededRandom(SEED);
  const answers: Record<string, number> = {};
  let running = true;
  const count = (what: string, status: number) => {
    const key = `${what} ${status}`;
    answers[key] = (answers[key] ?? 0) + 1;
  };
  const one = async () => {
    const r = random();
    const id = ids[Math.floor(random() * ids.length)];
    if (r < 0.3) {
      const res = await api(n, "POST", "/servers", {
        server: { name: `burst-${ids.length}`, imageRef: IMAGE, flavorRef: "1" },
      });
      count("create", res.status);
      if (res.status === 202) ids.push(res.body.server.id);
    } else if (r < 0.45) {
      count("delete", (await api(n, "DELETE", `/servers/${id}`)).status);
    } else if (r < 0.55) {
      const key = `k${Math.floor(random() * 5)}`;
      count(
        "metadata",
        (await api(n, "PUT", `/servers/${id}/metadata/${key}`, {
          meta: { [key]: "v" },
        })).status,
      );
    } else if (r < 0.6) {
      count(
        "tag",
        (await api(n, "PUT", `/servers/${id}/tags/t${Math.floor(random() * 5)}`)).status,
      );
    } else {
      const [name, body] = ACTIONS[Math.floor(random() * ACTIONS.length)];
      count(name, (await api(n, "POST", `/servers/${id}/action`, body)).status);
    }
  };
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      try {
        await one();
      } catch { /* the server was killed mid-request */ }
    }
  });
  return {
    answers,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/**
 * The state `_init_instance` leaves an instance in, from its state at the
 * crash (the subset of nova-compute's rules the burst can reach); `null`
 * for "gone" (deleted).
 */
function recovered(
  before: InstanceState,
): { vm: string; task: string | null; power: number | null } | null {
  const { vm_state: vm, task_state: task, guest } = before;
  if (before.deleted) return null;
  if (vm === "error" && task !== "deleting") return { vm, task, power: null };
  if (vm === "deleted") return null;
  // NOTE: a build caught deleting goes to ERROR too (nova checks the build first).
  if (vm === "building" || BUILD_TASKS.includes(task ?? "")) {
    return { vm: "error", task: null, power: null };
  }
  if (task === "deleting") return null;
  if (task === "powering-off") return { vm: "stopped", task: null, power: POWER.SHUTDOWN };
  if (task === "powering-on") return { vm: "active", task: null, power: POWER.RUNNING };
  if (REBOOT_TASKS.includes(task ?? "")) return { vm: "active", task: null, power: POWER.RUNNING };
  if (task === "pausing" && guest === POWER.RUNNING) {
    return { vm: "active", task: null, power: POWER.RUNNING };
  }
  if (task === "unpausing" && (guest === POWER.PAUSED || guest === POWER.RUNNING)) {
    return { vm: "active", task: null, power: POWER.RUNNING };
  }
  // No task: as it was. Anything else nova leaves for os-resetState.
  const power = vm === "active" ? POWER.RUNNING : vm === "stopped" ? POWER.SHUTDOWN : null;
  return { vm: vm ?? "", task, power: vm === "paused" ? POWER.PAUSED : power };
}

Deno.test("crash: kill -9 during a burst of creates, actions and deletes; restart recovers as init_host", async () => {
  const first = await startStressNovalet(CONFIG);
  const stateDir = first.stateDir;
  const ids: string[] = [];
  let answers: Record<string, number>;
  try {
    for (let i = 0; i < 10; i++) {
      const res = await api(first, "POST", "/servers", {
        server: { name: `seed-${i}`, imageRef: IMAGE, flavorRef: "1" },
      });
      assert.equal(res.status, 202);
      ids.push(res.body.server.id);
    }
    await sleep(400);
    const load = burst(first, ids, 12);
    answers = load.answers;
    await sleep(1500);
    first.signal("SIGKILL");
    await first.exited;
    await load.stop();
  } finally {
    try {
      first.signal("SIGKILL");
    } catch { /* already gone */ }
    await first.exited;
  }
  // The database as the crash left it: consistent, whatever was under way.
  let db = openStateDb(stateDir);
  const atCrash = instanceStates(db);
  assert.deepEqual(databaseProblems(db), [], "no half-written rows at the crash");
  db.close();
  const tasks = [...atCrash.values()].filter((i) => !i.deleted && i.task_state !== null);
  console.log(
    `crash: ${atCrash.size} instances, ${tasks.length} caught in a task (${
      [...new Set(tasks.map((i) => i.task_state))].join(", ")
    }); answers before the kill: ${JSON.stringify(answers)}`,
  );
  assert.ok(tasks.length > 0, "the kill caught some instances in the middle of a task");

  const second = await startStressNovalet(CONFIG, { stateDir });
  try {
    const expected = new Map([...atCrash].map(([uuid, inst]) => [uuid, recovered(inst)]));
    // init_host's work is done once every instance is where the rules put it.
    let after = new Map<string, InstanceState>();
    const mismatches = () => {
      const dbNow = openStateDb(stateDir, true);
      after = instanceStates(dbNow);
      dbNow.close();
      const wrong: string[] = [];
      for (const [uuid, want] of expected) {
        const got = after.get(uuid)!;
        const state = `${got.deleted ? "gone" : `${got.vm_state}/${got.task_state}`}`;
        if (
          want === null ? !got.deleted : (
            got.deleted || got.vm_state !== want.vm || got.task_state !== want.task ||
            (want.power !== null && (got.power_state !== want.power || got.guest !== want.power))
          )
        ) {
          const was = atCrash.get(uuid)!;
          wrong.push(
            `${uuid}: was ${was.vm_state}/${was.task_state} (guest ${was.guest}), now ${state}`,
          );
        }
      }
      return wrong;
    };
    try {
      await until(() => mismatches().length === 0, "init_host's recovery", 15_000);
    } catch {
      assert.deepEqual(mismatches(), [], "every instance recovered as init_host recovers it");
    }
    db = openStateDb(stateDir, true);
    assert.deepEqual(databaseProblems(db), [], "no inconsistency after the recovery");
    db.close();
    // Live guests only: none leaked for a deleted instance.
    for (const inst of after.values()) {
      if (inst.deleted) assert.equal(inst.guest, null, `guest of deleted ${inst.uuid}`);
    }
    // The API agrees with the database, and quota usage with the servers.
    const live = [...after.values()].filter((i) => !i.deleted);
    const detail = (await api(second, "GET", "/servers/detail?all_tenants=1")).body.servers;
    assert.deepEqual(
      detail.map((s: { id: string }) => s.id).sort(),
      live.map((i) => i.uuid).sort(),
    );
    for (const s of detail) {
      assert.ok(["ACTIVE", "SHUTOFF", "PAUSED", "ERROR"].includes(s.status), `${s.id} ${s.status}`);
    }
    const usage = (await api(second, "GET", "/os-quota-sets/admin/detail")).body.quota_set;
    const mine = live.filter((i) => i.project_id === "admin");
    assert.equal(usage.instances.in_use, mine.length);
    assert.equal(usage.cores.in_use, mine.reduce((a, i) => a + i.vcpus, 0));
    assert.equal(usage.ram.in_use, mine.reduce((a, i) => a + i.memory_mb, 0));
    // And it goes on working: a new server builds and is deleted.
    const res = await api(second, "POST", "/servers", {
      server: { name: "after", imageRef: IMAGE, flavorRef: "1" },
    });
    assert.equal(res.status, 202);
    const id = res.body.server.id;
    await until(
      async () => (await api(second, "GET", `/servers/${id}`)).body.server.status === "ACTIVE",
      "a new server after the restart",
    );
    assert.equal((await api(second, "DELETE", `/servers/${id}`)).status, 204);
  } finally {
    await second.stop();
  }
});

// ---- SIGTERM under load ---------------------------------------------------------

Deno.test("crash: SIGTERM under load answers every request sent before it, and resets none", async () => {
  const n = await startStressNovalet("[wsgi]\ndefault_pool_size = 8");
  const connections = 64;
  const conns = await Promise.all(
    Array.from({ length: connections }, () => RawConnection.open(n.port)),
  );
  let signalledAt = Infinity;
  const stats = {
    sentBefore: 0,
    answeredBefore: 0,
    declinedBefore: 0,
    sentAfter: 0,
    answeredAfter: 0,
    resets: 0,
  };
  const paths = ["/v2.1/flavors/detail", "/v2.1/servers/detail", "/", "/v2.1/os-keypairs"];
  const lost: string[] = [];
  // Half the connections send one request at a time (as OpenStack's clients
  // do), half pipeline two: after an answer with Connection: close the
  // server processes nothing more on it (RFC 9112 9.6), so the second may
  // be declined that way, and only that way.
  const loops = conns.map(async (conn, c) => {
    const batch = 1 + (c % 2);
    for (let i = 0;; i++) {
      let written: number;
      try {
        let text = "";
        for (let b = 0; b < batch; b++) {
          text += `GET ${paths[(c + i + b) % paths.length]} HTTP/1.1\r\nHost: x\r\n` +
            `X-Auth-Token: ${ADMIN}\r\n\r\n`;
        }
        await conn.send(text);
        written = performance.now();
      } catch (err) {
        if (err instanceof RawClosed && err.why === "reset") stats.resets++;
        return;
      }
      const before = written < signalledAt;
      if (before) stats.sentBefore += batch;
      else stats.sentAfter += batch;
      for (let b = 0; b < batch; b++) {
        try {
          const res = await conn.response({ timeoutMs: 15_000 });
          assert.equal(res.status, 200);
          if (before) stats.answeredBefore++;
          else stats.answeredAfter++;
          if (header(res, "Connection") === "close") {
            if (before) stats.declinedBefore += batch - b - 1;
            return;
          }
        } catch (err) {
          if (!(err instanceof RawClosed)) throw err;
          if (err.why === "reset") stats.resets++;
          if (before) lost.push(`connection ${c}: ${err.message}`);
          return;
        }
      }
    }
  });
  await sleep(1000);
  signalledAt = performance.now();
  n.signal("SIGTERM");
  await Promise.all(loops);
  for (const conn of conns) conn.close();
  const code = await n.exited;
  console.log(`SIGTERM: ${JSON.stringify(stats)}`);
  assert.equal(code, 0);
  assert.ok(stats.sentBefore > 500, `sent ${stats.sentBefore} before the signal`);
  assert.deepEqual(lost, [], "requests sent before SIGTERM, neither answered nor declined");
  assert.equal(stats.answeredBefore + stats.declinedBefore, stats.sentBefore);
  assert.equal(stats.resets, 0, "no connection was reset");
});
