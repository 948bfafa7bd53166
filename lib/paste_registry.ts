/**
 * The names nova's api-paste.ini uses for its factories, mapped to the
 * TypeScript ones: `paste.filter_factory = oslo_middleware:RequestBodySizeLimiter.factory`,
 * `use = egg:oslo.middleware#healthcheck`, `use = call:nova.api.auth:pipeline_factory_v21` ...
 *
 * @module
 */

import type { AppFactory, CompositeFactory, FilterFactory } from "./app.ts";
import { lazyApiRouterFactory } from "./compute/api_router.ts";
import { versionsAppFactory, versionsV2AppFactory } from "./compute/versions.ts";
import { lazyMetadataAppFactory } from "./metadata/app_factory.ts";
import * as computeReqId from "./middleware/compute_req_id.ts";
import * as cors from "./middleware/cors.ts";
import * as faultwrap from "./middleware/faultwrap.ts";
import * as healthcheck from "./middleware/healthcheck.ts";
import * as httpProxyToWsgi from "./middleware/http_proxy_to_wsgi.ts";
import * as legacyV2 from "./middleware/legacy_v2_compatible.ts";
import * as noauth2 from "./middleware/noauth2.ts";
import * as osprofiler from "./middleware/osprofiler.ts";
import * as requestLog from "./middleware/request_log.ts";
import * as sizelimit from "./middleware/sizelimit.ts";
import { lazyAppFactory, lazyFilterFactory } from "./lazy.ts";

// Keystone auth and novalet's image service load after start-up (lib/lazy.ts),
// and only when a pipeline uses them.
const authtoken = {
  filterFactory: lazyFilterFactory(async () =>
    (await import("./middleware/authtoken.ts")).filterFactory
  ),
};
const keystonecontext = {
  filterFactory: lazyFilterFactory(async () =>
    (await import("./middleware/keystonecontext.ts")).filterFactory
  ),
};
const imageContext = lazyFilterFactory(async () =>
  (await import("./image/context.ts")).contextFilterFactory
);
const imageAppFactory = lazyAppFactory(async () =>
  (await import("./image/router.ts")).imageAppFactory
);
const versionNegotiationFactory = lazyFilterFactory(async () =>
  (await import("./image/versions.ts")).versionNegotiationFactory
);
import type { PasteRegistry, RegistryEntry } from "./paste.ts";
import { pipelineFactoryV21 } from "./pipeline_factory.ts";
import { urlmapFactory } from "./urlmap.ts";

const filters: [string[], FilterFactory][] = [
  [
    ["egg:oslo.middleware#healthcheck", "oslo_middleware:Healthcheck.factory"],
    healthcheck.filterFactory,
  ],
  [[
    "egg:oslo.middleware#cors",
    "oslo_middleware.cors:filter_factory",
    "oslo_middleware:CORS.factory",
  ], cors.filterFactory],
  [
    [
      "egg:oslo.middleware#http_proxy_to_wsgi",
      "oslo_middleware.http_proxy_to_wsgi:HTTPProxyToWSGI.factory",
      "oslo_middleware:HTTPProxyToWSGI.factory",
    ],
    httpProxyToWsgi.filterFactory,
  ],
  [["nova.api.compute_req_id:ComputeReqIdMiddleware.factory"], computeReqId.filterFactory],
  [["nova.api.openstack:FaultWrapper.factory"], faultwrap.filterFactory],
  [["nova.api.openstack.requestlog:RequestLog.factory"], requestLog.filterFactory],
  [
    [
      "egg:oslo.middleware#sizelimit",
      "oslo_middleware:RequestBodySizeLimiter.factory",
      "oslo_middleware.sizelimit:RequestBodySizeLimiter.factory",
    ],
    sizelimit.filterFactory,
  ],
  [
    ["nova.profiler:WsgiMiddleware.factory", "osprofiler.web:WsgiMiddleware.factory"],
    osprofiler.filterFactory,
  ],
  [["nova.api.openstack.auth:NoAuthMiddleware.factory"], noauth2.filterFactory],
  [["nova.api.openstack:LegacyV2CompatibleWrapper.factory"], legacyV2.filterFactory],
  [["nova.api.auth:NovaKeystoneContext.factory"], keystonecontext.filterFactory],
  [
    ["keystonemiddleware.auth_token:filter_factory", "egg:keystonemiddleware#auth_token"],
    authtoken.filterFactory,
  ],
  // novalet's image service (lib/image/) under glance's names.
  [
    ["glance.api.middleware.version_negotiation:VersionNegotiationFilter.factory"],
    versionNegotiationFactory,
  ],
  [["glance.api.middleware.context:ContextMiddleware.factory"], imageContext],
];

const apps: [string[], AppFactory][] = [
  [
    ["nova.api.openstack.compute:APIRouterV21.factory"],
    lazyApiRouterFactory(async () =>
      (await import("./compute/controllers.ts")).controllerRegistry()
    ),
  ],
  [["nova.api.openstack.compute.versions:Versions.factory"], versionsAppFactory],
  [["nova.api.openstack.compute.versions:VersionsV2.factory"], versionsV2AppFactory],
  [["oslo_middleware:Healthcheck.app_factory"], healthcheck.appFactory],
  [["nova.api.metadata.handler:MetadataRequestHandler.factory"], lazyMetadataAppFactory],
  [["glance.api.v2.router:API.factory"], imageAppFactory],
];

const composites: [string[], CompositeFactory][] = [
  [["egg:Paste#urlmap", "call:nova.api.openstack.urlmap:urlmap_factory"], urlmapFactory],
  [["call:nova.api.auth:pipeline_factory_v21"], pipelineFactoryV21],
];

/** Every factory name novalet knows, for {@link PasteConfig}. */
export function pasteRegistry(): PasteRegistry {
  const registry = new Map<string, RegistryEntry>();
  for (const [names, factory] of filters) {
    for (const n of names) registry.set(n, { kind: "filter", factory });
  }
  for (const [names, factory] of apps) {
    for (const n of names) registry.set(n, { kind: "app", factory });
  }
  for (const [names, factory] of composites) {
    for (const n of names) registry.set(n, { kind: "composite", factory });
  }
  return registry;
}
