/**
 * What the API's controllers work with, built once at start-up: the
 * configuration, the SQLite store, the policy enforcer, and any per-area
 * service (flavors, compute, ...) made on first use by `get(make)`.
 *
 * @module
 */

import type { Conf } from "./config/conf.ts";
import { Enforcer } from "./policy/enforcer.ts";
import { sqlitePath, Store } from "./store/db.ts";
import { MIGRATIONS } from "./store/migrations.ts";

/** The service container handed to paste factories (FactoryContext.services). */
export class Services {
  readonly #made = new Map<(s: Services) => unknown, unknown>();
  readonly #stopHooks: (() => void | Promise<void>)[] = [];

  constructor(readonly conf: Conf, readonly store: Store, readonly policy: Enforcer) {}

  /** The one instance `make` builds for this container (made on first call). */
  get<T>(make: (s: Services) => T): T {
    if (!this.#made.has(make)) this.#made.set(make, make(this));
    return this.#made.get(make) as T;
  }

  /** Runs `fn` when the service stops (timers, background tasks). */
  onStop(fn: () => void | Promise<void>): void {
    this.#stopHooks.push(fn);
  }

  /** Stops background work, then closes the store. */
  async stop(): Promise<void> {
    for (const fn of this.#stopHooks.splice(0).reverse()) await fn();
    this.store.close();
  }
}

/** The database file: `[database] connection`, else `$state_path/nova.sqlite`. */
export function databasePath(conf: Conf): string {
  const connection = conf.database.connection;
  return connection ? sqlitePath(connection) : `${conf.DEFAULT.state_path}/nova.sqlite`;
}

/** Opens the store (migrating it) and the policy enforcer. */
export function openServices(conf: Conf): Services {
  const store = Store.open(databasePath(conf), MIGRATIONS);
  return new Services(conf, store, new Enforcer(conf));
}
