import assert from "node:assert/strict";
import { filterFactory } from "../../lib/middleware/legacy_v2_compatible.ts";
import { ApiResponse } from "../../lib/response.ts";
import { downstream, pairs, request, versionedOk, wrap } from "./_helpers.ts";

Deno.test("legacyV2Compatible() marks the request as legacy v2", async () => {
  const { app, seen } = downstream();
  await wrap(filterFactory, app)(request("GET", "/v2/flavors"));
  assert.equal(seen.requests[0].legacyV2, true);
});

Deno.test("legacyV2Compatible() hides both microversion request headers from the app", async () => {
  const { app, seen } = downstream();
  await wrap(filterFactory, app)(
    request("GET", "/v2/flavors", [
      ["OpenStack-API-Version", "compute 2.53"],
      ["X-OpenStack-Nova-API-Version", "2.53"],
    ]),
  );
  assert.equal(seen.requests[0].header("openstack-api-version"), null);
  assert.equal(seen.requests[0].header("x-openstack-nova-api-version"), null);
  assert.equal(seen.requests[0].header("accept"), "application/json");
});

Deno.test("legacyV2Compatible() strips version headers and both Vary headers (cases 010, 011)", async () => {
  const { app } = downstream(() => versionedOk('{"flavors": []}'));
  const res = await wrap(filterFactory, app)(request("GET", "/v2/flavors"));
  assert.deepEqual(pairs(res), [
    ["Content-Length", "15"],
    ["Content-Type", "application/json"],
  ]);
  assert.equal(res.text(), '{"flavors": []}');
});

Deno.test("legacyV2Compatible() keeps other Vary values of the last Vary header, moved last", async () => {
  const { app } = downstream(() =>
    new ApiResponse(200, [
      ["Vary", "Accept"],
      ["Vary", "OpenStack-API-Version, Accept-Encoding"],
      ["Content-Length", "0"],
    ])
  );
  const res = await wrap(filterFactory, app)(request("GET", "/v2/"));
  // NOTE(parity): webob reads only the last Vary header, so "Accept" is lost.
  assert.deepEqual(pairs(res), [["Content-Length", "0"], ["Vary", "Accept-Encoding"]]);
});

Deno.test("legacyV2Compatible() leaves a response without Vary alone", async () => {
  const { app } = downstream(() => new ApiResponse(204, [["Content-Length", "0"]]));
  const res = await wrap(filterFactory, app)(request("DELETE", "/v2/flavors/x"));
  assert.deepEqual(pairs(res), [["Content-Length", "0"]]);
  assert.equal(res.status, 204);
});
