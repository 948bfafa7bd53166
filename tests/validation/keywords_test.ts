/**
 * Each Draft 4 keyword, valid and invalid, against the message nova's real
 * validator gives (the table is generated from nova; see keyword_cases.ts).
 */
import assert from "node:assert/strict";
import { HttpError } from "../../lib/errors.ts";
import { validateBody } from "../../lib/validation/mod.ts";
import { KEYWORD_CASES } from "./keyword_cases.ts";

/** The 400 text validateBody throws, or null when the body is valid. */
function message(schema: Parameters<typeof validateBody>[0], body: unknown): string | null {
  try {
    validateBody(schema, body);
    return null;
  } catch (e) {
    assert.ok(e instanceof HttpError, `not an HttpError: ${e}`);
    assert.equal(e.status, 400);
    return e.explanation;
  }
}

for (const [title, schema, body, expected] of KEYWORD_CASES) {
  Deno.test(`validateBody() ${title}`, () => {
    assert.equal(message(schema, body), expected);
  });
}

Deno.test("KEYWORD_CASES covers every keyword the validator knows", () => {
  const seen = new Set<string>();
  const walk = (s: unknown): void => {
    if (Array.isArray(s)) return s.forEach(walk);
    if (typeof s !== "object" || s === null) return;
    for (const [k, v] of Object.entries(s)) {
      seen.add(k);
      walk(v);
    }
  };
  KEYWORD_CASES.forEach(([, schema]) => walk(schema));
  for (
    const keyword of [
      "$ref",
      "additionalItems",
      "additionalProperties",
      "allOf",
      "anyOf",
      "dependencies",
      "enum",
      "exclusiveMaximum",
      "exclusiveMinimum",
      "format",
      "items",
      "maxItems",
      "maxLength",
      "maxProperties",
      "maximum",
      "minItems",
      "minLength",
      "minProperties",
      "minimum",
      "multipleOf",
      "not",
      "oneOf",
      "pattern",
      "patternProperties",
      "properties",
      "required",
      "type",
      "uniqueItems",
    ]
  ) assert.ok(seen.has(keyword), keyword);
});
