/**
 * The load client of the 5,000-connection test, run in its own process
 * (with its own open-file limit). It opens CONNECTIONS keep-alive
 * connections to 127.0.0.1:PORT, each confirmed by a first answer (at most
 * OPENING at a time: the kernel's accept queue drops handshakes past its
 * 511 places, and their retries take seconds), prints `OPEN` and waits a
 * second with all of them open, then has every connection send REQUESTS
 * requests one after the other, all at once, and prints a JSON report.
 *
 * Usage: deno run --allow-net=127.0.0.1 _load_client.ts PORT CONNECTIONS REQUESTS
 *
 * @module
 */

import { RawClosed, RawConnection } from "../../tools/raw_http.ts";

const [port, connections, requests] = Deno.args.map(Number);
const PATHS = ["/v2.1/flavors/detail", "/", "/v2.1/servers", "/v2.1/os-keypairs", "/v2.1/flavors"];

function request(i: number): string {
  const path = PATHS[i % PATHS.length];
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: admin:admin\r\n` +
    `Accept: application/json\r\n\r\n`;
}

const OPENING = 400;

/** A connection the server has answered once (GET /), or null. */
async function connect(): Promise<RawConnection | null> {
  try {
    const conn = await RawConnection.open(port);
    await conn.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    if ((await conn.response({ timeoutMs: 30_000 })).status === 200) return conn;
    conn.close();
  } catch { /* counted as not connected */ }
  return null;
}

const opened: (RawConnection | null)[] = [];
let next = 0;
await Promise.all(Array.from({ length: OPENING }, async () => {
  while (next < connections) {
    next++;
    opened.push(await connect());
  }
}));
const conns = opened.filter((c): c is RawConnection => c !== null);
console.log("OPEN");
await new Promise((r) => setTimeout(r, 1000));

const report = {
  connected: conns.length,
  connectErrors: connections - conns.length,
  sent: 0,
  answered: 0,
  statuses: {} as Record<string, number>,
  resets: 0,
  eofs: 0,
  timeouts: 0,
  p50: 0,
  p99: 0,
  max: 0,
  seconds: 0,
};
const latencies: number[] = [];
const t0 = performance.now();

await Promise.all(conns.map(async (conn, c) => {
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    try {
      await conn.send(request(c + i));
      report.sent++;
      const res = await conn.response({ timeoutMs: 60_000 });
      latencies.push(performance.now() - started);
      report.answered++;
      report.statuses[res.status] = (report.statuses[res.status] ?? 0) + 1;
    } catch (err) {
      if (!(err instanceof RawClosed)) throw err;
      if (err.why === "reset") report.resets++;
      else if (err.why === "eof") report.eofs++;
      else report.timeouts++;
      break;
    }
  }
  conn.close();
}));

report.seconds = Math.round((performance.now() - t0) / 10) / 100;
latencies.sort((a, b) => a - b);
const at = (q: number) => Math.round(latencies[Math.floor(q * (latencies.length - 1))] ?? 0);
report.p50 = at(0.5);
report.p99 = at(0.99);
report.max = at(1);
console.log(JSON.stringify(report));
