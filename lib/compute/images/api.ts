/**
 * The image service other areas call (server create checks the image's
 * status, min_ram and min_disk here). Until novalet talks to glance, images
 * live in a local `images` table, seeded on an empty database with one
 * cirros image ({@link DEFAULT_IMAGE_ID}).
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
}

/** nova.exception.ImageNotFound. */
export class ImageNotFound extends Error {
  constructor(readonly imageId: string) {
    super(`Image ${imageId} could not be found.`);
    this.name = "ImageNotFound";
  }
}

/** The image service bound to one store. */
export class ImageApi {
  constructor(readonly store: ImageStore) {}

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
}

/** The image service of these services (one per process). */
export function imageApi(services: Services): ImageApi {
  return services.get(makeImageApi);
}

function makeImageApi(services: Services): ImageApi {
  return new ImageApi(new ImageStore(services.store));
}
