/**
 * Pieces of the server view: the image and flavor references (the flavor
 * embedded from 2.47), the addresses by network label as nova shows
 * Neutron ports, and the fault.
 *
 * Mirrors nova/api/openstack/compute/views/servers.py (`_get_image`,
 * `_get_flavor`, `_get_flavor_dict`, `_get_addresses`, `_get_fault`),
 * views/addresses.py and `get_networks_for_instance` in
 * nova/api/openstack/common.py.
 *
 * @module
 */

import type { Fault, Instance, Port } from "./instance.ts";
import { isotime } from "./timeutil.ts";

/** What the parts need of the view builder. */
export interface LinkSource {
  at(version: string): boolean;
  bookmark(collection: string, id: string): string;
}

/** `_get_image`: the image reference, or "" for a volume-backed server. */
export function imageOf(v: LinkSource, inst: Instance): unknown {
  if (!inst.image_ref) return "";
  const id = inst.image_ref.split("?")[0].split("/").at(-1)!;
  return { id, links: [{ rel: "bookmark", href: v.bookmark("images", id) }] };
}

/** `_get_flavor`: a reference before 2.47, the embedded flavor from 2.47. */
export function flavorOf(v: LinkSource, inst: Instance, showExtraSpecs: boolean): unknown {
  const flavor = inst.flavor;
  if (v.at("2.47")) {
    const dict: Record<string, unknown> = {
      vcpus: flavor.vcpus,
      ram: flavor.memory_mb,
      disk: flavor.root_gb,
      ephemeral: flavor.ephemeral_gb,
      swap: flavor.swap,
      original_name: flavor.name,
    };
    if (showExtraSpecs) dict.extra_specs = flavor.extra_specs ?? {};
    return dict;
  }
  const id = String(flavor.flavorid);
  return { id, links: [{ rel: "bookmark", href: v.bookmark("flavors", id) }] };
}

/** `get_networks_for_instance` + the addresses view: ports grouped by network label. */
export function addressesOf(
  inst: Instance,
  extended: boolean,
  labelOf: (port: Port) => string,
): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const port of inst.ports) {
    (out[labelOf(port)] ??= []).push(addressOf(port, extended));
  }
  return out;
}

/** One address (`views.addresses.basic`). */
export function addressOf(port: Port, extended: boolean): Record<string, unknown> {
  const a: Record<string, unknown> = { version: 4, addr: port.address };
  if (extended) {
    a["OS-EXT-IPS:type"] = "fixed";
    a["OS-EXT-IPS-MAC:mac_addr"] = port.mac_address;
  }
  return a;
}

/** `_get_fault`: details for admins, or for faults that are not 500s. */
export function faultOf(fault: Fault, isAdmin: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    code: fault.code,
    created: isotime(fault.created_at),
    message: fault.message,
  };
  if (fault.details && (isAdmin || fault.code !== 500)) out.details = fault.details;
  return out;
}
