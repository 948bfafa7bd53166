/**
 * The image schemas glance serves at `/v2/schemas/image` and
 * `/v2/schemas/images` (clients read them to validate and to know the
 * properties), and the validation of request bodies against the image
 * schema. The image schema is glance 25's `get_schema()` with the custom
 * properties of its stock `schema-image.json` (kernel_id, ramdisk_id,
 * instance_uuid, architecture, os_distro, os_version, description) and the
 * default disk and container formats: glance's output, kept as data.
 *
 * Mirrors glance/api/v2/images.py (`get_base_properties`, `get_schema`,
 * `get_collection_schema`), glance/schema.py (`PermissiveSchema.raw`,
 * `CollectionSchema.raw`, `Schema.validate`) and glance/api/v2/schemas.py.
 *
 * @module
 */

import { compileSchema, type ObjectSchema } from "../validation/mod.ts";
import { explained } from "./errors.ts";
import IMAGE_SCHEMA_DATA from "./schema_image.json" with { type: "json" };

/** `/v2/schemas/image`: the permissive image schema (extra properties are strings). */
export const IMAGE_SCHEMA: ObjectSchema = IMAGE_SCHEMA_DATA as ObjectSchema;

/** The image schema's properties (glance's base and custom properties). */
export const IMAGE_PROPERTIES = IMAGE_SCHEMA.properties as Readonly<
  Record<string, Readonly<Record<string, unknown>>>
>;

/** `/v2/schemas/images`: `CollectionSchema('images', image_schema).raw()`. */
export const IMAGES_SCHEMA: ObjectSchema = {
  name: "images",
  properties: {
    images: { type: "array", items: IMAGE_SCHEMA },
    first: { type: "string" },
    next: { type: "string" },
    schema: { type: "string" },
  },
  links: [
    { rel: "first", href: "{first}" },
    { rel: "next", href: "{next}" },
    { rel: "describedby", href: "{schema}" },
  ],
};

/** Whether a base (or custom) property of the schema is an array (`tags`, `locations`). */
export function isArrayProperty(name: string): boolean {
  return Object.hasOwn(IMAGE_PROPERTIES, name) && IMAGE_PROPERTIES[name].type === "array";
}

/**
 * `schema.validate(obj)`: 400 "Provided object does not match schema
 * 'image': <reason>".
 *
 * NOTE(parity): the reason is the first line of jsonschema's message;
 * glance's text goes on with the failing schema and instance, pretty-printed.
 *
 * @throws {GlanceHttpError} 400 when `obj` does not match
 */
export function validateImage(obj: unknown): void {
  const err = compileSchema(IMAGE_SCHEMA)(obj);
  if (err) {
    throw explained(400, `Provided object does not match schema 'image': ${err.message}`);
  }
}
