import assert from "node:assert/strict";
import { ApiVersion } from "../../lib/compute/api_version.ts";
import { HttpError } from "../../lib/errors.ts";
import { captureLogs } from "../../lib/log.ts";
import { filterFactory } from "../../lib/middleware/faultwrap.ts";
import { BodyTooLargeError } from "../../lib/request.ts";
import { downstream, mounted, pairs, request, throwing, wrap } from "./_helpers.ts";

const INTERNAL =
  "The server has either erred or is incapable of performing the requested operation.";

Deno.test("faultwrap() passes answers through untouched", async () => {
  const { app } = downstream();
  const res = await wrap(filterFactory, app)(request("GET", "/"));
  assert.equal(res.status, 200);
  assert.equal(res.text(), '{"ok": true}');
});

Deno.test("faultwrap() turns an unexpected error into a computeFault without its message", async () => {
  captureLogs();
  const res = await wrap(filterFactory, throwing(new TypeError("secret detail")))(
    request("GET", "/v2.1/flavors"),
  );
  captureLogs(false);
  assert.equal(res.status, 500);
  assert.equal(res.reason, "Internal Server Error");
  assert.equal(res.text(), `{"computeFault": {"code": 500, "message": "${INTERNAL}"}}`);
  assert.ok(!res.text().includes("secret"));
  assert.deepEqual(pairs(res), [
    ["Content-Type", "application/json; charset=UTF-8"],
    ["Content-Length", String(res.text().length)],
  ]);
});

Deno.test("faultwrap() logs the error with its stack and the URL with the status", async () => {
  const lines = captureLogs();
  await wrap(filterFactory, throwing(new RangeError("kaboom")))(
    mounted(request("GET", "/v2.1/servers"), "/v2.1"),
  );
  captureLogs(false);
  const text = lines.join("\n");
  assert.match(
    text,
    /ERROR nova\.api\.openstack \[-\] Caught error: kaboom\nRangeError: kaboom\n\s+at /,
  );
  assert.match(
    text,
    /INFO nova\.api\.openstack \[-\] http:\/\/127\.0\.0\.1:18774\/v2\.1\/servers returned with HTTP 500/,
  );
});

Deno.test("faultwrap() shows a safe HttpError as 'ClassName: message' with its status", async () => {
  captureLogs();
  const err = new HttpError(404, "Flavor x could not be found.");
  const res = await wrap(filterFactory, throwing(err))(request("GET", "/v2.1/flavors/x"));
  captureLogs(false);
  assert.equal(res.status, 404);
  assert.equal(
    res.text(),
    '{"itemNotFound": {"code": 404, "message": "HttpError: Flavor x could not be found."}}',
  );
});

Deno.test("faultwrap() names a subclass by its own name", async () => {
  class FlavorNotFound extends HttpError {}
  captureLogs();
  const res = await wrap(filterFactory, throwing(new FlavorNotFound(404, "gone")))(
    request("GET", "/v2.1/flavors/x"),
  );
  captureLogs(false);
  assert.match(res.text(), /"message": "FlavorNotFound: gone"/);
});

Deno.test("faultwrap() hides the message of an unsafe HttpError behind webob's explanation", async () => {
  captureLogs();
  const err = new HttpError(409, "internal state", { safe: false });
  const res = await wrap(filterFactory, throwing(err))(request("POST", "/v2.1/servers"));
  captureLogs(false);
  assert.equal(res.status, 409);
  assert.equal(
    res.text(),
    '{"conflictingRequest": {"code": 409, "message": ' +
      '"There was a conflict when trying to complete your request."}}',
  );
});

Deno.test("faultwrap() answers 500 for a status webob has no error class for", async () => {
  captureLogs();
  const res = await wrap(filterFactory, throwing(new HttpError(302, "moved")))(
    request("GET", "/v2.1/x"),
  );
  captureLogs(false);
  assert.equal(res.status, 500);
  assert.equal(res.reason, "Internal Server Error");
  assert.equal(res.text(), '{"computeFault": {"code": 500, "message": "HttpError: moved"}}');
});

Deno.test("faultwrap() keeps the error's headers and adds the version headers", async () => {
  captureLogs();
  const err = new HttpError(429, "slow down", { headers: [["Retry-After", "30"]] });
  const { app } = downstream((req) => {
    req.apiVersion = ApiVersion.of("2.1");
    throw err;
  });
  const res = await wrap(filterFactory, app)(request("GET", "/v2.1/x"));
  captureLogs(false);
  assert.equal(res.status, 429);
  assert.deepEqual(pairs(res).map(([k]) => k), [
    "Retry-After",
    "OpenStack-API-Version",
    "X-OpenStack-Nova-API-Version",
    "Vary",
    "Vary",
    "Content-Type",
    "Content-Length",
  ]);
  assert.equal(
    res.text(),
    '{"overLimit": {"code": 429, "message": "HttpError: slow down", "retryAfter": "30"}}',
  );
});

Deno.test("faultwrap() takes code and safe from other errors as nova's exceptions carry them", async () => {
  const err = Object.assign(new Error("Quota exceeded"), { code: 403, safe: true });
  err.name = "QuotaError";
  captureLogs();
  const res = await wrap(filterFactory, throwing(err))(request("POST", "/v2.1/servers"));
  captureLogs(false);
  assert.equal(res.status, 403);
  assert.equal(res.text(), '{"forbidden": {"code": 403, "message": "QuotaError: Quota exceeded"}}');
});

Deno.test("faultwrap() answers a body read over the limit with sizelimit's 413 page", async () => {
  captureLogs();
  const res = await wrap(filterFactory, throwing(new BodyTooLargeError(114688)))(
    request("POST", "/v2.1/flavors"),
  );
  captureLogs(false);
  assert.equal(res.status, 413);
  assert.equal(
    res.text(),
    '{"message": "Request is too large. Larger than 114688.<br /><br />\\n\\n\\n", ' +
      '"code": "413 Request Entity Too Large", "title": "Request Entity Too Large"}',
  );
});

Deno.test("faultwrap() applies [wsgi] secure_proxy_ssl_header to the scheme", async () => {
  const { app, seen } = downstream();
  await wrap(filterFactory, app, {
    conf: "[wsgi]\nsecure_proxy_ssl_header = HTTP_X_FORWARDED_PROTO\n",
  })(
    request("GET", "/v2.1/", [["X-Forwarded-Proto", "https"]]),
  );
  assert.equal(seen.requests[0].scheme, "https");
});

Deno.test("faultwrap() ignores the proxy scheme header when the option is unset", async () => {
  const { app, seen } = downstream();
  await wrap(filterFactory, app)(request("GET", "/v2.1/", [["X-Forwarded-Proto", "https"]]));
  assert.equal(seen.requests[0].scheme, "http");
});
