/**
 * One worker thread of bench/loadgen.ts: runs the task it is posted and
 * posts back what its connections measured.
 *
 * @module
 */

/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />

import { runTask, type WorkerTask } from "./loadgen_conn.ts";

/** The main thread's "go" (sent once every worker is ready). */
let go: () => void = () => {};

self.onmessage = async (e: MessageEvent<WorkerTask | "go">) => {
  if (e.data === "go") return go();
  const ready = () =>
    new Promise<void>((resolve) => {
      go = resolve;
      self.postMessage("ready");
    });
  self.postMessage(await runTask(e.data, ready));
};
