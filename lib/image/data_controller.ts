/**
 * Image data: `PUT /v2/images/{id}/file` streams the request body to disk
 * (queued → saving → active; back to queued when the upload fails, as
 * glance v2 does so that it can be retried), at most `[image]
 * max_image_size` bytes (413 as soon as that is passed, before reading
 * when Content-Length says so); `GET` streams the file back with its
 * Content-MD5, or answers 204 when the image has no data.
 *
 * Mirrors glance/api/v2/image_data.py (`ImageDataController.upload`,
 * `download`, the deserializer's content type check, the serializer's
 * headers) and glance/location.py `ImageProxy.set_data`/`get_data`.
 *
 * @module
 */

import { getLogger } from "../log.ts";
import { type ApiRequest, bodyChunks, BodyTooLargeError } from "../request.ts";
import { ApiResponse } from "../response.ts";
import { contextOf, findImage } from "./controller.ts";
import { ImageSizeLimitExceeded } from "./data.ts";
import { rejectBody } from "./deserialize.ts";
import { explained, GlanceHttpError } from "./errors.ts";
import { mediaType } from "./patch.ts";
import { Forbidden } from "./policy.ts";
import { FormatsMissing, InvalidImageStatusTransition } from "./repo.ts";
import type { ImageService } from "./service.ts";
import { ImageGoneDuringUpload, storeData } from "./upload.ts";
import { noContent } from "./views.ts";

const LOG = getLogger("glance.api.v2.image_data");

/** `PUT /v2/images/{image_id}/file`. */
export async function uploadImageData(
  svc: ImageService,
  req: ApiRequest,
  id: string,
): Promise<ApiResponse> {
  if (req.header("content-type") === null || mediaType(req) !== "application/octet-stream") {
    throw new GlanceHttpError(415);
  }
  const ctx = contextOf(req);
  const image = findImage(svc, ctx, id);
  try {
    svc.policy.mutate(ctx, "upload_image", image);
  } catch (err) {
    if (err instanceof Forbidden) {
      throw explained(403, `Not allowed to upload image data for image ${id}`);
    }
    throw err;
  }
  try {
    await storeData(svc, image, bodyChunks(req.body, svc.maxImageSize));
  } catch (err) {
    throw uploadError(err);
  }
  return noContent();
}

/** The answer glance gives for a failed upload. */
function uploadError(err: unknown): unknown {
  if (err instanceof InvalidImageStatusTransition) return explained(409, err.message);
  if (err instanceof FormatsMissing) return explained(400, err.message);
  if (err instanceof ImageGoneDuringUpload) return explained(410, err.message);
  if (err instanceof ImageSizeLimitExceeded || err instanceof BodyTooLargeError) {
    LOG.error("The incoming image is too large: The provided image is too large.");
    return explained(413, "The incoming image is too large: The provided image is too large.");
  }
  LOG.error("Failed to upload image data due to internal error");
  return err;
}

/** `GET /v2/images/{image_id}/file`. */
export function downloadImageData(svc: ImageService, req: ApiRequest, id: string): ApiResponse {
  rejectBody(req);
  const ctx = contextOf(req);
  const image = findImage(svc, ctx, id);
  svc.policy.enforceOn(ctx, "download_image", image);
  // glance_store.NotFound for an image without locations: webob's HTTPNoContent.
  if (!image.has_data || image.size === null) return new ApiResponse(204, []);
  const res = new ApiResponse(200, [["Content-Type", "application/octet-stream"]]);
  if (image.checksum) res.headers.add("Content-MD5", image.checksum);
  res.headers.add("Content-Length", String(image.size));
  res.stream = { length: image.size, chunks: svc.files.read(image.id) };
  return res;
}
