// The signed pair below was made by osprofiler's own `signed_pack` (3.4.3):
// signed_pack({"base_id": "b1", "parent_id": "p1"}, "SECRET_KEY").
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import type { LocalConf } from "../../lib/app.ts";
import { ENV_TRACE, filterFactory, type TraceInfo } from "../../lib/middleware/osprofiler.ts";
import type { ApiRequest } from "../../lib/request.ts";
import { context, downstream, pairs, request } from "./_helpers.ts";

const INFO = "eyJiYXNlX2lkIjogImIxIiwgInBhcmVudF9pZCI6ICJwMSJ9";
const HMAC = "1f78154a44c1c907d97f4d4deee1e403dc5cacca";
const ENABLED = "[profiler]\nenabled = true\n";

function traced(headers: [string, string][], conf = ENABLED, local: LocalConf = {}) {
  const { app, seen } = downstream();
  const filter = filterFactory(context(conf), {}, local)(app);
  return { filter, seen, req: request("GET", "/v2.1/flavors", headers, { query: "a=1" }) };
}

function traceOf(req: ApiRequest): TraceInfo | undefined {
  return req.environ.get(ENV_TRACE) as TraceInfo | undefined;
}

/** osprofiler's signed_pack for any JSON text. */
function pack(json: string, key: string): [string, string] {
  const data = btoa(json).replace(/\+/g, "-").replace(/\//g, "_");
  return [data, createHmac("sha1", key).update(data).digest("hex")];
}

Deno.test("osprofiler() keeps a trace signed with a configured key on the request", async () => {
  const { filter, seen, req } = traced([["X-Trace-Info", INFO], ["X-Trace-HMAC", HMAC]]);
  const res = await filter(req);
  const trace = traceOf(seen.requests[0])!;
  assert.equal(trace.baseId, "b1");
  assert.equal(trace.parentId, "p1");
  assert.equal(trace.hmacKey, "SECRET_KEY");
  assert.equal(trace.name, "wsgi");
  assert.deepEqual(trace.info, {
    request: { path: "/v2.1/flavors", query: "a=1", method: "GET", scheme: "http" },
  });
  assert.deepEqual(pairs(res), [["Content-Length", "12"], ["Content-Type", "application/json"]]);
});

Deno.test("osprofiler() is a pass-through unless [profiler] enabled", async () => {
  const { filter, seen, req } = traced([["X-Trace-Info", INFO], ["X-Trace-HMAC", HMAC]], "");
  await filter(req);
  assert.equal(traceOf(seen.requests[0]), undefined);
});

Deno.test("osprofiler() ignores a trace with a wrong signature", async () => {
  const bad = HMAC.replace(/^1/, "2");
  const { filter, seen, req } = traced([["X-Trace-Info", INFO], ["X-Trace-HMAC", bad]]);
  await filter(req);
  assert.equal(traceOf(seen.requests[0]), undefined);
});

Deno.test("osprofiler() ignores a trace without signature", async () => {
  const { filter, seen, req } = traced([["X-Trace-Info", INFO]]);
  await filter(req);
  assert.equal(traceOf(seen.requests[0]), undefined);
});

Deno.test("osprofiler() accepts any of the comma-separated hmac_keys", async () => {
  const conf = "[profiler]\nenabled = true\nhmac_keys = other, SECRET_KEY\n";
  const { filter, seen, req } = traced(
    [["X-Trace-Info", INFO], ["X-Trace-HMAC", ` ${HMAC} `]],
    conf,
  );
  await filter(req);
  assert.equal(traceOf(seen.requests[0])?.hmacKey, "SECRET_KEY");
});

Deno.test("osprofiler() ignores signed trace info with keys other than base_id and parent_id", async () => {
  const [data, mac] = pack('{"base_id": "b1", "evil": 1}', "SECRET_KEY");
  const { filter, seen, req } = traced([["X-Trace-Info", data], ["X-Trace-HMAC", mac]]);
  await filter(req);
  assert.equal(traceOf(seen.requests[0]), undefined);
});

Deno.test("osprofiler() ignores signed trace info without base_id or that is not an object", async () => {
  for (const json of ['{"parent_id": "p1"}', '["b1"]', "not json"]) {
    const [data, mac] = pack(json, "SECRET_KEY");
    const { filter, seen, req } = traced([["X-Trace-Info", data], ["X-Trace-HMAC", mac]]);
    await filter(req);
    assert.equal(traceOf(seen.requests[0]), undefined, json);
  }
});

Deno.test("osprofiler() takes a trace without parent_id", async () => {
  const [data, mac] = pack('{"base_id": "b2"}', "SECRET_KEY");
  const { filter, seen, req } = traced([["X-Trace-Info", data], ["X-Trace-HMAC", mac]]);
  await filter(req);
  assert.equal(traceOf(seen.requests[0])?.parentId, null);
});

Deno.test("osprofiler() can be enabled by paste keys when [profiler] is off", async () => {
  const local = { enabled: "true", hmac_keys: "SECRET_KEY" };
  const { filter, seen, req } = traced([["X-Trace-Info", INFO], ["X-Trace-HMAC", HMAC]], "", local);
  await filter(req);
  assert.equal(traceOf(seen.requests[0])?.baseId, "b1");
});

Deno.test("osprofiler() traces nothing with an empty hmac_keys", async () => {
  const conf = "[profiler]\nenabled = true\nhmac_keys =\n";
  const { filter, seen, req } = traced([["X-Trace-Info", INFO], ["X-Trace-HMAC", HMAC]], conf);
  await filter(req);
  assert.equal(traceOf(seen.requests[0]), undefined);
});
