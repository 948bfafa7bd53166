import assert from "node:assert/strict";
import type { Check } from "../../lib/policy/checks.ts";
import {
  checkToString,
  parseRule,
  PolicySyntaxError,
  pyLiteralStr,
} from "../../lib/policy/parser.ts";
import { PARSE_CASES } from "./fixtures/parse_cases.ts";

const role = (match: string): Check => ({ type: "role", match });

Deno.test("parseRule() reads each single check", () => {
  assert.deepEqual(parseRule(""), { type: "true" });
  assert.deepEqual(parseRule("@"), { type: "true" });
  assert.deepEqual(parseRule("!"), { type: "false" });
  assert.deepEqual(parseRule("role:admin"), role("admin"));
  assert.deepEqual(parseRule("rule:admin_api"), { type: "rule", match: "admin_api" });
  assert.deepEqual(parseRule("is_admin:True"), { type: "is_admin", expected: true });
  assert.deepEqual(parseRule("is_admin:TRUE"), { type: "is_admin", expected: true });
  assert.deepEqual(parseRule("is_admin:yes"), { type: "is_admin", expected: false });
  assert.deepEqual(parseRule("project_id:%(project_id)s"), {
    type: "generic",
    kind: "project_id",
    match: "%(project_id)s",
    literal: null,
  });
  assert.deepEqual(parseRule("system_scope:all"), {
    type: "generic",
    kind: "system_scope",
    match: "all",
    literal: null,
  });
  assert.deepEqual(parseRule("True:%(enabled)s"), {
    type: "generic",
    kind: "True",
    match: "%(enabled)s",
    literal: "True",
  });
});

Deno.test("parseRule() splits kind and match at the first colon", () => {
  assert.deepEqual(parseRule("rule:os_compute_api:os-hypervisors:list"), {
    type: "rule",
    match: "os_compute_api:os-hypervisors:list",
  });
});

Deno.test("parseRule() binds not tighter than and, and tighter than or", () => {
  assert.deepEqual(parseRule("role:a or role:b and not role:c"), {
    type: "or",
    rules: [role("a"), { type: "and", rules: [role("b"), { type: "not", rule: role("c") }] }],
  });
  assert.deepEqual(parseRule("role:a and role:b or role:c"), {
    type: "or",
    rules: [{ type: "and", rules: [role("a"), role("b")] }, role("c")],
  });
});

Deno.test("parseRule() groups with parentheses, attached to words or not", () => {
  assert.deepEqual(parseRule("(role:a or role:b) and role:c"), {
    type: "and",
    rules: [{ type: "or", rules: [role("a"), role("b")] }, role("c")],
  });
  assert.deepEqual(parseRule("( role:a )"), role("a"));
  assert.deepEqual(parseRule("not (role:a or role:b)"), {
    type: "not",
    rule: { type: "or", rules: [role("a"), role("b")] },
  });
});

Deno.test("parseRule() accepts operators in any case and any whitespace", () => {
  assert.equal(
    checkToString(parseRule("  role:a AND\trole:b\nOr NOT role:c ")),
    "((role:a and role:b) or not role:c)",
  );
});

Deno.test("parseRule() flattens chains of one operator as oslo does", () => {
  assert.equal(
    checkToString(parseRule("role:a or role:b or role:c")),
    "(role:a or role:b or role:c)",
  );
  assert.equal(
    checkToString(parseRule("(role:a and role:b) and role:c")),
    "((role:a and role:b) and role:c)",
  );
  // oslo's _mix_or_and_expr extends a parenthesized AndCheck after an "or".
  assert.equal(
    checkToString(parseRule("role:a or (role:b and role:c) and role:d")),
    "(role:a or (role:b and role:c and role:d))",
  );
});

Deno.test("parseRule() throws a PolicySyntaxError naming the rule", () => {
  const cases: [string, RegExp][] = [
    ["role:a or", /unexpected end of rule/],
    ["or role:a", /unexpected "or" at token 1/],
    ["role:a role:b", /unexpected "role:b" at token 2/],
    ["(role:a", /unexpected end of rule/],
    ["role:a)", /unexpected "\)" at token 2/],
    ["()", /unexpected "\)"/],
    ["not", /unexpected end of rule/],
    [" ", /no checks/],
    ["role:a or foo", /"foo" is not "kind:match"/],
    ["role:a or 'quoted'", /a quoted string "quoted"/],
    ["http:example.com", /"http:" checks are not supported/],
    ["role:%(x)d", /uses a format other than %\(name\)s/],
    ["project_id:100%", /uses a format other than %\(name\)s/],
  ];
  for (const [text, why] of cases) {
    assert.throws(() => parseRule(text, "my:rule"), (err: unknown) => {
      assert.ok(err instanceof PolicySyntaxError, text);
      assert.ok(err instanceof SyntaxError);
      assert.match(err.message, /^Policy rule "my:rule" is malformed/, text);
      assert.match(err.message, why, text);
      assert.ok(err.message.endsWith(JSON.stringify(text)), text);
      return true;
    });
  }
});

Deno.test("parseRule() keeps %% and %(name)s in matches", () => {
  assert.deepEqual(parseRule("role:100%%"), role("100%%"));
  assert.deepEqual(parseRule("rule:50%"), { type: "rule", match: "50%" });
});

Deno.test("parseRule() gives oslo's tree for a corpus of 363 rules (str() recorded from oslo)", () => {
  assert.equal(PARSE_CASES.length, 363);
  for (const [text, expected] of PARSE_CASES) {
    if (expected === null) {
      assert.throws(() => parseRule(text), PolicySyntaxError, JSON.stringify(text));
    } else {
      assert.equal(checkToString(parseRule(text)), expected, JSON.stringify(text));
    }
  }
});

Deno.test("pyLiteralStr() is str(ast.literal_eval(kind)) for literal kinds", () => {
  const cases: [string, string | null][] = [
    ["True", "True"],
    ["False", "False"],
    ["None", "None"],
    ["'Member'", "Member"],
    ['"x\\ty"', "x\ty"],
    ["r'a\\n'", "a\\n"],
    ["42", "42"],
    ["-7", "-7"],
    ["+3", "3"],
    ["1_000", "1000"],
    ["0x10", "16"],
    ["0o17", "15"],
    ["0b101", "5"],
    ["1.5", "1.5"],
    ["2.", "2.0"],
    ["1e16", "1e+16"],
    ["1e-5", "1e-05"],
    ["project_id", null],
    ["user.enabled", null],
    ["true", null],
  ];
  for (const [kind, expected] of cases) assert.equal(pyLiteralStr(kind), expected, kind);
});
