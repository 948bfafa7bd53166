/**
 * The format checkers nova's validator runs, against the answers of nova's
 * own `FormatChecker` (expected values from /usr/bin/python3).
 */
import assert from "node:assert/strict";
import { FORMAT_CHECKERS, PyException } from "../../lib/validation/mod.ts";

/** [format, [value, true | false | {invalidName: reason}][]] */
const FORMATS: [string, [unknown, boolean | { invalidName: string }][]][] = [
  ["uuid", [
    ["70a599e0-31e7-49b7-b260-868f441e862b", true],
    ["70A599E0-31E7-49B7-B260-868F441E862B", true],
    ["70a599e031e749b7b260868f441e862b", true],
    ["{70a599e0-31e7-49b7-b260-868f441e862b}", true],
    ["urn:uuid:70a599e0-31e7-49b7-b260-868f441e862b", true],
    ["70a599e0-31e7-49b7-b260-868f441e862", false],
    ["g0a599e0-31e7-49b7-b260-868f441e862b", false],
    ["7-0a599e031e749b7b260868f441e862b", true],
    [5, false],
    [null, false],
  ]],
  ["date-time", [
    ["2020-01-01T00:00:00Z", true],
    ["2020-01-01", true],
    ["2020", true],
    ["20200101T0000", true],
    ["2020-01-01 23:59:59,5-0700", true],
    ["2020-01-01T00:00:00Z\n", true],
    ["2020-02-30", false],
    ["2021-02-29", false],
    ["2020-02-29", true],
    ["2020-01-01T24:00", false],
    ["2020-01-01T00:00:00+24:00", false],
    ["202001", false],
    ["0000-01-01", false],
    ["garbage", false],
    [5, false],
  ]],
  ["ipv4", [
    ["1.2.3.4", true],
    ["255.255.255.255", true],
    ["256.1.1.1", false],
    ["01.2.3.4", false],
    ["1.2.3", false],
    ["1.2.3.4/32", false],
    [" 1.2.3.4", false],
    ["١.2.3.4", false],
    [5, true],
  ]],
  ["ipv6", [
    ["::", true],
    ["::1", true],
    ["1::", true],
    ["1:2:3:4:5:6:7:8", true],
    ["1:2:3:4:5:6:7:8:9", false],
    ["1::2::3", false],
    ["::ffff:1.2.3.4", true],
    ["fe80::1%eth0", false],
    ["12345::", false],
    [":1::", false],
    ["g::", false],
    [5, true],
  ]],
  ["base64", [
    ["aGVsbG8=", true],
    ["aGVsbG8", false],
    ["QQ==", true],
    ["QQ=", false],
    ["Q", false],
    ["", true],
    ["a b c d", true],
    ["QQ==QQ", true],
    ["=", true],
    ["*QQ==", true],
    [5, false],
    [null, false],
  ]],
  ["cidr", [
    ["10.0.0.0/8", true],
    ["10/8", true],
    ["1.2.3/24", true],
    ["10.0.0.0/255.0.0.0", true],
    ["10.0.0.0/0.0.0.255", true],
    ["10.0.0.0/255.0.255.0", false],
    ["10.0.0.0", false],
    ["10.0.0.0/33", false],
    ["::/0", true],
    ["::1/129", false],
    ["1.2.3.4/ 8", false],
  ]],
  ["regex", [
    ["a.*", true],
    ["((", false],
    ["", false],
    ["[", false],
    [5, false],
  ]],
  ["name", [
    ["ok name", true],
    [" lead", { "invalidName": "printable characters. Can not start or end with whitespace." }],
    ["trail ", { "invalidName": "printable characters. Can not start or end with whitespace." }],
    ["a​b", { "invalidName": "printable characters. Can not start or end with whitespace." }],
    ["é", true],
    ["a😀", { "invalidName": "printable characters. Can not start or end with whitespace." }],
    ["", true],
    [5, { "invalidName": "printable characters. Can not start or end with whitespace." }],
  ]],
  ["name_with_leading_trailing_spaces", [
    [" ok ", true],
    ["   ", { "invalidName": "printable characters with at least one non space character" }],
    ["a", true],
    ["", { "invalidName": "printable characters with at least one non space character" }],
  ]],
  ["az_name", [
    ["nova", true],
    ["a:b", {
      "invalidName": "printable characters except :.Can not start or end with whitespace.",
    }],
    [" a", {
      "invalidName": "printable characters except :.Can not start or end with whitespace.",
    }],
  ]],
  ["az_name_with_leading_trailing_spaces", [
    [" nova ", true],
    ["a:b", {
      "invalidName": "printable characters except :, with at least one non space character",
    }],
  ]],
  ["keypair_name_20", [
    ["ok-name_1 2", true],
    ["a.b", {
      "invalidName":
        "Only expected characters: [_- 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ]",
    }],
    ["a@b", {
      "invalidName":
        "Only expected characters: [_- 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ]",
    }],
    [["a"], {
      "invalidName":
        "Only expected characters: [_- 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ]",
    }],
    [{ "a": 1 }, {
      "invalidName":
        "Only expected characters: [_- 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ]",
    }],
  ]],
  ["keypair_name_292", [
    ["a.b@c", true],
    ["a!b", {
      "invalidName":
        "Only expected characters: [@._- 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ]",
    }],
  ]],
  ["email", [
    ["a@b", true],
    ["ab", false],
    [5, true],
  ]],
  ["date", [
    ["2020-01-01", true],
    ["20200101", true],
    ["2020-1-1", false],
    ["2020-02-30", false],
    [5, true],
  ]],
  ["time", [
    ["12:30:00", true],
    ["1:2:3", true],
    ["24:00:00", false],
    ["12:60:00", false],
    ["12:00:61", false],
    [5, true],
  ]],
  ["uri", [
    ["http://example.com/x?y#z", true],
    ["ftp://h", true],
    ["nohost", false],
    ["http://", false],
    ["http://a b", false],
  ]],
];

for (const [format, rows] of FORMATS) {
  Deno.test(`FORMAT_CHECKERS[${JSON.stringify(format)}] agrees with nova`, () => {
    for (const [value, expected] of rows) {
      assert.deepEqual(FORMAT_CHECKERS[format](value), expected, JSON.stringify(value));
    }
  });
}

/** [format, value, Python exception type, str(exception)] */
const RAISES: [string, unknown, string, string][] = [
  ["keypair_name_20", 5, "TypeError", "'int' object is not iterable"],
  ["keypair_name_20", [1], "TypeError", "'in <string>' requires string as left operand, not int"],
  ["keypair_name_20", null, "TypeError", "'NoneType' object is not iterable"],
  ["keypair_name_20", 1.5, "TypeError", "'float' object is not iterable"],
  [
    "base64",
    "é",
    "UnicodeDecodeError",
    "'ascii' codec can't decode byte 0xc3 in position 0: ordinal not in range(128)",
  ],
  ["cidr", 5, "TypeError", "unexpected type <class 'int'> for addr arg"],
  ["uri", null, "TypeError", "expected string or bytes-like object, got 'NoneType'"],
];

for (const [format, value, type, message] of RAISES) {
  Deno.test(`FORMAT_CHECKERS[${JSON.stringify(format)}](${JSON.stringify(value)}) raises ${type}`, () => {
    assert.throws(() => FORMAT_CHECKERS[format](value), (e) => {
      assert.ok(e instanceof PyException);
      assert.equal(e.pyType, type);
      assert.equal(e.message, message);
      return true;
    });
  });
}

Deno.test("formats jsonschema does not know are not in FORMAT_CHECKERS (they pass)", () => {
  assert.equal(FORMAT_CHECKERS["hostname"], undefined);
  assert.equal(FORMAT_CHECKERS["bogus"], undefined);
});
