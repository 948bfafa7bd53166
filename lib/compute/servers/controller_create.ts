/**
 * `POST /servers`: the body validated for the request's microversion, the
 * request turned into `compute_api.create` arguments (password, names,
 * counts, availability zone, hosts, block devices, networks, flavor) with
 * nova's policy checks and 400s, the create itself with nova's exception
 * mapping, and the 202 answer (`Location`, `adminPass`, or only the
 * `reservation_id` when asked for).
 *
 * Mirrors nova/api/openstack/compute/servers.py `ServersController.create`,
 * `_get_requested_networks`, `_process_bdms_for_create`,
 * `_process_hosts_for_create` and `parse_availability_zone`.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest, AuthContext } from "../../request.ts";
import { Reply } from "../wsgi.ts";
import { validateBodyFor } from "../../validation/mod.ts";
import { FlavorNotFound } from "../flavors/api.ts";
import { ImageNotFound } from "../images/api.ts";
import { KeypairNotFound } from "../keypairs/api.ts";
import { ctxOf, viewsOf } from "./controller_common.ts";
import type { CreateRequest } from "./create.ts";
import { NovaException } from "./errors.ts";
import { requestedNetworks } from "./controller_networks.ts";
import { type Bdm, fromApi } from "./bdm.ts";
import { CREATE_SCHEMAS } from "./schemas_create.ts";
import type { ComputeService } from "./service.ts";
import { generatePassword } from "./util.ts";

type Dict = Record<string, unknown>;
const TRUE = ["1", "t", "true", "on", "y", "yes"];
const RULE = "os_compute_api:servers:";

/** The create handler. */
export function createServer(svc: ComputeService, req: ApiRequest, body: unknown): Reply {
  validateBodyFor(req, body, CREATE_SCHEMAS);
  const ctx = ctxOf(req);
  const views = viewsOf(svc, req);
  const server = (body as Dict).server as Dict;
  const password = "adminPass" in server
    ? String(server.adminPass)
    : generatePassword(svc.conf.DEFAULT.password_length);
  const minCount = Number(server.min_count ?? 1);
  const maxCount = Number(server.max_count ?? minCount);
  if (minCount > maxCount) throw new HttpError(400, "min_count must be <= max_count");
  const placement = placementOf(svc, ctx.auth, server, (v) => views.at(v));
  const { bdms, legacy } = processBdms(svc, ctx.auth, server, placement.target);
  const imageHref = (server.imageRef as string | undefined) ?? "";
  if (!imageHref && !bdms.length) throw new HttpError(400, "Missing imageRef attribute");
  const networks = requestedNetworks(server.networks);
  if ((Array.isArray(networks) && networks.length) || networks === "auto") {
    svc.policy.authorize(ctx.auth, `${RULE}create:attach_network`, placement.target);
  }
  const flavorId = String(server.flavorRef).split("?")[0].split("#")[0].split("/").at(-1)!;
  const request: CreateRequest = {
    ...requestAttributes(server, (v) => views.at(v)),
    adminPass: password,
    flavor: lookupFlavor(svc, ctx.auth, flavorId),
    imageHref,
    availabilityZone: placement.zone,
    forcedHost: placement.host,
    forcedNode: placement.node,
    requestedDestination: placement.requested,
    minCount,
    maxCount,
    requestedNetworks: networks,
    blockDeviceMapping: bdms,
    legacyBdm: legacy,
    trustedCerts: placement.trustedCerts,
    schedulerHints: schedulerHints(body as Dict),
  };
  const result = runCreate(() => svc.api.create(ctx, request));
  if (TRUE.includes(String(server.return_reservation_id ?? false).trim().toLowerCase())) {
    return new Reply({ reservation_id: result.reservationId });
  }
  const view = views.create(result.instances[0], server.security_groups);
  if (svc.conf.api.enable_instance_password) (view.server as Dict).adminPass = password;
  const self = views.serverLinks(result.instances[0].uuid)[0].href;
  return new Reply(view, undefined, [["Location", self]]);
}

/** `os:scheduler_hints` (or its `OS-SCH-HNT:` alias), beside `server` in the body. */
function schedulerHints(body: Dict): Dict {
  if ("os:scheduler_hints" in body) return body["os:scheduler_hints"] as Dict;
  return (body["OS-SCH-HNT:scheduler_hints"] as Dict | undefined) ?? {};
}

/** The request's plain attributes, as `create` passes them on. */
function requestAttributes(server: Dict, at: (v: string) => boolean) {
  const name = String(server.name).trim();
  const str = (key: string) => (server[key] as string | undefined) ?? null;
  return {
    displayName: name,
    // NOTE(parity): before 2.19 the description is the name.
    displayDescription: at("2.19") ? str("description") : name,
    hostname: at("2.90") ? str("hostname") : null,
    keyName: str("key_name"),
    userData: str("user_data"),
    metadata: (server.metadata as Record<string, string> | undefined) ?? {},
    accessIpV4: str("accessIPv4"),
    accessIpV6: str("accessIPv6"),
    autoDiskConfig: diskConfig(server["OS-DCF:diskConfig"]),
    configDrive: server.config_drive ?? null,
    securityGroups: securityGroups(server.security_groups),
    tags: at("2.52") ? (server.tags as string[] | undefined) ?? [] : [],
    injectedFiles: ((server.personality as Dict[] | undefined) ?? [])
      .map((f): [string, string] => [String(f.path), String(f.contents)]),
  };
}

/** Where the server may go, with the policy checks that guard it. */
interface Placement {
  target: Dict;
  zone: string | null;
  host: string | null;
  node: string | null;
  /** Whether host/node came from 2.74's `host`/`hypervisor_hostname` (filters still run). */
  requested: boolean;
  trustedCerts: string[] | null;
}

/** The create policy, trusted certificates, availability zone and requested hosts. */
function placementOf(
  svc: ComputeService,
  auth: AuthContext,
  server: Dict,
  at: (v: string) => boolean,
): Placement {
  const requested = (server.availability_zone as string | undefined) ?? null;
  const target = { project_id: auth.projectId, user_id: auth.userId, availability_zone: requested };
  svc.policy.authorize(auth, `${RULE}create`, target);
  const certs = (server.trusted_image_certificates as string[] | null | undefined) ?? null;
  if (certs?.length) svc.policy.authorize(auth, `${RULE}create:trusted_certs`, target);
  let [zone, host, node] = parseAvailabilityZone(requested, svc.conf.DEFAULT.default_schedule_zone);
  if (host || node) {
    svc.policy.authorize(auth, `${RULE}create:forced_host`, target);
    zone = hostAvailabilityZone(svc, zone);
  }
  const wanted = at("2.74")
    ? processHosts(svc, auth, server, target, host, node)
    : { host: null, node: null };
  const destination = Boolean(wanted.host || wanted.node);
  host ??= wanted.host;
  node ??= wanted.node;
  return {
    target,
    zone,
    host,
    node,
    requested: destination,
    trustedCerts: certs?.length ? certs : null,
  };
}

/** `compute_api.parse_availability_zone`: `az`, `az:host`, `az::node`, `az:host:node`. */
function parseAvailabilityZone(
  az: string | null,
  defaultZone: string | null,
): [string | null, string | null, string | null] {
  let zone = az;
  let host: string | null = null;
  let node: string | null = null;
  if (zone && zone.includes(":")) {
    const parts = zone.split(":");
    if (parts.length === 2) [zone, host] = parts;
    else if (parts.length === 3 && zone.includes("::")) [zone, node] = zone.split("::");
    else if (parts.length === 3) [zone, host, node] = parts;
    else throw new HttpError(400, "Invalid input received: Unable to parse availability_zone");
  }
  return [zone || defaultZone, host || null, node || null];
}

/** `_validate_host_availability_zone` for the one host (in no aggregate). */
function hostAvailabilityZone(svc: ComputeService, az: string | null): string | null {
  return az === svc.conf.DEFAULT.default_availability_zone ? az : null;
}

/** `_process_hosts_for_create` (2.74) plus `_validate_host_or_node`. */
function processHosts(
  svc: ComputeService,
  auth: AuthContext,
  server: Dict,
  target: Dict,
  host: string | null,
  node: string | null,
): { host: string | null; node: string | null } {
  const wantedHost = (server.host as string | undefined) ?? null;
  const wantedNode = (server.hypervisor_hostname as string | undefined) ?? null;
  if (!wantedHost && !wantedNode) return { host: null, node: null };
  svc.policy.authorize(auth, "compute:servers:create:requested_destination", target);
  if (host || node) {
    throw new HttpError(
      400,
      "One mechanism with host and/or hypervisor_hostname and another mechanism with zone:host:node are mutually exclusive.",
    );
  }
  // The compute nodes registered (a deleted compute service has none).
  const known = svc.db.get(
    "SELECT 1 FROM compute_nodes WHERE (? IS NULL OR host = ?) AND (? IS NULL OR hypervisor_hostname = ?)",
    wantedHost,
    wantedHost,
    wantedNode,
    wantedNode,
  );
  if (!known) {
    throw new HttpError(400, `Compute host ${wantedHost ?? wantedNode} could not be found.`);
  }
  return { host: wantedHost, node: wantedNode };
}

/** `_process_bdms_for_create`. */
function processBdms(
  svc: ComputeService,
  auth: AuthContext,
  server: Dict,
  target: Dict,
): { bdms: Bdm[] | Dict[]; legacy: boolean } {
  const legacy = (server.block_device_mapping as Dict[] | undefined) ?? [];
  const v2 = (server.block_device_mapping_v2 as Dict[] | undefined) ?? [];
  if (legacy.length && v2.length) {
    throw new HttpError(
      400,
      "Using different block_device_mapping syntaxes is not allowed in the same request.",
    );
  }
  let out: { bdms: Bdm[] | Dict[]; legacy: boolean } = { bdms: [], legacy: true };
  if (legacy.length) out = { bdms: legacy, legacy: true };
  else if (v2.length) {
    try {
      out = { bdms: v2.map((d) => fromApi(d, server.imageRef !== undefined)), legacy: false };
    } catch (err) {
      if (err instanceof NovaException) throw new HttpError(400, err.message);
      throw err;
    }
  }
  if (out.bdms.length) svc.policy.authorize(auth, `${RULE}create:attach_volume`, target);
  return out;
}

function lookupFlavor(svc: ComputeService, auth: AuthContext, flavorId: string) {
  const flavor = svc.flavors.get(auth, flavorId);
  if (!flavor) throw new HttpError(400, `Flavor ${flavorId} could not be found.`);
  return flavor;
}

function diskConfig(value: unknown): boolean | null {
  if (value === undefined || value === null) return null;
  return value === "AUTO";
}

/** The unique security group names asked for (nova: `list(set(...))`). */
function securityGroups(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  return [...new Set(value.map((sg) => (sg as Dict).name).filter((n): n is string => Boolean(n)))];
}

/** The create's exception mapping: 400s, 403s and 409s with nova's texts. */
function runCreate<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ImageNotFound) throw new HttpError(400, "Can not find requested image");
    if (err instanceof KeypairNotFound) throw new HttpError(400, "Invalid key_name provided.");
    if (err instanceof FlavorNotFound) throw new HttpError(400, err.message);
    if (err instanceof NovaException && [400, 403, 404, 409].includes(err.code)) {
      throw new HttpError(err.code === 404 ? 400 : err.code, err.message);
    }
    throw err;
  }
}
