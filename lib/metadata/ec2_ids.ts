/**
 * The EC2 ids the EC2 metadata shows: `i-0000000a` for an instance and
 * `ami-00000003` (`aki-`, `ari-`) for an image, each the id of a mapping
 * row made the first time the uuid is asked about and kept ever after.
 *
 * Mirrors nova/objects/ec2.py (`EC2Ids`, `id_to_ec2_inst_id`,
 * `glance_id_to_ec2_id`, `EC2InstanceMapping`, `S3ImageMapping`).
 *
 * @module
 */

import type { Migration, Store } from "../store/db.ts";
import { utcnow } from "../store/timestamps.ts";

/** `EC2Ids`. */
export interface Ec2Ids {
  readonly instance_id: string;
  readonly ami_id: string | null;
  readonly kernel_id: string | null;
  readonly ramdisk_id: string | null;
}

/** The mapping tables (nova's `instance_id_mappings` and `s3_images`). */
export const EC2_ID_MIGRATIONS: readonly Migration[] = [{
  id: "metadata-001-ec2-ids",
  up: `
    CREATE TABLE instance_id_mappings (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      uuid TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL
    );
    CREATE TABLE s3_images (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      uuid TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL
    );
  `,
}];

/** `id_to_ec2_id`: `template` with the id as 8 hex digits. */
export function idToEc2Id(id: number, prefix = "i"): string {
  return `${prefix}-${id.toString(16).padStart(8, "0")}`;
}

/** The id of `uuid` in `table`, made on first use (`get_by_uuid`, else `create`). */
function mappedId(db: Store, table: "instance_id_mappings" | "s3_images", uuid: string): number {
  const found = db.get<{ id: number }>(`SELECT id FROM ${table} WHERE uuid = ?`, uuid);
  if (found) return found.id;
  db.run(`INSERT OR IGNORE INTO ${table} (uuid, created_at) VALUES (?, ?)`, uuid, utcnow());
  return db.get<{ id: number }>(`SELECT id FROM ${table} WHERE uuid = ?`, uuid)!.id;
}

/** `glance_id_to_ec2_id`: null for no image (a volume-backed server). */
export function glanceIdToEc2Id(db: Store, glanceId: string | null, type = "ami"): string | null {
  if (!glanceId) return null;
  return idToEc2Id(mappedId(db, "s3_images", glanceId), type);
}

/** `EC2Ids.get_by_instance`. */
export function ec2IdsOf(
  db: Store,
  instance: {
    uuid: string;
    image_ref: string | null;
    kernel_id: string | null;
    ramdisk_id: string | null;
  },
): Ec2Ids {
  return {
    instance_id: idToEc2Id(mappedId(db, "instance_id_mappings", instance.uuid)),
    ami_id: glanceIdToEc2Id(db, instance.image_ref),
    kernel_id: glanceIdToEc2Id(db, instance.kernel_id, "aki"),
    ramdisk_id: glanceIdToEc2Id(db, instance.ramdisk_id, "ari"),
  };
}
