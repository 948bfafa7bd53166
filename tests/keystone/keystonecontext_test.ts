/**
 * keystonecontext on its own: the context nova's RequestContext.from_environ
 * builds from identity headers, and nova's 401 and 500 answers.
 */

import assert from "node:assert/strict";
import type { App } from "../../lib/app.ts";
import { Conf } from "../../lib/config/conf.ts";
import {
  contextFromHeaders,
  filterFactory,
  filterServiceCatalog,
  isAdminByPolicy,
  keystoneContext,
} from "../../lib/middleware/keystonecontext.ts";
import { ApiRequest } from "../../lib/request.ts";
import { ApiResponse } from "../../lib/response.ts";

function req(headers: [string, string][], remoteAddr = "10.0.0.7"): ApiRequest {
  return new ApiRequest({ method: "GET", path: "/v2.1/servers", headers, remoteAddr });
}

function run(headers: [string, string][], useForwardedFor = false) {
  const seen: { req: ApiRequest | null } = { req: null };
  const app: App = (r) => {
    seen.req = r;
    return Promise.resolve(new ApiResponse(200));
  };
  const request = req(headers);
  return { seen, res: keystoneContext(app, { useForwardedFor })(request), request };
}

const CATALOG = [
  { type: "identity", name: "keystone", endpoints: [{ publicURL: "http://k/v3" }] },
  { type: "image", name: "glance", endpoints: [{ publicURL: "http://g" }] },
  { type: "volumev3", endpoints: [] },
  { type: "volumev2", endpoints: [] },
  { type: "network", endpoints: [] },
  { type: "placement", endpoints: [] },
  { type: "compute", endpoints: [] },
];

Deno.test("keystonecontext builds nova's context from the identity headers", async () => {
  const { seen, res } = run([
    ["X-User-Id", "u1"],
    ["X-User-Name", "demo"],
    ["X-User-Domain-Id", "default"],
    ["X-User-Domain-Name", "Default"],
    ["X-Project-Id", "p1"],
    ["X-Project-Name", "demo"],
    ["X-Project-Domain-Id", "default"],
    ["X-Project-Domain-Name", "Default"],
    ["X-Roles", "reader, member ,admin"],
    ["X-Is-Admin-Project", "False"],
    ["OpenStack-System-Scope", "all"],
    ["X-Auth-Token", "tok"],
    ["X-Service-Token", "stok"],
    ["X-Service-User-Id", "nova-id"],
    ["X-Service-Roles", "service,admin"],
    ["X-Service-Catalog", JSON.stringify(CATALOG)],
  ]);
  assert.equal((await res).status, 200);
  const ctx = seen.req!.context!;
  assert.equal(ctx.userId, "u1");
  assert.equal(ctx.projectId, "p1");
  assert.equal(ctx.userName, "demo");
  assert.equal(ctx.projectName, "demo");
  assert.equal(ctx.userDomainId, "default");
  assert.equal(ctx.projectDomainId, "default");
  assert.deepEqual(ctx.roles, ["reader", "member", "admin"]);
  assert.equal(ctx.isAdmin, true);
  assert.equal(ctx.isAdminProject, false);
  assert.equal(ctx.systemScope, "all");
  assert.equal(ctx.authToken, "tok");
  assert.equal(ctx.remoteAddress, "10.0.0.7");
  assert.deepEqual(
    ctx.serviceCatalog!.map((s) => (s as { type: string }).type),
    ["image", "volumev3", "network", "placement"],
  );
  assert.equal(ctx.extra?.userDomainName, "Default");
  assert.equal(ctx.extra?.serviceToken, "stok");
  assert.equal(ctx.extra?.serviceUserId, "nova-id");
  assert.deepEqual(ctx.extra?.serviceRoles, ["service", "admin"]);
  assert.match(ctx.extra?.requestId as string, /^req-[0-9a-f-]{36}$/);
});

Deno.test("keystonecontext falls back to the deprecated headers as oslo.context does", async () => {
  const { seen, res } = run([
    ["X-User", "legacy-user"],
    ["X-Tenant", "legacy-project"],
    ["X-Tenant-Name", "legacy-name"],
    ["X-Role", "admin"],
    ["X-Storage-Token", "storage"],
  ]);
  assert.equal((await res).status, 200);
  const ctx = seen.req!.context!;
  assert.equal(ctx.userId, "legacy-user");
  assert.equal(ctx.projectId, "legacy-project");
  assert.equal(ctx.projectName, "legacy-name");
  assert.deepEqual(ctx.roles, ["admin"]);
  assert.equal(ctx.authToken, "storage");
  assert.equal(ctx.isAdminProject, true);
  assert.deepEqual(ctx.serviceCatalog, []);
});

Deno.test("keystonecontext takes the first header present even when it is empty", async () => {
  // X-User-Id is present and empty, so X-User is not looked at and nova sees no user.
  const { seen, res } = run([["X-User-Id", ""], ["X-User", "fallback"]]);
  const answer = await res;
  assert.equal(answer.status, 401);
  assert.equal(seen.req, null);
});

Deno.test("keystonecontext answers webob's 401 when there is no user", async () => {
  const { seen, res } = run([["Accept", "application/json"], ["X-Project-Id", "p1"]]);
  const answer = await res;
  assert.equal(seen.req, null);
  assert.equal(answer.status, 401);
  assert.deepEqual(JSON.parse(answer.text()), {
    message:
      "This server could not verify that you are authorized to access the document you requested. " +
      "Either you supplied the wrong credentials (e.g., bad password), or your browser does not " +
      "understand how to supply the credentials required.<br /><br />\n\n\n",
    code: "401 Unauthorized",
    title: "Unauthorized",
  });
});

Deno.test("keystonecontext answers webob's 500 for an X-Service-Catalog that is not JSON", async () => {
  const { seen, res } = run([
    ["Accept", "application/json"],
    ["X-User-Id", "u1"],
    ["X-Service-Catalog", "{not json"],
  ]);
  const answer = await res;
  assert.equal(seen.req, null);
  assert.equal(answer.status, 500);
  assert.equal(
    answer.text(),
    '{"message": "The server has either erred or is incapable of performing the requested operation.<br /><br />\\nInvalid service catalog json.\\n\\n", "code": "500 Internal Server Error", "title": "Internal Server Error"}',
  );
});

Deno.test("filterServiceCatalog keeps nova's service types and fails like Python on a non-list", () => {
  assert.deepEqual(filterServiceCatalog(null), []);
  assert.deepEqual(filterServiceCatalog({}), []);
  assert.deepEqual(filterServiceCatalog([]), []);
  assert.deepEqual(filterServiceCatalog([{ type: "accelerator" }, { type: "dns" }]), [
    { type: "accelerator" },
  ]);
  assert.throws(() => filterServiceCatalog({ image: {} }), TypeError);
  assert.throws(() => filterServiceCatalog(["image"]), TypeError);
});

Deno.test("keystonecontext honours [api] use_forwarded_for", async () => {
  const headers: [string, string][] = [["X-User-Id", "u1"], [
    "X-Forwarded-For",
    "1.2.3.4, 5.6.7.8",
  ]];
  const off = run(headers, false);
  await off.res;
  assert.equal(off.seen.req!.context!.remoteAddress, "10.0.0.7");
  const on = run(headers, true);
  await on.res;
  assert.equal(on.seen.req!.context!.remoteAddress, "1.2.3.4, 5.6.7.8");
  const conf = Conf.load([{ name: "t", text: "[api]\nuse_forwarded_for = true\n" }]);
  let seen: ApiRequest | null = null;
  const app = filterFactory({ conf }, {}, {})((r) => {
    seen = r;
    return Promise.resolve(new ApiResponse(200));
  });
  await app(req(headers));
  assert.equal((seen as ApiRequest | null)!.context!.remoteAddress, "1.2.3.4, 5.6.7.8");
});

Deno.test("contextFromHeaders takes the request id set by compute_req_id", () => {
  const r = req([["X-User-Id", "u1"]]);
  r.requestId = "req-11111111-2222-3333-4444-555555555555";
  r.globalRequestId = "req-aaaaaaaa-2222-3333-4444-555555555555";
  const ctx = contextFromHeaders(r, { remoteAddress: "x", serviceCatalog: null });
  assert.equal(ctx.extra?.requestId, r.requestId);
  assert.equal(ctx.extra?.globalRequestId, r.globalRequestId);
  assert.equal(ctx.isAdmin, false);
});

Deno.test("isAdminByPolicy is nova's default context_is_admin rule, role:admin", () => {
  assert.equal(isAdminByPolicy({ roles: ["admin"] }), true);
  assert.equal(isAdminByPolicy({ roles: ["member", "reader"] }), false);
  assert.equal(isAdminByPolicy({ roles: ["Admin"] }), false);
});

Deno.test("contextFromHeaders gives every context a role list of its own", () => {
  const headers: [string, string][] = [["X-User-Id", "u1"], ["X-Roles", "member, reader"]];
  const first = contextFromHeaders(req(headers), { remoteAddress: "x", serviceCatalog: null });
  first.roles.push("admin");
  const second = contextFromHeaders(req(headers), { remoteAddress: "x", serviceCatalog: null });
  assert.deepEqual(second.roles, ["member", "reader"]);
  assert.equal(second.isAdmin, false);
});
