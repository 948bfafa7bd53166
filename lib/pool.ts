/**
 * The request semaphore: bounds how many requests one listener runs at
 * once, the way nova's `nova.wsgi.Server` bounds request handling with an
 * `eventlet.GreenPool(CONF.wsgi.default_pool_size)`. Requests over the
 * bound wait in arrival order (FIFO).
 *
 * Shaped like Deno std's `@std/async/unstable-semaphore` `Semaphore`: a
 * linked-list queue of waiters and `acquire(): Promise<Disposable>`, so
 *
 * ```ts
 * using _permit = await pool.acquire();
 * ```
 *
 * releases the permit when the block ends. Unlike std's, a permit releases
 * at most once (disposing twice is harmless), and an unbounded pool
 * (`max = Infinity`) is allowed: see {@link poolSizeFromConf}.
 *
 * A pool may also bound how long a caller waits (`maxWaitMs`, novalet's
 * `[wsgi] max_queue_wait`): a waiter still queued after that long is
 * refused with a {@link PoolWaitTimeout}. Every waiter waits the same bound and the
 * queue is FIFO, so the oldest waiter always expires first: one timer,
 * armed for the head of the queue, serves them all.
 *
 * @module
 */

import { after } from "./timers.ts";

/** A held permit; disposing it gives it back, once. */
class Permit implements Disposable {
  #release: (() => void) | null;

  constructor(release: () => void) {
    this.#release = release;
  }

  [Symbol.dispose](): void {
    const release = this.#release;
    this.#release = null;
    release?.();
  }
}

interface Waiter {
  grant: () => void;
  /** Ends the wait without a permit. */
  expire: () => void;
  /** `performance.now()` past which the waiter expires. */
  deadline: number;
  next: Waiter | null;
}

/** Why {@link Pool.acquire} gave up: the caller waited `maxWaitMs` for a permit. */
export class PoolWaitTimeout extends Error {
  constructor(readonly waitedMs: number) {
    super(`No permit was free within ${waitedMs} ms`);
    this.name = "PoolWaitTimeout";
  }
}

/** What {@link Pool} can be told besides its size. */
export interface PoolOptions {
  /** Longest wait in {@link Pool.acquire}, in ms; 0 or absent: no bound. */
  maxWaitMs?: number;
}

/** A counting semaphore with a FIFO queue of waiters. */
export class Pool {
  readonly #max: number;
  readonly #maxWaitMs: number;
  #active = 0;
  #waiting = 0;
  #expired = 0;
  #head: Waiter | null = null;
  #tail: Waiter | null = null;
  /** The deadline the expiry timer is armed for (0: none armed). */
  #timerAt = 0;

  /**
   * @param max how many permits may be held at once; a positive integer or
   *   `Infinity` (no bound)
   * @param options `maxWaitMs`: how long a caller may wait for a permit
   * @throws {TypeError} when `max` is not a positive integer nor `Infinity`
   * @throws {RangeError} when `maxWaitMs` is negative or not a number
   */
  constructor(max: number, options: PoolOptions = {}) {
    if (!(max === Infinity || (Number.isInteger(max) && max >= 1))) {
      throw new TypeError(
        `Cannot create pool as 'max' must be a positive integer: current value is ${max}`,
      );
    }
    const maxWaitMs = options.maxWaitMs ?? 0;
    if (!(maxWaitMs >= 0)) {
      throw new RangeError(
        `Cannot create pool as 'maxWaitMs' must not be negative: current value is ${maxWaitMs}`,
      );
    }
    this.#max = max;
    this.#maxWaitMs = maxWaitMs;
  }

  /** The bound given to the constructor. */
  get max(): number {
    return this.#max;
  }

  /** Permits currently held (requests running). */
  get active(): number {
    return this.#active;
  }

  /** Callers queued in {@link acquire} (requests waiting for a slot). */
  get waiting(): number {
    return this.#waiting;
  }

  /** Waits that ended without a permit after `maxWaitMs`, so far. */
  get expired(): number {
    return this.#expired;
  }

  /**
   * Takes a permit, waiting in FIFO order when none is free.
   *
   * @returns a promise of a {@link Disposable} that gives the permit back
   * @throws {PoolWaitTimeout} (the promise rejects) when the pool has a
   *   `maxWaitMs` and no permit came within it
   */
  acquire(): Promise<Disposable> {
    if (this.#active < this.#max) {
      this.#active++;
      return Promise.resolve(this.#permit());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => resolve(this.#permit()),
        expire: () => reject(new PoolWaitTimeout(this.#maxWaitMs)),
        deadline: this.#maxWaitMs > 0 ? performance.now() + this.#maxWaitMs : Infinity,
        next: null,
      };
      if (this.#tail) this.#tail.next = waiter;
      else this.#head = waiter;
      this.#tail = waiter;
      this.#waiting++;
      this.#armTimer();
    });
  }

  /**
   * Takes a permit only if one is free now.
   *
   * @returns the permit, or `undefined` when the pool is full
   */
  tryAcquire(): Disposable | undefined {
    if (this.#active >= this.#max) return undefined;
    this.#active++;
    return this.#permit();
  }

  #permit(): Disposable {
    return new Permit(() => this.#release());
  }

  // A released permit passes straight to the oldest waiter, so the count of
  // active permits does not change and no newcomer can overtake the queue.
  #release(): void {
    const waiter = this.#shift();
    if (waiter === null) this.#active--;
    else waiter.grant();
  }

  #shift(): Waiter | null {
    const waiter = this.#head;
    if (waiter === null) return null;
    this.#head = waiter.next;
    if (this.#head === null) this.#tail = null;
    this.#waiting--;
    return waiter;
  }

  // One timer at a time, for the head's deadline; a granted head leaves it
  // to fire for nothing and re-arm for the new head.
  #armTimer(): void {
    const head = this.#head;
    if (head === null || head.deadline === Infinity || this.#timerAt !== 0) return;
    this.#timerAt = head.deadline;
    after(Math.max(1, head.deadline - performance.now()), () => this.#expireOverdue());
  }

  #expireOverdue(): void {
    this.#timerAt = 0;
    const now = performance.now();
    while (this.#head !== null && this.#head.deadline <= now) {
      this.#expired++;
      this.#shift()!.expire();
    }
    this.#armTimer();
  }
}

/**
 * The pool bound for `[wsgi] default_pool_size`.
 *
 * NOTE(parity): nova allows `default_pool_size = 0`, which makes
 * `eventlet.GreenPool(0)` block every spawn, so nova would accept one
 * connection and never answer it. novalet reads 0 as "no bound" instead:
 * a server that answers nothing is never what an operator wants.
 *
 * @param size the configured value (0 or more)
 * @returns a bound for {@link Pool}: `size`, or `Infinity` for 0
 */
export function poolSizeFromConf(size: number): number {
  return size === 0 ? Infinity : size;
}
