import assert from "node:assert/strict";
import { filterFactory } from "../../lib/middleware/noauth2.ts";
import { downstream, mounted, pairs, request, wrap } from "./_helpers.ts";

Deno.test("noauth2() answers a request without token with the fake login 204 (case 038)", async () => {
  const { app, seen } = downstream();
  const res = await wrap(filterFactory, app)(mounted(request("GET", "/v2.1/flavors"), "/v2.1"));
  assert.equal(seen.requests.length, 0);
  assert.equal(res.status, 204);
  assert.deepEqual(pairs(res), [
    ["Content-Length", "0"],
    ["X-Auth-Token", "admin:admin"],
    ["X-Server-Management-Url", "http://127.0.0.1:18774/v2.1/flavors/admin"],
    ["Content-Type", "text/plain; charset=UTF-8"],
  ]);
  assert.equal(res.text(), "");
});

Deno.test("noauth2() strips trailing slashes from the management URL", async () => {
  const { app } = downstream();
  const res = await wrap(filterFactory, app)(mounted(request("POST", "/v2.1/"), "/v2.1"));
  assert.equal(res.headers.get("X-Server-Management-Url"), "http://127.0.0.1:18774/v2.1/admin");
});

Deno.test("noauth2() keeps the query string in the management URL as nova does", async () => {
  const { app } = downstream();
  const req = mounted(request("GET", "/v2.1/flavors", [], { query: "limit=1" }), "/v2.1");
  const res = await wrap(filterFactory, app)(req);
  assert.equal(
    res.headers.get("X-Server-Management-Url"),
    "http://127.0.0.1:18774/v2.1/flavors?limit=1/admin",
  );
});

Deno.test("noauth2() takes the fake login's user and project from X-Auth-User and X-Auth-Project-Id", async () => {
  const { app } = downstream();
  const req = mounted(
    request("GET", "/v2.1/servers", [["X-Auth-User", "bob"], ["X-Auth-Project-Id", "p1"]]),
    "/v2.1",
  );
  const res = await wrap(filterFactory, app)(req);
  assert.equal(res.headers.get("X-Auth-Token"), "bob:p1");
  assert.equal(
    res.headers.get("X-Server-Management-Url"),
    "http://127.0.0.1:18774/v2.1/servers/p1",
  );
});

Deno.test("noauth2() builds an admin context for user admin (case 040)", async () => {
  const { app, seen } = downstream();
  await wrap(filterFactory, app)(
    request("GET", "/v2.1/flavors", [["X-Auth-Token", "admin:admin"]]),
  );
  assert.deepEqual(seen.requests[0].context, {
    userId: "admin",
    projectId: "admin",
    userName: null,
    projectName: null,
    roles: [],
    isAdmin: true,
    systemScope: null,
    authToken: null,
    serviceCatalog: [],
    remoteAddress: "127.0.0.1",
    extra: { requestId: null, globalRequestId: null },
  });
});

Deno.test("noauth2() builds a non-admin context for other users", async () => {
  const { app, seen } = downstream();
  await wrap(filterFactory, app)(
    request("GET", "/v2.1/flavors", [["X-Auth-Token", "demo:demoproject"]]),
  );
  const ctx = seen.requests[0].context!;
  assert.equal(ctx.userId, "demo");
  assert.equal(ctx.projectId, "demoproject");
  assert.equal(ctx.isAdmin, false);
  assert.deepEqual(ctx.roles, []);
});

Deno.test("noauth2() uses the user as project for a token without a colon", async () => {
  const { app, seen } = downstream();
  await wrap(filterFactory, app)(request("GET", "/v2.1/flavors", [["X-Auth-Token", "demo"]]));
  assert.equal(seen.requests[0].context!.projectId, "demo");
});

Deno.test("noauth2() turns empty ids into null", async () => {
  const { app, seen } = downstream();
  await wrap(filterFactory, app)(request("GET", "/v2.1/flavors", [["X-Auth-Token", ":"]]));
  assert.equal(seen.requests[0].context!.userId, null);
  assert.equal(seen.requests[0].context!.projectId, null);
});

Deno.test("noauth2() ignores X-Forwarded-For unless [api] use_forwarded_for", async () => {
  const headers: [string, string][] = [["X-Auth-Token", "a:b"], ["X-Forwarded-For", "192.0.2.9"]];
  const off = downstream();
  await wrap(filterFactory, off.app)(
    request("GET", "/v2.1/x", headers, { remoteAddr: "10.0.0.1" }),
  );
  assert.equal(off.seen.requests[0].context!.remoteAddress, "10.0.0.1");
  const on = downstream();
  await wrap(filterFactory, on.app, { conf: "[api]\nuse_forwarded_for = true\n" })(
    request("GET", "/v2.1/x", headers, { remoteAddr: "10.0.0.1" }),
  );
  assert.equal(on.seen.requests[0].context!.remoteAddress, "192.0.2.9");
});
