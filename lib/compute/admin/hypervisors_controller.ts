/**
 * HypervisorsController (`/os-hypervisors`): the compute nodes with their
 * service's state and status; list and detail (paged from 2.33, filtered
 * by `hypervisor_hostname_pattern` and `with_servers` from 2.53), show,
 * uptime (to 2.87), search and servers (to 2.52), statistics (to 2.87).
 *
 * Mirrors nova/api/openstack/compute/hypervisors.py and
 * schemas/hypervisors.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest } from "../../request.ts";
import type { Services } from "../../services.ts";
import {
  isUuidLike,
  type ObjectSchema,
  parameterTypes as pt,
  type QueryDict,
  validateQueryFor,
  type VersionedSchema,
} from "../../validation/mod.ts";
import { isSupported, lastParam, limitAndMarker } from "../common.ts";
import type { ComputeNodeRow, HostsApi } from "../hosts/api.ts";
import { hostsApi } from "../hosts/api.ts";
import { collectionLinks, LinkBuilder } from "../links.ts";
import type { ControllerSpec, HandlerArgs } from "../wsgi.ts";
import { authOf, intOrNull, strictBool } from "./common.ts";
import { hostUptime, nodeStats, viewHypervisor } from "./hypervisor_views.ts";

const RULE = "os_compute_api:os-hypervisors:";

const LIST_V233: ObjectSchema = {
  type: "object",
  properties: pt.paginationParameters,
  additionalProperties: true,
};
const LIST_V253: ObjectSchema = {
  type: "object",
  properties: {
    limit: pt.singleParam(pt.nonNegativeInteger),
    marker: pt.singleParam({ type: "string" }),
    hypervisor_hostname_pattern: pt.singleParam(pt.fqdn),
    with_servers: pt.singleParam(pt.boolean),
  },
  additionalProperties: false,
};
const SHOW_V253: ObjectSchema = {
  type: "object",
  properties: { with_servers: pt.singleParam(pt.boolean) },
  additionalProperties: false,
};
const LIST_QUERY: VersionedSchema<ObjectSchema>[] = [
  { schema: LIST_V253, min: "2.53" },
  { schema: LIST_V233, min: "2.33", max: "2.52" },
];

/** Builds the controller. */
export function hypervisorsController(services: Services): ControllerSpec {
  const api = () => hostsApi(services);
  const links = new LinkBuilder(services.conf.api.compute_link_prefix);
  const list = (detail: boolean) => ({
    expectedErrors: [400, 404],
    handler: ({ req }: HandlerArgs) => listNodes(api(), links, req, detail),
  });
  return {
    name: "HypervisorsController",
    methods: {
      index: list(false),
      detail: list(true),
      show: { expectedErrors: [400, 404], handler: (a) => show(api(), a) },
      uptime: {
        handler: [{ max: "2.87", handler: (a) => uptime(api(), a) }],
        expectedErrors: [400, 404, 501],
      },
      search: {
        handler: [{ max: "2.52", handler: (a) => search(api(), a, false) }],
        expectedErrors: [404],
      },
      servers: {
        handler: [{ max: "2.52", handler: (a) => search(api(), a, true) }],
        expectedErrors: [404],
      },
      statistics: {
        handler: [{ max: "2.87", handler: ({ req }) => statistics(api(), req) }],
        expectedErrors: [],
      },
    },
  };
}

/** `_index` / `_detail` + `_get_hypervisors`. */
function listNodes(api: HostsApi, links: LinkBuilder, req: ApiRequest, detail: boolean) {
  const params = validateQueryFor(req, req.query, LIST_QUERY);
  api.compute.policy.authorize(authOf(req), RULE + (detail ? "list-detail" : "list"), {});
  const paged = isSupported(req, "2.33");
  let pattern: string | undefined;
  let withServers = false;
  if (isSupported(req, "2.53")) {
    pattern = lastParam(params, "hypervisor_hostname_pattern");
    withServers = strictBool(lastParam(params, "with_servers") ?? false);
  }
  const nodes = pattern !== undefined
    ? byPattern(api, pattern, params)
    : page(api, paged ? limitAndMarker(params, api.compute.conf.api.max_limit) : null);
  const hypervisors = nodes.flatMap((node) => {
    const service = api.records.computeService(node.host);
    if (!service) return [];
    const servers = withServers ? api.instancesOn(node.host) : null;
    return [viewHypervisor(api, req, { node, service, detail, servers, withServers })];
  });
  const out: Record<string, unknown> = { hypervisors };
  if (paged && pattern === undefined) {
    const ids = hypervisors.map((h) => String(h.id));
    const collection = detail ? "os-hypervisors/detail" : "os-hypervisors";
    const next = collectionLinks(
      links,
      req,
      params,
      ids,
      collection,
      api.compute.conf.api.max_limit,
    );
    if (next.length) out.hypervisors_links = next;
  }
  return out;
}

function byPattern(api: HostsApi, pattern: string, params: QueryDict): ComputeNodeRow[] {
  if ("limit" in params || lastParam(params, "marker")) {
    throw new HttpError(
      400,
      "Paging over hypervisors with the hypervisor_hostname_pattern query parameter is not supported.",
    );
  }
  const nodes = api.searchNodes(pattern);
  if (!nodes.length) {
    throw new HttpError(404, `No hypervisor matching '${pattern}' could be found.`);
  }
  return nodes;
}

/** `compute_node_get_all(limit, marker)`: nodes by id after the marker node (id or uuid). */
function page(api: HostsApi, p: { limit: number; marker: string | null } | null): ComputeNodeRow[] {
  if (!p) return api.computeNodes();
  let afterId = 0;
  if (p.marker) {
    const markerNode = api.computeNode(isUuidLike(p.marker) ? p.marker : intOrNull(p.marker) ?? -1);
    if (!markerNode) throw new HttpError(400, `marker [${p.marker}] not found`);
    afterId = markerNode.id;
  }
  return api.computeNodes({ limit: p.limit, afterId });
}

/** `_validate_id` + `compute_node_get` + the node's compute service. */
function nodeAndService(api: HostsApi, req: ApiRequest, id: string) {
  const notFound = () => new HttpError(404, `Hypervisor with ID '${id}' could not be found.`);
  let node: ComputeNodeRow | null;
  if (isSupported(req, "2.53")) {
    if (!isUuidLike(id)) throw new HttpError(400, `Invalid uuid ${id}`);
    node = api.computeNode(id);
  } else {
    const n = intOrNull(id);
    if (n === null) throw notFound();
    node = api.computeNode(n);
  }
  if (!node) throw notFound();
  const service = api.records.computeService(node.host);
  if (!service) throw notFound();
  return { node, service };
}

function show(api: HostsApi, { req, params }: HandlerArgs) {
  let withServers = false;
  if (isSupported(req, "2.53")) {
    const query = validateQueryFor(req, req.query, [{ schema: SHOW_V253, min: "2.53" }]);
    withServers = strictBool(lastParam(query, "with_servers") ?? false);
  }
  api.compute.policy.authorize(authOf(req), `${RULE}show`, {});
  const { node, service } = nodeAndService(api, req, params.id);
  const servers = withServers ? api.instancesOn(node.host) : null;
  return {
    hypervisor: viewHypervisor(api, req, { node, service, detail: true, servers, withServers }),
  };
}

function uptime(api: HostsApi, { req, params }: HandlerArgs) {
  api.compute.policy.authorize(authOf(req), `${RULE}uptime`, {});
  const { node, service } = nodeAndService(api, req, params.id);
  const hypervisor = viewHypervisor(api, req, { node, service, detail: false });
  hypervisor.uptime = hostUptime();
  return { hypervisor };
}

/** `search` and `servers` (before 2.53): nodes matching the pattern in the path. */
function search(api: HostsApi, { req, params }: HandlerArgs, withServers: boolean) {
  api.compute.policy.authorize(authOf(req), RULE + (withServers ? "servers" : "search"), {});
  const nodes = api.searchNodes(params.id);
  if (!nodes.length) {
    throw new HttpError(404, `No hypervisor matching '${params.id}' could be found.`);
  }
  const hypervisors = nodes.flatMap((node) => {
    const service = api.records.computeService(node.host);
    if (!service) return [];
    const servers = withServers ? api.instancesOn(node.host) : null;
    return [viewHypervisor(api, req, { node, service, detail: false, servers })];
  });
  return { hypervisors };
}

/** `compute_node_statistics`: sums over the nodes of enabled compute services. */
function statistics(api: HostsApi, req: ApiRequest) {
  api.compute.policy.authorize(authOf(req), `${RULE}statistics`, {});
  const stats: Record<string, number> = {
    count: 0,
    vcpus: 0,
    memory_mb: 0,
    local_gb: 0,
    vcpus_used: 0,
    memory_mb_used: 0,
    local_gb_used: 0,
    free_ram_mb: 0,
    free_disk_gb: 0,
    current_workload: 0,
    running_vms: 0,
    disk_available_least: 0,
  };
  for (const node of api.computeNodes()) {
    const service = api.records.computeService(node.host);
    if (!service || service.disabled) continue;
    stats.count++;
    for (const [key, value] of Object.entries(nodeStats(api, node))) stats[key] += value;
  }
  return { hypervisor_statistics: stats };
}
