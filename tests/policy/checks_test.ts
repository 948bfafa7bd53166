import assert from "node:assert/strict";
import {
  type Check,
  evaluate,
  PolicyEvaluationError,
  pyFormat,
  pyStr,
} from "../../lib/policy/checks.ts";
import { parseRule } from "../../lib/policy/parser.ts";

const CREDS = {
  user_id: "u1",
  project_id: "p1",
  roles: ["Member", "reader"],
  system_scope: null,
  domain_id: null,
  is_admin: false,
  nested: { list: [{ name: "a" }, { name: "b" }], flag: true },
};

function decide(
  text: string,
  target: Record<string, unknown> = {},
  creds: Record<string, unknown> = CREDS,
  rules: Record<string, string> = {},
): boolean {
  const parsed = new Map(Object.entries(rules).map(([k, v]) => [k, parseRule(v, k)]));
  return evaluate(parseRule(text), { target, creds, rules: (name) => parsed.get(name) });
}

Deno.test("evaluate() compares roles case-insensitively after substituting the target", () => {
  assert.equal(decide("role:member"), true);
  assert.equal(decide("role:READER"), true);
  assert.equal(decide("role:admin"), false);
  assert.equal(decide("role:%(r)s", { r: "member" }), true);
  assert.equal(decide("role:%(r)s"), false, "a missing target key fails the check");
  assert.equal(decide("role:member", {}, { roles: null }), false);
});

Deno.test("evaluate() matches generic checks against creds by str()", () => {
  assert.equal(decide("project_id:%(project_id)s", { project_id: "p1" }), true);
  assert.equal(decide("project_id:%(project_id)s", { project_id: "p2" }), false);
  assert.equal(decide("project_id:%(project_id)s"), false, "missing target key");
  assert.equal(decide("user_id:u1"), true);
  assert.equal(decide("no_such_key:x"), false);
  // Python's str(None) == "None" on both sides.
  assert.equal(decide("system_scope:%(s)s", { s: null }), true);
  // is_admin: is nova's IsAdminCheck: no substitution, any text but "true" expects False.
  assert.equal(decide("is_admin:%(x)s", { x: true }), true);
  assert.equal(decide("nested.flag:True"), true);
  assert.equal(decide("nested.list.name:b"), true, "any element of a list may match");
  assert.equal(decide("nested.list.name:c"), false);
  assert.equal(decide("roles:reader"), true, "a list matches any element (case-sensitive)");
  assert.equal(decide("roles:READER"), false);
  assert.equal(decide("user_id.x:u1"), false, "a path through a string fails");
});

Deno.test("evaluate() compares literal kinds with the substituted match", () => {
  assert.equal(decide("True:%(enabled)s", { enabled: true }), true);
  assert.equal(decide("True:%(enabled)s", { enabled: "True" }), true);
  assert.equal(decide("True:%(enabled)s", { enabled: false }), false);
  assert.equal(decide("'p1':%(project_id)s", { project_id: "p1" }), true);
  assert.equal(decide("42:%(n)s", { n: 42 }), true);
  assert.equal(decide("None:%(x)s", { x: null }), true);
});

Deno.test("evaluate() runs nova's IsAdminCheck on creds['is_admin']", () => {
  assert.equal(decide("is_admin:True", {}, { is_admin: true }), true);
  assert.equal(decide("is_admin:False", {}, { is_admin: false }), true);
  // An undecided is_admin (None) matches neither.
  assert.equal(decide("is_admin:True", {}, { is_admin: null }), false);
  assert.equal(decide("is_admin:False", {}, { is_admin: null }), false);
});

Deno.test("evaluate() combines with and, or, not", () => {
  assert.equal(decide("role:member and user_id:u1"), true);
  assert.equal(decide("role:member and user_id:u2"), false);
  assert.equal(decide("role:admin or user_id:u1"), true);
  assert.equal(decide("not role:admin"), true);
  assert.equal(decide("not role:member"), false);
  assert.equal(decide("@"), true);
  assert.equal(decide("!"), false);
  assert.equal(decide(""), true);
});

Deno.test("evaluate() follows rule: references and fails closed on unknown ones", () => {
  assert.equal(decide("rule:r", {}, CREDS, { r: "role:member" }), true);
  assert.equal(decide("rule:r", {}, CREDS, { r: "role:admin" }), false);
  assert.equal(decide("rule:missing"), false);
});

Deno.test("evaluate() throws on a cycle of rule: references", () => {
  const cyclic = new Map<string, Check>([["a", parseRule("rule:b")], ["b", parseRule("rule:a")]]);
  assert.throws(
    () => evaluate(parseRule("rule:a"), { target: {}, creds: CREDS, rules: (n) => cyclic.get(n) }),
    PolicyEvaluationError,
  );
});

Deno.test("pyFormat() is Python's % with a dict, null on a missing key", () => {
  assert.equal(pyFormat("%(a)s-%(b)s", { a: "x", b: 1 }), "x-1");
  assert.equal(pyFormat("100%%", {}), "100%");
  assert.equal(pyFormat("plain", {}), "plain");
  assert.equal(pyFormat("%(a)s", {}), null);
  assert.equal(pyFormat("%(a)s", { a: undefined }), "None");
});

Deno.test("pyStr() renders values as Python's str()", () => {
  assert.equal(pyStr("s"), "s");
  assert.equal(pyStr(null), "None");
  assert.equal(pyStr(true), "True");
  assert.equal(pyStr(false), "False");
  assert.equal(pyStr(3), "3");
  assert.equal(pyStr(["a", 1, null]), "['a', 1, None]");
  assert.equal(pyStr({ k: "it's" }), `{'k': "it's"}`);
});
