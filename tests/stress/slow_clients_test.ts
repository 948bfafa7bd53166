/**
 * Slow and hostile clients, end to end: heads sent a byte a second
 * (slowloris) and trickled bodies hold no request slot and are cut at
 * `[wsgi] client_socket_timeout` while other clients are served at once;
 * oversized request lines and headers get eventlet's answers; a body past
 * `max_request_body_size` is answered 413 without being read.
 */

import assert from "node:assert/strict";
import {
  RESPONSE_414,
  RESPONSE_HEADER_LINE_TOO_LONG,
  RESPONSE_HEADERS_TOO_LARGE,
} from "../../lib/http/parser.ts";
import { bodyText, header, RawClosed, RawConnection } from "../../tools/raw_http.ts";
import type { Novalet } from "../_server.ts";
import { ADMIN, quantile, rawRequest, sleep, startStressNovalet, until } from "./_stress.ts";

const TIMEOUT_S = 2;
const LATIN1 = new TextDecoder("latin1");

/** What happened to one slow client. */
interface SlowResult {
  /** ms from its first byte until the server closed the connection (Infinity: it did not). */
  closedAfter: number;
  /** Bytes the server sent it (a cut connection gets none). */
  answer: string;
  bytesSent: number;
}

/**
 * Sends `start` at once, then `trickle` one byte a second, until the server
 * closes the connection (or `giveUpMs` passes).
 */
async function slowClient(
  n: Novalet,
  start: string,
  trickle: string,
  giveUpMs = 8000,
): Promise<SlowResult> {
  const conn = await RawConnection.open(n.port);
  const t0 = Date.now();
  let closedAt = Infinity;
  const closed = conn.rest(giveUpMs).then(
    (rest) => {
      closedAt = Date.now();
      return LATIN1.decode(rest.bytes);
    },
    () => "",
  );
  try {
    await conn.send(start);
    for (let i = 0; i < trickle.length && closedAt === Infinity; i++) {
      await Promise.race([sleep(1000), closed]);
      if (closedAt !== Infinity) break;
      await conn.send(trickle[i]).catch(() => {});
    }
    const answer = await closed;
    return { closedAfter: closedAt - t0, answer, bytesSent: conn.sent };
  } finally {
    conn.close();
  }
}

Deno.test("slow clients: slowloris heads and trickled bodies hold no slot and are cut at client_socket_timeout", async () => {
  const n = await startStressNovalet(
    `[wsgi]\nclient_socket_timeout = ${TIMEOUT_S}\ndefault_pool_size = 2`,
  );
  try {
    const slowloris = Array.from({ length: 10 }, () =>
      slowClient(
        n,
        "GET /v2.1/flavors HTTP/1.1\r\n",
        `X-Auth-Token: ${ADMIN}\r\nX-Padding: ${"a".repeat(40)}\r\n`,
      ));
    const trickled = Array.from({ length: 10 }, () =>
      slowClient(
        n,
        rawRequest("POST", "/v2.1/flavors", {
          "X-Auth-Token": ADMIN,
          "Content-Type": "application/json",
          "Content-Length": "100",
        }),
        `{"flavor": {"name": "${"x".repeat(80)}"}}`,
      ));
    const idle = slowClient(n, "", "");
    // Meanwhile an ordinary client is served at once, request after request.
    const fast = await RawConnection.open(n.port);
    const latencies: number[] = [];
    const until = Date.now() + (TIMEOUT_S + 1) * 1000;
    for (let i = 0; Date.now() < until; i++) {
      const t = performance.now();
      const post = i % 2 === 1;
      await fast.send(
        post
          ? rawRequest("POST", "/v2.1/flavors", { "X-Auth-Token": ADMIN }, '{"flavor": {}}')
          : rawRequest("GET", "/v2.1/flavors/detail", { "X-Auth-Token": ADMIN }),
      );
      const res = await fast.response({ timeoutMs: 5000 });
      assert.equal(res.status, post ? 400 : 200);
      latencies.push(performance.now() - t);
      await sleep(50);
    }
    fast.close();
    const results = await Promise.all([...slowloris, ...trickled, idle]);
    const closedAfter = results.map((r) => r.closedAfter);
    console.log(
      `slow clients: ordinary requests ${latencies.length}, p50 ${
        quantile(latencies, 0.5).toFixed(1)
      } ms, max ${Math.max(...latencies).toFixed(1)} ms; slow connections cut after ${
        Math.min(...closedAfter)
      }..${Math.max(...closedAfter)} ms`,
    );
    // A slot held by a slow client would make them wait the whole timeout.
    assert.ok(
      Math.max(...latencies) < 1000,
      `an ordinary request waited ${Math.max(...latencies)}`,
    );
    for (const r of results) {
      assert.ok(
        r.closedAfter >= (TIMEOUT_S - 0.5) * 1000 && r.closedAfter <= (TIMEOUT_S + 3) * 1000,
        `cut after ${r.closedAfter} ms`,
      );
      assert.equal(r.answer, "", "a connection cut for its pace gets no answer");
    }
  } finally {
    await n.stop();
  }
});

Deno.test("slow clients: a body trickled to the API is cut at client_socket_timeout and its slot freed", async () => {
  const n = await startStressNovalet(
    `[wsgi]\nclient_socket_timeout = ${TIMEOUT_S}\ndefault_pool_size = 1`,
  );
  try {
    // Expect: 100-continue is read by the API itself, inside its slot.
    const slow = slowClient(
      n,
      rawRequest("POST", "/v2.1/flavors", {
        "X-Auth-Token": ADMIN,
        "Content-Type": "application/json",
        "Expect": "100-continue",
        "Content-Length": "100",
      }),
      "x".repeat(100),
    );
    await sleep(300);
    const queued = await RawConnection.open(n.port);
    const t0 = Date.now();
    await queued.send(rawRequest("GET", "/v2.1/flavors", { "X-Auth-Token": ADMIN }));
    const res = await queued.response({ timeoutMs: 8000 });
    const waited = Date.now() - t0;
    queued.close();
    assert.equal(res.status, 200);
    const cut = await slow;
    assert.equal(cut.answer, "HTTP/1.1 100 Continue\r\n\r\n", "asked for the body, then cut");
    assert.ok(cut.closedAfter <= (TIMEOUT_S + 3) * 1000, `cut after ${cut.closedAfter} ms`);
    assert.ok(waited >= 1000 && waited <= (TIMEOUT_S + 3) * 1000, `queued for ${waited} ms`);
  } finally {
    await n.stop();
  }
});

/** Sends `request` on a new connection; returns everything until the server closes. */
async function exchange(n: Novalet, request: string): Promise<{ text: string; reset: boolean }> {
  const conn = await RawConnection.open(n.port);
  try {
    await conn.send(request).catch((err) => {
      if (!(err instanceof RawClosed)) throw err;
    });
    const rest = await conn.rest(5000);
    return { text: LATIN1.decode(rest.bytes), reset: rest.reset };
  } finally {
    conn.close();
  }
}

Deno.test("hostile clients: oversized request lines and headers get eventlet's answers", async () => {
  const n = await startStressNovalet();
  try {
    const token = `X-Auth-Token: ${ADMIN}\r\n`;
    const cases: [string, string, Uint8Array | RegExp][] = [
      ["a 9000-byte URL", `GET /v2.1/${"a".repeat(9000)} HTTP/1.1\r\n\r\n`, RESPONSE_414],
      [
        "a header line of max_header_line bytes",
        `GET /v2.1/flavors HTTP/1.1\r\n${token}X-Long: ${"b".repeat(16384)}\r\n\r\n`,
        RESPONSE_HEADER_LINE_TOO_LONG,
      ],
      [
        "more than 64 KiB of headers",
        `GET /v2.1/flavors HTTP/1.1\r\n${
          Array.from({ length: 9 }, (_, i) => `X-H${i}: ${"c".repeat(8000)}\r\n`).join("")
        }\r\n`,
        RESPONSE_HEADERS_TOO_LARGE,
      ],
      [
        "101 headers",
        `GET /v2.1/flavors HTTP/1.1\r\n${
          Array.from({ length: 101 }, (_, i) => `X-H${i}: v\r\n`).join("")
        }\r\n`,
        /^HTTP\/1\.1 431 Too many headers\r\n[^]*Connection: close\r\n[^]*<p>Message: Too many headers\.<\/p>/,
      ],
    ];
    for (const [what, request, expected] of cases) {
      const { text, reset } = await exchange(n, request);
      if (expected instanceof RegExp) assert.match(text, expected, what);
      else assert.equal(text, LATIN1.decode(expected), what);
      assert.equal(reset, false, `${what}: the answer is not lost to a reset`);
    }
    // An 8000-byte URL is fine, and the server goes on serving.
    const ok = await exchange(
      n,
      `GET /v2.1/flavors?${"x".repeat(8000 - 40)} HTTP/1.1\r\n${token}Connection: close\r\n\r\n`,
    );
    assert.match(ok.text, /^HTTP\/1\.1 200 OK\r\n/);
  } finally {
    await n.stop();
  }
});

Deno.test("hostile clients: a body past max_request_body_size is answered 413 without being read", async () => {
  // At DEBUG the server logs the bytes it read from each connection it closes.
  const n = await startStressNovalet("[DEFAULT]\ndebug = true");
  const size = 64 * 1024 * 1024;
  try {
    const conn = await RawConnection.open(n.port);
    const port = conn.conn.localAddr.port;
    await conn.send(rawRequest("POST", "/v2.1/servers", {
      "X-Auth-Token": ADMIN,
      "Content-Type": "application/json",
      "Accept": "application/json",
      "Content-Length": String(size),
    }));
    const answer = conn.response({ timeoutMs: 10_000 });
    let done = false;
    const writer = (async () => {
      const chunk = new Uint8Array(64 * 1024).fill(0x20);
      while (!done && conn.sent < size) await conn.send(chunk);
    })().catch(() => {});
    const res = await answer;
    done = true;
    await writer;
    conn.close();
    const closed = new RegExp(`closed connection from 127\\.0\\.0\\.1:${port}: (\\d+) bytes read`);
    await until(() => closed.test(n.log()), "the server's count of the bytes it read");
    const read = Number(closed.exec(n.log())![1]);
    console.log(
      `413: the client sent ${conn.sent} bytes of a ${size}-byte body; the server read ${read}`,
    );
    assert.equal(res.status, 413);
    assert.equal(res.reason, "Request Entity Too Large");
    assert.equal(header(res, "Connection"), "close");
    assert.deepEqual(JSON.parse(bodyText(res)), {
      message:
        "Request is too large. Larger than max_request_body_size (114688).<br /><br />\n\n\n",
      code: "413 Request Entity Too Large",
      title: "Request Entity Too Large",
    });
    // The server reads (and drops) only what came before the client saw the answer.
    assert.ok(read <= conn.sent, `the server read ${read} bytes, more than were sent`);
    assert.ok(conn.sent < size / 4, `the client could send ${conn.sent} bytes`);
  } finally {
    await n.stop();
  }
});
