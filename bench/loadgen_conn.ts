/**
 * The connections of bench/loadgen.ts: a fixed number of keep-alive
 * HTTP/1.1 connections, each sending the same request again as soon as the
 * answer is in (closed loop, as wrk does), recording each latency from the
 * first byte written to the last byte read. One worker thread runs one
 * {@link runTask}; the bench also runs one in-process to time creates.
 *
 * @module
 */

import { Histogram } from "./histogram.ts";

/** What the worker is asked to do. */
export interface WorkerTask {
  hostname: string;
  port: number;
  request: Uint8Array;
  connections: number;
  /** Stop sending this many seconds after the start (duration mode). */
  seconds: number | null;
  /** Open every connection before the start (else each opens on its first request, as wrk's). */
  connectFirst: boolean;
  /** Send at most this many requests in all (count mode). */
  requests: number | null;
  timeoutMs: number;
  /** Milliseconds each connection waits before each request (paced load). */
  delayMs: number;
}

/** What it answers with. */
export interface WorkerResult {
  histogram: Histogram;
  bytes: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
}

class Eof extends Error {}

/** Reads HTTP/1.1 responses off one connection and throws their bodies away. */
class ResponseReader {
  #conn: Deno.Conn;
  #buf = new Uint8Array(64 * 1024);
  #start = 0;
  #end = 0;
  bytes = 0;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  async #fill(): Promise<void> {
    if (this.#start === this.#end) this.#start = this.#end = 0;
    if (this.#end === this.#buf.length) {
      const grown = new Uint8Array(this.#start > 0 ? this.#buf.length : this.#buf.length * 2);
      grown.set(this.#buf.subarray(this.#start, this.#end));
      this.#end -= this.#start;
      this.#start = 0;
      this.#buf = grown;
    }
    const n = await this.#conn.read(this.#buf.subarray(this.#end));
    if (n === null) throw new Eof("connection closed");
    this.#end += n;
    this.bytes += n;
  }

  /** Index just past the next CRLF from the read position, reading more as needed. */
  async #line(): Promise<number> {
    // Counted from #start, which a refill may move (it compacts the buffer).
    for (let scanned = 0;;) {
      for (let i = this.#start + scanned; i + 1 < this.#end; i++) {
        if (this.#buf[i] === 13 && this.#buf[i + 1] === 10) return i + 2;
      }
      scanned = Math.max(0, this.#end - this.#start - 1);
      await this.#fill();
    }
  }

  async #skip(n: number): Promise<void> {
    while (n > 0) {
      if (this.#start === this.#end) await this.#fill();
      const take = Math.min(n, this.#end - this.#start);
      this.#start += take;
      n -= take;
    }
  }

  #text(from: number, to: number): string {
    return String.fromCharCode(...this.#buf.subarray(from, to));
  }

  /** Reads one response; its status and whether the server closes after it. */
  async next(): Promise<{ status: number; close: boolean }> {
    const headers = new Map<string, string>();
    let status = 0;
    for (let first = true;; first = false) {
      const end = await this.#line();
      const line = this.#text(this.#start, end - 2);
      this.#start = end;
      if (first) status = Number(line.slice(9, 12));
      else if (line === "") break;
      else {
        const colon = line.indexOf(":");
        headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
    }
    const close = /close/i.test(headers.get("connection") ?? "");
    if (/chunked/i.test(headers.get("transfer-encoding") ?? "")) await this.#chunks();
    else if (headers.has("content-length")) await this.#skip(Number(headers.get("content-length")));
    else if (status >= 200 && status !== 204 && status !== 304) {
      try { // no length: the body runs to the end of the connection
        for (;;) {
          this.#start = this.#end;
          await this.#fill();
        }
      } catch { /* end of body */ }
      return { status, close: true };
    }
    return { status, close };
  }

  async #chunks(): Promise<void> {
    for (;;) {
      const end = await this.#line();
      const size = parseInt(this.#text(this.#start, end - 2), 16);
      this.#start = end;
      if (size === 0) break;
      await this.#skip(size + 2);
    }
    for (;;) { // trailers, up to the empty line
      const end = await this.#line();
      const empty = end - this.#start === 2;
      this.#start = end;
      if (empty) return;
    }
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
}

/** Runs the task's connections to the end; resolves with what they measured. */
async function connect(task: WorkerTask): Promise<Deno.TcpConn> {
  const conn = await Deno.connect({ hostname: task.hostname, port: task.port });
  conn.setNoDelay(true);
  return conn;
}

/** Opens `n` connections, retrying refused ones for up to 30 s. */
async function connectAll(task: WorkerTask, n: number): Promise<Deno.TcpConn[]> {
  const deadline = Date.now() + 30_000;
  return await Promise.all(Array.from({ length: n }, async () => {
    for (;;) {
      try {
        return await connect(task);
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }));
}

/**
 * Runs the task's connections to the end; resolves with what they measured.
 * `ready` is awaited once the connections are open (with `connectFirst`)
 * and before the clock starts: the workers of one run start together.
 */
export async function runTask(
  task: WorkerTask,
  ready: () => Promise<void> = () => Promise.resolve(),
): Promise<WorkerResult> {
  const histogram = new Histogram();
  const errors = { connect: 0, read: 0, write: 0, status: 0, timeout: 0 };
  let bytes = 0;
  let left = task.requests ?? Infinity;
  let stopped = false;
  const open = new Set<Deno.Conn>();
  const opened = task.connectFirst ? await connectAll(task, task.connections) : [];
  await ready();
  const stopTimer = task.seconds === null ? null : setTimeout(() => {
    stopped = true;
    for (const c of open) c.close();
  }, task.seconds * 1000);

  const connection = async (first: Deno.TcpConn | undefined) => {
    let conn: Deno.TcpConn | null = first ?? null;
    let reader: ResponseReader | null = first ? new ResponseReader(first) : null;
    if (first) open.add(first);
    const drop = () => {
      if (!conn) return;
      bytes += reader?.bytes ?? 0;
      open.delete(conn);
      try {
        conn.close();
      } catch { /* closed at the deadline */ }
      conn = reader = null;
    };
    while (!stopped && left > 0) {
      if (!conn || !reader) {
        try {
          conn = await connect(task);
          open.add(conn);
          reader = new ResponseReader(conn);
        } catch {
          errors.connect++;
          await new Promise((r) => setTimeout(r, 10));
          continue;
        }
      }
      if (task.delayMs > 0) { // 0 to 2 × delayMs, as bench/wrk.ts paces wrk
        await new Promise((r) => setTimeout(r, Math.random() * 2 * task.delayMs));
        if (stopped) break;
      }
      left--;
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        drop();
      }, task.timeoutMs);
      const t0 = performance.now();
      try {
        await writeAll(conn, task.request);
      } catch {
        clearTimeout(timer);
        if (!stopped) timedOut ? errors.timeout++ : errors.write++;
        drop();
        continue;
      }
      try {
        const { status, close } = await reader.next();
        clearTimeout(timer);
        histogram.record((performance.now() - t0) * 1000);
        if (status < 200 || status >= 400) errors.status++;
        if (close) drop();
      } catch {
        clearTimeout(timer);
        if (!stopped) timedOut ? errors.timeout++ : errors.read++;
        drop();
      }
    }
    drop();
  };
  await Promise.all(Array.from({ length: task.connections }, (_, i) => connection(opened[i])));
  if (stopTimer !== null) clearTimeout(stopTimer);
  return { histogram, bytes, errors };
}
