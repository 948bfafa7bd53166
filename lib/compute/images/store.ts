/**
 * Image rows in SQLite, read and written the way nova sees glance v2
 * answer: deleted images are gone, non-admins see public and community
 * images and those their project owns, lists are newest first.
 *
 * @module
 */

import type { Row, Store } from "../../store/db.ts";
import { utcnow } from "../../store/timestamps.ts";
import type { Image } from "./api.ts";

/** Who is asking (glance's visibility rule); absent: everything. */
export interface ImageViewer {
  isAdmin: boolean;
  projectId: string | null;
}

/** The filters and paging nova passes to glance (`_extract_query_params_v2`). */
export interface ImageQuery {
  viewer?: ImageViewer;
  name?: string;
  status?: string;
  /** `changes-since` as glance's `updated_at=gte:...`: an ISO time. */
  updatedSince?: string;
  minRam?: number;
  minDisk?: number;
  /** Extra property filters (`property-*`), exact string match. */
  properties?: Record<string, string>;
  limit?: number;
  /** An image id; one the viewer cannot see is {@link ImageMarkerNotFound}. */
  marker?: string;
}

/** glance's 400 for an unknown marker. */
export class ImageMarkerNotFound extends Error {
  constructor(readonly marker: string) {
    super(`The marker ${marker} could not be found.`);
    this.name = "ImageMarkerNotFound";
  }
}

/** The images table of one store. */
export class ImageStore {
  constructor(readonly db: Store) {}

  /** The image if it exists, is not deleted and `viewer` may see it; else null. */
  get(id: string, viewer?: ImageViewer): Image | null {
    const row = this.db.get("SELECT * FROM images WHERE id = ? AND deleted = 0", id);
    if (!row) return null;
    const image = imageOf(row);
    return visibleTo(image, viewer) ? image : null;
  }

  /** Images matching `query`, newest first (glance's default sort: created_at, id desc). */
  list(query: ImageQuery): Image[] {
    let images = this.db.all(
      "SELECT * FROM images WHERE deleted = 0 ORDER BY created_at DESC, id DESC",
    )
      .map(imageOf)
      .filter((image) => visibleTo(image, query.viewer) && matches(image, query));
    if (query.marker !== undefined) {
      const at = images.findIndex((image) => image.id === query.marker);
      if (at < 0 && !this.get(query.marker, query.viewer)) {
        throw new ImageMarkerNotFound(query.marker);
      }
      images = at < 0 ? [] : images.slice(at + 1);
    }
    return query.limit === undefined ? images : images.slice(0, query.limit);
  }

  /** Replaces an image's extra properties (glance `update` with purge_props). */
  setProperties(id: string, properties: Record<string, string>): Image {
    this.db.run(
      "UPDATE images SET properties = ?, updated_at = ? WHERE id = ? AND deleted = 0",
      JSON.stringify(properties),
      utcnow(),
      id,
    );
    return this.get(id)!;
  }

  /** glance's delete: the image becomes `deleted` and disappears from reads. */
  delete(id: string): boolean {
    const now = utcnow();
    const { changes } = this.db.run(
      "UPDATE images SET status = 'deleted', deleted = 1, deleted_at = ?, updated_at = ? " +
        "WHERE id = ? AND deleted = 0",
      now,
      now,
      id,
    );
    return changes > 0;
  }
}

/**
 * glance v2 (`db.utils.is_image_visible`): admins see all; others images
 * without an owner, public and community images and their project's own.
 */
export function visibleTo(image: Image, viewer?: ImageViewer): boolean {
  if (!viewer || viewer.isAdmin || image.owner === null) return true;
  if (image.visibility === "public" || image.visibility === "community") return true;
  return image.owner !== null && image.owner === viewer.projectId;
}

function matches(image: Image, q: ImageQuery): boolean {
  if (q.name !== undefined && image.name !== q.name) return false;
  if (q.status !== undefined && image.status !== q.status) return false;
  if (q.minRam !== undefined && image.min_ram < q.minRam) return false;
  if (q.minDisk !== undefined && image.min_disk < q.minDisk) return false;
  if (q.updatedSince !== undefined) {
    if (Date.parse(`${image.updated_at ?? image.created_at}Z`) < Date.parse(q.updatedSince)) {
      return false;
    }
  }
  for (const [key, value] of Object.entries(q.properties ?? {})) {
    if (image.properties[key] !== value) return false;
  }
  return true;
}

/** An image row as an {@link Image}. */
export function imageOf(row: Row): Image {
  const visibility = String(row.visibility);
  return {
    id: String(row.id),
    name: row.name === null ? null : String(row.name),
    status: String(row.status),
    size: row.size === null ? null : Number(row.size),
    min_disk: Number(row.min_disk),
    min_ram: Number(row.min_ram),
    disk_format: row.disk_format === null ? null : String(row.disk_format),
    container_format: row.container_format === null ? null : String(row.container_format),
    checksum: row.checksum === null ? null : String(row.checksum),
    owner: row.owner === null ? null : String(row.owner),
    visibility,
    is_public: visibility === "public",
    protected: Boolean(row.protected),
    properties: JSON.parse(String(row.properties)) as Record<string, string>,
    created_at: String(row.created_at),
    updated_at: row.updated_at === null ? null : String(row.updated_at),
    deleted_at: row.deleted_at === null ? null : String(row.deleted_at),
    deleted: Boolean(row.deleted),
    os_hash_algo: row.os_hash_algo === null ? null : String(row.os_hash_algo),
    os_hash_value: row.os_hash_value === null ? null : String(row.os_hash_value),
    virtual_size: row.virtual_size === null ? null : Number(row.virtual_size),
    os_hidden: Boolean(row.os_hidden),
    tags: JSON.parse(String(row.tags)) as string[],
    has_data: Boolean(row.has_data),
  };
}
