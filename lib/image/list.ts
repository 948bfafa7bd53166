/**
 * An image list: which images the caller sees (glance's default
 * selection and the `visibility` filter), the filters (exact, `in:` lists,
 * `_min`/`_max` ranges, dates with operators, extra properties, tags),
 * sorting with `created_at` and `id` as tie-breakers, and the marker.
 *
 * Mirrors glance/db/sqlalchemy/api.py `image_get_all`,
 * `_make_conditions_from_filters`, `_select_images_query` and
 * `_paginate_query`, and glance/common/utils.py `split_filter_op`,
 * `split_filter_value_for_quotes`, `evaluate_filter_op`.
 *
 * @module
 */

import type { Image } from "../compute/images/api.ts";
import { explained } from "./errors.ts";
import type { ListQuery } from "./list_query.ts";
import { Forbidden } from "./policy.ts";
import type { ImageRepo, Viewer } from "./repo.ts";

type Value = string | number | boolean | null;

/** The images table's columns (`models.Image`): other filter names are extra properties. */
const COLUMNS = new Set([
  "id",
  "name",
  "disk_format",
  "container_format",
  "size",
  "virtual_size",
  "status",
  "visibility",
  "checksum",
  "os_hash_algo",
  "os_hash_value",
  "min_disk",
  "min_ram",
  "owner",
  "protected",
  "os_hidden",
  "created_at",
  "updated_at",
]);

const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;

function column(image: Image, name: string): Value {
  return (image as unknown as Record<string, Value>)[name] ?? null;
}

/** `split_filter_op`: `op:value`, unless the whole text is an ISO time. */
function splitOp(expression: string): [string, string] {
  const colon = expression.indexOf(":");
  if (colon < 0 || ISO_TIME.test(expression)) return ["eq", expression];
  return [expression.slice(0, colon), expression.slice(colon + 1)];
}

/** `split_filter_value_for_quotes`: `a,"b,c",d` → a, b,c, d. */
function splitQuoted(value: string): string[] {
  const out: string[] = [];
  const re = /"([^"\\]*(?:\\.[^"\\]*)*)",?|([^,]+),?|,/g;
  for (const m of value.matchAll(re)) out.push(m[1] ?? m[2] ?? "");
  return out;
}

function compare(op: string, a: Value, b: Value): boolean {
  if (a === null) return op === "neq";
  switch (op) {
    case "gt":
      return a > b!;
    case "gte":
      return a >= b!;
    case "lt":
      return a < b!;
    case "lte":
      return a <= b!;
    case "neq":
      return a !== b;
    case "eq":
      return a === b;
  }
  throw explained(400, "Unable to filter on a unknown operator.");
}

/** The UTC time of an ISO 8601 text as glance stores times, or null. */
function storedTime(text: string): string | null {
  if (!ISO_TIME.test(text)) return null;
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 23);
}

/** One filter as a predicate (`_make_conditions_from_filters`). */
function filterOf(key: string, value: string): (image: Image) => boolean {
  if (key === "checksum" || key === "os_hash_value") return (i) => column(i, key) === value;
  if (key.endsWith("_min") || key.endsWith("_max")) {
    const name = key.slice(0, -4);
    const bound = /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : null;
    if (bound === null) {
      throw explained(400, "Unable to filter on a range with a non-numeric value.");
    }
    const min = key.endsWith("_min");
    return (i) => {
      const v = column(i, name);
      return v !== null && (min ? Number(v) >= bound : Number(v) <= bound);
    };
  }
  if (key === "created_at" || key === "updated_at") {
    const [op, iso] = splitOp(value);
    const threshold = storedTime(iso);
    if (threshold === null) {
      throw explained(400, `Bad "${key}" query filter format. Use ISO 8601 DateTime notation.`);
    }
    return (i) => compare(op, String(column(i, key)).slice(0, 23), threshold);
  }
  if (["name", "id", "status", "container_format", "disk_format"].includes(key)) {
    const [op, text] = splitOp(value);
    if (op === "in") {
      const values = splitQuoted(text);
      return (i) => values.includes(String(column(i, key)));
    }
    if (op !== "eq") throw explained(400, `Unable to filter by unknown operator '${op}'.`);
    return (i) => column(i, key) === text;
  }
  if (key === "protected") return (i) => i.protected === (value === "true");
  if (COLUMNS.has(key)) return (i) => column(i, key) !== null && String(column(i, key)) === value;
  return (i) => i.properties[key] === value;
}

/** `_select_images_query` and the visibility filter: what the caller is shown. */
function selected(image: Image, viewer: Viewer, visibility: string | null): boolean {
  const regular = !viewer.isAdmin;
  if (regular) {
    const own = viewer.projectId !== null && image.owner === viewer.projectId;
    if (!own && image.visibility !== "public" && image.visibility !== "community") return false;
  }
  if (visibility !== null) return visibility === "all" || image.visibility === visibility;
  if (viewer.projectId === null) return image.visibility !== "community";
  return image.owner === viewer.projectId || image.visibility !== "community";
}

/** Sort order over `keys` (NULL first, as SQLite), each in its direction. */
function comparator(keys: string[], dirs: string[]): (a: Image, b: Image) => number {
  return (a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const x = column(a, keys[k]);
      const y = column(b, keys[k]);
      if (x === y) continue;
      const order = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
      return dirs[k] === "desc" ? -order : order;
    }
    return 0;
  };
}

/**
 * `image_repo.list`: one page of images and the marker of the next.
 *
 * @throws {GlanceHttpError} 400 for a bad filter or an unknown marker
 * @throws {Forbidden} for a marker the caller may not see (glance answers 403)
 */
export function listImages(
  repo: ImageRepo,
  viewer: Viewer,
  q: ListQuery,
): { images: Image[]; nextMarker: string | null } {
  const predicates = [...q.filters].map(([k, v]) => filterOf(k, v));
  const keys = [...q.sortKeys];
  const dirs = q.sortKeys.map((_, i) => q.sortDirs[i] ?? q.sortDirs[0]);
  for (const key of ["created_at", "id"]) {
    if (!keys.includes(key)) {
      keys.push(key);
      dirs.push(q.sortDirs.length === 1 ? q.sortDirs[0] : "desc");
    }
  }
  const order = comparator(keys, dirs);
  let images = repo.all().filter((i) =>
    i.status !== "killed" && i.os_hidden === q.osHidden && selected(i, viewer, q.visibility) &&
    q.tags.every((t) => i.tags.includes(t)) && predicates.every((p) => p(i))
  ).sort(order);
  if (q.marker !== null) {
    const marker = markerImage(repo, viewer, q.marker);
    images = images.filter((i) => order(i, marker) > 0);
  }
  const page = images.slice(0, q.limit);
  const full = page.length > 0 && page.length === q.limit;
  return { images: page, nextMarker: full ? page[page.length - 1].id : null };
}

/** `_image_get(context, marker)`. */
function markerImage(repo: ImageRepo, viewer: Viewer, id: string): Image {
  const image = repo.all().find((i) => i.id === id);
  if (!image) throw explained(400, `No image found with ID ${id}`);
  if (repo.get(id, viewer) === null) {
    // NOTE(parity): glance's DB layer refuses an invisible marker with Forbidden, a 403.
    throw new Forbidden(`Forbidding request, image ${id} not visible`);
  }
  return image;
}
