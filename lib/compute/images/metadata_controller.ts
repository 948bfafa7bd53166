/**
 * ImageMetadataController: `/images/{image_id}/metadata[/{id}]`, an image's
 * extra properties, for microversions 2.1-2.38.
 *
 * Mirrors nova/api/openstack/compute/image_metadata.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest } from "../../request.ts";
import type { Services } from "../../services.ts";
import { parameterTypes as pt, validateBodyFor } from "../../validation/mod.ts";
import type { ControllerSpec, Handler, MethodSpec } from "../wsgi.ts";
import { type Image, imageApi } from "./api.ts";
import { mayModify } from "./controller.ts";
import { checkImageMetadata } from "../quotas/compute_checks.ts";
import { quotaEngine } from "../quotas/engine.ts";

/** MAX_IMAGE_META_PROXY_API_VERSION. */
const MAX_IMAGE_META_PROXY = "2.38";

const createSchema = {
  type: "object",
  properties: { metadata: pt.metadata },
  required: ["metadata"],
  additionalProperties: false,
} as const;

const updateSchema = {
  type: "object",
  properties: { meta: { ...pt.metadata, minProperties: 1, maxProperties: 1 } },
  required: ["meta"],
  additionalProperties: false,
} as const;

function proxy(handler: Handler, extra: Omit<MethodSpec, "handler">): MethodSpec {
  return { ...extra, handler: [{ min: "2.1", max: MAX_IMAGE_META_PROXY, handler }] };
}

/** The image metadata controller spec. */
export function imageMetadataController(services: Services): ControllerSpec {
  const api = imageApi(services);
  const quotas = quotaEngine(services);
  const viewer = (req: ApiRequest) => ({
    isAdmin: req.context!.isAdmin,
    projectId: req.context!.projectId,
  });
  /** `_get_image`: 404 "Image not found." */
  const getImage = (req: ApiRequest, id: string): Image => {
    const image = api.get(id, viewer(req));
    if (!image) throw new HttpError(404, "Image not found.");
    return image;
  };
  /** glance's update with purge_props: 403 for anyone but the owner or an admin. */
  const save = (req: ApiRequest, image: Image, properties: Record<string, string>): Image => {
    checkImageMetadata(quotas, req.context!, properties);
    if (!mayModify(image, viewer(req))) {
      throw new HttpError(403, `Not authorized for image ${image.id}.`);
    }
    return api.store.setProperties(image.id, properties);
  };
  return {
    name: "ImageMetadataController",
    methods: {
      index: proxy(({ req, params }) => ({
        metadata: getImage(req, params.image_id).properties,
      }), { expectedErrors: [403, 404] }),
      show: proxy(({ req, params }) => {
        const metadata = getImage(req, params.image_id).properties;
        if (!Object.hasOwn(metadata, params.id)) throw new HttpError(404);
        return { meta: { [params.id]: metadata[params.id] } };
      }, { expectedErrors: [403, 404] }),
      create: proxy(({ req, params, body }) => {
        validateBodyFor(req, body, [{ schema: createSchema }]);
        const image = getImage(req, params.image_id);
        const metadata = (body as { metadata: Record<string, string> }).metadata;
        return { metadata: save(req, image, { ...image.properties, ...metadata }).properties };
      }, { expectedErrors: [400, 403, 404] }),
      update: proxy(({ req, params, body }) => {
        validateBodyFor(req, body, [{ schema: updateSchema }]);
        const meta = (body as { meta: Record<string, string> }).meta;
        if (!Object.hasOwn(meta, params.id)) {
          throw new HttpError(400, "Request body and URI mismatch");
        }
        const image = getImage(req, params.image_id);
        save(req, image, { ...image.properties, [params.id]: meta[params.id] });
        return { meta };
      }, { expectedErrors: [400, 403, 404] }),
      update_all: proxy(({ req, params, body }) => {
        validateBodyFor(req, body, [{ schema: createSchema }]);
        const image = getImage(req, params.image_id);
        const metadata = (body as { metadata: Record<string, string> }).metadata;
        save(req, image, metadata);
        return { metadata };
      }, { expectedErrors: [400, 403, 404] }),
      delete: proxy(({ req, params }) => {
        const image = getImage(req, params.image_id);
        if (!Object.hasOwn(image.properties, params.id)) {
          throw new HttpError(404, "Invalid metadata key");
        }
        const { [params.id]: _removed, ...rest } = image.properties;
        save(req, image, rest);
        return null;
      }, { expectedErrors: [403, 404], status: 204 }),
    },
  };
}
