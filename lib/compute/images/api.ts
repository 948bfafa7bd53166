/**
 * The image service other areas call (server create checks the image's
 * status, min_ram and min_disk here; createImage makes snapshot records).
 * Images live in the `images` table that novalet's own image service
 * (lib/image/, a Glance v2 subset on its own listener) serves, seeded on an
 * empty database with one cirros image ({@link DEFAULT_IMAGE_ID}, active,
 * without data).
 *
 * Images are dicts the way nova's glance layer hands them to the compute
 * API (`nova.image.glance._translate_from_glance`): glance v2 fields plus
 * `properties` (the image's extra properties, which the image metadata API
 * edits).
 *
 * Mirrors nova/image/glance.py `API.get`/`API.get_all`.
 *
 * @module
 */

import type { Services } from "../../services.ts";
import { type ImageQuery, ImageStore, type ImageViewer } from "./store.ts";
import { type ImageService, imageService } from "../../image/service.ts";
import { storeData } from "../../image/upload.ts";

export type { ImageQuery, ImageViewer };

/**
 * The seeded image's id: fixed so that examples and tests can name it
 * (`imageRef`). Chosen for novalet; it exists in no glance.
 */
export const DEFAULT_IMAGE_ID = "5c5e1b6f-3b5e-4a39-9d6a-6a2f4b0e7c01";

/** An image as nova's compute API sees it (glance.py `_translate_from_glance`). */
export interface Image {
  id: string;
  name: string | null;
  /** glance's status: queued, saving, active, killed, deleted, pending_delete, deactivated. */
  status: string;
  /** Bytes, or null before upload. */
  size: number | null;
  min_disk: number;
  min_ram: number;
  disk_format: string | null;
  container_format: string | null;
  checksum: string | null;
  owner: string | null;
  /** glance v2 `visibility`: public, community, shared, private. */
  visibility: string;
  /** `is_public` as nova derives it (visibility == "public"). */
  is_public: boolean;
  protected: boolean;
  /** Extra properties (`image.properties`): what the image metadata API reads and writes. */
  properties: Record<string, string>;
  /** `YYYY-MM-DDThh:mm:ss.ffffff` (UTC). */
  created_at: string;
  updated_at: string | null;
  deleted_at: string | null;
  deleted: boolean;
  /** glance's multihash: algorithm (`sha512`) and hex digest of the data, or null. */
  os_hash_algo: string | null;
  os_hash_value: string | null;
  virtual_size: number | null;
  /** glance's os_hidden: left out of default image lists. */
  os_hidden: boolean;
  /** glance's image tags, in the order they were added. */
  tags: string[];
  /** Whether the image service holds data for it (`$state_path/images/<id>`). */
  has_data: boolean;
}

/** nova.exception.ImageNotFound. */
export class ImageNotFound extends Error {
  constructor(readonly imageId: string) {
    super(`Image ${imageId} could not be found.`);
    this.name = "ImageNotFound";
  }
}

/** What {@link ImageApi.createSnapshotRecord} takes: glance's create body for a snapshot. */
export interface SnapshotRecord {
  name: string | null;
  /** The project that owns the image (the server's). */
  owner: string | null;
  visibility?: "private" | "shared" | "community" | "public";
  min_ram?: number;
  min_disk?: number;
  disk_format?: string | null;
  container_format?: string | null;
  /** Extra properties (`image_type`, `instance_uuid`, `base_image_ref`, ...). */
  properties?: Record<string, string>;
}

/** The image service bound to one store. */
export class ImageApi {
  /**
   * @param store the images table
   * @param service novalet's image service (data files, glance's rules);
   *   absent in tests of the table alone
   */
  constructor(readonly store: ImageStore, readonly service?: ImageService) {}

  /**
   * `image_api.get(context, id)`: the image, or null (nova: ImageNotFound).
   * With a viewer, glance's visibility applies (another project's private
   * image is null for a non-admin).
   */
  get(id: string, viewer?: ImageViewer): Image | null {
    return this.store.get(id, viewer);
  }

  /** `image_api.get_all(context, filters)`: images not deleted, newest first (glance's order). */
  list(query: ImageQuery = {}): Image[] {
    return this.store.list(query);
  }

  /**
   * createImage/createBackup: the snapshot's image record, as nova's
   * `image_api.create(context, image_meta)` makes it in glance: queued,
   * no data yet, visibility `shared` unless given.
   */
  createSnapshotRecord(record: SnapshotRecord): Image {
    return this.#service().repo.add({ ...record, properties: record.properties ?? {} });
  }

  /**
   * The data of a queued image (a snapshot's upload, glance's `PUT
   * /file`): stored, hashed, and the image made active.
   *
   * @throws {ImageNotFound} when the image is gone or not queued
   * @throws {Error} when the data cannot be stored (the image goes back to queued)
   */
  async uploadData(id: string, data: Uint8Array | AsyncIterable<Uint8Array>): Promise<Image> {
    const svc = this.#service();
    const image = svc.repo.get(id, { isAdmin: true, projectId: null });
    if (!image || image.status !== "queued") throw new ImageNotFound(id);
    image.disk_format ??= "raw";
    image.container_format ??= "bare";
    return await storeData(svc, image, data instanceof Uint8Array ? once(data) : data);
  }

  /** glance's delete: the image becomes `deleted` and its data file goes. */
  delete(id: string): boolean {
    const deleted = this.store.delete(id);
    if (deleted) this.service?.files.remove(id);
    return deleted;
  }

  #service(): ImageService {
    if (!this.service) throw new Error("ImageApi has no image service");
    return this.service;
  }
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** The image service of these services (one per process). */
export function imageApi(services: Services): ImageApi {
  return services.get(makeImageApi);
}

function makeImageApi(services: Services): ImageApi {
  return new ImageApi(new ImageStore(services.store), imageService(services));
}
