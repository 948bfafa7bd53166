/**
 * glance's image repository and domain rules over novalet's `images`
 * table (the table nova's image checks read): get what the caller may
 * see, add, save (optionally only from an expected status), delete, and
 * the image status machine.
 *
 * Mirrors glance/db/__init__.py (`ImageRepo`), glance/db/utils.py
 * (`is_image_visible`) and glance/domain/__init__.py (`ImageFactory`,
 * `Image.status`, `Image.delete`).
 *
 * @module
 */

import type { Image } from "../compute/images/api.ts";
import { imageOf, visibleTo } from "../compute/images/store.ts";
import type { Store } from "../store/db.ts";
import { utcnow } from "../store/timestamps.ts";
import { Forbidden } from "./policy.ts";

/** Who asks: glance's `context.is_admin` and `context.owner`. */
export interface Viewer {
  readonly isAdmin: boolean;
  readonly projectId: string | null;
}

/** `Image.valid_state_targets`. */
const VALID_STATE_TARGETS: Readonly<Record<string, readonly string[]>> = {
  queued: ["saving", "uploading", "importing", "active", "deleted"],
  saving: ["active", "killed", "deleted", "queued"],
  uploading: ["importing", "queued", "deleted"],
  importing: ["active", "deleted", "queued"],
  active: ["pending_delete", "deleted", "deactivated"],
  killed: ["deleted"],
  pending_delete: ["deleted", "active"],
  deleted: [],
  deactivated: ["active", "deleted"],
};

/** glance.common.exception.InvalidImageStatusTransition (an `Invalid`). */
export class InvalidImageStatusTransition extends Error {
  constructor(from: string, to: string) {
    super(`Image status transition from ${from} to ${to} is not allowed`);
    this.name = "InvalidImageStatusTransition";
  }
}

/** The ValueError of `Image.status` when disk or container format is missing. */
export class FormatsMissing extends Error {
  constructor(missing: string[]) {
    super(
      missing.length === 1
        ? `Property ${missing[0]} must be set prior to saving data.`
        : `Properties ${missing.join(", ")} must be set prior to saving data.`,
    );
    this.name = "FormatsMissing";
  }
}

/** glance.common.exception.Duplicate for an image id in use. */
export class DuplicateImage extends Error {
  constructor(id: string) {
    super(`Image ID ${id} already exists!`);
    this.name = "DuplicateImage";
  }
}

/**
 * The `Image.status` setter: moves `image` to `status` when glance allows it.
 *
 * @throws {InvalidImageStatusTransition} for a move glance does not allow
 * @throws {FormatsMissing} when data would be saved without disk and container formats
 */
export function setStatus(image: Image, status: string): void {
  if (!(VALID_STATE_TARGETS[image.status] ?? []).includes(status)) {
    throw new InvalidImageStatusTransition(image.status, status);
  }
  if (
    ["queued", "uploading"].includes(image.status) &&
    ["saving", "active", "importing"].includes(status)
  ) {
    const missing = (["disk_format", "container_format"] as const).filter((k) => !image[k]);
    if (missing.length > 0) throw new FormatsMissing(missing);
  }
  if (status === "queued") {
    image.size = null;
    image.virtual_size = null;
  }
  image.status = status;
}

/**
 * `Image.delete()`: a protected image stays.
 *
 * @throws {Forbidden} "Image <id> is protected and cannot be deleted."
 */
export function markDeleted(image: Image): void {
  if (image.protected) throw new Forbidden(`Image ${image.id} is protected and cannot be deleted.`);
  setStatus(image, "deleted");
}

/** What creating an image takes (`ImageFactory.new_image`). */
export interface NewImage {
  id?: string;
  name?: string | null;
  visibility?: string;
  min_disk?: number;
  min_ram?: number;
  protected?: boolean;
  owner: string | null;
  disk_format?: string | null;
  container_format?: string | null;
  os_hidden?: boolean;
  properties?: Record<string, string>;
  tags?: string[];
}

const SAVED_COLUMNS = [
  "name",
  "status",
  "size",
  "virtual_size",
  "min_disk",
  "min_ram",
  "disk_format",
  "container_format",
  "checksum",
  "os_hash_algo",
  "os_hash_value",
  "owner",
  "visibility",
  "protected",
  "os_hidden",
  "properties",
  "tags",
  "has_data",
] as const;

type Param = string | number | null;

function columnValue(image: Image, column: (typeof SAVED_COLUMNS)[number]): Param {
  const value = image[column];
  if (typeof value === "boolean") return value ? 1 : 0;
  if (column === "properties" || column === "tags") return JSON.stringify(value);
  return value as Param;
}

/** The images table as glance's ImageRepo. */
export class ImageRepo {
  constructor(readonly db: Store) {}

  /** `ImageRepo.get`: the image if it exists, is not deleted and `viewer` may see it. */
  get(id: string, viewer: Viewer): Image | null {
    const row = this.db.get("SELECT * FROM images WHERE id = ? AND deleted = 0", id);
    if (!row) return null;
    const image = imageOf(row);
    return visibleTo(image, viewer) ? image : null;
  }

  /** Every image not deleted (the list reads them all; the table is small). */
  all(): Image[] {
    return this.db.all("SELECT * FROM images WHERE deleted = 0").map(imageOf);
  }

  /**
   * `ImageFactory.new_image` + `ImageRepo.add`: a queued image.
   *
   * @throws {DuplicateImage} when the id is taken (by a deleted image too)
   */
  add(init: NewImage): Image {
    const id = init.id ?? crypto.randomUUID();
    const now = utcnow();
    return this.db.transaction(() => {
      if (this.db.get("SELECT id FROM images WHERE id = ?", id)) throw new DuplicateImage(id);
      this.db.run(
        "INSERT INTO images (id, name, status, min_disk, min_ram, disk_format, container_format, " +
          "owner, visibility, protected, os_hidden, properties, tags, created_at, updated_at) " +
          "VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        id,
        init.name ?? null,
        init.min_disk ?? 0,
        init.min_ram ?? 0,
        init.disk_format ?? null,
        init.container_format ?? null,
        init.owner,
        init.visibility ?? "shared",
        init.protected ? 1 : 0,
        init.os_hidden ? 1 : 0,
        JSON.stringify(init.properties ?? {}),
        JSON.stringify([...new Set(init.tags ?? [])]),
        now,
        now,
      );
      return imageOf(this.db.get("SELECT * FROM images WHERE id = ?", id)!);
    });
  }

  /**
   * `ImageRepo.save(image, from_state)`: writes the image back (updated now).
   *
   * @returns false when the image is gone, or not in `fromState` any more
   */
  save(image: Image, fromState?: string): boolean {
    image.updated_at = utcnow();
    const sets = SAVED_COLUMNS.map((c) => `${c} = ?`).join(", ");
    const values = SAVED_COLUMNS.map((c) => columnValue(image, c));
    const deleted = image.status === "deleted";
    const sql = `UPDATE images SET ${sets}, updated_at = ?, deleted = ?, deleted_at = ? ` +
      `WHERE id = ? AND deleted = 0${fromState === undefined ? "" : " AND status = ?"}`;
    const params: Param[] = [...values, image.updated_at, deleted ? 1 : 0];
    params.push(deleted ? image.updated_at : null, image.id);
    if (fromState !== undefined) params.push(fromState);
    return this.db.run(sql, ...params).changes > 0;
  }

  /** Start-up: uploads cut short by a stopped process leave their images `killed`. */
  killInterruptedUploads(): number {
    return this.db.run(
      "UPDATE images SET status = 'killed', updated_at = ? WHERE status = 'saving' AND deleted = 0",
      utcnow(),
    ).changes;
  }
}
