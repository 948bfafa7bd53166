/**
 * `PATCH /v2/images/{id}` bodies: the media types
 * `application/openstack-images-v2.1-json-patch` (JSON-patch-like
 * operations, draft 10) and `...-v2.0-json-patch` (draft 4, `{"add":
 * "/path"}`), JSON pointers, and the checks each change gets before the
 * controller sees it (read-only, reserved, the schema).
 *
 * Mirrors glance/api/v2/images.py `RequestDeserializer.update`
 * (`_parse_json_schema_change`, `_decode_json_pointer`,
 * `_validate_json_pointer`, `_validate_path`, `_validate_change`).
 *
 * @module
 */

import type { ApiRequest } from "../request.ts";
import { explained, GlanceHttpError } from "./errors.ts";
import { requireJson } from "./deserialize.ts";
import { isArrayProperty, validateImage } from "./schemas.ts";

/** One change of an image: `op` on the property path, with its value. */
export interface Change {
  op: "add" | "remove" | "replace";
  path: string[];
  value?: unknown;
  /** 4 for the v2.0 media type, 10 for v2.1. */
  draft: number;
}

const MEDIA_TYPES: Record<string, number> = {
  "application/openstack-images-v2.0-json-patch": 4,
  "application/openstack-images-v2.1-json-patch": 10,
};
const OPERATIONS = ["add", "remove", "replace"] as const;
const READONLY = [
  "created_at",
  "updated_at",
  "status",
  "checksum",
  "size",
  "virtual_size",
  "direct_url",
  "self",
  "file",
  "schema",
  "id",
  "os_hash_algo",
  "os_hash_value",
];
const RESERVED = ["location", "deleted", "deleted_at"];
const DEPTH_LIMITS: Record<string, Record<string, number>> = {
  locations: { add: 2, remove: 2, replace: 1 },
};

/** webob's `request.content_type`: the media type without parameters. */
export function mediaType(req: ApiRequest): string {
  return (req.header("content-type") ?? "").split(";")[0].trim();
}

function operationD10(raw: Record<string, unknown>): Change["op"] {
  const available = OPERATIONS.join(", ");
  if (raw.op === undefined || raw.op === null) {
    throw explained(
      400,
      `Unable to find \`op\` in JSON Schema change. It must be one of the following: ${available}.`,
    );
  }
  if (!OPERATIONS.includes(raw.op as Change["op"])) {
    throw explained(
      400,
      `Invalid operation: \`${raw.op}\`. It must be one of the following: ${available}.`,
    );
  }
  return raw.op as Change["op"];
}

function operationD4(raw: Record<string, unknown>): Change["op"] {
  const present = OPERATIONS.filter((op) => Object.hasOwn(raw, op));
  if (present.length > 1) {
    throw explained(
      400,
      'Operation objects must contain only one member named "add", "remove", or "replace".',
    );
  }
  if (present.length === 0) {
    throw explained(
      400,
      'Operation objects must contain exactly one member named "add", "remove", or "replace".',
    );
  }
  return present[0];
}

/** `_validate_json_pointer` + `_decode_json_pointer`. */
export function decodePointer(pointer: string): string[] {
  const bad = (why: string) => explained(400, `Pointer \`${pointer}\` ${why}`);
  if (!pointer.startsWith("/")) throw bad('does not start with "/".');
  if (/\/\s*?\//.test(pointer.slice(1))) throw bad('contains adjacent "/".');
  if (pointer.length > 1 && pointer.endsWith("/")) throw bad('end with "/".');
  if (pointer.slice(1).trim() === "/") throw bad("does not contains valid token.");
  if (/~[^01]/.test(pointer) || pointer.endsWith("~")) {
    throw bad('contains "~" not part of a recognized escape sequence.');
  }
  return pointer.replace(/^\/+/, "").split("/").map((part) =>
    part.replaceAll("~1", "/").replaceAll("~0", "~").trim()
  );
}

/** `_validate_change`: read-only and reserved properties; the value against the schema. */
function validateChange(change: Change): void {
  const root = change.path[0];
  if (READONLY.includes(root)) throw explained(403, `Attribute '${root}' is read-only.`);
  if (RESERVED.includes(root) || root.startsWith("os_glance")) {
    throw explained(403, `Attribute '${root}' is reserved.`);
  }
  if (change.op === "remove") return;
  if (change.path.length === 1) validateImage({ [root]: change.value });
  else if (isArrayProperty(root)) validateImage({ [root]: [change.value] });
}

function parseChange(raw: unknown, draft: number): Change {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw explained(400, "Operations must be JSON objects.");
  }
  const fields = raw as Record<string, unknown>;
  const op = draft === 10 ? operationD10(fields) : operationD4(fields);
  if (draft === 10 && !Object.hasOwn(fields, "path")) {
    throw explained(400, "Unable to find 'path' in JSON Schema change");
  }
  const path = decodePointer(String(draft === 10 ? fields.path : fields[op]));
  if (path.length !== (DEPTH_LIMITS[path[0]]?.[op] ?? 1)) {
    throw explained(400, `Invalid JSON pointer for this resource: '/${path.join("/")}'`);
  }
  const change: Change = { op, path, draft };
  if (op !== "remove") {
    if (!Object.hasOwn(fields, "value")) {
      throw explained(400, `Operation "${op}" requires a member named "value".`);
    }
    change.value = fields.value;
  }
  validateChange(change);
  return change;
}

/**
 * `RequestDeserializer.update`: the changes of a PATCH request.
 *
 * @throws {GlanceHttpError} 415 (with Accept-Patch) for another media type, 400 or 403 per change
 */
export async function parsePatch(req: ApiRequest): Promise<Change[]> {
  const draft = MEDIA_TYPES[mediaType(req)];
  if (draft === undefined) {
    throw new GlanceHttpError(415, {
      headers: [["Accept-Patch", Object.keys(MEDIA_TYPES).sort().join(", ")]],
    });
  }
  const body = await requireJson(req);
  if (!Array.isArray(body)) {
    throw explained(400, "Request body must be a JSON array of operation objects.");
  }
  return body.map((raw) => parseChange(raw, draft));
}
