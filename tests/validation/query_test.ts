/**
 * Query strings as nova validates them: webob's parsing, dict_of_lists,
 * query_schema messages and the stripping of unknown parameters.
 */
import assert from "node:assert/strict";
import { HttpError } from "../../lib/errors.ts";
import {
  dictOfLists,
  parameterTypes as pt,
  parseQueryString,
  validateQuery,
} from "../../lib/validation/mod.ts";
import { flavorIndexQuery, serverQuery } from "./nova_schemas.ts";

/** [raw query, webob's req.GET.items()] (from webob 1.8.6). */
const PARSES: [string, [string, string][]][] = [
  ["a=1&b&c=&&d=%41%zz+x;e=%4", [["a", "1"], ["b", ""], ["c", ""], ["d", "A%zz x"], ["e", "\x04"]]],
  ["name=%C3%A9&name=x", [["name", "é"], ["name", "x"]]],
  ["k=a%2Bb+c", [["k", "a+b c"]]],
  ["=v&k==", [["", "v"], ["k", "="]]],
  ["%41%4=1", [["A\x04", "1"]]],
  ["a=% 41", [["a", "\x041"]]],
  ["", []],
];

for (const [raw, pairs] of PARSES) {
  Deno.test(`parseQueryString(${JSON.stringify(raw)}) parses like webob`, () => {
    assert.deepEqual(parseQueryString(raw), pairs);
  });
}

Deno.test("dictOfLists() groups values by name in first-seen order", () => {
  const dict = dictOfLists([["b", "1"], ["a", "2"], ["b", "3"], ["__proto__", "4"]]);
  assert.deepEqual(Object.keys(dict), ["b", "a", "__proto__"]);
  assert.deepEqual(dict.b, ["1", "3"]);
  assert.deepEqual(dict["__proto__"], ["4"]);
});

function queryError(schema: Record<string, unknown>, raw: string): string {
  try {
    validateQuery(schema, raw);
  } catch (e) {
    assert.ok(e instanceof HttpError);
    assert.equal(e.status, 400);
    return e.explanation;
  }
  assert.fail("no error");
}

const strict = {
  type: "object",
  properties: {
    sort: pt.singleParam({ type: "string" }),
    limit: pt.multiParams(pt.nonNegativeInteger),
  },
  additionalProperties: false,
} as const;

Deno.test("validateQuery() names the parameter, prints the failing item", () => {
  assert.equal(
    queryError(strict, "limit=1&limit=x"),
    "Invalid input for query parameters limit. Value: x. 'x' does not match '^[0-9]*$'",
  );
});

Deno.test("validateQuery() single_param refuses a repeated parameter", () => {
  assert.equal(
    queryError(strict, "sort=a&sort=b"),
    "Invalid input for query parameters sort. Value: ['a', 'b']. ['a', 'b'] is too long",
  );
});

Deno.test("validateQuery() unknown parameters at 2.75 are an error at the root", () => {
  assert.equal(
    queryError(strict, "zz=1&aa=2"),
    "Additional properties are not allowed ('aa', 'zz' were unexpected)",
  );
  assert.equal(
    queryError(serverQuery(true), "bogus=1"),
    "'bogus' does not match any of the regexes: '^_'",
  );
});

Deno.test("validateQuery() refuses a query string that is not UTF-8", () => {
  assert.equal(queryError(strict, "sort=%e9"), "Query string is not UTF-8 encoded");
});

Deno.test("validateQuery() drops unknown parameters before 2.75", () => {
  const kept = validateQuery(flavorIndexQuery, "limit=1&bogus=x&limit=2&marker=m");
  assert.deepEqual(kept, { limit: ["1", "2"], marker: ["m"] });
});

Deno.test("validateQuery() keeps parameters matching patternProperties (re.match)", () => {
  const kept = validateQuery(serverQuery(false), "_x=1&bogus=2&name=a.*&x_=3");
  assert.deepEqual(kept, { _x: ["1"], name: ["a.*"] });
});

Deno.test("validateQuery() accepts an already parsed dict of lists", () => {
  assert.deepEqual(validateQuery(flavorIndexQuery, { limit: ["5"], other: ["x"] }), {
    limit: ["5"],
  });
});

Deno.test("validateQuery() checks common_query_regex_param values as Python regexes", () => {
  assert.equal(
    queryError(serverQuery(false), "name=(("),
    "Invalid input for query parameters name. Value: ((. '((' is not a 'regex'",
  );
});
