import assert from "node:assert/strict";
import { filterFactory, ID_FORMAT } from "../../lib/middleware/compute_req_id.ts";
import { ApiResponse } from "../../lib/response.ts";
import { downstream, request, versionedOk, wireNames, wrap } from "./_helpers.ts";

Deno.test("computeReqId() adds both request id headers after the app's headers (case 006)", async () => {
  const { app } = downstream(() => versionedOk());
  const res = await wrap(filterFactory, app)(request("GET", "/v2.1"));
  assert.deepEqual(wireNames(res), [
    "Content-Length",
    "Content-Type",
    "Openstack-Api-Version",
    "X-Openstack-Nova-Api-Version",
    "Vary",
    "Vary",
    "X-Openstack-Request-Id",
    "X-Compute-Request-Id",
  ]);
  const id = res.headers.get("X-Openstack-Request-Id")!;
  assert.match(id, ID_FORMAT);
  assert.equal(res.headers.get("X-Compute-Request-Id"), id);
});

Deno.test("computeReqId() sets the same fresh id on the request as on the response", async () => {
  const { app, seen } = downstream();
  const res = await wrap(filterFactory, app)(request("GET", "/v2.1/flavors"));
  assert.equal(seen.requests[0].requestId, res.headers.get("x-openstack-request-id"));
});

Deno.test("computeReqId() gives each request its own id", async () => {
  const filter = wrap(filterFactory, downstream().app);
  const a = await filter(request("GET", "/v2.1"));
  const b = await filter(request("GET", "/v2.1"));
  assert.notEqual(a.headers.get("x-openstack-request-id"), b.headers.get("x-openstack-request-id"));
});

Deno.test("computeReqId() keeps a valid inbound id as the global id only (case 209)", async () => {
  const inbound = "req-3f1b9b8e-8c1a-4f6e-9d3c-2a1b0c9d8e7f";
  const { app, seen } = downstream();
  const res = await wrap(filterFactory, app)(
    request("GET", "/v2.1/flavors", [["X-OpenStack-Request-Id", inbound]]),
  );
  assert.equal(seen.requests[0].globalRequestId, inbound);
  assert.notEqual(seen.requests[0].requestId, inbound);
  assert.notEqual(res.headers.get("x-openstack-request-id"), inbound);
  assert.equal(res.headers.getAll("x-openstack-request-id").length, 1);
});

Deno.test("computeReqId() ignores an inbound id that is not oslo's format (case 210)", async () => {
  const { app, seen } = downstream();
  await wrap(filterFactory, app)(
    request("GET", "/v2.1/flavors", [["X-OpenStack-Request-Id", "not-a-request-id"]]),
  );
  assert.equal(seen.requests[0].globalRequestId, null);
});

Deno.test("computeReqId() rejects upper-case hex in an inbound id", async () => {
  const { app, seen } = downstream();
  await wrap(filterFactory, app)(
    request("GET", "/", [["X-OpenStack-Request-Id", "req-3F1B9B8E-8C1A-4F6E-9D3C-2A1B0C9D8E7F"]]),
  );
  assert.equal(seen.requests[0].globalRequestId, null);
});

Deno.test("computeReqId() does not replace request id headers the app already set", async () => {
  const { app } = downstream(() =>
    new ApiResponse(200, [["X-Compute-Request-Id", "req-from-below"]], "")
  );
  const res = await wrap(filterFactory, app)(request("GET", "/v2.1"));
  assert.deepEqual(res.headers.getAll("x-compute-request-id"), ["req-from-below"]);
  assert.match(res.headers.get("x-openstack-request-id")!, ID_FORMAT);
});
