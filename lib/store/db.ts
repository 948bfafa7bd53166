/**
 * The embedded SQLite store (`node:sqlite`, WAL mode): opening the file in
 * the state dir, applying the schema migrations that are not yet applied,
 * and one transaction per state change. WAL with synchronous=NORMAL keeps
 * every committed transaction across a crash of the process (kill -9), and
 * a transaction that did not commit leaves nothing behind.
 *
 * @module
 */

import { DatabaseSync, type StatementSync } from "node:sqlite";
import { dirname } from "../paths.ts";
import { makeDirs } from "../runtime.ts";

/** One schema change, applied once, in list order, identified by `id`. */
export interface Migration {
  readonly id: string;
  readonly up: string | ((db: DatabaseSync) => void);
}

type Param = null | number | bigint | string | Uint8Array;

/** A row as node:sqlite returns it. */
export type Row = Record<string, Param>;

/** An open database with cached statements and transactions. */
export class Store {
  readonly #statements = new Map<string, StatementSync>();
  readonly #readCache = new Map<string, readonly unknown[]>();
  #cacheChanges = -1;
  #depth = 0;

  private constructor(readonly db: DatabaseSync, readonly path: string) {}

  /**
   * Opens (creating if needed) the database at `path` and migrates it.
   *
   * @throws {Error} when the file cannot be opened or a migration fails (nothing of it is kept)
   */
  static open(path: string, migrations: readonly Migration[]): Store {
    if (path !== ":memory:") makeDirs(dirname(path));
    const db = new DatabaseSync(path);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("PRAGMA busy_timeout = 5000");
    const store = new Store(db, path);
    store.migrate(migrations);
    return store;
  }

  /** Applies the migrations not yet recorded, each in its own transaction. */
  migrate(migrations: readonly Migration[]): string[] {
    this.db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
    );
    const done = new Set(this.all("SELECT id FROM schema_migrations").map((r) => String(r.id)));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      this.transaction(() => {
        if (typeof m.up === "string") this.db.exec(m.up);
        else m.up(this.db);
        this.run(
          "INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)",
          m.id,
          new Date().toISOString(),
        );
      });
      applied.push(m.id);
    }
    return applied;
  }

  /** A cached prepared statement. */
  statement(sql: string): StatementSync {
    let st = this.#statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.#statements.set(sql, st);
    }
    return st;
  }

  all<T = Row>(sql: string, ...params: Param[]): T[] {
    return this.statement(sql).all(...params) as T[];
  }

  get<T = Row>(sql: string, ...params: Param[]): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  run(sql: string, ...params: Param[]): { changes: number; lastInsertRowid: number } {
    const r = this.statement(sql).run(...params);
    return { changes: Number(r.changes), lastInsertRowid: Number(r.lastInsertRowid) };
  }

  /**
   * `all()` for hot read-only queries, answered from memory while the
   * database has not changed: every INSERT, UPDATE and DELETE on this
   * connection (the only one) moves `total_changes()`, which clears the memo.
   * The rows are frozen: callers must not change them.
   */
  allCached<T = Row>(sql: string, ...params: Param[]): readonly T[] {
    const changes = Number(
      (this.statement("SELECT total_changes() AS n").get() as { n: number }).n,
    );
    if (changes !== this.#cacheChanges) {
      this.#readCache.clear();
      this.#cacheChanges = changes;
    }
    const key = sql + "\u0000" +
      JSON.stringify(params, (_k, v) => typeof v === "bigint" ? `${v}n` : v);
    let rows = this.#readCache.get(key) as readonly T[] | undefined;
    if (!rows) {
      rows = Object.freeze(this.all<T>(sql, ...params).map((r) => Object.freeze(r)));
      if (this.#readCache.size >= 256) this.#readCache.clear();
      this.#readCache.set(key, rows);
    }
    return rows;
  }

  /**
   * Runs `fn` in a transaction (a savepoint when nested): all its writes
   * commit together, or none do if it throws.
   */
  transaction<T>(fn: () => T): T {
    const name = `sp${this.#depth}`;
    this.db.exec(this.#depth === 0 ? "BEGIN IMMEDIATE" : `SAVEPOINT ${name}`);
    this.#depth++;
    try {
      const result = fn();
      if (result instanceof Promise) {
        throw new TypeError("Store.transaction() takes a synchronous function");
      }
      this.#depth--;
      this.db.exec(this.#depth === 0 ? "COMMIT" : `RELEASE ${name}`);
      return result;
    } catch (err) {
      this.#depth--;
      this.db.exec(this.#depth === 0 ? "ROLLBACK" : `ROLLBACK TO ${name}; RELEASE ${name}`);
      throw err;
    }
  }

  close(): void {
    this.#statements.clear();
    if (this.db.isOpen) this.db.close();
  }
}

/** The file path of a `[database] connection` URL (`sqlite:///relative`, `sqlite:////absolute`). */
export function sqlitePath(connection: string): string {
  const m = /^sqlite:\/\/\/(.*)$/.exec(connection);
  if (!m) {
    throw new Error(
      `Unsupported [database] connection "${connection}": only sqlite:///PATH is supported`,
    );
  }
  return m[1] === "" ? ":memory:" : m[1];
}
