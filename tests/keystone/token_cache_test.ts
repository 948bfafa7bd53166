/**
 * The pieces of auth_token that need no Keystone: the token cache, token
 * data, the header helpers, the access rule matcher, the auth request body.
 */

import assert from "node:assert/strict";
import { AccessInfo, parseIsoTime } from "../../lib/keystone/access_info.ts";
import {
  AUTH_HEADERS,
  normalizeCatalog,
  removeAuthHeaders,
  setServiceHeaders,
  setUserHeaders,
} from "../../lib/keystone/auth_headers.ts";
import { InvalidTokenError } from "../../lib/keystone/errors.ts";
import { findEndpoint, passwordAuthBody, versionedUrl } from "../../lib/keystone/identity.ts";
import { TokenCache, tokenHash } from "../../lib/keystone/token_cache.ts";
import { pathMatches, validateTokenExpiry } from "../../lib/keystone/token_checks.ts";
import { pyJson } from "../../lib/response.ts";

function access(expiresAt: number, extra: Record<string, unknown> = {}): AccessInfo {
  return new AccessInfo({
    token: {
      expires_at: new Date(expiresAt).toISOString(),
      user: { id: "u1", name: "demo", domain: { id: "default", name: "Default" } },
      project: { id: "p1", name: "demo", domain: { id: "default", name: "Default" } },
      roles: [{ id: "1", name: "reader" }, { id: "2", name: "member" }],
      ...extra,
    },
  });
}

Deno.test("TokenCache keeps entries for token_cache_time and forgets them after", () => {
  let now = 1_000_000;
  const cache = new TokenCache({ ttlSeconds: 300, maxEntries: 10, now: () => now });
  const data = access(now + 3600_000);
  cache.set("tok", { valid: true, access: data });
  cache.set("bad", { valid: false });
  now += 299_999;
  assert.deepEqual(cache.get("tok"), { valid: true, access: data });
  assert.deepEqual(cache.get("bad"), { valid: false });
  now += 1;
  assert.equal(cache.get("tok"), null);
  assert.equal(cache.get("bad"), null);
  assert.equal(cache.size, 0);
});

Deno.test("TokenCache evicts the least recently used entry beyond max entries", () => {
  const cache = new TokenCache({ ttlSeconds: 300, maxEntries: 2 });
  cache.set("a", { valid: false });
  cache.set("b", { valid: false });
  assert.ok(cache.get("a")); // a is now the most recently used
  cache.set("c", { valid: false });
  assert.equal(cache.size, 2);
  assert.ok(cache.get("a"));
  assert.equal(cache.get("b"), null);
  assert.ok(cache.get("c"));
});

Deno.test("TokenCache keys by SHA-256 and never holds the token", () => {
  const cache = new TokenCache({ ttlSeconds: 300, maxEntries: 10 });
  const token = "gAAAAABsecret-token-value";
  cache.set(token, { valid: false });
  assert.deepEqual(cache.keys(), [tokenHash(token)]);
  assert.equal(
    tokenHash("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert.ok(!JSON.stringify(cache.keys()).includes("secret"));
});

Deno.test("TokenCache answers a repeated token from its text as it would from its hash", () => {
  let now = 1_000_000;
  const cache = new TokenCache({ ttlSeconds: 300, maxEntries: 2, now: () => now });
  const data = access(now + 3600_000);
  cache.set("tok", { valid: true, access: data });
  assert.ok(cache.get("tok")?.valid);
  assert.equal(cache.recentSize, 1);
  cache.set("tok", { valid: false }); // a new verdict replaces the remembered one
  assert.deepEqual(cache.get("tok"), { valid: false });
  cache.delete("tok");
  assert.equal(cache.get("tok"), null);
  cache.set("a", { valid: false });
  assert.ok(cache.get("a"));
  cache.set("b", { valid: false });
  cache.set("c", { valid: false }); // evicts a, remembered or not
  assert.equal(cache.get("a"), null);
  assert.equal(cache.get("tok "), null); // exact text only
  now += 300_000;
  assert.equal(cache.get("c"), null);
  assert.equal(cache.size, 1);
});

Deno.test("TokenCache forgets the text of a token by the time its entry expires", async () => {
  const cache = new TokenCache({ ttlSeconds: 1.2, maxEntries: 10 });
  cache.set("gAAAAABraw-token", { valid: false });
  assert.ok(cache.get("gAAAAABraw-token"));
  assert.equal(cache.recentSize, 1);
  // Remembered until 1 s before the expiry, swept 1 s after that: by 1.2 s.
  await new Promise((resolve) => setTimeout(resolve, 1300));
  assert.equal(cache.recentSize, 0);
  assert.equal(cache.get("gAAAAABraw-token"), null);
  cache.clear();
});

Deno.test("TokenCache is off with token_cache_time = -1 and never expires with 0", () => {
  let now = 0;
  const off = new TokenCache({ ttlSeconds: -1, maxEntries: 10, now: () => now });
  off.set("a", { valid: false });
  assert.equal(off.get("a"), null);
  assert.equal(off.enabled, false);
  const forever = new TokenCache({ ttlSeconds: 0, maxEntries: 10, now: () => now });
  forever.set("a", { valid: false });
  now += 365 * 86400_000;
  assert.deepEqual(forever.get("a"), { valid: false });
});

Deno.test("an expired token from the cache fails the expiry check unless expired tokens are allowed", () => {
  const cache = new TokenCache({ ttlSeconds: 300, maxEntries: 10 });
  cache.set("old", { valid: true, access: access(Date.now() - 1) });
  const entry = cache.get("old");
  assert.ok(entry?.valid);
  assert.throws(() => validateTokenExpiry(entry.access, false), InvalidTokenError);
  validateTokenExpiry(entry.access, true);
  validateTokenExpiry(access(Date.now() + 60_000), false);
});

Deno.test("AccessInfo reads Keystone's fields and rejects a body without token data", () => {
  const a = access(Date.parse("2030-01-01T00:00:00Z"), { is_admin_project: false });
  assert.equal(a.userId, "u1");
  assert.equal(a.userDomainName, "Default");
  assert.equal(a.projectDomainId, "default");
  assert.equal(a.domainId, null);
  assert.deepEqual(a.roleNames, ["reader", "member"]);
  assert.equal(a.isAdminProject, false);
  assert.equal(access(0).isAdminProject, true);
  assert.equal(access(0, { system: { all: true } }).systemScope, "all");
  assert.equal(a.hasCatalog, false);
  assert.equal(parseIsoTime("2026-11-26T03:26:50.123456Z"), Date.UTC(2026, 10, 26, 3, 26, 50, 123));
  assert.equal(parseIsoTime("2026-11-26T03:26:50+01:00"), Date.UTC(2026, 10, 26, 2, 26, 50));
  assert.throws(() => new AccessInfo({ error: {} }), InvalidTokenError);
  assert.throws(() => new AccessInfo({ token: { expires_at: "soon" } }), InvalidTokenError);
  assert.throws(() => new AccessInfo(null), InvalidTokenError);
});

Deno.test("normalizeCatalog writes keystonemiddleware's v2 catalog byte for byte", () => {
  const v3 = [{
    endpoints: [
      {
        id: "a",
        interface: "public",
        region_id: "RegionOne",
        url: "http://k/v3",
        region: "RegionOne",
      },
      {
        id: "b",
        interface: "internal",
        region_id: "RegionOne",
        url: "http://ki/v3",
        region: "RegionOne",
      },
      { id: "c", interface: "admin", region_id: "R2", url: "http://ka/v3", region: "R2" },
    ],
    id: "x",
    type: "identity",
    name: "keystone",
  }, { endpoints: [{ interface: "public", url: "http://img", region: null }], type: "image" }];
  // Printed by keystonemiddleware's _normalize_catalog + jsonutils.dumps.
  assert.equal(
    pyJson(normalizeCatalog(v3)),
    '[{"type": "identity", "name": "keystone", "endpoints": [{"region": "RegionOne", "publicURL": "http://k/v3", "internalURL": "http://ki/v3"}, {"region": "R2", "adminURL": "http://ka/v3"}]}, {"type": "image", "endpoints": [{"publicURL": "http://img"}]}]',
  );
});

Deno.test("removeAuthHeaders removes every header keystonemiddleware removes", () => {
  const headers = new Map<string, string>();
  for (const name of AUTH_HEADERS) headers.set(name, "spoofed");
  headers.set("x-auth-token", "kept");
  headers.set("x-service-token", "kept");
  removeAuthHeaders(headers);
  assert.deepEqual([...headers.keys()], ["x-auth-token", "x-service-token"]);
  for (
    const name of [
      "x-identity-status",
      "x-service-identity-status",
      "x-roles",
      "x-service-roles",
      "x-role",
      "x-user",
      "x-user-id",
      "x-service-user-id",
      "x-tenant",
      "x-tenant-id",
      "x-tenant-name",
      "x-project-domain-name",
      "x-service-project-domain-id",
      "x-domain-id",
      "x-domain-name",
      "x-service-catalog",
      "x-is-admin-project",
      "openstack-system-scope",
    ]
  ) {
    assert.ok(AUTH_HEADERS.includes(name), name);
  }
});

Deno.test("setUserHeaders and setServiceHeaders write the token's identity", () => {
  const headers = new Map<string, string>();
  setUserHeaders(headers, access(Date.now() + 1000));
  assert.equal(headers.get("x-roles"), "reader,member");
  assert.equal(headers.get("x-role"), "reader,member");
  assert.equal(headers.get("x-tenant"), "demo");
  assert.equal(headers.get("x-tenant-id"), "p1");
  assert.equal(headers.get("x-user"), "demo");
  assert.equal(headers.get("x-is-admin-project"), "True");
  assert.equal(headers.has("x-domain-id"), false);
  assert.equal(headers.has("openstack-system-scope"), false);
  const system = access(Date.now() + 1000, { system: { all: true }, project: undefined });
  setServiceHeaders(headers, system);
  assert.equal(headers.get("x-service-user-id"), "u1");
  assert.equal(headers.has("x-service-project-id"), false);
  // NOTE(parity): the service token's scope replaces the user's.
  assert.equal(headers.get("openstack-system-scope"), "all");
});

Deno.test("pathMatches follows keystonemiddleware's _path_matches", () => {
  // Answers printed by keystonemiddleware.auth_token._path_matches.
  assert.equal(pathMatches("/v2.1/servers/abc", "/v2.1/servers/*"), true);
  assert.equal(pathMatches("/v2.1/servers/abc/action", "/v2.1/servers/*"), false);
  assert.equal(pathMatches("/v2.1/servers/abc/action", "/v2.1/servers/**"), true);
  assert.equal(pathMatches("/v2.1/servers/abc", "/v2.1/servers/{server_id}"), true);
  assert.equal(pathMatches("/v2.1/servers", "/v2.1/servers/**"), false);
});

Deno.test("passwordAuthBody builds keystoneauth's v3 password request", () => {
  assert.deepEqual(
    passwordAuthBody({
      authUrl: "http://k/v3",
      username: "nova",
      password: "pw",
      userDomainName: "Default",
      projectName: "service",
      projectDomainName: "Default",
    }),
    {
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { password: "pw", name: "nova", domain: { name: "Default" } } },
        },
        scope: { project: { name: "service", domain: { name: "Default" } } },
      },
    },
  );
  const byId = passwordAuthBody({ authUrl: "x", userId: "u", password: "p", projectId: "pid" });
  assert.deepEqual(byId, {
    auth: {
      identity: { methods: ["password"], password: { user: { password: "p", id: "u" } } },
      scope: { project: { id: "pid" } },
    },
  });
  const system = passwordAuthBody({ authUrl: "x", userId: "u", password: "p", systemScope: "all" });
  assert.deepEqual((system as { auth: { scope: unknown } }).auth.scope, { system: { all: true } });
});

Deno.test("versionedUrl and findEndpoint pick the identity v3 URL", () => {
  assert.equal(versionedUrl("http://k:5000/v3/"), "http://k:5000/v3");
  assert.equal(versionedUrl("http://k:5000"), "http://k:5000/v3");
  assert.equal(versionedUrl("http://k/identity/v2.0"), "http://k/identity/v3");
  const catalog = [{
    type: "identity",
    endpoints: [
      { interface: "public", url: "http://pub/v3", region_id: "R1" },
      { interface: "internal", url: "http://int-r2/v3", region_id: "R2" },
      { interface: "internal", url: "http://int-r1/v3", region_id: "R1" },
    ],
  }];
  assert.equal(findEndpoint(catalog, "identity", "internal", null), "http://int-r2/v3");
  assert.equal(findEndpoint(catalog, "identity", "internalURL", "R1"), "http://int-r1/v3");
  assert.equal(findEndpoint(catalog, "identity", "admin", null), null);
});
