/**
 * The quota resources nova registers (`QUOTAS = QuotaEngine(resources=[...])`):
 * each one's name, the `[quota]` option that holds its default, and whether
 * usage of it is counted (a `CountableResource`) or it is only a limit
 * (an `AbsoluteResource`). The nova-network quotas are still registered,
 * without an option: their default is -1.
 *
 * Mirrors nova/quota.py (`BaseResource`, `AbsoluteResource`,
 * `CountableResource`, `QUOTAS`) and `PER_PROJECT_QUOTAS` of
 * nova/db/main/api.py.
 *
 * @module
 */

import type { Conf } from "../../config/conf.ts";

/** The `[quota]` options that hold a default limit. */
type QuotaFlag =
  | "instances"
  | "cores"
  | "ram"
  | "metadata_items"
  | "injected_files"
  | "injected_file_content_bytes"
  | "injected_file_path_length"
  | "key_pairs"
  | "server_groups"
  | "server_group_members";

/** One registered resource. */
export interface QuotaResource {
  readonly name: string;
  /** The `[quota]` option of its default; null for the nova-network ones (-1). */
  readonly flag: QuotaFlag | null;
  /** A `CountableResource` (usage is counted) rather than an `AbsoluteResource`. */
  readonly countable: boolean;
}

const RESOURCE_LIST: readonly QuotaResource[] = [
  { name: "instances", flag: "instances", countable: true },
  { name: "cores", flag: "cores", countable: true },
  { name: "ram", flag: "ram", countable: true },
  { name: "metadata_items", flag: "metadata_items", countable: false },
  { name: "injected_files", flag: "injected_files", countable: false },
  { name: "injected_file_content_bytes", flag: "injected_file_content_bytes", countable: false },
  { name: "injected_file_path_bytes", flag: "injected_file_path_length", countable: false },
  { name: "key_pairs", flag: "key_pairs", countable: true },
  { name: "server_groups", flag: "server_groups", countable: true },
  { name: "server_group_members", flag: "server_group_members", countable: true },
  { name: "fixed_ips", flag: null, countable: false },
  { name: "floating_ips", flag: null, countable: false },
  { name: "security_groups", flag: null, countable: false },
  { name: "security_group_rules", flag: null, countable: false },
];

/** The resources by name. */
export const RESOURCES: ReadonlyMap<string, QuotaResource> = new Map(
  RESOURCE_LIST.map((r) => [r.name, r]),
);

/** `QUOTAS.resources`: the resource names, sorted (the order every quota view uses). */
export const RESOURCE_NAMES: readonly string[] = [...RESOURCES.keys()].sort();

/** `PER_PROJECT_QUOTAS`: resources never limited per user. */
export const PER_PROJECT_QUOTAS: readonly string[] = ["fixed_ips", "floating_ips", "networks"];

/** `BaseResource.default`: the `[quota]` option's value, or -1 without one. */
export function resourceDefault(conf: Conf, resource: QuotaResource): number {
  return resource.flag === null ? -1 : conf.quota[resource.flag];
}

/** The resources named in `names` (all when absent). */
export function resourcesNamed(names?: Iterable<string>): QuotaResource[] {
  if (!names) return [...RESOURCES.values()];
  return [...names].map((n) => RESOURCES.get(n)).filter((r): r is QuotaResource => !!r);
}
