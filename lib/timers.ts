/**
 * Timers for the paths that run at start-up and on every request. On Deno
 * 2.9 the first `setTimeout` loads its Node timers layer (~10 ms, ~5 MB);
 * `AbortSignal.timeout` uses the runtime's own timer and does not. These
 * timers do not keep the process alive (the listeners do).
 *
 * @module
 */

/** Calls `fn` once after `ms`, unless cancelled first. */
export function after(ms: number, fn: () => void): { cancel(): void } {
  let cancelled = false;
  AbortSignal.timeout(ms).addEventListener("abort", () => {
    if (!cancelled) fn();
  }, { once: true });
  return {
    cancel() {
      cancelled = true;
    },
  };
}

/** Calls `fn` every `ms` until stopped. */
export function every(ms: number, fn: () => void): { stop(): void } {
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    fn();
    after(ms, tick);
  };
  after(ms, tick);
  return {
    stop() {
      stopped = true;
    },
  };
}
