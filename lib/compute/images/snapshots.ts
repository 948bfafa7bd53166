/**
 * The image writes a server's snapshot, backup and shelve need, as nova
 * asks glance for them: create the image record (queued, no data), upload
 * its data (saving, then active with size and formats), delete it, and
 * list an instance's backups for rotation. Kept apart from the read API
 * (api.ts) that the rest of novalet uses.
 *
 * Mirrors nova/image/glance.py `GlanceImageServiceV2.create` (`_create_v2`,
 * `_translate_to_glance`), `update` with data, `delete`, and glance v2's
 * status flow queued → saving → active.
 *
 * @module
 */

import { utcnow } from "../../store/timestamps.ts";
import type { Image, ImageApi } from "./api.ts";

/** What nova passes to `image_api.create` (`image_meta`). */
export interface NewImage {
  readonly name: string;
  /** The project the image belongs to (the requester's, as glance sets it). */
  readonly owner: string | null;
  /** `private`, `shared`, ... */
  readonly visibility: string;
  readonly min_ram?: number;
  readonly min_disk?: number;
  readonly disk_format?: string | null;
  readonly container_format?: string | null;
  /** glance's `size: 0` without data: the image is activated at once (volume-backed snapshots). */
  readonly size?: number;
  readonly properties: Readonly<Record<string, string>>;
}

/** `image_api.create(context, image_meta)`: the new image (queued, or active when empty). */
export function createImage(api: ImageApi, meta: NewImage): Image {
  const id = crypto.randomUUID();
  const now = utcnow();
  const activate = meta.size === 0;
  api.store.db.run(
    `INSERT INTO images (id, name, status, size, min_disk, min_ram, disk_format, container_format,
       checksum, owner, visibility, protected, properties, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, 0, ?, ?, ?)`,
    id,
    meta.name,
    activate ? "active" : "queued",
    activate ? 0 : null,
    meta.min_disk ?? 0,
    meta.min_ram ?? 0,
    meta.disk_format ?? null,
    meta.container_format ?? null,
    meta.owner,
    meta.visibility,
    JSON.stringify(meta.properties),
    now,
    now,
  );
  return api.store.get(id)!;
}

/** glance's upload starting: the image is `saving` (false when it is gone). */
export function startUpload(api: ImageApi, id: string): boolean {
  return setStatus(api, id, "saving", {});
}

/**
 * The upload finished: `active` with its size and formats (what libvirt's
 * snapshot sends: qcow2 in a bare container). False when the image is gone.
 */
export function finishUpload(api: ImageApi, id: string, size: number): boolean {
  return setStatus(api, id, "active", {
    size,
    disk_format: "qcow2",
    container_format: "bare",
    checksum: syntheticChecksum(id, size),
  });
}

/** `image_api.delete`: false when there was no such image. */
export function deleteImage(api: ImageApi, id: string): boolean {
  return api.store.delete(id);
}

/** `image_api.get_all(filters={'property-...': ...}, sort_key='created_at', sort_dir='desc')`. */
export function imagesWithProperties(
  api: ImageApi,
  properties: Readonly<Record<string, string>>,
): Image[] {
  return api.list({ properties: { ...properties } });
}

function setStatus(
  api: ImageApi,
  id: string,
  status: string,
  extra: Readonly<Record<string, string | number>>,
): boolean {
  const keys = Object.keys(extra);
  const { changes } = api.store.db.run(
    `UPDATE images SET status = ?, updated_at = ?${keys.map((k) => `, ${k} = ?`).join("")}
     WHERE id = ? AND deleted = 0`,
    status,
    utcnow(),
    ...keys.map((k) => extra[k]),
    id,
  );
  return changes > 0;
}

/** A stable md5-shaped checksum for the fake upload (no data exists to hash). */
function syntheticChecksum(id: string, size: number): string {
  const hex = `${id.replaceAll("-", "")}${size.toString(16)}`;
  return hex.slice(0, 32).padEnd(32, "0");
}
