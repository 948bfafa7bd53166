/**
 * Overload, end to end: `[wsgi] default_pool_size` bounds the requests in
 * the API at once (seen by the clients and counted inside the server),
 * `[wsgi] max_queue_wait` answers 503 with Retry-After instead of letting
 * a request wait forever, and 5,000 keep-alive connections at once are all
 * answered without a 5xx while the server's memory stays bounded.
 */

import assert from "node:assert/strict";
import { bodyText, header, RawConnection, type RawResponse } from "../../tools/raw_http.ts";
import type { Novalet } from "../_server.ts";
import {
  ADMIN,
  fileLimits,
  openFiles,
  procStatusKb,
  rawRequest,
  sleep,
  startStressNovalet,
  until,
} from "./_stress.ts";

const BODY = '{"flavor": {}}';

/**
 * A flavor create that holds its request slot: the API's first read of the
 * body sends `100 Continue`, and the body comes only when the test says.
 */
class HeldRequest {
  continued = false;
  /** The read of the 100 Continue, started when the request is sent. */
  readonly #asked: Promise<boolean>;

  private constructor(readonly conn: RawConnection) {
    this.#asked = conn.response({ timeoutMs: 60_000 }).then((res) => {
      assert.equal(res.status, 100, `expected 100 Continue, got ${res.status}`);
      return this.continued = true;
    }, () => false);
  }

  static async send(n: Novalet): Promise<HeldRequest> {
    const conn = await RawConnection.open(n.port);
    await conn.send(rawRequest("POST", "/v2.1/flavors", {
      "X-Auth-Token": ADMIN,
      "Content-Type": "application/json",
      "Expect": "100-continue",
      "Content-Length": String(BODY.length),
    }));
    return new HeldRequest(conn);
  }

  /** Waits up to `ms` for the 100 Continue; true once it came. */
  waitContinue(ms: number): Promise<boolean> {
    return Promise.race([this.#asked, sleep(ms).then(() => this.continued)]);
  }

  /** Sends the body and reads the answer. */
  async finish(): Promise<RawResponse> {
    await this.#asked;
    await this.conn.send(BODY);
    const res = await this.conn.response();
    this.conn.close();
    return res;
  }
}

/** The peak counts the server logged at DEBUG ("N requests running at once"). */
function loggedPeaks(n: Novalet): number[] {
  return [...n.log().matchAll(/(\d+) requests running at once, the most so far/g)].map((m) =>
    Number(m[1])
  );
}

Deno.test("overload: default_pool_size bounds the requests in the API at once, counted inside", async () => {
  const size = 4;
  const n = await startStressNovalet(
    `[DEFAULT]\ndebug = true\n[wsgi]\ndefault_pool_size = ${size}`,
  );
  try {
    const held = await Promise.all(Array.from({ length: 3 * size }, () => HeldRequest.send(n)));
    const answered: RawResponse[] = [];
    let pending = held;
    while (pending.length > 0) {
      // Each round: as many requests get into the API as there are slots
      // (each asked for its body), and no more even after a while.
      const slots = Math.min(size, pending.length);
      await until(() => pending.filter((h) => h.continued).length >= slots, "requests inside");
      await sleep(300);
      const inside = pending.filter((h) => h.continued);
      assert.equal(inside.length, slots, "requests in the API at once");
      for (const h of inside) answered.push(await h.finish());
      pending = pending.filter((h) => !inside.includes(h));
    }
    assert.equal(answered.length, 3 * size);
    for (const res of answered) {
      assert.equal(res.status, 400);
      assert.match(bodyText(res), /^\{"badRequest": \{"code": 400, "message": /);
    }
    const peaks = loggedPeaks(n);
    assert.deepEqual(peaks, [1, 2, 3, 4], "the server's own count of handlers running at once");
  } finally {
    await n.stop();
  }
});

Deno.test("overload: a request queued past max_queue_wait gets webob's 503 with Retry-After", async () => {
  const n = await startStressNovalet("[wsgi]\ndefault_pool_size = 2\nmax_queue_wait = 0.5");
  const held = [await HeldRequest.send(n), await HeldRequest.send(n)];
  try {
    for (const h of held) assert.ok(await h.waitContinue(5000), "both slots taken");
    const queued = await RawConnection.open(n.port);
    const asText = await RawConnection.open(n.port);
    const t0 = Date.now();
    await queued.send(rawRequest("GET", "/v2.1/flavors", {
      "X-Auth-Token": ADMIN,
      "Accept": "application/json",
    }));
    await asText.send(rawRequest("GET", "/v2.1/servers", { "X-Auth-Token": ADMIN }));
    const res = await queued.response({ timeoutMs: 5000 });
    const waited = Date.now() - t0;
    assert.ok(waited >= 450 && waited < 2000, `answered after ${waited} ms`);
    assert.equal(res.status, 503);
    assert.equal(res.reason, "Service Unavailable");
    assert.equal(header(res, "Retry-After"), "1");
    assert.equal(header(res, "Content-Type"), "application/json");
    assert.deepEqual(JSON.parse(bodyText(res)), {
      message:
        "The server is currently unavailable. Please try again at a later time.<br /><br />\n\n\n",
      code: "503 Service Unavailable",
      title: "Service Unavailable",
    });
    const plain = await asText.response({ timeoutMs: 5000 });
    assert.equal(plain.status, 503);
    assert.equal(header(plain, "Content-Type"), "text/plain; charset=UTF-8");
    assert.match(
      bodyText(plain),
      /^503 Service Unavailable\n\nThe server is currently unavailable/,
    );
    // The connection stays usable: once a slot is free the same client is served.
    for (const h of held) assert.equal((await h.finish()).status, 400);
    await queued.send(rawRequest("GET", "/v2.1/flavors", { "X-Auth-Token": ADMIN }));
    assert.equal((await queued.response()).status, 200);
    queued.close();
    asText.close();
    const warning =
      /WARNING nova\.osapi_compute\.wsgi\.server .*GET \/v2\.1\/flavors waited 0\.5 s for one of 2 request slots: answered 503/;
    await until(() => warning.test(n.log()), "the 503's warning in the log");
  } finally {
    for (const h of held) h.conn.close();
    await n.stop();
  }
});

Deno.test("overload: a request that gets its slot within max_queue_wait is served", async () => {
  const n = await startStressNovalet("[wsgi]\ndefault_pool_size = 1\nmax_queue_wait = 2");
  const held = await HeldRequest.send(n);
  try {
    assert.ok(await held.waitContinue(5000));
    const queued = await RawConnection.open(n.port);
    await queued.send(rawRequest("GET", "/v2.1/flavors", { "X-Auth-Token": ADMIN }));
    await sleep(300);
    assert.equal((await held.finish()).status, 400);
    assert.equal((await queued.response({ timeoutMs: 3000 })).status, 200);
    queued.close();
  } finally {
    held.conn.close();
    await n.stop();
  }
});

// ---- 5,000 keep-alive connections ---------------------------------------------

const CONNECTIONS = 5000;
const REQUESTS_EACH = 4;
/** Open files the server and the load client each need: the connections, and room. */
const FILES_NEEDED = CONNECTIONS + 1000;
const LIMITS = fileLimits();

/** What tests/stress/_load_client.ts reports. */
interface LoadReport {
  connected: number;
  connectErrors: number;
  sent: number;
  answered: number;
  statuses: Record<string, number>;
  resets: number;
  eofs: number;
  timeouts: number;
  p50: number;
  p99: number;
  max: number;
  seconds: number;
}

/** Runs the load client; `onOpen` is called while all its connections are open. */
async function runLoadClient(port: number, onOpen: () => void): Promise<LoadReport> {
  const client = new URL("./_load_client.ts", import.meta.url).pathname;
  const child = new Deno.Command("/bin/sh", {
    args: [
      "-c",
      'ulimit -n "$0" && exec "$@"',
      String(FILES_NEEDED),
      Deno.execPath(),
      "run",
      "--allow-net=127.0.0.1",
      client,
      String(port),
      String(CONNECTIONS),
      String(REQUESTS_EACH),
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const errors = new Response(child.stderr).text();
  let out = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stdout) {
    out += decoder.decode(chunk, { stream: true });
    if (out.startsWith("OPEN\n")) {
      onOpen();
      out = out.slice(5);
    }
  }
  assert.ok((await child.status).success, `load client failed: ${await errors}`);
  return JSON.parse(out);
}

Deno.test({
  name:
    "overload: 5,000 keep-alive connections at once: every request answered, no 5xx, memory bounded",
  // Raising the soft limit needs a hard limit that allows it.
  ignore: LIMITS.hard < FILES_NEEDED,
  async fn() {
    const n = await startStressNovalet("", { fileLimit: FILES_NEEDED });
    try {
      // Warm the paths the load uses, then take the idle figure.
      for (const path of ["/", "/v2.1/flavors/detail", "/v2.1/servers", "/v2.1/os-keypairs"]) {
        const res = await fetch(`${n.url}${path}`, { headers: { "X-Auth-Token": ADMIN } });
        await res.body?.cancel();
      }
      await sleep(500);
      const idleKb = procStatusKb(n.pid, "VmRSS");
      let openAtOnce = 0;
      const report = await runLoadClient(n.port, () => openAtOnce = openFiles(n.pid));
      const peakKb = procStatusKb(n.pid, "VmHWM");
      await sleep(1000);
      const afterKb = procStatusKb(n.pid, "VmRSS");
      const figures = {
        ...report,
        serverOpenFilesWhileAllConnected: openAtOnce,
        idleMiB: Math.round(idleKb / 1024),
        peakMiB: Math.round(peakKb / 1024),
        afterMiB: Math.round(afterKb / 1024),
      };
      console.log(`5,000 connections: ${JSON.stringify(figures)}`);
      assert.equal(report.connected, CONNECTIONS);
      assert.ok(openAtOnce >= CONNECTIONS, `the server held ${openAtOnce} files at once`);
      assert.equal(report.sent, CONNECTIONS * REQUESTS_EACH);
      assert.equal(report.answered, report.sent, "every request answered");
      assert.equal(report.resets + report.eofs + report.timeouts, 0);
      for (const status of Object.keys(report.statuses)) {
        assert.ok(Number(status) < 500, `no 5xx: ${JSON.stringify(report.statuses)}`);
      }
      // Bounded: each connection costs the server well under 48 KiB.
      const perConnectionKb = (peakKb - idleKb) / CONNECTIONS;
      assert.ok(perConnectionKb < 48, `${perConnectionKb.toFixed(1)} KiB per connection`);
      assert.ok(peakKb < 1024 * 1024, `peak RSS ${peakKb} KiB`);
    } finally {
      await n.stop();
    }
  },
});

if (LIMITS.hard < FILES_NEEDED) {
  console.warn(
    `overload_test: the 5,000-connection test is skipped: it needs ${FILES_NEEDED} open files ` +
      `and the hard limit (ulimit -Hn) is ${LIMITS.hard}`,
  );
}
