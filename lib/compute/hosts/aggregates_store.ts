/**
 * Host aggregates: named groups of compute hosts with metadata, the
 * `availability_zone` key making an aggregate an availability zone.
 *
 * Mirrors nova/objects/aggregate.py (`Aggregate`, `AggregateList`) and its
 * API database helpers (`_aggregate_create_in_db`, `_host_add_to_db`,
 * `_metadata_add_to_db`, ...).
 *
 * @module
 */

import type { Store } from "../../store/db.ts";
import { utcnow } from "../../store/timestamps.ts";
import { NotFound, NovaException } from "../servers/errors.ts";

/** An aggregate with its hosts and metadata (nova's object fields). */
export interface Aggregate {
  id: number;
  uuid: string;
  name: string;
  hosts: string[];
  metadata: Record<string, string>;
  created_at: string;
  updated_at: string | null;
}

/** nova.exception.AggregateNotFound */
export class AggregateNotFound extends NotFound {
  constructor(id: string | number) {
    super(`Aggregate ${id} could not be found.`);
  }
}

/** nova.exception.AggregateNameExists (409 at the API). */
export class AggregateNameExists extends NovaException {
  constructor(name: string) {
    super(`Aggregate ${name} already exists.`, 409);
  }
}

/** nova.exception.AggregateHostExists (409 at the API). */
export class AggregateHostExists extends NovaException {
  constructor(id: number, host: string) {
    super(`Aggregate ${id} already has host ${host}.`, 409);
  }
}

/** nova.exception.AggregateHostNotFound */
export class AggregateHostNotFound extends NotFound {
  constructor(id: number, host: string) {
    super(`Aggregate ${id} has no host ${host}.`);
  }
}

const SELECT = `SELECT a.*,
  (SELECT json_group_array(host) FROM (SELECT host FROM aggregate_hosts h
    WHERE h.aggregate_id = a.id ORDER BY h.id)) AS j_hosts,
  (SELECT json_group_object(key, value) FROM (SELECT key, value FROM aggregate_metadata m
    WHERE m.aggregate_id = a.id ORDER BY m.id)) AS j_metadata
FROM aggregates a`;

/** Aggregates of one store. */
export class AggregateStore {
  constructor(readonly db: Store) {}

  /** `AggregateList.get_all`, in id order. */
  list(): Aggregate[] {
    return this.db.all(`${SELECT} ORDER BY a.id`).map(aggregateOf);
  }

  /** `Aggregate.get_by_id`. @throws {AggregateNotFound} */
  get(id: number): Aggregate {
    const row = this.db.get(`${SELECT} WHERE a.id = ?`, id);
    if (!row) throw new AggregateNotFound(id);
    return aggregateOf(row);
  }

  /** `AggregateList.get_by_host(host, key)`: the host's aggregates (having `key`), in id order. */
  byHost(host: string, key?: string): Aggregate[] {
    return this.list().filter((a) => a.hosts.includes(host) && (!key || key in a.metadata));
  }

  /** `AggregateList.get_by_metadata_key(key, hosts)`. */
  byMetadataKey(key: string, hosts?: readonly string[]): Aggregate[] {
    return this.list().filter((a) =>
      key in a.metadata && (!hosts || a.hosts.some((h) => hosts.includes(h)))
    );
  }

  /** `Aggregate.create()`. @throws {AggregateNameExists} */
  create(name: string, metadata: Record<string, string>): Aggregate {
    if (this.db.get("SELECT 1 FROM aggregates WHERE name = ?", name)) {
      throw new AggregateNameExists(name);
    }
    const now = utcnow();
    const { lastInsertRowid } = this.db.run(
      "INSERT INTO aggregates (uuid, name, created_at) VALUES (?, ?, ?)",
      crypto.randomUUID(),
      name,
      now,
    );
    this.#addMetadata(lastInsertRowid, metadata, now);
    return this.get(lastInsertRowid);
  }

  /** `aggregate.name = ...; save()`. @throws {AggregateNameExists} */
  rename(id: number, name: string): void {
    if (this.db.get("SELECT 1 FROM aggregates WHERE name = ? AND id != ?", name, id)) {
      throw new AggregateNameExists(name);
    }
    this.db.run("UPDATE aggregates SET name = ?, updated_at = ? WHERE id = ?", name, utcnow(), id);
  }

  /** `update_metadata`: sets keys, a null value deletes its key. */
  updateMetadata(id: number, updates: Record<string, string | null>): void {
    const add: Record<string, string> = {};
    for (const [key, value] of Object.entries(updates)) {
      if (value === null) {
        this.db.run("DELETE FROM aggregate_metadata WHERE aggregate_id = ? AND key = ?", id, key);
      } else add[key] = value;
    }
    this.#addMetadata(id, add, utcnow());
  }

  #addMetadata(id: number, metadata: Record<string, string>, now: string): void {
    for (const [key, value] of Object.entries(metadata)) {
      this.db.run(
        `INSERT INTO aggregate_metadata (aggregate_id, key, value, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (aggregate_id, key) DO UPDATE SET value = excluded.value`,
        id,
        key,
        value,
        now,
      );
    }
  }

  /** `add_host`. @throws {AggregateHostExists} */
  addHost(id: number, host: string): void {
    if (
      this.db.get("SELECT 1 FROM aggregate_hosts WHERE aggregate_id = ? AND host = ?", id, host)
    ) {
      throw new AggregateHostExists(id, host);
    }
    this.db.run(
      "INSERT INTO aggregate_hosts (aggregate_id, host, created_at) VALUES (?, ?, ?)",
      id,
      host,
      utcnow(),
    );
  }

  /** `delete_host`. @throws {AggregateHostNotFound} */
  removeHost(id: number, host: string): void {
    const { changes } = this.db.run(
      "DELETE FROM aggregate_hosts WHERE aggregate_id = ? AND host = ?",
      id,
      host,
    );
    if (!changes) throw new AggregateHostNotFound(id, host);
  }

  /** `destroy()`. */
  destroy(id: number): void {
    this.db.run("DELETE FROM aggregates WHERE id = ?", id);
  }
}

function aggregateOf(row: Record<string, unknown>): Aggregate {
  return {
    id: row.id as number,
    uuid: row.uuid as string,
    name: row.name as string,
    hosts: JSON.parse(row.j_hosts as string),
    metadata: JSON.parse(row.j_metadata as string),
    created_at: row.created_at as string,
    updated_at: row.updated_at as string | null,
  };
}
