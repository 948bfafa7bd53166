/**
 * Availability zones: a compute host is in the zone of the aggregates it
 * belongs to (their `availability_zone` metadata), else in `[DEFAULT]
 * default_availability_zone`; every other service is in `[DEFAULT]
 * internal_service_availability_zone`. A zone is available when an enabled
 * service is in it.
 *
 * Mirrors nova/availability_zones.py (`set_availability_zones`,
 * `get_host_availability_zone`, `get_availability_zones`).
 *
 * @module
 */

import type { Conf } from "../../config/conf.ts";
import type { AggregateStore } from "./aggregates_store.ts";
import type { ServiceRecord } from "./services_store.ts";

/** A service record with its zone (`set_zones=True`). */
export type ZonedService = ServiceRecord & { availability_zone: string };

/** `get_host_availability_zone`: the first AZ aggregate of the host, else the default zone. */
export function hostAvailabilityZone(aggregates: AggregateStore, conf: Conf, host: string): string {
  const withAz = aggregates.byHost(host, "availability_zone");
  return withAz.length
    ? withAz[0].metadata.availability_zone
    : conf.DEFAULT.default_availability_zone;
}

/** `set_availability_zones`: each service with its zone. */
export function setAvailabilityZones(
  aggregates: AggregateStore,
  conf: Conf,
  services: readonly ServiceRecord[],
): ZonedService[] {
  const hosts = [...new Set(services.map((s) => s.host))];
  const byHost = new Map<string, string[]>();
  for (const agg of aggregates.byMetadataKey("availability_zone", hosts)) {
    for (const host of agg.hosts) {
      const zones = byHost.get(host) ?? [];
      if (!zones.includes(agg.metadata.availability_zone)) {
        zones.push(agg.metadata.availability_zone);
      }
      byHost.set(host, zones);
    }
  }
  return services.map((s) => {
    let az = conf.DEFAULT.internal_service_availability_zone;
    if (s.topic === "compute") {
      az = byHost.get(s.host)?.join(",") || conf.DEFAULT.default_availability_zone;
    }
    return { ...s, availability_zone: az };
  });
}

/** `get_availability_zones`: sorted available zones and the sorted others. */
export function availabilityZones(
  services: readonly ZonedService[],
): { available: string[]; notAvailable: string[] } {
  const available = new Set(services.filter((s) => !s.disabled).map((s) => s.availability_zone));
  const notAvailable = new Set(
    services.filter((s) => s.disabled && !available.has(s.availability_zone))
      .map((s) => s.availability_zone),
  );
  return { available: [...available].sort(), notAvailable: [...notAvailable].sort() };
}
