/**
 * Background work of the compute service: tasks that outlive the request
 * that started them (a build, a stop, a delete), per-instance serialization
 * (nova-compute's `@utils.synchronized(instance.uuid)`), and sleeps that
 * end when the service stops. A stopped worker abandons its tasks where
 * they are, as a killed nova-compute does; `init_host` picks them up on
 * the next start.
 *
 * @module
 */

import { getLogger } from "../../log.ts";

const LOG = getLogger("nova.compute.manager");

/** Thrown into a sleeping task when the service stops. */
export class WorkerStopped extends Error {
  constructor() {
    super("The compute service is stopping");
    this.name = "WorkerStopped";
  }
}

/** Tasks, locks and timers of one compute service. */
export class Worker {
  readonly #tasks = new Set<Promise<void>>();
  readonly #timers = new Map<ReturnType<typeof setTimeout>, () => void>();
  readonly #locks = new Map<string, Promise<void>>();
  #stopped = false;

  /** Whether {@link stop} was called. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Waits `ms` (0: a macrotask turn); rejects with {@link WorkerStopped} when the service stops. */
  sleep(ms: number): Promise<void> {
    if (this.#stopped) return Promise.reject(new WorkerStopped());
    return new Promise((resolve, reject) => {
      const id = setTimeout(() => {
        this.#timers.delete(id);
        resolve();
      }, ms);
      this.#timers.set(id, () => reject(new WorkerStopped()));
    });
  }

  /**
   * Runs `fn` in the background, after the tasks queued before it for the
   * same `key` (an instance uuid) have finished. Errors are logged;
   * `onSkip` runs instead when the service stops before `fn` starts.
   */
  run(key: string, fn: () => Promise<void>, onSkip?: () => void): void {
    if (this.#stopped) {
      onSkip?.();
      return;
    }
    const previous = this.#locks.get(key) ?? Promise.resolve();
    const task = previous.then(() => {
      if (!this.#stopped) return fn();
      onSkip?.();
    }).catch((err) => {
      if (!(err instanceof WorkerStopped)) LOG.exception(`Background task for ${key} failed`, err);
    });
    this.#locks.set(key, task);
    this.#tasks.add(task);
    task.finally(() => {
      this.#tasks.delete(task);
      if (this.#locks.get(key) === task) this.#locks.delete(key);
    });
  }

  /**
   * Runs `fn` as {@link run} does and resolves with its result (an RPC
   * call rather than a cast); rejects with {@link WorkerStopped} when the
   * service stops first.
   */
  call<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.run(key, async () => {
        try {
          resolve(await fn());
        } catch (err) {
          reject(err);
        }
      }, () => reject(new WorkerStopped()));
    });
  }

  /** Resolves when no background task is left (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.#tasks.size) await Promise.allSettled([...this.#tasks]);
  }

  /** Stops: wakes every sleeper with {@link WorkerStopped} and waits for the tasks to end. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const [id, cancel] of this.#timers) {
      clearTimeout(id);
      cancel();
    }
    this.#timers.clear();
    await Promise.allSettled([...this.#tasks]);
  }
}
