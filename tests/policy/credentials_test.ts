import assert from "node:assert/strict";
import { Conf } from "../../lib/config/conf.ts";
import { credentialsOf, tokenScope } from "../../lib/policy/credentials.ts";

Deno.test("credentialsOf() builds nova's to_policy_values() of a noauth2 context", () => {
  const creds = credentialsOf({
    userId: "demo",
    projectId: "demoproject",
    roles: [],
    isAdmin: false,
    remoteAddress: "127.0.0.1",
  });
  // The keys and values nova 26 gives for RequestContext('demo', 'demoproject', is_admin=False).
  assert.deepEqual(creds, {
    is_admin: false,
    user_id: "demo",
    user_domain_id: null,
    system_scope: null,
    domain_id: null,
    project_id: "demoproject",
    project_domain_id: null,
    roles: [],
    is_admin_project: true,
    service_user_id: null,
    service_user_domain_id: null,
    service_project_id: null,
    service_project_domain_id: null,
    service_roles: [],
  });
  assert.equal(tokenScope(creds), "project");
});

Deno.test("credentialsOf() maps keystone fields, service-token extras and system scope", () => {
  const creds = credentialsOf({
    userId: "u",
    projectId: null,
    userDomainId: "ud",
    projectDomainId: "pd",
    domainId: null,
    roles: ["admin", "reader"],
    isAdmin: true,
    systemScope: "all",
    isAdminProject: false,
    remoteAddress: "",
    extra: {
      serviceUserId: "su",
      serviceUserDomainId: "sud",
      serviceProjectId: "sp",
      serviceProjectDomainId: "spd",
      serviceRoles: ["service"],
    },
  });
  assert.equal(creds.system, "all");
  assert.equal(creds.system_scope, "all");
  assert.equal(creds.user_domain_id, "ud");
  assert.equal(creds.project_domain_id, "pd");
  assert.equal(creds.is_admin_project, false);
  assert.equal(creds.service_user_id, "su");
  assert.equal(creds.service_user_domain_id, "sud");
  assert.equal(creds.service_project_id, "sp");
  assert.equal(creds.service_project_domain_id, "spd");
  assert.deepEqual(creds.service_roles, ["service"]);
  assert.equal(tokenScope(creds), "system");
});

Deno.test("credentialsOf() can leave is_admin undecided, as nova does while computing it", () => {
  const ctx = { userId: "u", projectId: "p", roles: [], isAdmin: true, remoteAddress: "" };
  assert.equal(credentialsOf(ctx, { isAdmin: null }).is_admin, null);
  assert.equal(credentialsOf(ctx).is_admin, true);
});

Deno.test("tokenScope() is domain for a domain-scoped token", () => {
  const ctx = { userId: "u", projectId: null, domainId: "d", roles: [], isAdmin: false };
  assert.equal(tokenScope(credentialsOf({ ...ctx, remoteAddress: "" })), "domain");
});

Deno.test("the [oslo_policy] group has nova 26's defaults", () => {
  const conf = Conf.defaults();
  assert.deepEqual({ ...conf.oslo_policy }, {
    enforce_scope: false,
    enforce_new_defaults: false,
    policy_file: "policy.yaml",
    policy_default_rule: "default",
    policy_dirs: ["policy.d"],
  });
  const set = Conf.load([{
    name: "nova.conf",
    text: "[oslo_policy]\npolicy_dirs = a\npolicy_dirs = b\nenforce_scope = yes\n",
  }]);
  assert.deepEqual(set.oslo_policy.policy_dirs, ["a", "b"]);
  assert.equal(set.oslo_policy.enforce_scope, true);
});
