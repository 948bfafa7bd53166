/**
 * The images resource: create, list, show, update (PATCH), delete, and the
 * image tags, with glance's checks in glance's order and its answers.
 *
 * Mirrors glance/api/v2/images.py `ImagesController` (`create`, `index`,
 * `show`, `update`, `delete`) and glance/api/v2/image_tags.py.
 *
 * @module
 */

import type { Image } from "../compute/images/api.ts";
import type { ApiRequest, AuthContext } from "../request.ts";
import type { ApiResponse } from "../response.ts";
import { applyChange, checkMinimum, checkPropertyQuota, checkTagQuota } from "./changes.ts";
import { createRequest, rejectBody, requireJson } from "./deserialize.ts";
import { explained, GlanceHttpError } from "./errors.ts";
import { listImages } from "./list.ts";
import { parseListQuery } from "./list_query.ts";
import { parsePatch } from "./patch.ts";
import { Forbidden } from "./policy.ts";
import { DuplicateImage, markDeleted, type Viewer } from "./repo.ts";
import type { ImageService } from "./service.ts";
import { validateImage } from "./schemas.ts";
import { createdImage, imageList, noContent, showImage } from "./views.ts";

/** The caller's auth context (set by the image context filter). */
export function contextOf(req: ApiRequest): AuthContext {
  if (!req.context) throw new GlanceHttpError(401);
  return req.context;
}

/** The caller as the repository sees it. */
export function viewerOf(ctx: AuthContext): Viewer {
  return { isAdmin: ctx.isAdmin, projectId: ctx.projectId };
}

/** `image_repo.get`: the image, or 404 with `message` (glance's "No image found with ID"). */
export function findImage(
  svc: ImageService,
  ctx: AuthContext,
  id: string,
  message?: string,
): Image {
  const image = svc.repo.get(id, viewerOf(ctx));
  if (!image) throw explained(404, message ?? `No image found with ID ${id}`);
  return image;
}

/** Runs `fn`, turning the owner checks' Forbidden into a 403 with `message` (or its own). */
function forbiddenAs<T>(fn: () => T, message?: string): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof Forbidden) throw explained(403, message ?? err.message);
    throw err;
  }
}

const READONLY_ON_CREATE = [
  "created_at",
  "updated_at",
  "status",
  "checksum",
  "os_hash_algo",
  "os_hash_value",
  "size",
  "virtual_size",
];
const RESERVED_ON_CREATE = ["owner", "locations", "deleted", "deleted_at", "direct_url", "self"];

/** `POST /v2/images`. */
export async function createImage(svc: ImageService, req: ApiRequest): Promise<ApiResponse> {
  const { image, extraProperties, tags } = createRequest(await requireJson(req));
  const ctx = contextOf(req);
  const owner = Object.hasOwn(image, "owner") ? image.owner as string | null : ctx.projectId;
  forbiddenAs(() => svc.policy.addImage(ctx, owner, image.visibility));
  for (const key of READONLY_ON_CREATE) {
    if (Object.hasOwn(image, key)) throw explained(403, `Attribute '${key}' is read-only.`);
  }
  for (const key of [...RESERVED_ON_CREATE, "file", "schema"]) {
    if (Object.hasOwn(extraProperties, key)) {
      throw explained(403, `Attribute '${key}' is reserved.`);
    }
  }
  checkMinimum("min_disk", image.min_disk);
  checkMinimum("min_ram", image.min_ram);
  checkTagQuota(new Set(tags).size);
  checkPropertyQuota(extraProperties);
  try {
    const created = svc.repo.add(
      {
        ...image,
        owner,
        properties: extraProperties as Record<string, string>,
        tags,
      } as Parameters<typeof svc.repo.add>[0],
    );
    return createdImage(req, created);
  } catch (err) {
    if (err instanceof DuplicateImage) throw explained(409, err.message);
    throw err;
  }
}

/** `GET /v2/images`. */
export function listImagesAnswer(svc: ImageService, req: ApiRequest): ApiResponse {
  const ctx = contextOf(req);
  const query = parseListQuery(req.query, svc.limits);
  svc.policy.enforce(ctx, "get_images", { project_id: ctx.projectId });
  const { images, nextMarker } = forbiddenAs(() => listImages(svc.repo, viewerOf(ctx), query));
  return imageList(images, query.linkParams, nextMarker);
}

/** `GET /v2/images/{image_id}`. */
export function showImageAnswer(svc: ImageService, req: ApiRequest, id: string): ApiResponse {
  rejectBody(req);
  const ctx = contextOf(req);
  const image = findImage(svc, ctx, id);
  svc.policy.enforceOn(ctx, "get_image", image);
  return showImage(image);
}

/** `PATCH /v2/images/{image_id}`. */
export async function updateImage(
  svc: ImageService,
  req: ApiRequest,
  id: string,
): Promise<ApiResponse> {
  const changes = await parsePatch(req);
  const ctx = contextOf(req);
  const image = findImage(svc, ctx, id);
  const propertiesBefore = Object.keys(image.properties).length;
  forbiddenAs(() => {
    for (const change of changes) applyChange(svc.policy, ctx, image, change);
  });
  if (changes.length > 0) {
    if (Object.keys(image.properties).length > propertiesBefore) {
      checkPropertyQuota(image.properties);
    }
    if (!svc.repo.save(image)) throw explained(404, `No image found with ID ${id}`);
  }
  return showImage(image);
}

/** `DELETE /v2/images/{image_id}`: the record is marked deleted, the data removed. */
export function deleteImage(svc: ImageService, req: ApiRequest, id: string): ApiResponse {
  rejectBody(req);
  const ctx = contextOf(req);
  const notFound = `Failed to find image ${id} to delete`;
  const image = findImage(svc, ctx, id, notFound);
  forbiddenAs(() => {
    svc.policy.mutate(ctx, "delete_image", image);
    markDeleted(image);
  });
  if (!svc.repo.save(image)) throw explained(404, notFound);
  if (image.has_data) svc.files.remove(image.id);
  return noContent();
}

/** `PUT /v2/images/{image_id}/tags/{tag_value}`. */
export function addTag(svc: ImageService, req: ApiRequest, id: string, tag: string): ApiResponse {
  validateImage({ tags: [tag] });
  rejectBody(req);
  const ctx = contextOf(req);
  const image = findImage(svc, ctx, id, `Image ${id} not found.`);
  forbiddenAs(
    () => svc.policy.mutate(ctx, "modify_image", image),
    `Not allowed to update tags for image ${id}.`,
  );
  if (!image.tags.includes(tag)) {
    try {
      checkTagQuota(image.tags.length + 1);
    } catch (err) {
      const why = err instanceof GlanceHttpError ? err.options.explanation : String(err);
      throw explained(413, `Image tag limit exceeded for image ${id}: ${why}:`);
    }
    image.tags.push(tag);
  }
  svc.repo.save(image);
  return noContent();
}

/** `DELETE /v2/images/{image_id}/tags/{tag_value}`. */
export function deleteTag(
  svc: ImageService,
  req: ApiRequest,
  id: string,
  tag: string,
): ApiResponse {
  rejectBody(req);
  const ctx = contextOf(req);
  const image = findImage(svc, ctx, id, `Image ${id} not found.`);
  forbiddenAs(
    () => svc.policy.mutate(ctx, "modify_image", image),
    `Not allowed to delete tags for image ${id}.`,
  );
  if (!image.tags.includes(tag)) throw new GlanceHttpError(404);
  image.tags = image.tags.filter((t) => t !== tag);
  svc.repo.save(image);
  return noContent();
}
