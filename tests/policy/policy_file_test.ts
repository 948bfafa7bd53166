import assert from "node:assert/strict";
import { parsePolicyFile } from "../../lib/policy/policy_file.ts";

const read = (text: string) => Object.fromEntries(parsePolicyFile(text, "policy.yaml"));

// Expected values are what PyYAML's yaml.safe_load gives for the same text
// (a null rule becomes "", oslo's parse_rule(None) being the empty rule).
const YAML_CASES: [string, string, Record<string, string>][] = [
  [
    "plain keys and values",
    "a: role:admin\nos_compute_api:servers:index: rule:admin_api or role:x\n",
    {
      a: "role:admin",
      "os_compute_api:servers:index": "rule:admin_api or role:x",
    },
  ],
  ["quoted keys and values", `"a": "role:admin"\n'b': 'it''s'\n`, { a: "role:admin", b: "it's" }],
  [
    "comments and blank lines",
    '# head\n\n"a": "role:x"  # trailing\nb: role:y # trailing\n   # indented comment\n',
    { a: "role:x", b: "role:y" },
  ],
  ["document markers", '---\na: "@"\n...\n', { a: "@" }],
  ["empty and null values", 'a:\nb: ""\nc: ~\nd: null\n', { a: "", b: "", c: "", d: "" }],
  ["multi-line double-quoted values", '"a": "role:x or\n    role:y"\n"b": "one\n\n  two"\n', {
    a: "role:x or role:y",
    b: "one\ntwo",
  }],
  ["multi-line plain values", "a: role:x and\n  project_id:%(project_id)s\nb: c\n", {
    a: "role:x and project_id:%(project_id)s",
    b: "c",
  }],
  ["double-quoted escapes", '"a": "\\u0061\\x62\\t\\"q\\"\\\\"\n"b": "x\\\n   y"\n', {
    a: 'ab\t"q"\\',
    b: "xy",
  }],
  ["a plain key with colons", "os_compute_api:os-hypervisors:list: '!'\n", {
    "os_compute_api:os-hypervisors:list": "!",
  }],
  ["# inside values", 'a: role:x#y\n"b": "role:#1"\n', { a: "role:x#y", b: "role:#1" }],
  ["a comment as the only value", "a: # nothing\nb: x\n", { a: "", b: "x" }],
  ["CRLF line ends", '"a": "role:x"\r\nb: y\r\n', { a: "role:x", b: "y" }],
  ["a repeated key (last wins)", "a: x\na: y\n", { a: "y" }],
];

for (const [what, text, expected] of YAML_CASES) {
  Deno.test(`parsePolicyFile() reads YAML: ${what}`, () => {
    assert.deepEqual(read(text), expected);
  });
}

Deno.test("parsePolicyFile() reads JSON, null rules as empty", () => {
  assert.deepEqual(read('{"a": "role:x", "b": "@", "c": null}'), { a: "role:x", b: "@", c: "" });
  assert.deepEqual(read('{\n  "os_compute_api:servers:index": "rule:admin_api"\n}\n'), {
    "os_compute_api:servers:index": "rule:admin_api",
  });
});

Deno.test("parsePolicyFile() reads an empty file as no rules", () => {
  assert.deepEqual(read(""), {});
  assert.deepEqual(read("# only a comment\n"), {});
  assert.deepEqual(read("null"), {});
  assert.deepEqual(read("{}"), {});
});

Deno.test("parsePolicyFile() keeps the file's order", () => {
  assert.deepEqual([...parsePolicyFile("b: x\na: y\nc: z\n", "f").keys()], ["b", "a", "c"]);
});

Deno.test("parsePolicyFile() rejects what is not a flat mapping of strings, naming file and line", () => {
  const cases: [string, RegExp][] = [
    ["a: x\n  b: y\n", /^Policy file policy.yaml line 2: unexpected indentation$/],
    ["a: true\n", /line 1: the value of "a" is not a string; quote it/],
    ["x: y\na: 12\n", /line 2: the value of "a" is not a string; quote it/],
    ["a: !\n", /the value of "a" starts with "!"; quote it/],
    ["a: @\n", /the value of "a" starts with "@"; quote it/],
    ["- a\n- b\n", /line 1: unsupported YAML/],
    ['"a": "role:x\n', /unterminated quoted string/],
    ["a: b: c\n", /the value of "a" contains ": "; quote it/],
    ['"a": "x" y\n', /line 1: unexpected text after the value of "a"/],
    ["just text\n", /line 1: expected "name: rule"/],
    ['"a": "\\q"\n', /bad escape "\\q"/],
    ['["a"]', /is not a mapping of rule names to rules/],
    ['{"a": 1}', /rule "a" is not a string/],
  ];
  for (const [text, why] of cases) {
    assert.throws(() => parsePolicyFile(text, "policy.yaml"), (err: unknown) => {
      assert.ok(err instanceof SyntaxError, text);
      assert.match(err.message, /^Policy file policy.yaml/, text);
      assert.match(err.message, why, text);
      return true;
    });
  }
});
