/**
 * ImagesController: nova's deprecated image proxy `/images` (index,
 * detail, show, delete) for microversions 2.1-2.35, answered from the local
 * image table as glance would answer nova.
 *
 * Mirrors nova/api/openstack/compute/images.py and nova/image/glance.py
 * (`_extract_query_params_v2`).
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest } from "../../request.ts";
import type { Services } from "../../services.ts";
import { dictOfLists, parseQueryString, type QueryDict } from "../../validation/mod.ts";
import { pyInt } from "../../validation/pynum.ts";
import { intParam, lastParam } from "../common.ts";
import type { ControllerSpec, Handler, MethodSpec } from "../wsgi.ts";
import { type Image, imageApi } from "./api.ts";
import { glanceUrl } from "./glance_url.ts";
import { ImageMarkerNotFound, type ImageQuery, type ImageViewer } from "./store.ts";
import { ImageViews } from "./views.ts";

/** MAX_PROXY_API_SUPPORT_VERSION. */
const MAX_PROXY = "2.35";

/** `req.params` without a schema: every parameter as sent. */
export function rawParams(req: ApiRequest): QueryDict {
  try {
    return dictOfLists(parseQueryString(req.query));
  } catch {
    throw new HttpError(400, "Query string is not UTF-8 encoded");
  }
}

/** Python's `str.lstrip(chars)`. */
function lstrip(s: string, chars: string): string {
  let i = 0;
  while (i < s.length && chars.includes(s[i])) i++;
  return s.slice(i);
}

/** `_get_filters` + `_extract_query_params_v2` + the page parameters, as an image query. */
function imageQuery(params: QueryDict, viewer: ImageViewer): ImageQuery {
  const q: ImageQuery = { viewer, properties: {} };
  const get = (name: string) => lastParam(params, name);
  if (get("name")) q.name = get("name");
  if (get("status")) q.status = get("status")!.toLowerCase();
  const since = get("changes-since");
  if (since) {
    if (Number.isNaN(Date.parse(since))) {
      throw new HttpError(
        400,
        `Invalid filter value ${since}. The date and time format must be ISO 8601.`,
      );
    }
    q.updatedSince = since;
  }
  for (const [param, prop] of [["minRam", "minRam"], ["minDisk", "minDisk"]] as const) {
    const raw = get(param);
    if (!raw) continue;
    const value = pyInt(raw);
    if (value === null) throw new HttpError(400, `Invalid ${param} filter [${raw}]`);
    q[prop] = Number(value);
  }
  const server = get("server");
  if (server) {
    q.properties!.instance_uuid = server.includes("/")
      ? server.slice(server.lastIndexOf("/") + 1)
      : server;
  }
  if (get("type")) q.properties!.image_type = get("type")!;
  for (const name of Object.keys(params)) {
    // NOTE(parity): nova strips the prefix with lstrip('property-'), a set of characters.
    if (name.startsWith("property-") && get(name)) {
      q.properties![lstrip(name, "property-")] = get(name)!;
    }
  }
  const limit = intParam(params, "limit");
  intParam(params, "page_size");
  intParam(params, "offset");
  if (limit) q.limit = limit;
  if (get("marker")) q.marker = get("marker");
  return q;
}

function viewerOf(req: ApiRequest): ImageViewer {
  return { isAdmin: req.context!.isAdmin, projectId: req.context!.projectId };
}

function notFound(): HttpError {
  return new HttpError(404, "Image not found.");
}

function proxy(handler: Handler, extra: Omit<MethodSpec, "handler">): MethodSpec {
  return { ...extra, handler: [{ min: "2.1", max: MAX_PROXY, handler }] };
}

/** Whether the viewer may change or delete the image (glance: admin or owner). */
export function mayModify(image: Image, viewer: ImageViewer): boolean {
  return viewer.isAdmin || (image.owner !== null && image.owner === viewer.projectId);
}

/** The ImagesController spec. */
export function imagesController(services: Services): ControllerSpec {
  const conf = services.conf;
  const views = new ImageViews(
    conf.api.compute_link_prefix,
    conf.api.glance_link_prefix,
    conf.api.max_limit,
  );
  const api = imageApi(services);
  const list = (detail: boolean): Handler => ({ req }) => {
    const params = rawParams(req);
    let images: Image[];
    try {
      images = api.list(imageQuery(params, viewerOf(req)));
    } catch (err) {
      if (err instanceof ImageMarkerNotFound) throw new HttpError(400, err.message);
      throw err;
    }
    return views.list(req, glanceUrl(services, req), images, params, detail);
  };
  return {
    name: "ImagesController",
    methods: {
      index: proxy(list(false), { expectedErrors: [400] }),
      detail: proxy(list(true), { expectedErrors: [400] }),
      show: proxy(({ req, params }) => {
        const image = api.get(params.id, viewerOf(req));
        if (!image) throw notFound();
        return { image: views.show(req, glanceUrl(services, req), image) };
      }, { expectedErrors: [404] }),
      delete: proxy(({ req, params }) => {
        const viewer = viewerOf(req);
        const image = api.get(params.id, viewer);
        if (!image) throw notFound();
        if (!mayModify(image, viewer) || image.protected) {
          throw new HttpError(403, "You are not allowed to delete the image.");
        }
        if (!api.delete(image.id)) throw notFound();
        return null;
      }, { expectedErrors: [403, 404], status: 204 }),
    },
  };
}
