/**
 * The idle collection: taken only when the process allocated next to
 * nothing for a tick and the heap grew well past its last collected size;
 * and V8's collector is reachable under Deno.
 */

import { strict as assert } from "node:assert";
import { heapTools, shouldCollect, startIdleGc } from "../lib/idle_gc.ts";

const MB = 1024 * 1024;

Deno.test("shouldCollect(): idle and grown by 16 MB since the last collection", () => {
  const at = (allocatedMb: number, totalMb: number) => ({
    allocated: allocatedMb * MB,
    total: totalMb * MB,
  });
  assert.equal(shouldCollect(at(100, 90), at(100.1, 90), 20 * MB), true);
  // Busy: megabytes allocated in the tick.
  assert.equal(shouldCollect(at(100, 90), at(104, 90), 20 * MB), false);
  // A collection of V8's own in the tick counts as busy too.
  assert.equal(shouldCollect(at(100, 90), at(60, 90), 20 * MB), false);
  // Idle, but the heap is about as small as after the last collection.
  assert.equal(shouldCollect(at(100, 30), at(100, 30), 20 * MB), false);
});

Deno.test("heapTools(): V8's gc() under Deno, giving a grown heap back", async () => {
  const tools = await heapTools();
  assert.ok(tools);
  let garbage: unknown[] = [];
  for (let i = 0; i < 300_000; i++) garbage.push({ i, text: `item ${i}` });
  const grown = tools.read().total;
  garbage = [];
  tools.collect();
  assert.ok(tools.read().total < grown - 8 * MB);
  assert.equal(garbage.length, 0);
});

Deno.test("startIdleGc(): collects once the process is idle, and stops", async () => {
  let collected = 0;
  // A heap reading 32 MB over the start, no allocation: the second look collects.
  const fake = { read: () => ({ allocated: 0, total: 32 * MB }), collect: () => void collected++ };
  const idle = startIdleGc(Promise.resolve(fake));
  await new Promise((r) => setTimeout(r, 1300));
  idle.stop();
  assert.equal(collected, 1);
});
