/**
 * AvailabilityZoneController (`/os-availability-zone`): the zones with an
 * enabled service (available) and those with only disabled ones; the
 * detail (admins) adds each zone's hosts and their services' state. The
 * internal zone (scheduler, conductor, API) is left out of the summary.
 *
 * Mirrors nova/api/openstack/compute/availability_zone.py.
 *
 * @module
 */

import type { ApiRequest } from "../../request.ts";
import type { Services } from "../../services.ts";
import { type HostsApi, hostsApi } from "../hosts/api.ts";
import { API_SERVICES } from "../hosts/services_store.ts";
import { availabilityZones, type ZonedService } from "../hosts/zones.ts";
import type { ControllerSpec } from "../wsgi.ts";
import { authOf } from "./common.ts";

const RULE = "os_compute_api:os-availability-zone:";

/** Builds the controller. */
export function availabilityZoneController(services: Services): ControllerSpec {
  const api = () => hostsApi(services);
  return {
    name: "AvailabilityZoneController",
    methods: {
      index: { expectedErrors: [], handler: ({ req }) => describe(api(), req) },
      detail: { expectedErrors: [], handler: ({ req }) => describeVerbose(api(), req) },
    },
  };
}

/** `_describe_availability_zones`. */
function describe(api: HostsApi, req: ApiRequest) {
  api.compute.policy.authorize(authOf(req), `${RULE}list`, {});
  const { available, notAvailable } = availabilityZones(api.services());
  const internal = api.compute.conf.DEFAULT.internal_service_availability_zone;
  const entry = (isAvailable: boolean) => (zoneName: string) => ({
    zoneName,
    zoneState: { available: isAvailable },
    hosts: null,
  });
  return {
    availabilityZoneInfo: [
      ...available.filter((z) => z !== internal).map(entry(true)),
      ...notAvailable.filter((z) => z !== internal).map(entry(false)),
    ],
  };
}

/** `_describe_availability_zones_verbose`. */
function describeVerbose(api: HostsApi, req: ApiRequest) {
  api.compute.policy.authorize(authOf(req), `${RULE}detail`, {});
  const services = api.services();
  const { available, notAvailable } = availabilityZones(services);
  const byZone = new Map<string, Map<string, ZonedService[]>>();
  for (const s of services) {
    if (s.disabled || API_SERVICES.includes(s.binary)) continue;
    const hosts = byZone.get(s.availability_zone) ?? new Map<string, ZonedService[]>();
    hosts.set(s.host, [...(hosts.get(s.host) ?? []), s]);
    byZone.set(s.availability_zone, hosts);
  }
  const result: Record<string, unknown>[] = available.map((zoneName) => {
    const hosts: Record<string, Record<string, unknown>> = {};
    for (const [host, list] of byZone.get(zoneName) ?? []) {
      hosts[host] = Object.fromEntries(list.map((s) => [s.binary, {
        available: api.records.isUp(s),
        active: s.disabled !== true,
        updated_at: s.updated_at,
      }]));
    }
    return { zoneName, zoneState: { available: true }, hosts };
  });
  for (const zoneName of notAvailable) {
    result.push({ zoneName, zoneState: { available: false }, hosts: null });
  }
  return { availabilityZoneInfo: result };
}
