/**
 * glance's API versions: the versions document (300 on an unversioned
 * path, 200 on `/versions`) and the version negotiation filter that
 * answers it before authentication, and otherwise maps `/v2.x/...` (or an
 * `application/vnd.openstack.images-v2.x` Accept) to `/v2/...`.
 *
 * Mirrors glance/api/versions.py (`Controller.index`) and
 * glance/api/middleware/version_negotiation.py, for a glance without image
 * cache and multiple stores (v2.15 current).
 *
 * @module
 */

import type { FilterFactory } from "../app.ts";
import type { ApiRequest } from "../request.ts";
import { ApiResponse, byteLength, pyJson } from "../response.ts";
import { imageService } from "./service.ts";

const VERSIONS: [string, string][] = [
  ["2.15", "CURRENT"],
  ["2.9", "SUPPORTED"],
  ["2.7", "SUPPORTED"],
  ["2.6", "SUPPORTED"],
  ["2.5", "SUPPORTED"],
  ["2.4", "SUPPORTED"],
  ["2.3", "SUPPORTED"],
  ["2.2", "SUPPORTED"],
  ["2.1", "SUPPORTED"],
  ["2.0", "SUPPORTED"],
];

/** `_get_allowed_versions`: the version strings that mean v2. */
const ALLOWED = new Set([
  "v2",
  "v2.0",
  "v2.1",
  "v2.2",
  "v2.3",
  "v2.4",
  "v2.5",
  "v2.6",
  "v2.7",
  "v2.9",
  "v2.15",
]);

const VND = "application/vnd.openstack.images-";

/** `Controller.index`: the versions document, 300 unless asked for explicitly. */
export function versionsAnswer(
  req: ApiRequest,
  explicit: boolean,
  publicEndpoint: string | null,
): ApiResponse {
  const base = (publicEndpoint ?? req.applicationUrl).replace(/\/+$/, "") + "/";
  const href = `${base}v2/`;
  const versions = VERSIONS.map(([id, status]) => ({
    id: `v${id}`,
    status,
    links: [{ rel: "self", href }],
  }));
  const body = pyJson({ versions });
  return new ApiResponse(explicit ? 200 : 300, [
    ["Content-Type", "application/json"],
    ["Content-Length", String(byteLength(body))],
  ], body);
}

/** `_pop_path_info`: the first segment of PATH_INFO, removed from it; null when empty. */
function popSegment(req: ApiRequest): string | null {
  if (!req.pathInfo) return null;
  const path = req.pathInfo.replace(/^\/+/, "");
  const slash = path.indexOf("/");
  const end = slash < 0 ? path.length : slash;
  req.pathInfo = path.slice(end);
  return path.slice(0, end);
}

/** The filter for `glance.api.middleware.version_negotiation:VersionNegotiationFilter.factory`. */
export const versionNegotiationFactory: FilterFactory = (ctx) => {
  const publicEndpoint = ctx.services ? imageService(ctx.services).publicEndpoint : null;
  return (next) =>
    async function versionNegotiation(req) {
      const first = req.pathInfo.replace(/^\/+/, "").split("/")[0];
      if (first === "versions" && req.pathInfo.startsWith("/")) {
        return versionsAnswer(req, true, publicEndpoint);
      }
      const accept = req.header("accept") ?? "";
      const version = accept.startsWith(VND) ? accept.slice(VND.length) : popSegment(req);
      if (version === null || !ALLOWED.has(version)) {
        return versionsAnswer(
          req,
          false,
          publicEndpoint,
        );
      }
      req.pathInfo = `/v2${req.pathInfo}`;
      return await next(req);
    };
};
