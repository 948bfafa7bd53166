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
 * @module
 */

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
  next: Waiter | null;
}

/** A counting semaphore with a FIFO queue of waiters. */
export class Pool {
  readonly #max: number;
  #active = 0;
  #waiting = 0;
  #head: Waiter | null = null;
  #tail: Waiter | null = null;

  /**
   * @param max how many permits may be held at once; a positive integer or
   *   `Infinity` (no bound)
   * @throws {TypeError} when `max` is not a positive integer nor `Infinity`
   */
  constructor(max: number) {
    if (!(max === Infinity || (Number.isInteger(max) && max >= 1))) {
      throw new TypeError(
        `Cannot create pool as 'max' must be a positive integer: current value is ${max}`,
      );
    }
    this.#max = max;
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

  /**
   * Takes a permit, waiting in FIFO order when none is free.
   *
   * @returns a promise of a {@link Disposable} that gives the permit back
   */
  acquire(): Promise<Disposable> {
    if (this.#active < this.#max) {
      this.#active++;
      return Promise.resolve(this.#permit());
    }
    return new Promise((resolve) => {
      const waiter: Waiter = { grant: () => resolve(this.#permit()), next: null };
      if (this.#tail) this.#tail.next = waiter;
      else this.#head = waiter;
      this.#tail = waiter;
      this.#waiting++;
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
    const waiter = this.#head;
    if (waiter === null) {
      this.#active--;
      return;
    }
    this.#head = waiter.next;
    if (this.#head === null) this.#tail = null;
    this.#waiting--;
    waiter.grant();
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
