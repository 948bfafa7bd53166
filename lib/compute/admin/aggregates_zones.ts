/**
 * The zone rules of aggregate changes: no empty zone name, a host in one
 * zone only, and no zone change for hosts that run servers.
 *
 * Mirrors nova/compute/api.py `AggregateAPI.is_safe_to_update_az` and
 * `_raise_invalid_aggregate_exc`.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import { pyRepr } from "../../validation/mod.ts";
import type { HostsApi } from "../hosts/api.ts";
import type { Aggregate } from "../hosts/aggregates_store.ts";

/** Which aggregate action is checked (it words the error). */
export type ZoneAction = "add" | "update" | "update_meta";

const PREFIX: Record<ZoneAction, (id: number) => string> = {
  add: (id) => `Cannot add host to aggregate ${id}.`,
  update: (id) => `Cannot update aggregate ${id}.`,
  update_meta: (id) => `Cannot update metadata of aggregate ${id}.`,
};

/**
 * `is_safe_to_update_az`.
 *
 * @throws {HttpError} 400 `Cannot ... aggregate <id>. Reason: <why>.`
 */
export function checkZoneChange(
  api: HostsApi,
  metadata: Readonly<Record<string, string | null | unknown>>,
  agg: Aggregate,
  o: { action: ZoneAction; hosts?: readonly string[]; checkInstances?: boolean },
): void {
  if (!("availability_zone" in metadata)) return;
  const fail = (why: string) => new HttpError(400, `${PREFIX[o.action](agg.id)} Reason: ${why}.`);
  const wanted = metadata.availability_zone;
  if (!wanted) throw fail(`Aggregate ${agg.name} does not support empty named availability zone`);
  const hosts = o.hosts?.length ? o.hosts : agg.hosts;
  const conflicting = api.aggregates.byMetadataKey("availability_zone", hosts)
    .filter((a) => a.metadata.availability_zone !== wanted && a.id !== agg.id)
    .map((a) => a.metadata.availability_zone);
  if (conflicting.length) {
    throw fail(`One or more hosts already in availability zone(s) ${pyRepr(conflicting)}`);
  }
  const sameName = (agg.metadata.availability_zone ?? null) === wanted;
  if (o.checkInstances && !sameName && api.countOn(hosts)) {
    throw fail("One or more hosts contain instances in this zone");
  }
}
