import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { PolicyFileError } from "../../lib/policy/enforcer.ts";
import { PolicySyntaxError } from "../../lib/policy/parser.ts";
import type { AuthContext } from "../../lib/request.ts";
import { OVERRIDE_RULES, SCENARIOS } from "./fixtures/override_scenarios.ts";
import { OVERRIDE_PERSONAS, TARGETS } from "./fixtures/personas.ts";
import { contextOf, decisionRow, enforcerFor, enforcerIn, writeTree } from "./helpers.ts";

for (const [name, scenario] of Object.entries(SCENARIOS)) {
  Deno.test(`Enforcer with policy files decides as nova 26: ${name}`, () => {
    using tree = writeTree(scenario.files);
    const enforcer = enforcerIn(tree.dir, scenario.files["nova.conf"]);
    const found = enforcer.policyPath === null ? [] : [relative(tree.dir, enforcer.policyPath)];
    assert.deepEqual(found, scenario.policyFiles);
    const contexts = new Map<string, AuthContext>();
    for (const [persona, p] of Object.entries(OVERRIDE_PERSONAS)) {
      const ctx = contextOf(p, enforcer);
      assert.equal(ctx.isAdmin, scenario.isAdmin[persona], `is_admin of ${persona}`);
      contexts.set(persona, ctx);
    }
    for (const rule of OVERRIDE_RULES) {
      assert.equal(enforcer.ruleText(rule), scenario.ruleText[rule], `rule text of ${rule}`);
      assert.equal(decisionRow(enforcer, contexts, rule, TARGETS), scenario.decisions[rule], rule);
    }
  });
}

Deno.test("the YAML and JSON scenarios hold the same rules and get the same answers", () => {
  const yaml = SCENARIOS["yaml-legacy"];
  const json = SCENARIOS["json-fallback-legacy"];
  assert.deepEqual(json.decisions, yaml.decisions);
  assert.notDeepEqual(yaml.decisions, SCENARIOS["yaml-new"].decisions);
  using a = writeTree({ "policy.yaml": yaml.files["policy.yaml"] });
  using b = writeTree({ "policy.json": json.files["policy.json"] });
  const fromYaml = enforcerFor("", { searchDirs: [a.dir] });
  const fromJson = enforcerFor("", { searchDirs: [b.dir] });
  for (const rule of OVERRIDE_RULES) assert.equal(fromYaml.ruleText(rule), fromJson.ruleText(rule));
});

Deno.test("Enforcer lists the policy file then the policy.d files in name order", () => {
  using tree = writeTree(SCENARIOS["policy-dirs"].files);
  const enforcer = enforcerIn(tree.dir, "");
  assert.deepEqual(enforcer.files.map((f) => relative(tree.dir, f)), [
    "policy.yaml",
    "policy.d/10-a.yaml",
    "policy.d/20-b.json",
  ]);
});

Deno.test("Enforcer fails at start when the configured policy_file does not exist", () => {
  using tree = writeTree({ "policy.json": '{"admin_api": "!"}' });
  assert.throws(
    () => enforcerIn(tree.dir, "[oslo_policy]\npolicy_file = missing.yaml\n"),
    (err: unknown) =>
      err instanceof PolicyFileError &&
      err.message === "The policy file missing.yaml could not be found",
  );
  // Naming policy.yaml explicitly turns off oslo's policy.json fallback.
  assert.throws(() => enforcerIn(tree.dir, "[oslo_policy]\npolicy_file = policy.yaml\n"));
  assert.throws(
    () => enforcerFor("", { policyFile: join(tree.dir, "nope.json") }),
    PolicyFileError,
  );
});

Deno.test("Enforcer starts without a policy file when none is configured", () => {
  using tree = writeTree({});
  const enforcer = enforcerIn(tree.dir, "");
  assert.equal(enforcer.policyPath, null);
  assert.deepEqual(enforcer.files, []);
  assert.equal(enforcer.ruleText("admin_api"), "is_admin:True");
});

Deno.test("Enforcer takes an absolute policy_file and the policyFile option", () => {
  using tree = writeTree({ "p.yaml": "admin_api: role:x\n" });
  const path = join(tree.dir, "p.yaml");
  assert.equal(
    enforcerFor(`[oslo_policy]\npolicy_file = ${path}\n`).ruleText("admin_api"),
    "role:x",
  );
  assert.equal(enforcerFor("", { policyFile: path }).ruleText("admin_api"), "role:x");
});

Deno.test("Enforcer names the rule and the file of a malformed rule", () => {
  using tree = writeTree({ "policy.yaml": '"os_compute_api:servers:index": "role:a or"\n' });
  assert.throws(() => enforcerIn(tree.dir, ""), (err: unknown) => {
    assert.ok(err instanceof PolicySyntaxError);
    assert.equal(
      err.message,
      'Policy rule "os_compute_api:servers:index" is malformed (unexpected end of rule): ' +
        `"role:a or" (in ${join(tree.dir, "policy.yaml")})`,
    );
    return true;
  });
});

Deno.test("Enforcer names the file and line of a policy file it cannot read", () => {
  using tree = writeTree({ "policy.yaml": "a: x\nb: true\n" });
  assert.throws(
    () => enforcerIn(tree.dir, ""),
    new SyntaxError(
      `Policy file ${join(tree.dir, "policy.yaml")} line 2: the value of "b" is not a string; ` +
        "quote it",
    ),
  );
});

Deno.test("Enforcer refuses a policy_dirs entry that is not a directory", () => {
  using tree = writeTree({ "policy.d": "not a directory" });
  assert.throws(() => enforcerIn(tree.dir, ""), /policy\.d is not a directory/);
});

Deno.test("Enforcer keeps unknown file rules for rule: references", () => {
  const enforcer = enforcerFor("", {
    overrides: { "my:rule": "role:special", "os_compute_api:servers:index": "rule:my:rule" },
  });
  assert.equal(enforcer.ruleText("my:rule"), "role:special");
  assert.equal(enforcer.isRegistered("my:rule"), false);
  const ctx = {
    userId: "u",
    projectId: "p",
    roles: ["special"],
    isAdmin: false,
    remoteAddress: "",
  };
  assert.equal(enforcer.check(ctx, "os_compute_api:servers:index"), true);
  assert.equal(
    enforcer.check({ ...ctx, roles: ["member"] }, "os_compute_api:servers:index"),
    false,
  );
});

Deno.test("Enforcer: an empty policy_default_rule makes unknown rule: references fail closed", () => {
  const overrides = { default: "@", "os_compute_api:servers:index": "rule:nope" };
  const ctx = { userId: "u", projectId: "p", roles: [], isAdmin: false, remoteAddress: "" };
  assert.equal(enforcerFor("", { overrides }).check(ctx, "os_compute_api:servers:index"), true);
  const off = enforcerFor("[oslo_policy]\npolicy_default_rule =\n", { overrides });
  assert.equal(off.check(ctx, "os_compute_api:servers:index"), false);
});

Deno.test("Enforcer re-reads an edited policy file, and keeps the old rules on a broken edit", () => {
  using tree = writeTree({ "policy.yaml": "admin_api: role:first\n" });
  const file = join(tree.dir, "policy.yaml");
  const enforcer = enforcerFor("", { searchDirs: [tree.dir], reloadIntervalMs: 0 });
  const ctx = { userId: "u", projectId: "p", roles: ["second"], isAdmin: false, remoteAddress: "" };
  assert.equal(enforcer.check(ctx, "admin_api"), false);
  writeFileSync(file, "admin_api: role:second or role:x\n");
  assert.equal(enforcer.check(ctx, "admin_api"), true);
  writeFileSync(file, "admin_api: role:second or\n");
  assert.equal(enforcer.check(ctx, "admin_api"), true);
  assert.equal(enforcer.ruleText("admin_api"), "(role:second or role:x)");
  mkdirSync(join(tree.dir, "policy.d"));
  writeFileSync(join(tree.dir, "policy.d", "a.yaml"), "admin_api: role:third\n");
  writeFileSync(file, "{}\n");
  assert.equal(enforcer.check(ctx, "admin_api"), false);
  assert.equal(enforcer.ruleText("admin_api"), "role:third");
});

Deno.test("Enforcer.reload() throws on a broken file and keeps the old rules", () => {
  using tree = writeTree({ "policy.yaml": "admin_api: role:first\n" });
  const enforcer = enforcerFor("", { searchDirs: [tree.dir], reloadIntervalMs: 60_000 });
  writeFileSync(join(tree.dir, "policy.yaml"), "admin_api: (role:x\n");
  assert.throws(() => enforcer.reload(), PolicySyntaxError);
  assert.equal(enforcer.ruleText("admin_api"), "role:first");
});
