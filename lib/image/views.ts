/**
 * What glance answers for images: the image view (extra properties first,
 * then glance's attributes, links to itself, its data and its schema), the
 * list body with its `first` and `next` links, and the JSON responses in
 * webob's header order.
 *
 * Mirrors glance/api/v2/images.py `ResponseSerializer` (`_format_image`,
 * `show`, `create`, `index`) and glance/schema.py `Schema.filter`.
 *
 * @module
 */

import type { Image } from "../compute/images/api.ts";
import type { ApiRequest } from "../request.ts";
import { ApiResponse, byteLength, pyJson } from "../response.ts";
import { glanceJson, urlencode } from "./json.ts";

/** `timeutils.isotime(dt)`: `2026-11-26T03:23:14Z`. */
export function isotime(stored: string | null): string | null {
  return stored === null ? null : `${stored.slice(0, 19)}Z`;
}

/** `_get_image_href`. */
export function imageHref(id: string, sub = ""): string {
  return sub ? `/v2/images/${id}/${sub}` : `/v2/images/${id}`;
}

/** `_format_image`: the image as glance shows it. */
export function formatImage(image: Image): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(image.properties)) {
    // NOTE(parity): Schema.filter shows a custom property without a value as "".
    view[key] = value ?? "";
  }
  Object.assign(view, {
    name: image.name,
    disk_format: image.disk_format,
    container_format: image.container_format,
    visibility: image.visibility,
    size: image.size,
    virtual_size: image.virtual_size,
    status: image.status,
    checksum: image.checksum,
    protected: image.protected,
    min_ram: image.min_ram,
    min_disk: image.min_disk,
    owner: image.owner,
    os_hidden: image.os_hidden,
    os_hash_algo: image.os_hash_algo,
    os_hash_value: image.os_hash_value,
    id: image.id,
    created_at: isotime(image.created_at),
    updated_at: isotime(image.updated_at),
    tags: [...image.tags],
    self: imageHref(image.id),
    file: imageHref(image.id, "file"),
    schema: "/v2/schemas/image",
  });
  return view;
}

/** A JSON answer as glance's serializers write it (`unicode_body`, then `content_type`). */
export function jsonAnswer(
  status: number,
  body: string,
  extra: [string, string][] = [],
): ApiResponse {
  return new ApiResponse(status, [
    ["Content-Length", String(byteLength(body))],
    ["Content-Type", "application/json"],
    ...extra,
  ], body);
}

/** `ResponseSerializer.show` / `update`: 200 and the image. */
export function showImage(image: Image): ApiResponse {
  return jsonAnswer(200, glanceJson(formatImage(image)));
}

/** `ResponseSerializer.create`: 201, the image, and its absolute Location. */
export function createdImage(req: ApiRequest, image: Image): ApiResponse {
  // webob makes a relative Location absolute against the request's URL.
  return jsonAnswer(201, glanceJson(formatImage(image)), [
    ["Location", `${req.hostUrl}${imageHref(image.id)}`],
  ]);
}

/** `ResponseSerializer.index`: the page, `first` (the query without marker) and `next`. */
export function imageList(
  images: Image[],
  linkParams: Map<string, string>,
  nextMarker: string | null,
): ApiResponse {
  const query = urlencode(linkParams);
  const body: Record<string, unknown> = {
    images: images.map(formatImage),
    first: query ? `/v2/images?${query}` : "/v2/images",
    schema: "/v2/schemas/images",
  };
  if (nextMarker !== null) {
    body.next = `/v2/images?${urlencode([...linkParams, ["marker", nextMarker]])}`;
  }
  return jsonAnswer(200, glanceJson(body));
}

/** A schema document (`JSONResponseSerializer.default`: json.dumps, ASCII). */
export function schemaAnswer(schema: unknown): ApiResponse {
  const body = pyJson(schema);
  return new ApiResponse(200, [
    ["Content-Type", "application/json"],
    ["Content-Length", String(byteLength(body))],
  ], body);
}

/** A bodiless success as a webob Response gives it (`status_int = 204`). */
export function noContent(): ApiResponse {
  return new ApiResponse(204, [
    ["Content-Type", "text/html; charset=UTF-8"],
    ["Content-Length", "0"],
  ]);
}
