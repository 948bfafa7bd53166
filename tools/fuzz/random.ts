/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives
 * the same sequence on every run, so a failing fuzz run can be replayed.
 *
 * @module
 */

/** A function returning numbers in [0, 1), the same sequence for the same seed. */
export type Random = () => number;

/** mulberry32 seeded with `seed` (any integer). */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function below(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** One item of `items`. */
export function pick<T>(random: Random, items: readonly T[]): T {
  return items[below(random, items.length)];
}
