import assert from "node:assert/strict";
import { ApiVersion } from "../../lib/compute/api_version.ts";
import { captureLogs } from "../../lib/log.ts";
import { ENV_EVENTLET_INPUT, filterFactory } from "../../lib/middleware/request_log.ts";
import { ApiResponse } from "../../lib/response.ts";
import { downstream, mounted, request, throwing, wrap } from "./_helpers.ts";

const LINE =
  /^\S+ \S+ \d+ INFO nova\.api\.openstack\.requestlog (\[[^\]]*\]) (.*) time: (\d+\.\d{6})$/;

async function logged(run: () => Promise<unknown>): Promise<string[]> {
  const lines = captureLogs();
  try {
    await run();
  } catch {
    // the failure itself is checked by the caller's assertions on the lines
  }
  captureLogs(false);
  return lines.filter((l) => l.includes("nova.api.openstack.requestlog"));
}

Deno.test("requestLog() writes nova's line with method, URI, status, len and microversion", async () => {
  const { app } = downstream((req) => {
    req.apiVersion = ApiVersion.of("2.53");
    return new ApiResponse(200, [["Content-Length", "15"]], '{"flavors": []}');
  });
  const req = mounted(
    request("GET", "/v2.1/flavors", [], { query: "limit=1", remoteAddr: "192.0.2.7" }),
    "/v2.1",
  );
  const lines = await logged(() => wrap(filterFactory, app)(req));
  assert.equal(lines.length, 1);
  const m = LINE.exec(lines[0]);
  assert.ok(m, lines[0]);
  assert.equal(m[1], "[-]");
  assert.equal(
    m[2],
    '192.0.2.7 "GET /v2.1/flavors?limit=1" status: 200 len: 15 microversion: 2.53',
  );
});

Deno.test("requestLog() writes microversion - when the API layer set none", async () => {
  const { app } = downstream(() => new ApiResponse(300, [["Content-Length", "3"]], "abc"));
  const lines = await logged(() => wrap(filterFactory, app)(request("GET", "/nonexistent")));
  assert.match(lines[0], / "GET \/nonexistent" status: 300 len: 3 microversion: - time: /);
});

Deno.test("requestLog() stays quiet when the server marked the request with eventlet.input", async () => {
  const req = request("GET", "/");
  req.environ.set(ENV_EVENTLET_INPUT, true);
  const lines = await logged(() => wrap(filterFactory, downstream().app)(req));
  assert.deepEqual(lines, []);
});

Deno.test("requestLog() logs status 500 len 0 and rethrows when the app throws", async () => {
  const err = new Error("boom");
  let thrown: unknown = null;
  const lines = await logged(async () => {
    try {
      await wrap(filterFactory, throwing(err))(request("POST", "/v2.1/servers"));
    } catch (e) {
      thrown = e;
    }
  });
  assert.equal(thrown, err);
  assert.match(lines[0], / "POST \/v2\.1\/servers" status: 500 len: 0 microversion: - /);
});

Deno.test("requestLog() takes the address from X-Forwarded-For with [api] use_forwarded_for", async () => {
  const req = request("GET", "/", [["X-Forwarded-For", "203.0.113.5"]], { remoteAddr: "10.0.0.1" });
  const lines = await logged(() =>
    wrap(filterFactory, downstream().app, { conf: "[api]\nuse_forwarded_for = True\n" })(req)
  );
  assert.match(lines[0], /\] 203\.0\.113\.5 "GET \/"/);
});

Deno.test("requestLog() shows the request ids and user once a context exists", async () => {
  const { app } = downstream((req) => {
    req.context = { userId: "admin", projectId: "p1", roles: [], isAdmin: true, remoteAddress: "" };
    return new ApiResponse(204, [["Content-Length", "0"]]);
  });
  const req = request("DELETE", "/v2.1/flavors/x");
  req.requestId = "req-11111111-2222-4333-8444-555555555555";
  const lines = await logged(() => wrap(filterFactory, app)(req));
  assert.equal(
    LINE.exec(lines[0])?.[1],
    "[None req-11111111-2222-4333-8444-555555555555 admin p1 - - - -]",
  );
});
