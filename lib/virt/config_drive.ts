/**
 * Config drives as the fake hypervisor keeps them: where a real driver
 * writes the files it is handed into an ISO 9660 or VFAT image
 * (`disk.config`, volume label `config-2`), the fake one keeps each file
 * (path and bytes) in `fake_config_drives`, beside its guests, so that
 * what a guest would have read from its drive can be checked.
 *
 * Mirrors the part of nova/virt/configdrive.py `ConfigDriveBuilder` that
 * lays the files out (`_add_file`, `make_drive`).
 *
 * @module
 */

import type { Migration, Store } from "../store/db.ts";

/** One file of a config drive: its path inside the drive and its contents. */
export interface ConfigDriveFile {
  readonly path: string;
  readonly data: Uint8Array;
}

/** The table of the fake driver's config drives. */
export const CONFIG_DRIVE_MIGRATIONS: readonly Migration[] = [{
  id: "virt-001-fake-config-drives",
  up: `
    CREATE TABLE fake_config_drives (
      instance_uuid TEXT NOT NULL,
      path TEXT NOT NULL,
      data BLOB NOT NULL,
      PRIMARY KEY (instance_uuid, path)
    );
  `,
}];

/** Writes the drive of `uuid` (replacing any it had), as `make_drive` does. */
export function writeConfigDrive(db: Store, uuid: string, files: readonly ConfigDriveFile[]): void {
  db.transaction(() => {
    db.run("DELETE FROM fake_config_drives WHERE instance_uuid = ?", uuid);
    for (const file of files) {
      db.run(
        "INSERT OR REPLACE INTO fake_config_drives (instance_uuid, path, data) VALUES (?, ?, ?)",
        uuid,
        file.path,
        file.data,
      );
    }
  });
}

/** The files of the drive of `uuid`, by path (none without a drive). */
export function readConfigDrive(db: Store, uuid: string): ConfigDriveFile[] {
  return db.all<{ path: string; data: Uint8Array }>(
    "SELECT path, data FROM fake_config_drives WHERE instance_uuid = ? ORDER BY path",
    uuid,
  ).map((r) => ({ path: r.path, data: new Uint8Array(r.data) }));
}

/** Removes the drive of `uuid` (with its guest). */
export function removeConfigDrive(db: Store, uuid: string): void {
  db.run("DELETE FROM fake_config_drives WHERE instance_uuid = ?", uuid);
}
