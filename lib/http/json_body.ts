/**
 * Parses a JSON request body keeping the number types Python's json.loads
 * gives nova: a literal with a fraction or exponent is a float (`PyFloat`,
 * so `1.0` stays distinguishable from `1`), an integer beyond 2^53 is a
 * `bigint`. Uses JSON.parse's source-text access (Deno and Bun both have it).
 *
 * @module
 */

import { PyFloat } from "../response.ts";

type SourceContext = { source?: string } | undefined;

function revive(this: unknown, _key: string, value: unknown, context?: SourceContext): unknown {
  if (typeof value !== "number" || context?.source === undefined) return value;
  const source = context.source;
  if (/[.eE]/.test(source)) return new PyFloat(value);
  if (!Number.isSafeInteger(value)) return BigInt(source);
  return value;
}

/**
 * `json.loads` for request bodies.
 *
 * @throws {SyntaxError} for text that is not JSON
 */
export function parseJsonBody(text: string): unknown {
  return JSON.parse(text, revive as (this: unknown, key: string, value: unknown) => unknown);
}

/** A body number as a JS number (PyFloat and bigint unwrapped). */
export function toNumber(value: unknown): number {
  if (value instanceof PyFloat) return value.value;
  if (typeof value === "bigint") return Number(value);
  return Number(value);
}
