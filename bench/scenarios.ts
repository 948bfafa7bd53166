/**
 * What `deno task bench` loads, with nova-api's req/s on this machine
 * (../shared/reference/nova26/PERF.md) and each issue's target.
 *
 * @module
 */

import type { Novalet } from "../tests/_server.ts";

export interface Scenario {
  name: string;
  path: string;
  headers?: Record<string, string>;
  /** nova-api 26's req/s for the same request (PERF.md), when measured. */
  nova: number | null;
  /** The target, as text. */
  target: string | null;
  /** nova.conf text the bench's novalet needs. */
  config?: string;
  /** Runs once before the rounds (seeding data). */
  setup?: (n: Novalet) => Promise<void>;
}

export const SCENARIOS: Scenario[] = [
  { name: "novalet GET / (noauth2 pipeline)", path: "/", nova: 4138, target: "≥ 50% of bare" },
  {
    name: "novalet GET /v2.1/ (noauth2 pipeline)",
    path: "/v2.1/",
    nova: null,
    target: "≥ 50% of bare",
  },
];
