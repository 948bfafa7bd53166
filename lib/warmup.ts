/**
 * Work that must happen at start-up but not before the first answer:
 * loading the compute API's controllers (and with them nova-compute's
 * init_host recovery). Factories register it here; main.ts runs it once
 * every listener is up.
 *
 * @module
 */

const pending: (() => Promise<unknown>)[] = [];

/** Registers start-up work to run right after the listeners are up. */
export function onWarmup(fn: () => Promise<unknown>): void {
  pending.push(fn);
}

/** Runs the registered work; rejects with the first failure. */
export async function runWarmups(): Promise<void> {
  const work = pending.splice(0);
  await Promise.all(work.map((fn) => fn()));
}
