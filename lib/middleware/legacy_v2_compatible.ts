/**
 * The `/v2` compatibility filter: marks the request as legacy v2, hides the
 * microversion request headers from the API (so it answers as 2.1), and
 * strips the microversion headers and their `Vary` entries from the
 * response, so `/v2` looks like the frozen v2 API.
 *
 * Mirrors nova/api/openstack/__init__.py (LegacyV2CompatibleWrapper).
 *
 * @module
 */

import type { FilterFactory } from "../app.ts";
import type { ResponseHeaders } from "../http/headers.ts";

const API_VERSION_REQUEST_HEADER = "OpenStack-API-Version";
const LEGACY_API_VERSION_REQUEST_HEADER = "X-OpenStack-Nova-API-Version";

/**
 * paste.filter_factory for `nova.api.openstack:LegacyV2CompatibleWrapper.factory`.
 * Takes no options. Sets `req.legacyV2`.
 *
 * @returns the legacy_v2_compatible filter
 */
export const filterFactory: FilterFactory = () => (next) =>
  async function legacyV2Compatible(req) {
    req.legacyV2 = true;
    req.headers.delete(API_VERSION_REQUEST_HEADER.toLowerCase());
    req.headers.delete(LEGACY_API_VERSION_REQUEST_HEADER.toLowerCase());
    const res = await next(req);
    res.headers.delete(API_VERSION_REQUEST_HEADER);
    res.headers.delete(LEGACY_API_VERSION_REQUEST_HEADER);
    filterVary(res.headers);
    return res;
  };

/**
 * Drops the microversion names from `Vary` as nova does.
 *
 * NOTE(parity): webob's `headers['Vary']` reads only the *last* Vary header,
 * and the write replaces every Vary header with one at the end; so with
 * nova's two Vary headers, both disappear (cases 010, 011).
 */
function filterVary(headers: ResponseHeaders): void {
  const last = headers.getAll("Vary").at(-1);
  if (last === undefined) return;
  const kept = last.split(",").map((v) => v.trim()).filter((v) =>
    v !== API_VERSION_REQUEST_HEADER && v !== LEGACY_API_VERSION_REQUEST_HEADER
  );
  if (kept.length > 0) headers.set("Vary", kept.join(","));
  else headers.delete("Vary");
}
