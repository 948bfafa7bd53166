/**
 * Start-up and memory of the two ways novalet ships: `deno run` with the
 * permissions of `deno task start`, and the executable of `bun build
 * --compile main.ts`. Each starts in a fresh directory on its embedded
 * defaults (the three APIs of `deno task start`, on free ports), once to
 * create the database and then `starts` times on it, as PERF.md timed
 * nova-api on an existing database: spawn to the first 200 on `GET /`,
 * polled every 5 ms. The last start then idles 2 s (RSS idle) and answers
 * 10,000 requests, `GET /` and `GET /v2.1/` (RSS after).
 *
 * @module
 */

import { freePort, stopChild } from "./fleet.ts";
import { type LoadResult, measure, type Tool } from "./load.ts";
import { type Memory, memory } from "./procs.ts";
import { NOAUTH_ADMIN } from "./scenarios.ts";

/** What was measured for one way of running novalet. */
export interface StartupFigures {
  command: string;
  /** Spawn to the first 200 on GET /, creating the database. */
  firstStartMs: number;
  /** The same on the existing database, each start. */
  startsMs: number[];
  idle: Memory;
  after10k: Memory;
  load10k: LoadResult[];
}

const MAIN = new URL("../main.ts", import.meta.url).pathname;

/** One probe: whether GET / answered 200 (a fresh connection, closed after). */
async function answers(port: number): Promise<boolean> {
  let conn: Deno.TcpConn | null = null;
  try {
    conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(
      new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    );
    const buf = new Uint8Array(16);
    let got = 0;
    while (got < 12) {
      const n = await conn.read(buf.subarray(got));
      if (n === null) break;
      got += n;
    }
    return new TextDecoder().decode(buf.subarray(0, got)).startsWith("HTTP/1.1 200");
  } catch {
    return false;
  } finally {
    try {
      conn?.close();
    } catch { /* closed */ }
  }
}

interface Launch {
  program: string;
  args: string[];
  port: number;
  dir: string;
}

/**
 * A fresh directory with a config that moves the three listeners to free
 * ports; for "bare", the hello world on one.
 */
function prepare(program: "deno" | "bare" | string): Launch {
  const dir = Deno.makeTempDirSync({ prefix: "novalet-bench-start-" });
  const [api, meta, image] = [freePort(), freePort(), freePort()];
  if (program === "bare") {
    const hello = new URL("./hello.ts", import.meta.url).pathname;
    const args = ["run", `--allow-net=127.0.0.1:${api}`, hello, String(api)];
    return { program: Deno.execPath(), args, port: api, dir };
  }
  Deno.writeTextFileSync(
    `${dir}/bench.conf`,
    `[DEFAULT]\nosapi_compute_listen_port = ${api}\nmetadata_listen_port = ${meta}\n` +
      `image_listen_port = ${image}\nlog_file = data/novalet.log\n`,
  );
  const config = ["--config-file", "bench.conf"];
  if (program !== "deno") return { program, args: config, port: api, dir };
  // deno task start's flags, with these ports.
  const net = [api, meta, image].map((p) => `127.0.0.1:${p}`).join(",");
  return {
    program: Deno.execPath(),
    args: ["run", `--allow-net=${net}`, "--allow-read=.", "--allow-write=data", MAIN, ...config],
    port: api,
    dir,
  };
}

/** Spawns it and polls GET / every 5 ms; the child and the milliseconds to its first 200. */
async function launch(l: Launch): Promise<{ child: Deno.ChildProcess; ms: number }> {
  const t0 = performance.now();
  const child = new Deno.Command(l.program, {
    args: l.args,
    cwd: l.dir,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  let exited = false;
  child.status.then(() => (exited = true));
  while (!(await answers(l.port))) {
    if (exited || performance.now() - t0 > 30_000) {
      await stopChild(child);
      throw new Error(`${l.program} did not answer GET / (in ${l.dir})`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return { child, ms: performance.now() - t0 };
}

/**
 * Measures one way of running novalet: `program` is "deno" (deno run
 * main.ts) or the path of the executable; "bare" measures the hello world.
 */
export async function startup(
  program: "deno" | "bare" | string,
  starts: number,
  tool: Tool,
): Promise<StartupFigures> {
  const l = prepare(program);
  try {
    const first = await launch(l);
    await stopChild(first.child);
    const startsMs: number[] = [];
    let last: Deno.ChildProcess | null = null;
    for (let i = 0; i < starts; i++) {
      const s = await launch(l);
      startsMs.push(s.ms);
      if (i < starts - 1) await stopChild(s.child);
      else last = s.child;
    }
    const pid = last!.pid;
    await new Promise((r) => setTimeout(r, 2000));
    const idle = memory(pid);
    const load10k: LoadResult[] = [];
    for (
      const [path, headers] of [["/", {}], ["/v2.1/", { "X-Auth-Token": NOAUTH_ADMIN }]] as const
    ) {
      load10k.push(
        await measure({
          url: `http://127.0.0.1:${l.port}${path}`,
          headers,
          connections: 64,
          threads: 2,
          requests: 5000,
        }, { tool, pids: [pid] }),
      );
    }
    const after10k = memory(pid);
    await stopChild(last!);
    return {
      command: `${[l.program, ...l.args].join(" ")} (cwd: a fresh directory)`,
      firstStartMs: first.ms,
      startsMs,
      idle,
      after10k,
      load10k,
    };
  } finally {
    await Deno.remove(l.dir, { recursive: true }).catch(() => {});
  }
}
