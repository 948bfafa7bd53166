/**
 * Where the image service is, for the images API's `alternate` links:
 * `glance.generate_glance_url(context)`.
 *
 * In order: one of `[glance] api_servers` (nova picks one at random), the
 * `image` endpoint of the request's service catalog (internal, then
 * public; a trailing `/vN[.M]` replaced by `/`, as nova does), else —
 * where nova would fail for want of an endpoint — the request's host on
 * glance's default port 9292 (novalet's choice: the link nova shows for a
 * glance beside it).
 *
 * @module
 */

import type { ApiRequest } from "../../request.ts";
import type { Services } from "../../services.ts";

interface CatalogEndpoint {
  interface?: string;
  url?: string;
}

function catalogEndpoint(catalog: unknown[] | undefined): string | null {
  for (const wanted of ["internal", "public"]) {
    for (const service of catalog ?? []) {
      const s = service as { type?: string; endpoints?: CatalogEndpoint[] };
      if (s.type !== "image") continue;
      const ep = s.endpoints?.find((e) => e.interface === wanted && e.url);
      if (ep?.url) return ep.url.replace(/\/v\d+(\.\d+)?\/?$/, "/");
    }
  }
  return null;
}

/** `generate_glance_url(context)`. */
export function glanceUrl(services: Services, req: ApiRequest): string {
  const servers = services.conf.glance.api_servers;
  if (servers?.length) return servers[Math.floor(Math.random() * servers.length)];
  const fromCatalog = catalogEndpoint(req.context?.serviceCatalog);
  if (fromCatalog) return fromCatalog;
  return `${req.scheme}://${req.host.replace(/:\d+$/, "")}:9292`;
}
