/**
 * The image table, which novalet's image service (lib/image/) serves: glance v2's image
 * fields, extra properties as a JSON object, soft delete as glance does
 * (status `deleted`). The first migration also stores the default image,
 * once, on a new database.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import type { Migration } from "../../store/db.ts";
import { utcnow } from "../../store/timestamps.ts";
import { DEFAULT_IMAGE_ID } from "./api.ts";

/** The cirros 0.6.2 image devstack uploads (size and md5 of the released file). */
const DEFAULT_IMAGE = {
  id: DEFAULT_IMAGE_ID,
  name: "cirros-0.6.2-x86_64-disk",
  size: 21430272,
  checksum: "c8fc807773e5354afe61636071771906",
};

function createTables(db: DatabaseSync): void {
  db.exec(`
    CREATE TABLE images (
      id TEXT PRIMARY KEY,
      name TEXT,
      status TEXT NOT NULL,
      size INTEGER,
      min_disk INTEGER NOT NULL DEFAULT 0,
      min_ram INTEGER NOT NULL DEFAULT 0,
      disk_format TEXT,
      container_format TEXT,
      checksum TEXT,
      owner TEXT,
      visibility TEXT NOT NULL DEFAULT 'shared',
      protected INTEGER NOT NULL DEFAULT 0,
      properties TEXT NOT NULL DEFAULT '{}',
      created_at TEXT NOT NULL,
      updated_at TEXT,
      deleted_at TEXT,
      deleted INTEGER NOT NULL DEFAULT 0
    );
  `);
  const now = utcnow();
  db.prepare(
    "INSERT INTO images (id, name, status, size, min_disk, min_ram, disk_format, " +
      "container_format, checksum, owner, visibility, protected, properties, created_at, updated_at) " +
      "VALUES (?, ?, 'active', ?, 0, 0, 'qcow2', 'bare', ?, NULL, 'public', 0, '{}', ?, ?)",
  ).run(DEFAULT_IMAGE.id, DEFAULT_IMAGE.name, DEFAULT_IMAGE.size, DEFAULT_IMAGE.checksum, now, now);
}

/**
 * The columns novalet's image service (lib/image/, a Glance v2 subset)
 * keeps besides nova's view of an image: glance's multihash, virtual
 * size, os_hidden, tags (a JSON array, in the order they were added) and
 * whether image data is stored (`$state_path/images/<id>`; glance's
 * "locations"). The seeded image has none: it is active with its size and
 * checksum recorded, and a download answers 204 as glance does for an image
 * without data.
 */
const GLANCE_COLUMNS = `
  ALTER TABLE images ADD COLUMN os_hash_algo TEXT;
  ALTER TABLE images ADD COLUMN os_hash_value TEXT;
  ALTER TABLE images ADD COLUMN virtual_size INTEGER;
  ALTER TABLE images ADD COLUMN os_hidden INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE images ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE images ADD COLUMN has_data INTEGER NOT NULL DEFAULT 0;
`;

/** The image area's migrations, in order. */
export const IMAGE_MIGRATIONS: readonly Migration[] = [
  { id: "images-001-tables", up: createTables },
  { id: "images-002-glance", up: GLANCE_COLUMNS },
];
