/**
 * Gives the memory of a burst of work back once the burst is over. Under
 * load V8 grows its heap (the young generation up to 16 MB semi-spaces, the
 * old one to a multiple of what lives) and keeps it until its memory reducer
 * runs, many seconds later: right after 10,000 creates most of the RSS is
 * that garbage, not the servers (and the response buffers it still holds).
 * Twice a second this looks at the heap; when it has grown well past its
 * size after the last such collection and the process allocated little
 * since the last look (a busy server allocates tens of MB per second; an
 * idle one still a few hundred KB, V8's own background work included), one
 * full collection that shrinks the heap returns the pages (≈ 20 ms, only
 * while (nearly) idle, and at most once per 16 MB of growth).
 *
 * The collector is V8's `gc()`, reached through `--expose-gc` in a context
 * of its own; where there is none (Bun), nothing runs.
 *
 * @module
 */

import { after } from "./timers.ts";

/** How often the heap is looked at. */
const TICK_MS = 500;
/** Allocated between two looks below which the process counts as idle (a few requests). */
const QUIET_BYTES = 2 * 1024 * 1024;
/** Growth of the heap since the last collection that is worth giving back. */
const GROWTH_BYTES = 16 * 1024 * 1024;

/** What one look at the heap reads. */
export interface HeapReading {
  /** Bytes allocated so far (or, where not counted, the heap in use). */
  readonly allocated: number;
  /** The heap's committed size, with the buffers it holds outside (ArrayBuffers). */
  readonly total: number;
}

/** Whether to collect now: idle since `previous`, and grown past `settledTotal`. */
export function shouldCollect(
  previous: HeapReading,
  now: HeapReading,
  settledTotal: number,
): boolean {
  const quiet = Math.abs(now.allocated - previous.allocated) < QUIET_BYTES;
  return quiet && now.total > settledTotal + GROWTH_BYTES;
}

/** Reading the heap and collecting it fully. */
export interface HeapTools {
  read(): HeapReading;
  collect(): void;
}

type Collect = (options?: Record<string, string>) => void;

/**
 * V8's heap statistics and `gc()`, or null where the runtime does not give
 * `gc()`. Loaded on demand: node:vm and node:v8 cost start-up ≈ 10 ms.
 */
export async function heapTools(): Promise<HeapTools | null> {
  try {
    const { getHeapStatistics, setFlagsFromString } = await import("node:v8");
    const { runInNewContext } = await import("node:vm");
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("typeof gc === 'function' ? gc : null") as Collect | null;
    if (!gc) return null;
    return {
      read() {
        const s = getHeapStatistics() as ReturnType<typeof getHeapStatistics> & {
          total_allocated_bytes?: number;
        };
        return {
          allocated: s.total_allocated_bytes ?? s.used_heap_size,
          total: s.total_heap_size + (s.external_memory ?? 0),
        };
      },
      // "last-resort": the collection that also shrinks the young generation.
      collect: () => gc({ type: "major", execution: "sync", flavor: "last-resort" }),
    };
  } catch {
    return null;
  }
}

/** Looks at the heap every tick until `stopped()`, collecting as {@link shouldCollect} says. */
function watch(tools: HeapTools, stopped: () => boolean): void {
  let previous = tools.read();
  let settledTotal = 0;
  const tick = () => {
    if (stopped()) return;
    const now = tools.read();
    if (shouldCollect(previous, now, settledTotal)) {
      tools.collect();
      previous = tools.read();
      settledTotal = previous.total;
    } else {
      previous = now;
    }
    after(TICK_MS, tick);
  };
  after(TICK_MS, tick);
}

/** Starts the idle collections (see the module doc); `stop()` ends them. */
export function startIdleGc(tools: Promise<HeapTools | null> = heapTools()): { stop(): void } {
  let stopped = false;
  void tools.then((t) => t && !stopped && watch(t, () => stopped));
  return {
    stop() {
      stopped = true;
    },
  };
}
