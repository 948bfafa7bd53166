/**
 * pyRepr/pyStr against Python 3.11's repr()/str() (expected texts produced
 * with /usr/bin/python3).
 */
import assert from "node:assert/strict";
import {
  jsonschemaEquals,
  pyEquals,
  PyFloat,
  pyFloatRepr,
  pyRepr,
  pyStr,
  pyTypeName,
} from "../../lib/validation/mod.ts";
import { compareCodePoints } from "../../lib/validation/unicode.ts";

/** [value, repr(value)] */
const REPRS: [unknown, string][] = [
  ["x", "'x'"],
  ["it's", `"it's"`],
  ['say "hi"', `'say "hi"'`],
  [`both ' and "`, `'both \\' and "'`],
  ["back\\slash", "'back\\\\slash'"],
  ["tab\tnl\nret\r", "'tab\\tnl\\nret\\r'"],
  ["\x00\x1f\x7f", "'\\x00\\x1f\\x7f'"],
  ["\x80\x9f\xa0\xad", "'\\x80\\x9f\\xa0\\xad'"],
  ["é ü ß", "'é ü ß'"],
  ["\u200b\u2028\u3000\ufeff", "'\\u200b\\u2028\\u3000\\ufeff'"],
  ["\ud800", "'\\ud800'"],
  ["😀", "'😀'"],
  ["\u{e0001}", "'\\U000e0001'"],
  // Unassigned in Unicode 14 (Python 3.11's tables), whatever the runtime knows.
  ["\u0378", "'\\u0378'"],
  ["\u0cf3", "'\\u0cf3'"],
  ["", "''"],
  [0, "0"],
  [-1, "-1"],
  [-0, "0"],
  [9007199254740993n, "9007199254740993"],
  [1e21, "1000000000000000000000"],
  [new PyFloat(1), "1.0"],
  [new PyFloat(-0), "-0.0"],
  [0.1, "0.1"],
  [new PyFloat(1e16), "1e+16"],
  [1e15 + 0.5, "1000000000000000.5"],
  [new PyFloat(123456789), "123456789.0"],
  [1e-4, "0.0001"],
  [1e-5, "1e-05"],
  [5e-324, "5e-324"],
  [new PyFloat(1.7976931348623157e308), "1.7976931348623157e+308"],
  [Infinity, "inf"],
  [NaN, "nan"],
  [new PyFloat(3.40282e+38), "3.40282e+38"],
  [true, "True"],
  [false, "False"],
  [null, "None"],
  [[], "[]"],
  [{}, "{}"],
  [[1, [2, [3]]], "[1, [2, [3]]]"],
  [{ a: { b: [null, true, 1.5] } }, "{'a': {'b': [None, True, 1.5]}}"],
  [{ "it's": "x" }, `{"it's": 'x'}`],
];

for (const [value, expected] of REPRS) {
  Deno.test(`pyRepr(${expected}) is Python's repr`, () => {
    assert.equal(pyRepr(value), expected);
  });
}

Deno.test("pyStr() is the string itself for str, the repr otherwise", () => {
  assert.equal(pyStr("tab\tit's"), "tab\tit's");
  assert.equal(pyStr(["a"]), "['a']");
  assert.equal(pyStr(null), "None");
  assert.equal(pyStr(new PyFloat(2)), "2.0");
});

Deno.test("pyFloatRepr() switches to exponents where Python does", () => {
  assert.equal(pyFloatRepr(1e15), "1000000000000000.0");
  assert.equal(pyFloatRepr(1e16), "1e+16");
  assert.equal(pyFloatRepr(1.5e16), "1.5e+16");
  assert.equal(pyFloatRepr(0.00012), "0.00012");
  assert.equal(pyFloatRepr(0.000012), "1.2e-05");
  assert.equal(pyFloatRepr(-2.5e-300), "-2.5e-300");
});

Deno.test("pyTypeName() names Python's types", () => {
  assert.deepEqual(
    [1, 1.5, new PyFloat(1), 1n, "s", true, null, [], {}].map(pyTypeName),
    ["int", "float", "float", "int", "str", "bool", "NoneType", "list", "dict"],
  );
});

Deno.test("pyEquals() is Python's ==: True == 1 and 1 == 1.0, deeply", () => {
  assert.ok(pyEquals(true, 1));
  assert.ok(pyEquals(1, new PyFloat(1)));
  assert.ok(pyEquals([{ a: [true] }], [{ a: [1] }]));
  assert.ok(!pyEquals("1", 1));
  assert.ok(!pyEquals({ a: 1 }, { a: 1, b: 2 }));
  assert.ok(pyEquals(null, null));
});

Deno.test("jsonschemaEquals() keeps booleans apart from numbers, deeply", () => {
  assert.ok(!jsonschemaEquals(true, 1));
  assert.ok(!jsonschemaEquals([{ a: [true] }], [{ a: [1] }]));
  assert.ok(jsonschemaEquals([{ a: [1] }], [{ a: [new PyFloat(1)] }]));
  assert.ok(jsonschemaEquals(false, false));
});

Deno.test("compareCodePoints() sorts like Python: astral characters after U+FFFF", () => {
  const items = ["\u{1f600}", "\uffff", "a", "\ud800"];
  assert.deepEqual(items.sort(compareCodePoints), ["a", "\ud800", "\uffff", "\u{1f600}"]);
});
