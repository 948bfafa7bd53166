/**
 * Request bodies as glance reads them: whether a request has a body, JSON
 * parsing with glance's 400s, the body a bodiless route refuses, and the
 * create body (read-only, reserved and custom properties).
 *
 * Mirrors glance/common/wsgi.py (`JSONRequestDeserializer.has_body`,
 * `from_json`, `Resource.__call__`'s `body_reject`) and
 * glance/api/v2/images.py `RequestDeserializer.create`.
 *
 * @module
 */

import { parseJsonBody } from "../http/json_body.ts";
import { type ApiRequest, BodyTooLargeError } from "../request.ts";
import { pyRepr } from "../validation/mod.ts";
import { detailed, explained, GlanceHttpError } from "./errors.ts";
import { validateImage } from "./schemas.ts";

/** JSON bodies above this are refused (glance reads any size; novalet keeps memory bounded). */
const MAX_JSON_BODY = 16 * 1024 * 1024;

const VALID_TRANSFER_ENCODINGS = ["chunked", "compress", "deflate", "gzip", "identity"];

/** `JSONRequestDeserializer.has_body`. */
export function hasBody(req: ApiRequest): boolean {
  const encoding = (req.header("transfer-encoding") ?? "").toLowerCase();
  if (
    VALID_TRANSFER_ENCODINGS.includes(encoding) && ["POST", "PUT", "PATCH"].includes(req.method)
  ) {
    return true;
  }
  return (req.body.contentLength ?? 0) > 0;
}

/** `body_reject`: GET, DELETE and tag routes take no body. */
export function rejectBody(req: ApiRequest): void {
  if (hasBody(req)) throw explained(400, "A body is not expected with this request.");
}

/**
 * `default(request)`: the JSON body, or undefined when there is none.
 *
 * @throws {GlanceHttpError} 400 for text that is not UTF-8 or not JSON, or JSON that is no list or dict
 */
export async function readJson(req: ApiRequest): Promise<unknown> {
  if (!hasBody(req)) return undefined;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await req.body.read(MAX_JSON_BODY));
  } catch (err) {
    if (err instanceof TypeError) {
      throw explained(
        400,
        "Error decoding your request. Either the URL or the request body contained characters " +
          "that could not be decoded by Glance",
      );
    }
    if (err instanceof BodyTooLargeError) throw new GlanceHttpError(413);
    throw err;
  }
  let data: unknown;
  try {
    data = parseJsonBody(text);
  } catch {
    throw explained(400, "Malformed JSON in request body.");
  }
  if (typeof data !== "object" || data === null) {
    throw explained(400, "Unexpected body type. Expected list/dict.");
  }
  return data;
}

/** `_get_request_body`: the JSON body, which must be there. */
export async function requireJson(req: ApiRequest): Promise<unknown> {
  const body = await readJson(req);
  if (body === undefined) throw explained(400, "Body expected in request.");
  return body;
}

/** A create request: glance's base properties, the custom ones, the tags. */
export interface CreateRequest {
  image: Record<string, unknown>;
  extraProperties: Record<string, unknown>;
  tags: string[];
}

const DISALLOWED = ["direct_url", "self", "file", "schema", "stores"];
const RESERVED = ["location", "deleted", "deleted_at"];
const RESERVED_NAMESPACE = "os_glance";
const BASE_PROPERTIES = [
  "checksum",
  "created_at",
  "container_format",
  "disk_format",
  "id",
  "min_disk",
  "min_ram",
  "name",
  "size",
  "virtual_size",
  "status",
  "tags",
  "owner",
  "updated_at",
  "visibility",
  "protected",
  "os_hidden",
];

/** `key in body` for a dict (its keys) or a list (its items), as `_check_allowed` asks. */
function hasKey(body: unknown, key: string): boolean {
  return Array.isArray(body) ? body.includes(key) : Object.hasOwn(body as object, key);
}

/** `RequestDeserializer.create`. @throws {GlanceHttpError} 400 or 403 as glance answers */
export function createRequest(body: unknown): CreateRequest {
  for (const key of DISALLOWED) {
    if (hasKey(body, key)) throw explained(403, `Attribute '${key}' is read-only.`);
  }
  if (Array.isArray(body)) {
    // glance answers 500 here (its schema has no top-level type, so a list
    // goes on to `list.pop('tags', [])`, a TypeError); novalet answers the
    // 400 of glance's schema check.
    throw explained(
      400,
      `Provided object does not match schema 'image': ${pyRepr(body)} is not of type 'object'`,
    );
  }
  const props = { ...(body as Record<string, unknown>) };
  validateImage(props);
  const tags = (props.tags ?? []) as string[];
  delete props.tags;
  const image: Record<string, unknown> = {};
  for (const key of BASE_PROPERTIES) {
    if (key !== "tags" && Object.hasOwn(props, key)) {
      image[key] = props[key];
      delete props[key];
    }
  }
  for (const key of Object.keys(props)) {
    if (key.length > 255) {
      throw explained(400, "Custom property should not be greater than 255 characters.");
    }
    if (RESERVED.includes(key) || key.startsWith(RESERVED_NAMESPACE)) {
      throw detailed(403, `Attribute '${key}' is reserved.`);
    }
  }
  return { image, extraProperties: props, tags };
}
