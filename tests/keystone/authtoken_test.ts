/**
 * authtoken → keystonecontext against the real Keystone of ../shared/keystone.
 */

import assert from "node:assert/strict";
import { ConfigError } from "../../lib/config/conf.ts";
import { filterFactory as authtokenFactory } from "../../lib/middleware/authtoken.ts";
import { keystoneContext } from "../../lib/middleware/keystonecontext.ts";
import { AccessInfo } from "../../lib/keystone/access_info.ts";
import { EndpointNotFoundError } from "../../lib/keystone/errors.ts";
import { ApiResponse } from "../../lib/response.ts";
import type { App } from "../../lib/app.ts";
import type { ApiRequest } from "../../lib/request.ts";
import {
  ensureKeystone,
  issueToken,
  KEYSTONE_URL,
  keystoneConf,
  request,
  revokeToken,
  serverLogCount,
  serverLogLines,
  settleServerLog,
  setup,
} from "./_keystone.ts";

const fixtures = await ensureKeystone();
const demo = fixtures.users.demo;

const UNAUTHORIZED =
  '{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}';

function assertUnauthorized(res: ApiResponse): void {
  assert.equal(res.status, 401);
  assert.deepEqual(res.headers.entries(), [
    ["Content-Type", "application/json"],
    ["Content-Length", "114"],
    ["WWW-Authenticate", `Keystone uri="${KEYSTONE_URL}"`],
  ]);
  assert.equal(res.text(), UNAUTHORIZED);
}

Deno.test("authtoken answers 401 with WWW-Authenticate and keystonemiddleware's body without a token", async () => {
  const { middleware, app, seen } = setup(keystoneConf(fixtures));
  const res = await app(request());
  assertUnauthorized(res);
  assert.equal(res.reason, null);
  assert.equal(seen.req, null);
  assert.deepEqual(middleware.identity.stats, { authenticate: 0, validate: 0 });
});

Deno.test("authtoken answers 401 for a token Keystone does not know, and caches the verdict", async () => {
  const { middleware, app, seen } = setup(keystoneConf(fixtures));
  assertUnauthorized(await app(request([["X-Auth-Token", "not-a-token"]])));
  assert.equal(middleware.identity.stats.validate, 1);
  assertUnauthorized(await app(request([["X-Auth-Token", "not-a-token"]])));
  assert.equal(middleware.identity.stats.validate, 1, "the second answer comes from the cache");
  assert.equal(seen.req, null);
});

Deno.test("authtoken and keystonecontext give the demo user's context for a demo token", async () => {
  const { app, seen } = setup(keystoneConf(fixtures));
  const token = await issueToken(fixtures, "demo");
  const res = await app(request([["X-Auth-Token", token]]));
  assert.equal(res.status, 200);
  const ctx = seen.req!.context!;
  assert.equal(ctx.userId, demo.id);
  assert.equal(ctx.projectId, demo.project_id);
  assert.equal(ctx.userName, "demo");
  assert.equal(ctx.projectName, "demo");
  assert.equal(ctx.userDomainId, "default");
  assert.equal(ctx.projectDomainId, "default");
  assert.deepEqual([...ctx.roles].sort(), ["member", "reader"]);
  assert.equal(ctx.isAdmin, false);
  assert.equal(ctx.isAdminProject, true);
  assert.equal(ctx.systemScope, null);
  assert.equal(ctx.authToken, token);
  assert.equal(ctx.remoteAddress, "127.0.0.1");
  // Of identity, compute and image only image is a type nova keeps.
  assert.deepEqual(ctx.serviceCatalog, [{
    type: "image",
    name: "glance",
    endpoints: [{
      region: "RegionOne",
      publicURL: fixtures.services.image.url,
      internalURL: fixtures.services.image.url,
      adminURL: fixtures.services.image.url,
    }],
  }]);
  const headers = seen.req!.headers;
  assert.equal(headers.get("x-identity-status"), "Confirmed");
  assert.equal(headers.get("x-tenant-id"), demo.project_id);
  assert.equal(headers.get("x-user"), "demo");
  assert.equal(headers.get("x-is-admin-project"), "True");
  assert.equal(headers.has("x-service-identity-status"), false);
  const catalog = JSON.parse(headers.get("x-service-catalog")!);
  assert.deepEqual(catalog.map((s: { type: string }) => s.type), ["identity", "compute", "image"]);
  assert.deepEqual(seen.req!.environ.get("keystone.token_info"), {
    token: (seen.req!.environ.get("keystone.token_auth") as { user: AccessInfo }).user.body.token,
  });
});

Deno.test("keystonecontext marks the admin user's context as admin", async () => {
  const { app, seen } = setup(keystoneConf(fixtures));
  const res = await app(request([["X-Auth-Token", await issueToken(fixtures, "admin")]]));
  assert.equal(res.status, 200);
  assert.equal(seen.req!.context!.userId, fixtures.users.admin.id);
  assert.ok(seen.req!.context!.roles.includes("admin"));
  assert.equal(seen.req!.context!.isAdmin, true);
});

const SPOOFED: [string, string][] = [
  ["X-Roles", "admin"],
  ["X-Role", "admin"],
  ["X-User-Id", "evil"],
  ["X-User", "evil"],
  ["X-User-Name", "evil"],
  ["X-Project-Id", "evil-project"],
  ["X-Tenant-Id", "evil-project"],
  ["X-Tenant", "evil-project"],
  ["X-Identity-Status", "Confirmed"],
  ["X-Service-Identity-Status", "Confirmed"],
  ["X-Service-Roles", "service"],
  ["X-Service-User-Id", "evil"],
  ["X-Domain-Id", "evil-domain"],
  ["X-Is-Admin-Project", "True"],
  ["OpenStack-System-Scope", "all"],
  ["X-Service-Catalog", '[{"type": "image", "name": "evil", "endpoints": []}]'],
];

Deno.test("authtoken replaces spoofed identity headers with the demo token's", async () => {
  const { app, seen } = setup(keystoneConf(fixtures, ["include_service_catalog = false"]));
  const token = await issueToken(fixtures, "demo");
  assert.equal((await app(request([["X-Auth-Token", token], ...SPOOFED]))).status, 200);
  const ctx = seen.req!.context!;
  assert.equal(ctx.userId, demo.id);
  assert.equal(ctx.projectId, demo.project_id);
  assert.deepEqual([...ctx.roles].sort(), ["member", "reader"]);
  assert.equal(ctx.isAdmin, false);
  assert.equal(ctx.systemScope, null);
  assert.equal(ctx.domainId, null);
  assert.deepEqual(ctx.serviceCatalog, []);
  assert.deepEqual(ctx.extra?.serviceRoles, []);
  assert.equal(ctx.extra?.serviceUserId, null);
  const h = seen.req!.headers;
  for (const name of ["x-service-identity-status", "x-service-catalog", "x-domain-id"]) {
    assert.equal(h.has(name), false, name);
  }
});

Deno.test("authtoken replaces spoofed identity headers on requests answered from its cache", async () => {
  const { middleware, app, seen } = setup(keystoneConf(fixtures));
  const [token, admin] = [await issueToken(fixtures, "demo"), await issueToken(fixtures, "admin")];
  for (const t of [token, admin, token, token]) {
    assert.equal((await app(request([["X-Auth-Token", t], ...SPOOFED]))).status, 200);
  }
  assert.equal(middleware.identity.stats.validate, 2);
  const ctx = seen.req!.context!;
  assert.equal(ctx.userId, demo.id);
  assert.equal(ctx.projectId, demo.project_id);
  assert.deepEqual([...ctx.roles].sort(), ["member", "reader"]);
  assert.equal(ctx.isAdmin, false);
  assert.equal(ctx.systemScope, null);
  assert.equal(ctx.extra?.serviceUserId, null);
  assert.ok(!ctx.serviceCatalog?.some((s) => (s as { name?: string }).name === "evil"));
  const h = seen.req!.headers;
  assert.equal(h.get("x-role"), h.get("x-roles"));
  assert.equal(h.get("x-user"), "demo");
  for (const name of ["x-service-identity-status", "x-service-roles", "x-domain-id"]) {
    assert.equal(h.has(name), false, name);
  }
});

Deno.test("authtoken rejects spoofed identity headers without a token", async () => {
  const { app, seen } = setup(keystoneConf(fixtures));
  assertUnauthorized(await app(request(SPOOFED)));
  assert.equal(seen.req, null);
});

Deno.test("delay_auth_decision passes spoofed headers on as Invalid and keystonecontext answers 401", async () => {
  const { app, seen } = setup(keystoneConf(fixtures, ["delay_auth_decision = true"]));
  const res = await app(request(SPOOFED));
  assert.equal(seen.req, null, "keystonecontext stops the request");
  assert.equal(res.status, 401);
  // webob's HTTPUnauthorized page, then auth_token's process_response adds the header.
  const body = JSON.parse(res.text());
  assert.equal(body.code, "401 Unauthorized");
  assert.equal(body.title, "Unauthorized");
  assert.equal(res.headers.get("WWW-Authenticate"), `Keystone uri="${KEYSTONE_URL}"`);

  let downstream: ApiRequest | null = null;
  const probe: App = (req) => {
    downstream = req;
    return Promise.resolve(new ApiResponse(204));
  };
  const middleware = setup(keystoneConf(fixtures, ["delay_auth_decision = true"])).middleware;
  await middleware.filter(probe)(request(SPOOFED));
  const h = (downstream as ApiRequest | null)!.headers;
  assert.equal(h.get("x-identity-status"), "Invalid");
  for (const name of ["x-roles", "x-user-id", "x-user", "openstack-system-scope"]) {
    assert.equal(h.has(name), false, name);
  }
});

Deno.test("authtoken reuses its service token and answers a known token from its cache", async () => {
  const { middleware, app } = setup(keystoneConf(fixtures));
  const token = await issueToken(fixtures, "demo");
  await settleServerLog();
  const validationsBefore = serverLogCount("GET");
  assert.equal((await app(request([["X-Auth-Token", token]]))).status, 200);
  assert.deepEqual(middleware.identity.stats, { authenticate: 1, validate: 1 });
  assert.equal((await app(request([["X-Auth-Token", token]]))).status, 200);
  assert.deepEqual(middleware.identity.stats, { authenticate: 1, validate: 1 });
  const other = await issueToken(fixtures, "alt");
  assert.equal((await app(request([["X-Auth-Token", other]]))).status, 200);
  assert.deepEqual(middleware.identity.stats, { authenticate: 1, validate: 2 });
  // Keystone's own request log agrees: two validations reached it, not three.
  await settleServerLog();
  assert.equal(serverLogCount("GET"), validationsBefore + 2);
  // The cache holds hashes, never the tokens.
  for (const key of middleware.cache.keys()) {
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.notEqual(key, token);
  }
});

/** The uWSGI log lines written since `from` (after letting the log catch up). */
async function newLogLines(from: number): Promise<string[]> {
  await settleServerLog();
  return serverLogLines().slice(from);
}

Deno.test("authtoken honours a cached revoked token for token_cache_time, then rejects it", async () => {
  const { middleware, app } = setup(keystoneConf(fixtures, ["token_cache_time = 2"]));
  const token = await issueToken(fixtures, "demo");
  assert.equal((await app(request([["X-Auth-Token", token]]))).status, 200);
  const cachedAt = Date.now();
  await revokeToken(token);
  assert.equal((await app(request([["X-Auth-Token", token]]))).status, 200);
  assert.ok(Date.now() - cachedAt < 2000, "the second request ran within token_cache_time");
  assert.equal(middleware.identity.stats.validate, 1);
  await new Promise((r) => setTimeout(r, 2100 - (Date.now() - cachedAt)));
  assertUnauthorized(await app(request([["X-Auth-Token", token]])));
  assert.equal(middleware.identity.stats.validate, 2);
  assertUnauthorized(await app(request([["X-Auth-Token", token]])));
  assert.equal(middleware.identity.stats.validate, 2, "the rejection is cached too");
});

Deno.test("authtoken rejects a cached token whose expires_at has passed without asking Keystone", async () => {
  const { middleware, app, seen } = setup(keystoneConf(fixtures));
  const token = "an-expired-token";
  const expired = new AccessInfo({
    token: {
      expires_at: new Date(Date.now() - 1000).toISOString(),
      user: { id: demo.id, name: "demo", domain: { id: "default", name: "Default" } },
      project: { id: demo.project_id, name: "demo", domain: { id: "default", name: "Default" } },
      roles: [{ id: "r", name: "member" }],
    },
  });
  middleware.cache.set(token, { valid: true, access: expired });
  assertUnauthorized(await app(request([["X-Auth-Token", token]])));
  assert.deepEqual(middleware.identity.stats, { authenticate: 0, validate: 0 });
  assert.equal(seen.req, null);
});

Deno.test("authtoken validates the nova user's X-Service-Token and sets the X-Service-* headers", async () => {
  const { middleware, app, seen } = setup(keystoneConf(fixtures));
  const user = await issueToken(fixtures, "demo");
  const service = await issueToken(fixtures, "nova");
  await settleServerLog();
  const from = serverLogLines().length;
  const res = await app(request([["X-Auth-Token", user], ["X-Service-Token", service]]));
  assert.equal(res.status, 200);
  const h = seen.req!.headers;
  assert.equal(h.get("x-service-identity-status"), "Confirmed");
  assert.equal(h.get("x-service-user-id"), fixtures.users.nova.id);
  assert.equal(h.get("x-service-project-id"), fixtures.projects.service);
  assert.deepEqual(h.get("x-service-roles")!.split(",").sort(), [
    "admin",
    "member",
    "reader",
    "service",
  ]);
  const ctx = seen.req!.context!;
  assert.equal(ctx.userId, demo.id);
  assert.equal(ctx.extra?.serviceUserId, fixtures.users.nova.id);
  assert.equal(ctx.extra?.serviceUserName, "nova");
  assert.equal(ctx.extra?.serviceToken, service);
  assert.ok((ctx.extra?.serviceRoles as string[]).includes("service"));
  assert.equal(middleware.identity.stats.validate, 2);
  // A service token with the service role lets the user token be validated with allow_expired.
  const lines = await newLogLines(from);
  assert.ok(lines.some((l) => l.includes("GET /v3/auth/tokens?allow_expired=1")));
});

Deno.test("authtoken answers 401 for an invalid X-Service-Token even with a valid user token", async () => {
  const { app, seen } = setup(keystoneConf(fixtures));
  const user = await issueToken(fixtures, "demo");
  assertUnauthorized(await app(request([["X-Auth-Token", user], ["X-Service-Token", "bogus"]])));
  assert.equal(seen.req, null);
});

Deno.test("service_token_roles_required decides whether a demo token passes as a service token", async () => {
  const user = await issueToken(fixtures, "alt");
  const service = await issueToken(fixtures, "demo");
  const headers: [string, string][] = [["X-Auth-Token", user], ["X-Service-Token", service]];
  const lax = setup(keystoneConf(fixtures));
  assert.equal((await lax.app(request(headers))).status, 200);
  assert.equal(lax.seen.req!.headers.get("x-service-identity-status"), "Confirmed");
  const strict = setup(keystoneConf(fixtures, ["service_token_roles_required = true"]));
  assertUnauthorized(await strict.app(request(headers)));
});

Deno.test("include_service_catalog = false asks for no catalog and sets no X-Service-Catalog", async () => {
  const { app, seen } = setup(keystoneConf(fixtures, ["include_service_catalog = false"]));
  const token = await issueToken(fixtures, "demo");
  await settleServerLog();
  const from = serverLogLines().length;
  assert.equal((await app(request([["X-Auth-Token", token]]))).status, 200);
  assert.equal(seen.req!.headers.has("x-service-catalog"), false);
  assert.deepEqual(seen.req!.context!.serviceCatalog, []);
  const lines = await newLogLines(from);
  assert.ok(lines.some((l) => l.includes("GET /v3/auth/tokens?nocatalog")));
});

Deno.test("authtoken authenticates again when Keystone rejects its service token", async () => {
  const { middleware, app } = setup(keystoneConf(fixtures));
  assert.equal(
    (await app(request([["X-Auth-Token", await issueToken(fixtures, "demo")]]))).status,
    200,
  );
  const first = await middleware.identity.serviceAuth();
  await revokeToken(first.token);
  assert.equal(
    (await app(request([["X-Auth-Token", await issueToken(fixtures, "alt")]]))).status,
    200,
  );
  assert.equal(middleware.identity.stats.authenticate, 2);
  assert.equal(middleware.identity.stats.validate, 3, "one 401, then the retry");
  assert.notEqual((await middleware.identity.serviceAuth()).token, first.token);
});

Deno.test("authtoken answers 503 when the service user's password is wrong", async () => {
  const conf = keystoneConf(fixtures, ["password = wrong"]);
  const { app } = setup(conf);
  const res = await app(request([["X-Auth-Token", await issueToken(fixtures, "demo")]]));
  assert.equal(res.status, 503);
  assert.match(res.text(), /The Keystone service is temporarily unavailable\./);
});

Deno.test("authtoken lets EndpointNotFound escape when the catalog has no identity endpoint there", async () => {
  const { app } = setup(keystoneConf(fixtures, ["region_name = Nowhere"]));
  const token = await issueToken(fixtures, "demo");
  await assert.rejects(app(request([["X-Auth-Token", token]])), EndpointNotFoundError);
});

Deno.test("filterFactory takes [filter:authtoken] keys over [keystone_authtoken]", async () => {
  const conf = keystoneConf(fixtures);
  const filter = authtokenFactory({ conf }, { here: "/etc/nova" }, {
    delay_auth_decision: "true",
    www_authenticate_uri: "https://keystone.example/v3",
    unknown_key: "ignored",
  });
  let seen: ApiRequest | null = null;
  const app = filter(keystoneContext((req) => {
    seen = req;
    return Promise.resolve(new ApiResponse(200));
  }, { useForwardedFor: false }));
  const res = await app(request());
  assert.equal(seen, null);
  assert.equal(res.status, 401);
  assert.equal(res.headers.get("WWW-Authenticate"), 'Keystone uri="https://keystone.example/v3"');
  assert.throws(
    () => authtokenFactory({ conf }, {}, { token_cache_time: "soon" }),
    ConfigError,
  );
  assert.throws(
    () => authtokenFactory({ conf: keystoneConf(fixtures, ["auth_url ="]) }, {}, {}),
    /auth_url/,
  );
});
