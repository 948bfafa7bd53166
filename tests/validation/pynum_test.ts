/**
 * numberFromStr() against nova's `_SchemaValidator._number_from_str`
 * (`int(x)`, else `float(x)`), expected values from /usr/bin/python3.
 */
import assert from "node:assert/strict";
import { PyException, PyFloat, pyRepr } from "../../lib/validation/mod.ts";
import { numberFromStr } from "../../lib/validation/pynum.ts";

/** [value, repr(_number_from_str(value)) or null for None] */
const NUMBERS: [unknown, string | null][] = [
  ["64", "64"],
  [" 7 ", "7"],
  ["+5", "5"],
  ["-0", "0"],
  ["1_000", "1000"],
  ["1__0", null],
  ["_1", null],
  ["٣٤", "34"],
  ["\u3000 9\u3000", "9"],
  ["1.5", "1.5"],
  ["1e3", "1000.0"],
  ["1.", "1.0"],
  [".5", "0.5"],
  ["inf", "inf"],
  ["-Infinity", "-inf"],
  ["nan", "nan"],
  ["1_0.5", "10.5"],
  ["abc", null],
  ["", null],
  ["0x10", null],
  ["999999999999999999999999999999", "999999999999999999999999999999"],
  [true, "1"],
  [2.9, "2"],
  [-2.9, "-2"],
  [new PyFloat(3), "3"],
  [null, null],
  [[1], null],
];

for (const [value, expected] of NUMBERS) {
  Deno.test(`numberFromStr(${pyRepr(value)}) is ${expected}`, () => {
    const n = numberFromStr(value);
    assert.equal(n === null ? null : pyRepr(n), expected);
  });
}

Deno.test("numberFromStr() raises OverflowError for an infinite float, as int() does", () => {
  assert.throws(
    () => numberFromStr(Infinity),
    new PyException("OverflowError", "cannot convert float infinity to integer"),
  );
});

Deno.test("numberFromStr() gives up on int() past 4300 digits and reads a float", () => {
  const n = numberFromStr("9".repeat(4301));
  assert.ok(n instanceof PyFloat);
  assert.equal(pyRepr(n), "inf");
});
