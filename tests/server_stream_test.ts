/**
 * The server's streaming: request bodies read chunk by chunk
 * (`BodyReader.stream`, Content-Length and chunked, with the size limit)
 * and streamed response bodies (`ApiResponse.stream`) written after their
 * head, cut to their length, closing the connection when they fall short.
 */

import assert from "node:assert/strict";
import type { App } from "../lib/app.ts";
import { Conf } from "../lib/config/conf.ts";
import { bodyChunks, bodyFrom, type BodyReader, BodyTooLargeError } from "../lib/request.ts";
import { ApiResponse } from "../lib/response.ts";
import { serve, type Server } from "../lib/server.ts";

const enc = new TextEncoder();

async function start(app: App): Promise<Server> {
  const conf = Conf.load([{ name: "test", text: "[wsgi]\n" }]);
  return await serve({ name: "test", app, hostname: "127.0.0.1", port: 0, conf });
}

function text(status: number, body: string): ApiResponse {
  return new ApiResponse(status, [["Content-Length", String(enc.encode(body).length)]], body);
}

/** Counts the chunks and bytes of the body, at most `?limit=` bytes. */
const counter: App = async (req) => {
  const limit = /limit=(\d+)/.exec(req.query)?.[1];
  let chunks = 0;
  let bytes = 0;
  let sum = 0;
  try {
    for await (const chunk of req.body.stream!(limit ? Number(limit) : undefined)) {
      chunks++;
      bytes += chunk.length;
      for (const b of chunk) sum = (sum + b) % 65521;
    }
  } catch (err) {
    if (err instanceof BodyTooLargeError) return text(413, "too large");
    throw err;
  }
  return text(200, `${chunks} ${bytes} ${sum}`);
};

function pattern(size: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(size).map((_, i) => (i * 31) % 256);
}

function checksum(data: Uint8Array): number {
  let sum = 0;
  for (const b of data) sum = (sum + b) % 65521;
  return sum;
}

/** Raw exchange: sends `request`, reads until the peer closes or `ms` pass. */
async function raw(port: number, request: Uint8Array | string, ms = 2000): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const timer = setTimeout(() => conn.close(), ms);
  let out = "";
  try {
    await conn.write(typeof request === "string" ? enc.encode(request) : request);
    const buf = new Uint8Array(65536);
    for (;;) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) break;
      out += String.fromCharCode(...buf.subarray(0, n));
    }
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch { /* closed by the timer */ }
  }
  return out;
}

Deno.test("BodyReader.stream() reads a Content-Length body in chunks, all of it", async () => {
  const server = await start(counter);
  try {
    const data = pattern(700_000);
    const res = await fetch(`http://127.0.0.1:${server.port}/`, { method: "PUT", body: data });
    const [chunks, bytes, sum] = (await res.text()).split(" ").map(Number);
    assert.equal(bytes, data.length);
    assert.equal(sum, checksum(data));
    assert.ok(chunks > 1, `one chunk per read, got ${chunks}`);
  } finally {
    await server.stop();
  }
});

Deno.test("BodyReader.stream() decodes a chunked body", async () => {
  const server = await start(counter);
  try {
    const data = pattern(500_000);
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let at = 0; at < data.length; at += 100_000) c.enqueue(data.slice(at, at + 100_000));
        c.close();
      },
    });
    const res = await fetch(`http://127.0.0.1:${server.port}/`, { method: "PUT", body });
    const [, bytes, sum] = (await res.text()).split(" ").map(Number);
    assert.equal(bytes, data.length);
    assert.equal(sum, checksum(data));
  } finally {
    await server.stop();
  }
});

Deno.test("BodyReader.stream() refuses a Content-Length over the limit before reading", async () => {
  const server = await start(counter);
  try {
    // No body byte is sent: the answer must not wait for any.
    const reply = await raw(
      server.port,
      "PUT /?limit=10 HTTP/1.1\r\nContent-Length: 5000000\r\n\r\n",
    );
    assert.match(reply, /^HTTP\/1\.1 413 /);
    assert.match(reply, /\r\nConnection: close\r\n/);
  } finally {
    await server.stop();
  }
});

Deno.test("BodyReader.stream() stops a chunked body once it passes the limit", async () => {
  const server = await start(counter);
  try {
    const reply = await raw(
      server.port,
      "PUT /?limit=10 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n14\r\n" + "x".repeat(20) +
        "\r\n",
    );
    assert.match(reply, /^HTTP\/1\.1 413 /);
    assert.match(reply, /\r\nConnection: close\r\n/);
  } finally {
    await server.stop();
  }
});

Deno.test("bodyChunks() falls back to read() for readers without stream()", async () => {
  const plain: BodyReader = {
    contentLength: 3,
    chunked: false,
    read: () => Promise.resolve(enc.encode("abc")),
  };
  const got: Uint8Array[] = [];
  for await (const c of bodyChunks(plain)) got.push(c);
  assert.deepEqual(got, [enc.encode("abc")]);
  await assert.rejects(async () => {
    for await (const _ of bodyChunks(bodyFrom("abcdef"), 3)) { /* nothing */ }
  }, BodyTooLargeError);
});

/** Answers a streamed body: `parts` chunks of `size` bytes, announced as `length`. */
function streamer(parts: number, size: number, length: number, started: { value: boolean }): App {
  return () => {
    const res = new ApiResponse(200, [["Content-Type", "application/octet-stream"]]);
    res.stream = {
      length,
      chunks: (async function* () {
        started.value = true;
        for (let i = 0; i < parts; i++) yield new Uint8Array(size).fill(65 + i);
      })(),
    };
    return Promise.resolve(res);
  };
}

Deno.test("ApiResponse.stream: written after the head, with its Content-Length", async () => {
  const started = { value: false };
  const server = await start(streamer(3, 100_000, 300_000, started));
  try {
    const res = await fetch(`http://127.0.0.1:${server.port}/`);
    assert.equal(res.headers.get("content-length"), "300000");
    const body = new Uint8Array(await res.arrayBuffer());
    assert.equal(body.length, 300_000);
    assert.equal(body[0], 65);
    assert.equal(body[299_999], 67);
  } finally {
    await server.stop();
  }
});

Deno.test("ApiResponse.stream: cut to its length; the connection stays open", async () => {
  const server = await start(streamer(3, 10, 25, { value: false }));
  try {
    const reply = await raw(
      server.port,
      "GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nConnection: close\r\n\r\n",
    );
    const answers = reply.split(/HTTP\/1\.1 200 OK\r\n/).slice(1);
    assert.equal(answers.length, 2, "both requests answered on one connection");
    assert.ok(answers[0].endsWith("\r\n\r\n" + "A".repeat(10) + "B".repeat(10) + "C".repeat(5)));
  } finally {
    await server.stop();
  }
});

Deno.test("ApiResponse.stream: short of its length, the connection closes", async () => {
  const server = await start(streamer(1, 10, 50, { value: false }));
  try {
    const reply = await raw(server.port, "GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n");
    assert.equal(
      reply.split("HTTP/1.1 200 OK").length - 1,
      1,
      "the second request is not answered",
    );
    assert.ok(reply.endsWith("A".repeat(10)));
  } finally {
    await server.stop();
  }
});

Deno.test("ApiResponse.stream: HEAD sends the head only and never starts the body", async () => {
  const started = { value: false };
  const server = await start(streamer(2, 10, 20, started));
  try {
    const reply = await raw(server.port, "HEAD / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert.match(reply, /\r\nContent-Length: 0\r\n/);
    assert.ok(reply.endsWith("\r\n\r\n"));
    assert.equal(started.value, false);
  } finally {
    await server.stop();
  }
});
