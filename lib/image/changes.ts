/**
 * Applying PATCH changes to an image: glance's attributes are set with
 * their domain rules (formats only while queued, no negative minimums,
 * owner by admins), anything else is an extra property; locations are not
 * shown, so they cannot be changed.
 *
 * Mirrors glance/api/v2/images.py `ImagesController._do_replace`,
 * `_do_add`, `_do_remove`, `_do_*_locations`, and the setters of
 * glance/domain/__init__.py `Image` and glance/quota `ImageProxy.tags`.
 *
 * @module
 */

import type { Image } from "../compute/images/api.ts";
import type { AuthContext } from "../request.ts";
import { detailed, explained } from "./errors.ts";
import type { Change } from "./patch.ts";
import { Forbidden, type ImagePolicy } from "./policy.ts";

/** glance's `[DEFAULT] image_tag_quota` and `image_property_quota`. */
export const TAG_QUOTA = 128;
export const PROPERTY_QUOTA = 128;

/** The image attributes a change sets directly (`hasattr(image, name)`). */
const ATTRIBUTES = new Set([
  "name",
  "visibility",
  "protected",
  "min_disk",
  "min_ram",
  "owner",
  "disk_format",
  "container_format",
  "tags",
  "os_hidden",
  "status",
  "checksum",
  "size",
  "virtual_size",
  "created_at",
  "updated_at",
  "os_hash_algo",
  "os_hash_value",
]);

/** `_enforce_image_tag_quota`: 413 past 128 tags. */
export function checkTagQuota(count: number): void {
  if (count > TAG_QUOTA) {
    throw explained(
      413,
      `The limit has been exceeded on the number of allowed image tags. Attempted: ${count}, ` +
        `Maximum: ${TAG_QUOTA}`,
    );
  }
}

/** `_enforce_image_property_quota`: 413 past 128 extra properties (os_glance ones aside). */
export function checkPropertyQuota(properties: Record<string, unknown>): void {
  const attempted = Object.keys(properties).filter((k) => !k.startsWith("os_glance")).length;
  if (attempted > PROPERTY_QUOTA) {
    throw explained(
      413,
      "The limit has been exceeded on the number of allowed image properties. " +
        `Attempted: ${attempted}, Maximum: ${PROPERTY_QUOTA}`,
    );
  }
}

/** The largest integer the images table holds (SQLite's 64-bit INTEGER). */
const MAX_STORED = 9223372036854775807n;

/**
 * `min_disk`/`min_ram` setters: InvalidParameterValue (400) below zero.
 *
 * glance answers 500 for a value its database cannot store (a DBError);
 * novalet answers the setter's 400 "Cannot be greater than ...".
 */
export function checkMinimum(name: string, value: unknown): void {
  if ((typeof value === "number" || typeof value === "bigint") && value < 0) {
    throw explained(
      400,
      `Invalid value '${value}' for parameter '${name}': Cannot be a negative value`,
    );
  }
  if (typeof value === "bigint" && value > MAX_STORED) {
    throw explained(
      400,
      `Invalid value '${value}' for parameter '${name}': Cannot be greater than ${MAX_STORED}`,
    );
  }
}

/** `setattr(image, name, value)` with the domain setters' checks. */
function setAttribute(image: Image, name: string, value: unknown): void {
  if ((name === "disk_format" || name === "container_format") && image.status !== "queued") {
    throw new Forbidden(`Attribute ${name} can be only replaced for a queued image.`);
  }
  if (name === "min_disk" || name === "min_ram") checkMinimum(name, value);
  if (name === "tags") {
    const tags = [...new Set(value as string[])];
    checkTagQuota(tags.length);
    image.tags = tags;
    return;
  }
  (image as unknown as Record<string, unknown>)[name] = value;
}

/** The locations of an image are not shown (`show_multiple_locations` off): no change applies. */
function locationsChange(op: string, value?: unknown): never {
  if (op === "replace" && Array.isArray(value) && value.length === 0) {
    throw detailed(403, "Cannot set locations to empty list.");
  }
  const verb = op === "replace" ? "update" : op;
  throw explained(403, `It's not allowed to ${verb} locations if locations are invisible.`);
}

/** Applies one change (`_do_<op>`). @throws {GlanceHttpError} or {Forbidden} as glance refuses */
export function applyChange(
  policy: ImagePolicy,
  ctx: AuthContext,
  image: Image,
  change: Change,
): void {
  const root = change.path[0];
  if (root === "locations") locationsChange(change.op, change.value);
  if (change.op === "replace" && root === "owner" && !ctx.isAdmin) {
    throw detailed(403, "Owner can't be updated by non admin.");
  }
  policy.updateProperty(ctx, image, root, change.value);
  const isAttribute = ATTRIBUTES.has(root);
  const hasProperty = Object.hasOwn(image.properties, root);
  if (change.op === "remove") {
    if (isAttribute) throw detailed(403, `Property ${root} may not be removed.`);
    if (!hasProperty) throw detailed(409, `Property ${root} does not exist.`);
    delete image.properties[root];
    return;
  }
  if (change.op === "replace" && !isAttribute && !hasProperty) {
    throw detailed(409, `Property ${root} does not exist.`);
  }
  if (change.op === "add" && change.draft === 4 && (isAttribute || hasProperty)) {
    throw detailed(409, `Property ${root} already present.`);
  }
  // NOTE(parity): glance checks the owner only on replace; an add of /owner goes through.
  if (isAttribute) setAttribute(image, root, change.value);
  else image.properties[root] = change.value as string;
}
