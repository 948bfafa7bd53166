/**
 * nova's own schemas (serialized from the installed nova 26) and fuzzed
 * request values, against the answers of nova's real validator
 * (testdata/nova_oracle.jsonl, written by testdata/gen_nova_oracle.py).
 */
import assert from "node:assert/strict";
import { HttpError } from "../../lib/errors.ts";
import {
  type ObjectSchema,
  PyException,
  PyFloat,
  pyRepr,
  type QueryDict,
  type Schema,
  validateBody,
  validateQuery,
} from "../../lib/validation/mod.ts";

interface OracleCase {
  label: string;
  value: unknown;
  answer: string;
  query: boolean;
  legacy: boolean;
  after: unknown;
}

/** JSON from Python: floats and big ints are tagged so that they stay what Python had. */
function revive(o: unknown): unknown {
  if (Array.isArray(o)) return o.map(revive);
  if (typeof o !== "object" || o === null) return o;
  const r = o as Record<string, unknown>;
  if ("__float__" in r) return new PyFloat(Number(r.__float__));
  if ("__int__" in r) return BigInt(r.__int__ as string);
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, revive(v)]));
}

const schemas = new Map<string, Schema>();
const cases: OracleCase[] = [];
const text = await Deno.readTextFile(new URL("./testdata/nova_oracle.jsonl", import.meta.url));
for (const line of text.split("\n").filter(Boolean)) {
  const row = JSON.parse(line);
  if (!Array.isArray(row)) {
    schemas.set(row.schema, revive(row.value) as Schema);
    continue;
  }
  const [label, value, answer, extra] = row;
  cases.push({
    label,
    value,
    answer,
    query: extra?.query ?? false,
    legacy: extra?.legacy ?? false,
    after: extra?.after ?? value,
  });
}

/** What novalet answers, in the oracle's notation. */
function answer(schema: Schema, c: OracleCase, value: unknown): string {
  try {
    if (c.query) validateQuery(schema as ObjectSchema, value as QueryDict);
    else validateBody(schema, value, { legacyV2: c.legacy });
    return "OK";
  } catch (e) {
    if (e instanceof HttpError) return `${e.status}:${e.explanation}`;
    if (e instanceof PyException) return `EXC:${e.pyType}:${e.message}`;
    throw e;
  }
}

Deno.test("nova_oracle.jsonl has enough cases to mean something", () => {
  assert.ok(schemas.size > 40, `${schemas.size} schemas`);
  assert.ok(cases.length > 500, `${cases.length} cases`);
});

const byLabel = Map.groupBy(cases, (c) => c.label);
for (const [label, group] of byLabel) {
  Deno.test(`validate ${label} like nova (${group.length} values)`, () => {
    const schema = schemas.get(label);
    assert.ok(schema !== undefined, label);
    for (const c of group) {
      const value = revive(c.value);
      assert.equal(answer(schema, c, value), c.answer, `value: ${pyRepr(revive(c.value))}`);
      // Legacy v2 requests lose their unknown keys in place, as in nova.
      if (c.legacy) assert.equal(pyRepr(value), pyRepr(revive(c.after)));
    }
  });
}
