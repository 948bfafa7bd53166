/**
 * The flavors devstack creates (devstack lib/nova `create_flavors`), for
 * `[novalet] seed_flavors`: the small ones first (c1, d1-d4), then
 * m1.tiny..m1.xlarge, all public, each with `hw_rng:allowed=True`.
 * Nova itself creates no flavors.
 *
 * @module
 */

import type { FlavorStore } from "./store.ts";

/** [flavorid, name, ram MiB, disk GiB, vcpus] in devstack's order. */
const DEVSTACK_FLAVORS: readonly (readonly [string, string, number, number, number])[] = [
  ["c1", "cirros256", 256, 1, 1],
  ["d1", "ds512M", 512, 5, 1],
  ["d2", "ds1G", 1024, 10, 1],
  ["d3", "ds2G", 2048, 10, 2],
  ["d4", "ds4G", 4096, 20, 4],
  ["1", "m1.tiny", 512, 1, 1],
  ["2", "m1.small", 2048, 20, 1],
  ["3", "m1.medium", 4096, 40, 2],
  ["4", "m1.large", 8192, 80, 4],
  ["5", "m1.xlarge", 16384, 160, 8],
];

/**
 * Creates devstack's flavors when no flavor was ever stored (a database
 * that has had flavors, even if all were deleted since, is left alone).
 * All of them or none: one transaction.
 *
 * @returns whether it seeded
 */
export function seedDevstackFlavors(store: FlavorStore): boolean {
  if (store.everUsed()) return false;
  store.db.transaction(() => {
    for (const [flavorid, name, ram, disk, vcpus] of DEVSTACK_FLAVORS) {
      const flavor = store.create({
        flavorid,
        name,
        memory_mb: ram,
        vcpus,
        root_gb: disk,
        ephemeral_gb: 0,
        swap: 0,
        rxtx_factor: 1.0,
        is_public: true,
        description: null,
      });
      store.setExtraSpecs(flavor.id, { "hw_rng:allowed": "True" });
    }
  });
  return true;
}
