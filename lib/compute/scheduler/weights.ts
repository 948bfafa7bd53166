/**
 * Host weighing: each weigher's raw values are normalized to 0..1 over the
 * candidates and multiplied; the host with the highest sum wins (the
 * first in configuration order among equals). The RAM weigher prefers
 * the most free memory (`[filter_scheduler] ram_weight_multiplier`), the
 * soft (anti-)affinity weighers the hosts with more (fewer) members of
 * the server's group.
 *
 * Mirrors nova/weights.py (`normalize`, `BaseWeightHandler.get_weighed_objects`),
 * nova/scheduler/weights/ram.py and affinity.py.
 *
 * @module
 */

import type { FilterSpec } from "./filters.ts";
import type { HostState } from "./host_state.ts";

/** `nova.weights.normalize`: values scaled to 0..1 (all equal: all 0). */
export function normalize(values: readonly number[]): number[] {
  if (!values.length) return [];
  const max = Math.max(...values);
  const min = Math.min(...values);
  if (max === min) return values.map(() => 0);
  return values.map((v) => (v - min) / (max - min));
}

/** Members of the spec's group on the host. */
function membersOn(host: HostState, spec: FilterSpec): number {
  return spec.group?.members.filter((m) => host.instances.has(m)).length ?? 0;
}

/** One weigher: raw value per host and its multiplier. */
interface Weigher {
  readonly value: (host: HostState, spec: FilterSpec) => number;
  readonly multiplier: number;
}

/** The weighers for a spec. */
function weighers(spec: FilterSpec, ramMultiplier: number): Weigher[] {
  const list: Weigher[] = [{ value: (h) => h.host.freeRamMb(h.used), multiplier: ramMultiplier }];
  if (spec.group?.policy === "soft-affinity") {
    list.push({ value: membersOn, multiplier: 1.0 });
  } else if (spec.group?.policy === "soft-anti-affinity") {
    list.push({ value: (h, s) => -membersOn(h, s), multiplier: 1.0 });
  }
  return list;
}

/** The hosts best first (stable among equal weights). */
export function weighHosts(
  hosts: readonly HostState[],
  spec: FilterSpec,
  ramMultiplier: number,
): HostState[] {
  const totals = hosts.map(() => 0);
  for (const w of weighers(spec, ramMultiplier)) {
    normalize(hosts.map((h) => w.value(h, spec))).forEach((v, i) => totals[i] += v * w.multiplier);
  }
  return hosts.map((host, i) => ({ host, weight: totals[i], i }))
    .sort((a, b) => b.weight - a.weight || a.i - b.i)
    .map((x) => x.host);
}
