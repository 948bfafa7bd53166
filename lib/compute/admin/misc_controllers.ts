/**
 * Small controllers: the extension list (ExtensionInfoController),
 * bare metal nodes without Ironic (BareMetalNodeController), a server's
 * NUMA topology (ServerTopologyController, 2.78) and console auth tokens
 * (ConsoleAuthTokensController).
 *
 * Mirrors nova/api/openstack/compute/extension_info.py,
 * baremetal_nodes.py, server_topology.py and console_auth_tokens.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest } from "../../request.ts";
import type { Services } from "../../services.ts";
import { authorize, ctxOf, getInstance } from "../servers/controller_common.ts";
import { computeService } from "../servers/service.ts";
import type { ControllerSpec, MethodSpec } from "../wsgi.ts";
import { authOf } from "./common.ts";
import { findConsoleToken } from "./console_tokens.ts";
import { EXTENSIONS, LEGACY_V2_EXTRA } from "./extensions_list.ts";

function extension([alias, name, description]: readonly [string, string, string]) {
  return {
    alias,
    description,
    links: [],
    name,
    namespace: "http://docs.openstack.org/compute/ext/fake_xml",
    updated: "2014-12-03T00:00:00Z",
  };
}

/** The list the request sees: the legacy v2 one adds OS-EXT-VIF-NET, sorted by alias. */
function extensionsFor(req: ApiRequest) {
  if (!req.legacyV2) return EXTENSIONS.map(extension);
  return [...EXTENSIONS, LEGACY_V2_EXTRA].map(extension)
    .sort((a, b) => a.alias < b.alias ? -1 : a.alias > b.alias ? 1 : 0);
}

/** ExtensionInfoController: index and show (by alias). */
export function extensionsController(services: Services): ControllerSpec {
  const can = (req: ApiRequest) =>
    services.policy.authorize(authOf(req), "os_compute_api:extensions", {});
  return {
    name: "ExtensionInfoController",
    methods: {
      index: {
        expectedErrors: [],
        handler: ({ req }) => {
          can(req);
          return { extensions: extensionsFor(req) };
        },
      },
      show: {
        expectedErrors: [404],
        handler: ({ req, params }) => {
          can(req);
          const found = extensionsFor(req).find((e) => e.alias === params.id);
          if (!found) throw new HttpError(404);
          return { extension: found };
        },
      },
    },
  };
}

/**
 * BareMetalNodeController (to 2.35) with no Ironic client: listing and
 * showing are not supported (501), the rest is refused with the Ironic
 * command to use instead.
 */
export function baremetalNodesController(services: Services): ControllerSpec {
  const upTo235 = (fn: (req: ApiRequest) => never, errors: number[]): MethodSpec => ({
    handler: [{ min: "2.1", max: "2.35", handler: ({ req }) => fn(req) }],
    expectedErrors: errors,
  });
  const listOrShow = (rule: string) => (req: ApiRequest): never => {
    services.policy.authorize(authOf(req), `os_compute_api:os-baremetal-nodes:${rule}`, {});
    throw new HttpError(501, "The requested functionality is not supported.");
  };
  const noProxy = (cmd: string) => (): never => {
    throw new HttpError(
      400,
      `Command Not supported. Please use Ironic command ${cmd} to perform this action.`,
    );
  };
  return {
    name: "BareMetalNodeController",
    methods: {
      index: upTo235(listOrShow("list"), [404, 501]),
      show: upTo235(listOrShow("show"), [404, 501]),
      create: upTo235(noProxy("node-create"), [400]),
      delete: upTo235(noProxy("node-delete"), [400]),
    },
    actions: {
      add_interface: upTo235(noProxy("port-create"), [400]),
      remove_interface: upTo235(noProxy("port-delete"), [400]),
    },
  };
}

/** ServerTopologyController (2.78): novalet's guests have no NUMA topology. */
export function serverTopologyController(services: Services): ControllerSpec {
  return {
    name: "ServerTopologyController",
    methods: {
      index: {
        expectedErrors: [404],
        handler: [{
          min: "2.78",
          handler: ({ req, params }) => {
            const svc = computeService(services);
            const ctx = ctxOf(req);
            const inst = getInstance(svc, ctx, params.server_id);
            authorize(svc, ctx, "compute:server:topology:index", inst);
            return { nodes: [], pagesize_kb: null };
          },
        }],
      },
    },
  };
}

/** ConsoleAuthTokensController: the console a token grants (rdp-html5 only before 2.31). */
export function consoleAuthTokensController(services: Services): ControllerSpec {
  const show = (rdpOnly: boolean) =>
  (
    { req, params }: { req: ApiRequest; params: Record<string, string> },
  ) => {
    services.policy.authorize(authOf(req), "os_compute_api:os-console-auth-tokens");
    if (!params.id) throw new HttpError(400, "token not provided");
    const info = findConsoleToken(services.store, params.id);
    if (!info) throw new HttpError(404, "Token not found");
    if (rdpOnly && info.console_type !== "rdp-html5") {
      throw new HttpError(401, "The requested console type details are not accessible");
    }
    return {
      console: {
        instance_uuid: info.instance_uuid,
        host: info.host,
        port: info.port,
        internal_access_path: info.internal_access_path,
      },
    };
  };
  return {
    name: "ConsoleAuthTokensController",
    methods: {
      show: {
        handler: [{ min: "2.1", max: "2.30", handler: show(true) }, {
          min: "2.31",
          handler: show(false),
        }],
        expectedErrors: [400, 401, 404],
      },
    },
  };
}
