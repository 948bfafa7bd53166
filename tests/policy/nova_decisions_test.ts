import assert from "node:assert/strict";
import { NOVA_DEFAULT_RULES } from "../../lib/policy/defaults.ts";
import type { AuthContext } from "../../lib/request.ts";
import { DECISIONS, IS_ADMIN, MODES, RULE_TEXT } from "./fixtures/nova_decisions.ts";
import { PERSONAS, TARGETS } from "./fixtures/personas.ts";
import { contextOf, decisionRow, enforcerFor } from "./helpers.ts";

Deno.test("NOVA_DEFAULT_RULES holds every rule nova 26 registers, once", () => {
  const names = NOVA_DEFAULT_RULES.map((r) => r.name);
  assert.equal(names.length, 201);
  assert.equal(new Set(names).size, 201);
  assert.deepEqual([...names].sort(), Object.keys(DECISIONS.legacy).sort());
});

Deno.test("NOVA_DEFAULT_RULES: nova 26 rules are project-scoped or unscoped", () => {
  const scopes = new Set(NOVA_DEFAULT_RULES.map((r) => JSON.stringify(r.scopeTypes ?? null)));
  assert.deepEqual([...scopes].sort(), ['["project"]', "null"]);
  const unscoped = NOVA_DEFAULT_RULES.filter((r) => !r.scopeTypes).map((r) => r.name);
  assert.deepEqual(unscoped, [
    "context_is_admin",
    "admin_or_owner",
    "admin_api",
    "project_member_api",
    "project_reader_api",
    "project_member_or_admin",
    "project_reader_or_admin",
  ]);
});

for (const [mode, confText] of Object.entries(MODES)) {
  Deno.test(`Enforcer computes nova's is_admin for each persona (${mode})`, () => {
    const enforcer = enforcerFor(confText);
    for (const [name, persona] of Object.entries(PERSONAS)) {
      assert.equal(contextOf(persona, enforcer).isAdmin, IS_ADMIN[mode][name], name);
    }
  });

  Deno.test(`Enforcer decides as nova 26 for all 201 rules x personas x targets (${mode})`, () => {
    const enforcer = enforcerFor(confText);
    const contexts = new Map<string, AuthContext>(
      Object.entries(PERSONAS).map(([name, p]) => [name, contextOf(p, enforcer)]),
    );
    const expected = DECISIONS[mode];
    assert.equal(Object.keys(expected).length, 201);
    for (const [rule, row] of Object.entries(expected)) {
      assert.equal(decisionRow(enforcer, contexts, rule, TARGETS), row, rule);
    }
  });

  Deno.test(`Enforcer builds nova's effective rule texts (${mode})`, () => {
    const enforcer = enforcerFor(confText);
    for (const [rule, text] of Object.entries(RULE_TEXT[mode])) {
      assert.equal(enforcer.ruleText(rule), text, rule);
    }
  });
}

Deno.test("recorded decisions differ between modes (the table is not trivially equal)", () => {
  const differing = Object.keys(DECISIONS.legacy).filter((rule) =>
    DECISIONS.legacy[rule] !== DECISIONS.new[rule]
  );
  assert.ok(differing.length > 100, `only ${differing.length} rules differ`);
});
