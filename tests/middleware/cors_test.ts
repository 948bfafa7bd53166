import assert from "node:assert/strict";
import type { App } from "../../lib/app.ts";
import { webobError } from "../../lib/errors.ts";
import { filterFactory as computeReqId } from "../../lib/middleware/compute_req_id.ts";
import { filterFactory } from "../../lib/middleware/cors.ts";
import { filterFactory as noauth2 } from "../../lib/middleware/noauth2.ts";
import type { ApiRequest } from "../../lib/request.ts";
import { ApiResponse, jsonResponse } from "../../lib/response.ts";
import { context, downstream, mounted, pairs, request, versionedOk } from "./_helpers.ts";

const CONF = "[cors]\nallowed_origin = http://example.com\n";
const PASTE = { oslo_config_project: "nova" };
const EXPOSE =
  "X-Auth-Token,X-Openstack-Request-Id,X-Subject-Token,X-Service-Token,X-OpenStack-Nova-API-Version,OpenStack-API-Version";

/** cors over `app`, configured as the recorded nova was. */
function withCors(app: App, conf = CONF): App {
  return filterFactory(context(conf), {}, PASTE)(app);
}

/** The /v2.1 pipeline's parts that matter here: cors, compute_req_id, noauth2, a router. */
function v21Pipeline(router: App): App {
  const ctx = context(CONF);
  return withCors(computeReqId(ctx, {}, {})(noauth2(ctx, {}, {})(router)));
}

/** Routes-style: nothing is routed for OPTIONS, so a webob 404. */
const notFound: App = (req) => Promise.resolve(webobError(req, 404));

function v21(method: string, headers: [string, string][]): ApiRequest {
  return mounted(request(method, "/v2.1/flavors", headers), "/v2.1");
}

/** The headers with the request id values replaced, for comparing with a recorded case. */
function normalized(res: ApiResponse): [string, string][] {
  return pairs(res).map(([k, v]) => [k, /request-id/i.test(k) ? "<REQ_ID>" : v]);
}

const VERSIONS = '{"versions": []}';
const versionsApp: App = () => Promise.resolve(jsonResponse(200, { versions: [] }));

Deno.test("cors() decorates noauth2's 204 to a preflight without token (case 195)", async () => {
  const res = await v21Pipeline(notFound)(
    v21("OPTIONS", [
      ["Origin", "http://example.com"],
      ["Access-Control-Request-Method", "GET"],
      ["Access-Control-Request-Headers", "X-Auth-Token"],
    ]),
  );
  assert.equal(res.status, 204);
  assert.deepEqual(normalized(res), [
    ["Content-Length", "0"],
    ["X-Auth-Token", "admin:admin"],
    ["X-Server-Management-Url", "http://127.0.0.1:18774/v2.1/flavors/admin"],
    ["Content-Type", "text/plain; charset=UTF-8"],
    ["x-openstack-request-id", "<REQ_ID>"],
    ["x-compute-request-id", "<REQ_ID>"],
    ["Vary", "Origin"],
    ["Access-Control-Allow-Origin", "http://example.com"],
    ["Access-Control-Allow-Credentials", "true"],
    ["Access-Control-Max-Age", "3600"],
    ["Access-Control-Allow-Methods", "GET"],
    ["Access-Control-Allow-Headers", "X-Auth-Token"],
  ]);
});

Deno.test("cors() adds nothing to a preflight from an origin not allowed (case 196)", async () => {
  const res = await v21Pipeline(notFound)(
    v21("OPTIONS", [["Origin", "http://evil.example.net"], [
      "Access-Control-Request-Method",
      "GET",
    ]]),
  );
  assert.equal(res.status, 204);
  assert.ok(!res.headers.has("Vary"));
  assert.ok(!res.headers.has("Access-Control-Allow-Origin"));
});

Deno.test("cors() adds nothing to a preflight for a method not allowed (case 197)", async () => {
  const res = await v21Pipeline(notFound)(
    v21("OPTIONS", [["Origin", "http://example.com"], ["Access-Control-Request-Method", "TRACE"]]),
  );
  assert.equal(res.status, 204);
  assert.ok(!res.headers.has("Access-Control-Allow-Origin"));
});

Deno.test("cors() replaces a non-2xx answer to OPTIONS with a bare 200 (case 198)", async () => {
  const res = await v21Pipeline(notFound)(v21("OPTIONS", [["X-Auth-Token", "admin:admin"]]));
  assert.equal(res.status, 200);
  assert.equal(res.reason, null);
  assert.deepEqual(pairs(res), [["Content-Length", "0"]]);
  assert.equal(res.text(), "");
});

Deno.test("cors() keeps a 2xx answer to a preflight with its body (case 199)", async () => {
  const res = await withCors(versionsApp)(
    request("OPTIONS", "/", [["Origin", "http://example.com"], [
      "Access-Control-Request-Method",
      "GET",
    ]]),
  );
  assert.equal(res.status, 200);
  assert.equal(res.text(), VERSIONS);
  assert.deepEqual(pairs(res), [
    ["Content-Length", String(VERSIONS.length)],
    ["Content-Type", "application/json"],
    ["Vary", "Origin"],
    ["Access-Control-Allow-Origin", "http://example.com"],
    ["Access-Control-Allow-Credentials", "true"],
    ["Access-Control-Max-Age", "3600"],
    ["Access-Control-Allow-Methods", "GET"],
  ]);
});

Deno.test("cors() answers a preflight with token on a bare 200 plus Access-Control-* (case 200)", async () => {
  const res = await v21Pipeline(notFound)(
    v21("OPTIONS", [
      ["X-Auth-Token", "admin:admin"],
      ["Origin", "http://example.com"],
      ["Access-Control-Request-Method", "POST"],
      ["Access-Control-Request-Headers", "X-Auth-Token, Content-Type, OpenStack-API-Version"],
    ]),
  );
  assert.equal(res.status, 200);
  assert.deepEqual(pairs(res), [
    ["Content-Length", "0"],
    ["Vary", "Origin"],
    ["Access-Control-Allow-Origin", "http://example.com"],
    ["Access-Control-Allow-Credentials", "true"],
    ["Access-Control-Max-Age", "3600"],
    ["Access-Control-Allow-Methods", "POST"],
    ["Access-Control-Allow-Headers", "X-Auth-Token,Content-Type,OpenStack-API-Version"],
  ]);
});

Deno.test("cors() refuses a preflight asking for a header not allowed", async () => {
  const res = await v21Pipeline(notFound)(
    v21("OPTIONS", [
      ["X-Auth-Token", "admin:admin"],
      ["Origin", "http://example.com"],
      ["Access-Control-Request-Method", "GET"],
      ["Access-Control-Request-Headers", "X-Evil"],
    ]),
  );
  assert.deepEqual(pairs(res), [["Content-Length", "0"]]);
});

Deno.test("cors() folds the Vary headers into one, losing the first (case 201)", async () => {
  const res = await v21Pipeline(() => Promise.resolve(versionedOk()))(
    v21("GET", [["X-Auth-Token", "admin:admin"], ["Origin", "http://example.com"]]),
  );
  assert.deepEqual(normalized(res), [
    ["Content-Length", "12"],
    ["Content-Type", "application/json"],
    ["OpenStack-API-Version", "compute 2.1"],
    ["X-OpenStack-Nova-API-Version", "2.1"],
    ["x-openstack-request-id", "<REQ_ID>"],
    ["x-compute-request-id", "<REQ_ID>"],
    ["Vary", "X-OpenStack-Nova-API-Version,Origin"],
    ["Access-Control-Allow-Origin", "http://example.com"],
    ["Access-Control-Allow-Credentials", "true"],
    ["Access-Control-Expose-Headers", EXPOSE],
  ]);
});

Deno.test("cors() leaves a simple request from an origin not allowed alone (case 202)", async () => {
  const res = await v21Pipeline(() => Promise.resolve(versionedOk()))(
    v21("GET", [["X-Auth-Token", "admin:admin"], ["Origin", "http://evil.example.net"]]),
  );
  assert.deepEqual(res.headers.getAll("Vary"), [
    "OpenStack-API-Version",
    "X-OpenStack-Nova-API-Version",
  ]);
  assert.ok(!res.headers.has("Access-Control-Allow-Origin"));
});

Deno.test("cors() adds Vary: Origin when the answer has no Vary (case 203)", async () => {
  const res = await withCors(versionsApp)(request("GET", "/", [["Origin", "http://example.com"]]));
  assert.deepEqual(pairs(res), [
    ["Content-Length", String(VERSIONS.length)],
    ["Content-Type", "application/json"],
    ["Vary", "Origin"],
    ["Access-Control-Allow-Origin", "http://example.com"],
    ["Access-Control-Allow-Credentials", "true"],
    ["Access-Control-Expose-Headers", EXPOSE],
  ]);
});

Deno.test("cors() leaves answers alone when no origin is configured", async () => {
  const res = await withCors(versionsApp, "")(
    request("GET", "/", [["Origin", "http://example.com"]]),
  );
  assert.ok(!res.headers.has("Vary"));
});

Deno.test("cors() allows any origin with *, echoing *", async () => {
  const res = await withCors(versionsApp, "[cors]\nallowed_origin = *\n")(
    request("GET", "/", [["Origin", "http://anything.example"]]),
  );
  assert.equal(res.headers.get("Access-Control-Allow-Origin"), "*");
});

Deno.test("cors() trusts Access-Control-Allow-Origin set below", async () => {
  const own = new ApiResponse(404, [["Access-Control-Allow-Origin", "http://x"]], "nope");
  const { app } = downstream(() => own);
  const res = await withCors(app)(
    request("OPTIONS", "/", [["Origin", "http://example.com"], [
      "Access-Control-Request-Method",
      "GET",
    ]]),
  );
  assert.equal(res, own);
  assert.equal(res.status, 404);
});

Deno.test("cors() lets paste keys override [cors] options", async () => {
  const local = { allowed_origin: "http://a.example", allow_credentials: "false", max_age: "0" };
  const res = await filterFactory(context(CONF), {}, local)(versionsApp)(
    request("OPTIONS", "/", [["Origin", "http://a.example"], [
      "Access-Control-Request-Method",
      "PUT",
    ]]),
  );
  assert.deepEqual(pairs(res).slice(2), [
    ["Vary", "Origin"],
    ["Access-Control-Allow-Origin", "http://a.example"],
    ["Access-Control-Allow-Methods", "PUT"],
  ]);
});

Deno.test("cors() refuses a paste section without allowed_origin or oslo_config_project", () => {
  assert.throws(
    () => filterFactory(context(CONF), {}, {}),
    new TypeError("allowed_origin or oslo_config_project is required"),
  );
});
