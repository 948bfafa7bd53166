/**
 * Tables of the hosts area: service records (nova's cell database
 * `services`) and host aggregates with their hosts and metadata (the API
 * database's `aggregates`, `aggregate_hosts`, `aggregate_metadata`).
 *
 * @module
 */

import type { Migration } from "../../store/db.ts";

const SERVICES = `
  CREATE TABLE services (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    host TEXT NOT NULL,
    "binary" TEXT NOT NULL,
    topic TEXT,
    report_count INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    disabled_reason TEXT,
    last_seen_up TEXT,
    forced_down INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    deleted_at TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT uniq_services0host0binary0deleted UNIQUE (host, "binary", deleted)
  );
`;

const AGGREGATES = `
  CREATE TABLE aggregates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT
  );
  CREATE TABLE aggregate_hosts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    aggregate_id INTEGER NOT NULL REFERENCES aggregates (id) ON DELETE CASCADE,
    host TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT uniq_aggregate_hosts0host0aggregate_id UNIQUE (host, aggregate_id)
  );
  CREATE TABLE aggregate_metadata (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    aggregate_id INTEGER NOT NULL REFERENCES aggregates (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT uniq_aggregate_metadata0aggregate_id0key UNIQUE (aggregate_id, key)
  );
  CREATE INDEX aggregate_metadata_key_idx ON aggregate_metadata (key);
`;

/** The hosts area's migrations, in order. */
export const HOSTS_MIGRATIONS: readonly Migration[] = [
  { id: "hosts-001-services", up: SERVICES },
  { id: "hosts-002-aggregates", up: AGGREGATES },
];
