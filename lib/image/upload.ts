/**
 * Storing an image's data: queued → saving, the bytes to disk (hashed,
 * at most `[image] max_image_size`), then active with size, checksum and
 * multihash; back to queued when it fails. Shared by `PUT
 * /v2/images/{id}/file` and nova's snapshots.
 *
 * Mirrors glance/api/v2/image_data.py `ImageDataController.upload` (the
 * status moves, `_restore`) and glance/location.py `ImageProxy.set_data`.
 *
 * @module
 */

import type { Image } from "../compute/images/api.ts";
import { getLogger } from "../log.ts";
import { HASHING_ALGORITHM } from "./data.ts";
import { setStatus } from "./repo.ts";
import type { ImageService } from "./service.ts";

const LOG = getLogger("glance.api.v2.image_data");

/** The image was deleted (or changed) while its data was being stored. */
export class ImageGoneDuringUpload extends Error {
  constructor(id: string) {
    super(
      `Image ${id} could not be found after upload. The image may have been deleted during the ` +
        "upload, cleaning up the chunks uploaded.",
    );
    this.name = "ImageGoneDuringUpload";
  }
}

/** `_restore`: back to queued so that the upload can be retried. */
export function restore(svc: ImageService, image: Image): void {
  try {
    setStatus(image, "queued");
    svc.repo.save(image);
  } catch (err) {
    LOG.error(`Unable to restore image ${image.id}: ${err}`);
  }
}

/**
 * Stores `chunks` as the data of the queued `image` and makes it active.
 *
 * @throws {InvalidImageStatusTransition} or {FormatsMissing} when the image cannot start saving
 * @throws {ImageSizeLimitExceeded} past the size cap; {ImageGoneDuringUpload}; or what reading throws
 */
export async function storeData(
  svc: ImageService,
  image: Image,
  chunks: AsyncIterable<Uint8Array>,
): Promise<Image> {
  setStatus(image, "saving");
  if (!svc.repo.save(image, "queued")) throw new ImageGoneDuringUpload(image.id);
  let stored;
  try {
    stored = await svc.files.write(image.id, chunks, svc.maxImageSize);
  } catch (err) {
    restore(svc, image);
    throw err;
  }
  Object.assign(image, {
    size: stored.size,
    checksum: stored.checksum,
    os_hash_algo: HASHING_ALGORITHM,
    os_hash_value: stored.osHashValue,
    has_data: true,
  });
  setStatus(image, "active");
  if (!svc.repo.save(image, "saving")) {
    svc.files.remove(image.id);
    throw new ImageGoneDuringUpload(image.id);
  }
  return image;
}
