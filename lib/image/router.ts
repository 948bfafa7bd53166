/**
 * The image API's v2 router: glance's routes for what novalet serves
 * (images, image data, image tags, the image schemas), 405 with `Allow`
 * for another method on a known path, 404 for an unknown path (501 for a
 * method glance does not know), and webob's pages for errors.
 *
 * Mirrors glance/api/v2/router.py (`API`), glance/common/wsgi.py
 * (`Router._dispatch`, `RejectMethodController`, `Resource.__call__`).
 *
 * @module
 */

import type { AppFactory } from "../app.ts";
import { webobError } from "../errors.ts";
import { getLogger } from "../log.ts";
import type { ApiRequest } from "../request.ts";
import type { ApiResponse } from "../response.ts";
import {
  addTag,
  createImage,
  deleteImage,
  deleteTag,
  listImagesAnswer,
  showImageAnswer,
  updateImage,
} from "./controller.ts";
import { downloadImageData, uploadImageData } from "./data_controller.ts";
import { rejectBody } from "./deserialize.ts";
import { errorResponse, explained, GlanceHttpError } from "./errors.ts";
import { Forbidden } from "./policy.ts";
import { IMAGE_SCHEMA, IMAGES_SCHEMA } from "./schemas.ts";
import { type ImageService, imageService } from "./service.ts";
import { schemaAnswer } from "./views.ts";

const LOG = getLogger("glance.common.wsgi");

type Action = (svc: ImageService, req: ApiRequest, args: string[]) =>
  | ApiResponse
  | Promise<ApiResponse>;

interface Route {
  readonly pattern: RegExp;
  readonly methods: Readonly<Partial<Record<string, Action>>>;
}

const SEGMENT = "([^/]+)";

function route(template: string, methods: Record<string, Action>): Route {
  return { pattern: new RegExp(`^${template.replaceAll("{}", SEGMENT)}$`), methods };
}

/** The routes, in glance's order. */
const ROUTES: readonly Route[] = [
  route("/schemas/image", {
    GET: (_svc, req) => (rejectBody(req), schemaAnswer(IMAGE_SCHEMA)),
  }),
  route("/schemas/images", {
    GET: (_svc, req) => (rejectBody(req), schemaAnswer(IMAGES_SCHEMA)),
  }),
  route("/images", {
    GET: (svc, req) => listImagesAnswer(svc, req),
    POST: (svc, req) => createImage(svc, req),
  }),
  route("/images/{}", {
    GET: (svc, req, [id]) => showImageAnswer(svc, req, id),
    PATCH: (svc, req, [id]) => updateImage(svc, req, id),
    DELETE: (svc, req, [id]) => deleteImage(svc, req, id),
  }),
  route("/images/{}/file", {
    GET: (svc, req, [id]) => downloadImageData(svc, req, id),
    PUT: (svc, req, [id]) => uploadImageData(svc, req, id),
  }),
  route("/images/{}/tags/{}", {
    PUT: (svc, req, [id, tag]) => addTag(svc, req, id, tag),
    DELETE: (svc, req, [id, tag]) => deleteTag(svc, req, id, tag),
  }),
];

const KNOWN_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"];

/** The action for the request, or the error glance's router answers. */
function dispatch(path: string, method: string): { action: Action; args: string[] } {
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    const action = r.methods[method];
    if (action) return { action, args: m.slice(1) };
    throw new GlanceHttpError(405, { headers: [["Allow", Object.keys(r.methods).join(", ")]] });
  }
  throw new GlanceHttpError(KNOWN_METHODS.includes(method) ? 404 : 501);
}

/** Runs the request's action; errors become webob pages (anything unexpected a 500). */
async function handle(svc: ImageService, req: ApiRequest): Promise<ApiResponse> {
  try {
    const path = req.pathInfo.startsWith("/v2/") ? req.pathInfo.slice(3) : req.pathInfo;
    const { action, args } = dispatch(path, req.method);
    return await action(svc, req, args);
  } catch (err) {
    if (err instanceof Forbidden) return errorResponse(req, explained(403, err.message));
    if (err instanceof GlanceHttpError) return errorResponse(req, err);
    LOG.exception(`Caught error: ${err instanceof Error ? err.message : err}`, err);
    return webobError(req, 500);
  }
}

/** paste.app_factory for `glance.api.v2.router:API.factory`. */
export const imageAppFactory: AppFactory = (ctx) => {
  if (!ctx.services) throw new Error("The image API needs the services");
  const svc = imageService(ctx.services);
  return (req) => handle(svc, req);
};
