/**
 * What `deno task bench` loads, with nova-api's req/s on this machine
 * (../shared/reference/nova26/PERF.md) and each issue's target.
 *
 * Scenarios run against one of two novalet instances: `noauth2` (nova-ref's
 * setup) or `keystone` (nova's default auth against the real Keystone of
 * ../shared/keystone, skipped when it does not answer).
 *
 * @module
 */

import type { Novalet } from "../tests/_server.ts";

export type ServerKind = "noauth2" | "keystone";

export interface Scenario {
  name: string;
  server: ServerKind;
  path: string;
  headers?: Record<string, string>;
  /** nova-api 26's req/s for the same request (PERF.md), when measured. */
  nova: number | null;
  /** The target, as text. */
  target: string | null;
}

const ADMIN = { "X-Auth-Token": "admin:admin" };

export const SCENARIOS: Scenario[] = [
  {
    name: "GET / (noauth2 pipeline)",
    server: "noauth2",
    path: "/",
    nova: 4138,
    target: "≥ 50% of bare",
  },
  {
    name: "GET /v2.1/ (noauth2 pipeline)",
    server: "noauth2",
    path: "/v2.1/",
    nova: null,
    target: null,
  },
  {
    name: "GET /v2.1/flavors/detail (10 flavors)",
    server: "noauth2",
    path: "/v2.1/flavors/detail",
    headers: ADMIN,
    nova: 262,
    target: "≥ 50× nova",
  },
  {
    name: "GET /v2.1/servers/detail (empty)",
    server: "noauth2",
    path: "/v2.1/servers/detail",
    headers: ADMIN,
    nova: 107,
    target: "≥ 100× nova",
  },
  {
    name: "GET /v2.1/flavors (noauth2)",
    server: "noauth2",
    path: "/v2.1/flavors",
    headers: ADMIN,
    nova: null,
    target: null,
  },
  {
    name: "GET /v2.1/flavors (keystone, cached token)",
    server: "keystone",
    path: "/v2.1/flavors",
    nova: null,
    target: "≥ 85% of noauth2 flavors",
  },
];

/** The noauth2 novalet of the bench: nova-ref's setup plus 10 flavors, as PERF.md seeded nova. */
export async function seedNoauth2(n: Novalet): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const res = await fetch(`${n.url}/v2.1/flavors`, {
      method: "POST",
      headers: { ...ADMIN, "Content-Type": "application/json" },
      body: JSON.stringify({
        flavor: { name: `bench.f${i}`, ram: 64 * (i + 1), vcpus: 1 + (i % 4), disk: i },
      }),
    });
    await res.body?.cancel();
    if (res.status !== 200) throw new Error(`seeding flavor ${i}: ${res.status}`);
  }
}
