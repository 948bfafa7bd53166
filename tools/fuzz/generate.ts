/**
 * Values that (mostly) pass one of nova's JSON schemas, as the starting
 * point the fuzzer mutates: the required properties and some optional
 * ones, strings chosen for their format or pattern, numbers inside their
 * bounds. Best effort: a pattern it cannot satisfy gets a plain string.
 *
 * @module
 */

import { below, pick, type Random } from "./random.ts";

// deno-lint-ignore no-explicit-any
type Schema = Record<string, any>;

/** Values the fixtures give the generator for uuid-shaped references. */
export interface Known {
  uuids: string[];
}

const FORMAT_VALUES: Record<string, string[]> = {
  uuid: [],
  name: ["fuzz-a", "fuzz name", "x"],
  az_name: ["nova", "zone-1"],
  az_name_with_leading_trailing_spaces: [" nova ", "nova"],
  name_with_leading_trailing_spaces: [" fuzz ", "fuzz"],
  keypair_name_20: ["fuzz-key2", "k"],
  keypair_name_292: ["fuzz@key.1", "k"],
  ipv4: ["10.0.0.9", "192.168.1.1"],
  ipv6: ["fe80::1", "2001:db8::5"],
  cidr: ["10.0.0.0/24"],
  base64: ["aGVsbG8=", ""],
  "date-time": ["2020-01-01T00:00:00Z"],
  uri: ["http://example.com/x"],
  regex: ["^fuzz.*$", "a|b"],
  hostname: ["host-1"],
};

const PATTERN_CANDIDATES = [
  "1",
  "10",
  "fuzz",
  "fuzz-1",
  "abc",
  "a.b",
  "0",
  "auto",
  "/10.0.0.0",
  "aa:bb:cc:dd:ee:ff",
  "x y",
  "vda",
];

/** A value meant to pass `schema` (as far as this generator understands it). */
export function generate(schema: Schema, random: Random, known: Known, depth = 0): unknown {
  if (depth > 8) return null;
  if (schema.enum) return pick(random, schema.enum);
  if (schema.oneOf || schema.anyOf) {
    return generate(pick(random, schema.oneOf ?? schema.anyOf), random, known, depth + 1);
  }
  if (schema.allOf) {
    return generate({ ...schema.allOf[0], ...schema.allOf[1] }, random, known, depth);
  }
  const types: string[] = schema.type === undefined
    ? ["string"]
    : Array.isArray(schema.type)
    ? schema.type
    : [schema.type];
  const type = random() < 0.8 ? types[0] : pick(random, types);
  switch (type) {
    case "object":
      return object(schema, random, known, depth);
    case "array":
      return array(schema, random, known, depth);
    case "integer":
      return integer(schema, random);
    case "number":
      return random() < 0.5 ? integer(schema, random) : integer(schema, random) + 0.5;
    case "boolean":
      return random() < 0.5;
    case "null":
      return null;
    default:
      return string(schema, random, known);
  }
}

function object(schema: Schema, random: Random, known: Known, depth: number): unknown {
  const out: Record<string, unknown> = {};
  const required: string[] = schema.required ?? [];
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    if (required.includes(key) || random() < 0.3) {
      out[key] = generate(sub as Schema, random, known, depth + 1);
    }
  }
  const patterns = Object.entries(schema.patternProperties ?? {});
  if (patterns.length > 0 && random() < 0.7) {
    out[`fuzz${below(random, 10)}`] = generate(patterns[0][1] as Schema, random, known, depth + 1);
  }
  return out;
}

function array(schema: Schema, random: Random, known: Known, depth: number): unknown[] {
  const min = schema.minItems ?? 0;
  const max = Math.min(schema.maxItems ?? 3, min + 3);
  const length = min + below(random, Math.max(1, max - min + 1));
  const items = Array.isArray(schema.items) ? schema.items : [schema.items ?? {}];
  return Array.from(
    { length },
    (_, i) => generate(items[Math.min(i, items.length - 1)], random, known, depth + 1),
  );
}

function integer(schema: Schema, random: Random): number {
  const min = typeof schema.minimum === "number" ? schema.minimum : 0;
  const max = typeof schema.maximum === "number" ? schema.maximum : min + 100;
  return Math.min(max, min + below(random, 10) + (schema.exclusiveMinimum ? 1 : 0));
}

function string(schema: Schema, random: Random, known: Known): string {
  let candidates: string[];
  if (schema.format === "uuid") {
    candidates = known.uuids.length ? known.uuids : [crypto.randomUUID()];
  } else if (schema.format && FORMAT_VALUES[schema.format]) {
    candidates = FORMAT_VALUES[schema.format];
  } else candidates = ["fuzz", "1", "x"];
  let value = pick(random, candidates);
  if (typeof schema.pattern === "string") value = matching(schema.pattern, value);
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Infinity;
  if (value.length < min) value = value.padEnd(min, "x");
  if (value.length > max) value = value.slice(0, max);
  return value;
}

/** `preferred` if it matches `pattern`, else the first candidate that does. */
function matching(pattern: string, preferred: string): string {
  let re: RegExp;
  try {
    re = new RegExp(pattern, "u");
  } catch {
    return preferred;
  }
  if (re.test(preferred)) return preferred;
  return PATTERN_CANDIDATES.find((c) => re.test(c)) ?? preferred;
}
