/**
 * The `networks` of a server create as nova's controller reads them:
 * `auto`/`none` (2.37), or a list of `{uuid, fixed_ip, port, tag}` where
 * a port excludes a fixed IP, a port may be named once, and a network id
 * must look like a uuid.
 *
 * Mirrors nova/api/openstack/compute/servers.py `_get_requested_networks`
 * and `_validate_network_id`.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import { isUuidLike } from "../../validation/mod.ts";
import type { NetworkRequest } from "../network/flat.ts";
import type { RequestedNetwork } from "./instance.ts";

/**
 * `_get_requested_networks`, or null when `networks` was not given.
 *
 * @throws {HttpError} 400 with nova's texts
 */
export function requestedNetworks(networks: unknown): NetworkRequest {
  if (networks === undefined || networks === null) return null;
  if (networks === "auto" || networks === "none") return networks;
  const out: RequestedNetwork[] = [];
  const ports: string[] = [];
  for (const item of networks as Record<string, unknown>[]) {
    const request: RequestedNetwork = {
      address: (item.fixed_ip as string | undefined) ?? null,
      port_id: (item.port as string | undefined) ?? null,
      tag: (item.tag as string | undefined) ?? null,
      network_id: null,
    };
    if (request.port_id) {
      if (ports.includes(request.port_id)) {
        throw new HttpError(
          400,
          `Port ID '${request.port_id}' was specified twice: you cannot attach a port multiple times.`,
        );
      }
      if (request.address !== null) {
        throw new HttpError(
          400,
          `Specified Fixed IP '${request.address}' cannot be used with port '${request.port_id}': the two cannot be specified together.`,
        );
      }
      ports.push(request.port_id);
    } else {
      if (!("uuid" in item)) throw new HttpError(400, "Bad network format: missing 'uuid'");
      request.network_id = String(item.uuid);
      if (!isUuidLike(request.network_id)) {
        throw new HttpError(
          400,
          `Bad networks format: network uuid is not in proper format (${request.network_id})`,
        );
      }
    }
    out.push(request);
  }
  return out;
}
