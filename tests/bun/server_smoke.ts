/**
 * Runs the server on Bun (or Deno) and checks a few exchanges byte for
 * byte: a keep-alive pair, HEAD, a 204, a chunked body, pipelining, the
 * 414 and HTTP/1.0. Exits non-zero on the first mismatch.
 *
 *     bun tests/bun/server_smoke.ts
 *     deno run --allow-all tests/bun/server_smoke.ts
 *
 * @module
 */

import * as net from "node:net";
import type { App } from "../../lib/app.ts";
import { Conf } from "../../lib/config/conf.ts";
import { ApiResponse, jsonResponse } from "../../lib/response.ts";
import { exit, RUNTIME } from "../../lib/runtime.ts";
import { serve } from "../../lib/server.ts";

const app: App = async (req) => {
  if (req.pathInfo === "/none") return new ApiResponse(204);
  if (req.pathInfo === "/body") {
    const body = await req.body.read(1024);
    return jsonResponse(200, { length: body.length });
  }
  return jsonResponse(200, { path: req.pathInfo, query: req.query });
};

/** Sends `data` on one connection and collects what comes back until `done` says so or EOF. */
function exchange(port: number, data: string, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const sock = net.connect(port, "127.0.0.1", () => sock.write(data));
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`Timed out; got ${JSON.stringify(text)}`));
    }, 5000);
    const finish = () => {
      clearTimeout(timer);
      sock.destroy();
      resolve(text);
    };
    sock.on("data", (chunk: Uint8Array) => {
      text += String.fromCharCode(...chunk);
      if (done(text)) finish();
    });
    sock.on("end", finish);
    sock.on("error", reject);
  });
}

const mask = (text: string) => text.replace(/\r\nDate: [^\r]*/g, "\r\nDate: X");
const count = (text: string, what: string) => text.split(what).length - 1;

const jsonHead = (length: number) =>
  `HTTP/1.1 200 OK\r\nContent-Length: ${length}\r\nContent-Type: application/json\r\nDate: X\r\n\r\n`;
const json = (body: string) => jsonHead(body.length) + body;

interface Check {
  name: string;
  send: string;
  until: (text: string) => boolean;
  expect: string;
}

const CHECKS: Check[] = [
  {
    name: "keep-alive pair",
    send: "GET /a?x=1 HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n",
    until: (t) => count(t, "HTTP/1.1 200") === 2 && t.endsWith("}"),
    expect: json('{"path": "/a", "query": "x=1"}') + json('{"path": "/b", "query": ""}'),
  },
  {
    name: "HEAD and 204",
    send: "HEAD /h HTTP/1.1\r\n\r\nGET /none HTTP/1.1\r\n\r\n",
    until: (t) => t.includes("204 No Content") && t.endsWith("\r\n\r\n"),
    expect: jsonHead('{"path": "/h", "query": ""}'.length) +
      "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nDate: X\r\n\r\n",
  },
  {
    name: "chunked body",
    send:
      "POST /body HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
    until: (t) => t.endsWith("}"),
    expect: json('{"length": 5}'),
  },
  {
    name: "414",
    send: `GET /${"a".repeat(9000)} HTTP/1.1\r\n\r\n`,
    until: () => false,
    expect: "HTTP/1.0 414 Request URI Too Long\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
  },
  {
    name: "HTTP/1.0",
    send: "GET /old HTTP/1.0\r\n\r\n",
    until: () => false,
    expect: json('{"path": "/old", "query": ""}').replace(
      "Date: X\r\n",
      "Date: X\r\nConnection: close\r\n",
    ),
  },
];

async function main(): Promise<number> {
  const conf = Conf.load([{ name: "smoke", text: "[wsgi]\n" }]);
  const server = await serve({ name: "smoke", app, hostname: "127.0.0.1", port: 0, conf });
  let failures = 0;
  try {
    for (const check of CHECKS) {
      const got = mask(await exchange(server.port, check.send, check.until));
      const ok = got === check.expect;
      if (!ok) failures++;
      console.log(`${ok ? "ok  " : "FAIL"} ${check.name}`);
      if (!ok) {
        console.log(
          `  expected ${JSON.stringify(check.expect)}\n  got      ${JSON.stringify(got)}`,
        );
      }
    }
  } finally {
    await server.stop();
  }
  console.log(`${RUNTIME}: ${CHECKS.length - failures}/${CHECKS.length} passed`);
  return failures === 0 ? 0 : 1;
}

exit(await main());
