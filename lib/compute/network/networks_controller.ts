/**
 * The network proxy APIs (to 2.35) answered from the built-in flat
 * network as Neutron would answer nova: `/os-networks` and
 * `/os-tenant-networks` list and show the one shared network (the actions
 * nova-network had are gone: 410), `/os-floating-ip-pools` lists the
 * external networks (none) and `/os-floating-ips` the project's floating
 * IPs (none; allocating one finds no pool).
 *
 * Mirrors nova/api/openstack/compute/networks.py, tenant_networks.py,
 * floating_ip_pools.py, floating_ips.py and the nova/network/neutron.py
 * calls they make (`get_all`, `get`, `get_floating_ip_pools`,
 * `allocate_floating_ip`, ...).
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest } from "../../request.ts";
import type { Services } from "../../services.ts";
import { computeService } from "../servers/service.ts";
import type { ControllerSpec, Handler, MethodSpec } from "../wsgi.ts";
import type { FlatNetwork } from "./flat.ts";

/** `MAX_PROXY_API_SUPPORT_VERSION`: the proxy APIs end at 2.35. */
const PROXY_MAX = "2.35";

const NETWORK_FIELDS = [
  "id",
  "cidr",
  "netmask",
  "gateway",
  "broadcast",
  "dns1",
  "dns2",
  "cidr_v6",
  "gateway_v6",
  "label",
  "netmask_v6",
];
const ADMIN_FIELDS = [
  "created_at",
  "updated_at",
  "deleted_at",
  "deleted",
  "injected",
  "bridge",
  "vlan",
  "vpn_public_address",
  "vpn_public_port",
  "vpn_private_address",
  "dhcp_start",
  "project_id",
  "host",
  "bridge_interface",
  "multi_host",
  "priority",
  "rxtx_base",
  "mtu",
  "dhcp_server",
  "enable_dhcp",
  "share_address",
];

const GONE: MethodSpec = {
  expectedErrors: [410],
  handler: () => {
    throw new HttpError(410);
  },
};

function proxy(handler: Handler, expectedErrors: number[]): MethodSpec {
  return { handler: [{ min: "2.1", max: PROXY_MAX, handler }], expectedErrors };
}

function can(services: Services, req: ApiRequest, rule: string): void {
  const ctx = req.context!;
  services.policy.authorize(ctx, rule, { project_id: ctx.projectId });
}

function flat(services: Services): FlatNetwork {
  return computeService(services).network;
}

/** `network_api.get(context, id)`: the flat network, else "Network not found". */
function getNetwork(services: Services, id: string): FlatNetwork {
  const net = flat(services);
  if (id !== net.config.id) throw new HttpError(404, "Network not found");
  return net;
}

/** networks.py `network_dict`: id and label; every other field None (admins see more). */
function networkDict(req: ApiRequest, net: FlatNetwork): Record<string, unknown> {
  const fields = req.context?.isAdmin ? [...NETWORK_FIELDS, ...ADMIN_FIELDS] : NETWORK_FIELDS;
  return Object.fromEntries(fields.map((f) => [
    f,
    f === "id" ? net.config.id : f === "label" ? net.config.name : null,
  ]));
}

/** NetworkController: index and show; create, add, delete, disassociate are gone. */
export function networkController(services: Services): ControllerSpec {
  const rule = "os_compute_api:os-networks:";
  return {
    name: "NetworkController",
    methods: {
      index: proxy(({ req }) => {
        can(services, req, `${rule}list`);
        return { networks: [networkDict(req, flat(services))] };
      }, []),
      show: proxy(({ req, params }) => {
        can(services, req, `${rule}show`);
        return { network: networkDict(req, getNetwork(services, params.id)) };
      }, [404]),
      create: GONE,
      add: GONE,
      delete: GONE,
    },
    actions: { disassociate: GONE },
  };
}

/** TenantNetworkController: index and show; create and delete are gone. */
export function tenantNetworkController(services: Services): ControllerSpec {
  const rule = "os_compute_api:os-tenant-networks:";
  const dict = (net: FlatNetwork) => ({ id: net.config.id, cidr: "None", label: net.config.name });
  return {
    name: "TenantNetworkController",
    methods: {
      index: proxy(({ req }) => {
        can(services, req, `${rule}list`);
        return { networks: [dict(flat(services))] };
      }, []),
      show: proxy(({ req, params }) => {
        can(services, req, `${rule}show`);
        return { network: dict(getNetwork(services, params.id)) };
      }, [404]),
      create: GONE,
      delete: GONE,
    },
  };
}

/** FloatingIPPoolsController: the external networks (the flat network is not one). */
export function floatingIpPoolsController(services: Services): ControllerSpec {
  return {
    name: "FloatingIPPoolsController",
    methods: {
      index: proxy(({ req }) => {
        services.policy.authorize(req.context!, "os_compute_api:os-floating-ip-pools", {});
        return { floating_ip_pools: [] };
      }, []),
    },
  };
}

/** FloatingIPController: no external network, so no floating IPs and no pool to allocate from. */
export function floatingIpController(services: Services): ControllerSpec {
  const rule = "os_compute_api:os-floating-ips:";
  const notFound = (id: string) => new HttpError(404, `Floating IP not found for ID ${id}`);
  return {
    name: "FloatingIPController",
    methods: {
      index: proxy(({ req }) => {
        can(services, req, `${rule}list`);
        return { floating_ips: [] };
      }, []),
      show: proxy(({ req, params }) => {
        can(services, req, `${rule}show`);
        throw notFound(params.id);
      }, [400, 404]),
      create: proxy(({ req }) => {
        can(services, req, `${rule}create`);
        throw new HttpError(404, "Floating IP pool not found.");
      }, [400, 403, 404]),
      delete: {
        ...proxy(({ req, params }) => {
          can(services, req, `${rule}delete`);
          throw notFound(params.id);
        }, [400, 403, 404, 409]),
        status: 202,
      },
    },
  };
}
