import assert from "node:assert/strict";
import { HttpError } from "../../lib/errors.ts";
import { captureLogs } from "../../lib/log.ts";
import {
  defaultTarget,
  PolicyNotAuthorized,
  PolicyNotRegistered,
} from "../../lib/policy/enforcer.ts";
import type { AuthContext } from "../../lib/request.ts";
import { enforcerFor } from "./helpers.ts";

const NEW_MODE = "[oslo_policy]\nenforce_scope = True\nenforce_new_defaults = True\n";

/** The context nova's noauth2 middleware builds for `X-Auth-Token: user:project`. */
function noauth2(token: string): AuthContext {
  const [userId, projectId] = token.split(":");
  return {
    userId,
    projectId: projectId || userId,
    roles: [],
    isAdmin: userId === "admin",
    remoteAddress: "127.0.0.1",
  };
}

function keystone(roles: string[], extra: Partial<AuthContext> = {}): AuthContext {
  return { userId: "u1", projectId: "p1", roles, isAdmin: false, remoteAddress: "", ...extra };
}

Deno.test("authorize() refuses noauth2 demo:demoproject os-hypervisors:list (case 041)", () => {
  const enforcer = enforcerFor("");
  const demo = noauth2("demo:demoproject");
  assert.throws(
    () => enforcer.authorize(demo, "os_compute_api:os-hypervisors:list", {}),
    (err: unknown) => {
      assert.ok(err instanceof PolicyNotAuthorized);
      assert.ok(err instanceof HttpError);
      assert.equal(err.status, 403);
      assert.equal(err.safe, true);
      assert.equal(err.action, "os_compute_api:os-hypervisors:list");
      assert.equal(
        err.message,
        "Policy doesn't allow os_compute_api:os-hypervisors:list to be performed.",
      );
      assert.equal(err.explanation, err.message);
      return true;
    },
  );
  assert.equal(
    enforcer.authorize(noauth2("admin:admin"), "os_compute_api:os-hypervisors:list", {}),
    true,
  );
});

Deno.test("authorize() refuses demo the admin APIs of the recorded cases 042, 100, 136, 217", () => {
  const enforcer = enforcerFor("");
  const demo = noauth2("demo:demoproject");
  const admin = noauth2("admin:admin");
  const cases: [string, Record<string, unknown>][] = [
    ["os_compute_api:os-flavor-manage:create", {}],
    ["os_compute_api:os-flavor-manage:delete", {}],
    ["os_compute_api:os-quota-sets:update", { project_id: "demoproject" }],
    ["os_compute_api:os-services:list", {}],
  ];
  for (const [action, target] of cases) {
    assert.throws(
      () => enforcer.authorize(demo, action, target),
      new PolicyNotAuthorized(action),
      action,
    );
    assert.equal(enforcer.authorize(admin, action, target), true, action);
  }
});

Deno.test("authorize() with fatal false and check() return false instead of throwing", () => {
  const enforcer = enforcerFor("");
  const demo = noauth2("demo:demoproject");
  const action = "os_compute_api:os-hypervisors:list";
  assert.equal(enforcer.authorize(demo, action, {}, { fatal: false }), false);
  assert.equal(enforcer.check(demo, action, {}), false);
  assert.equal(enforcer.check(noauth2("admin"), action, {}), true);
});

Deno.test("authorize() throws PolicyNotRegistered for an unknown action, even when not fatal", () => {
  const enforcer = enforcerFor("", { overrides: { "only:in:file": "@" } });
  const ctx = noauth2("admin");
  for (const action of ["os_compute_api:no-such-api", "only:in:file"]) {
    assert.throws(
      () => enforcer.authorize(ctx, action, {}, { fatal: false }),
      (err: unknown) =>
        err instanceof PolicyNotRegistered && !(err instanceof HttpError) &&
        err.message === `Policy ${action} has not been registered`,
    );
    assert.throws(() => enforcer.check(ctx, action), PolicyNotRegistered);
  }
});

Deno.test("authorize() without a target uses nova's default target {project_id, user_id}", () => {
  const enforcer = enforcerFor("");
  const member = keystone(["member", "reader"]);
  assert.deepEqual(defaultTarget(member), { project_id: "p1", user_id: "u1" });
  // Keypairs: "(rule:context_is_admin) or user_id:%(user_id)s".
  assert.equal(enforcer.check(member, "os_compute_api:os-keypairs:show"), true);
  assert.equal(enforcer.check(member, "os_compute_api:os-keypairs:show", null), true);
  assert.equal(enforcer.check(member, "os_compute_api:os-keypairs:show", { user_id: "u2" }), false);
  // An explicit empty target is not the default one.
  assert.equal(enforcer.check(member, "os_compute_api:os-keypairs:show", {}), false);
});

Deno.test("authorize() with enforce_new_defaults drops the deprecated check strings", () => {
  const owner = keystone([], { projectId: "p1" });
  const target = { project_id: "p1" };
  // servers:show is rule:project_reader_or_admin, deprecated rule:admin_or_owner.
  assert.equal(enforcerFor("").check(owner, "os_compute_api:servers:show", target), true);
  assert.equal(enforcerFor(NEW_MODE).check(owner, "os_compute_api:servers:show", target), false);
  const reader = keystone(["reader"]);
  assert.equal(enforcerFor(NEW_MODE).check(reader, "os_compute_api:servers:show", target), true);
});

Deno.test("authorize() with enforce_scope refuses a system-scoped token with the same 403", () => {
  const system = keystone(["admin"], { projectId: null, systemScope: "all", isAdmin: true });
  const action = "os_compute_api:os-hypervisors:list";
  const logs = captureLogs();
  try {
    assert.equal(enforcerFor("").authorize(system, action, {}), true);
    assert.ok(logs.some((l) => l.includes(`Policy "${action}" failed scope check`)));
    assert.ok(logs.some((l) => l.includes("was system scoped but the policy requires")));
  } finally {
    captureLogs(false);
  }
  assert.throws(
    () => enforcerFor(NEW_MODE).authorize(system, action, {}),
    new PolicyNotAuthorized(action),
  );
  // context_is_admin has no scope_types: no scope check.
  assert.equal(enforcerFor(NEW_MODE).isAdmin(system), true);
});

Deno.test("authorize() with enforce_scope refuses a domain-scoped token", () => {
  const domain = keystone(["admin"], { projectId: null, domainId: "d1", isAdmin: true });
  const scoped = enforcerFor("[oslo_policy]\nenforce_scope = True\n");
  assert.equal(scoped.check(domain, "os_compute_api:os-services:list", {}), false);
  assert.equal(enforcerFor("").check(domain, "os_compute_api:os-services:list", {}), true);
});

Deno.test("isAdmin() is nova's check_is_admin: the context_is_admin rule", () => {
  const enforcer = enforcerFor("");
  assert.equal(enforcer.isAdmin(keystone(["admin"])), true);
  assert.equal(enforcer.isAdmin(keystone(["ADMIN"])), true);
  assert.equal(enforcer.isAdmin(keystone(["member", "reader"])), false);
  // is_admin is undecided while nova computes it: the deprecated is_admin:True cannot pass.
  assert.equal(enforcer.isAdmin(keystone([], { isAdmin: true })), false);
  const custom = enforcerFor("", { overrides: { context_is_admin: "role:cloud-admin" } });
  assert.equal(custom.isAdmin(keystone(["cloud-admin"])), true);
  assert.equal(custom.isAdmin(keystone(["admin"])), false);
  const negated = enforcerFor("", { overrides: { context_is_admin: "is_admin:False" } });
  assert.equal(negated.isAdmin(keystone([])), false, "None == False is false in Python");
});

Deno.test("authorize() passes the context's is_admin to is_admin: checks", () => {
  const enforcer = enforcerFor("");
  // admin_api is "is_admin:True".
  assert.equal(enforcer.check(keystone([], { isAdmin: true }), "admin_api"), true);
  assert.equal(enforcer.check(keystone(["admin"]), "admin_api"), false);
});

Deno.test("Enforcer reads the [oslo_policy] options from the configuration", () => {
  const enforcer = enforcerFor(
    "[oslo_policy]\nenforce_new_defaults = true\npolicy_default_rule = x\n",
  );
  assert.equal(enforcer.ruleText("os_compute_api:os-hypervisors:list"), "rule:context_is_admin");
  assert.equal(
    enforcerFor("").ruleText("os_compute_api:os-hypervisors:list"),
    "(rule:context_is_admin or rule:admin_api)",
  );
});
