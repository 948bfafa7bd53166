import assert from "node:assert/strict";
import { filterFactory, parseRfc7239 } from "../../lib/middleware/http_proxy_to_wsgi.ts";
import type { ApiRequest } from "../../lib/request.ts";
import { downstream, mounted, request, wrap } from "./_helpers.ts";

const ENABLED = "[oslo_middleware]\nenable_proxy_headers_parsing = true\n";

async function seenBy(req: ApiRequest, conf = ENABLED): Promise<ApiRequest> {
  const { app, seen } = downstream();
  await wrap(filterFactory, app, { conf })(req);
  return seen.requests[0];
}

Deno.test("httpProxyToWsgi() does nothing unless enable_proxy_headers_parsing", async () => {
  const req = await seenBy(
    request("GET", "/", [["X-Forwarded-Proto", "https"], [
      "X-Forwarded-Host",
      "cloud.example.com",
    ]]),
    "",
  );
  assert.equal(req.hostUrl, "http://127.0.0.1:18774");
});

Deno.test("httpProxyToWsgi() takes scheme and host from X-Forwarded-* (case 204)", async () => {
  const req = await seenBy(
    request("GET", "/", [["X-Forwarded-Proto", "https"], [
      "X-Forwarded-Host",
      "cloud.example.com",
    ]]),
  );
  assert.equal(req.scheme, "https");
  assert.equal(req.header("host"), "cloud.example.com");
  assert.equal(req.applicationUrl + "/v2/", "https://cloud.example.com/v2/");
});

Deno.test("httpProxyToWsgi() keeps a forwarded port in the host (case 205)", async () => {
  const req = await seenBy(
    mounted(
      request("GET", "/v2.1/", [
        ["X-Forwarded-Proto", "https"],
        ["X-Forwarded-Host", "cloud.example.com:8443"],
      ]),
      "/v2.1",
    ),
  );
  assert.equal(req.applicationUrl + "/", "https://cloud.example.com:8443/v2.1/");
});

Deno.test("httpProxyToWsgi() puts X-Forwarded-Prefix before the script name (case 206)", async () => {
  const req = await seenBy(
    request("GET", "/", [
      ["X-Forwarded-Proto", "https"],
      ["X-Forwarded-Host", "cloud.example.com"],
      ["X-Forwarded-Prefix", "/compute"],
    ]),
  );
  assert.equal(req.scriptName, "/compute");
  assert.equal(req.applicationUrl + "/v2.1/", "https://cloud.example.com/compute/v2.1/");
});

Deno.test("httpProxyToWsgi() prefixes a mounted script name", async () => {
  const req = await seenBy(
    mounted(request("GET", "/v2.1/flavors", [["X-Forwarded-Prefix", "/compute"]]), "/v2.1"),
  );
  assert.equal(req.path, "/compute/v2.1/flavors");
});

Deno.test("httpProxyToWsgi() takes proto, host and for from RFC 7239 Forwarded (case 207)", async () => {
  const req = await seenBy(
    request("GET", "/", [["Forwarded", "for=192.0.2.1;proto=https;host=api.example.org"]]),
  );
  assert.equal(req.applicationUrl + "/v2/", "https://api.example.org/v2/");
  assert.equal(req.remoteAddr, "192.0.2.1");
});

Deno.test("httpProxyToWsgi() prefers Forwarded over X-Forwarded-* and uses its first proxy", async () => {
  const req = await seenBy(
    request("GET", "/", [
      ["Forwarded", "proto=https;host=first.example, proto=http;host=second.example"],
      ["X-Forwarded-Proto", "http"],
      ["X-Forwarded-Host", "xfh.example"],
      ["X-Forwarded-For", "203.0.113.1"],
    ], { remoteAddr: "10.0.0.1" }),
  );
  assert.equal(req.hostUrl, "https://first.example");
  assert.equal(req.remoteAddr, "10.0.0.1");
});

Deno.test("httpProxyToWsgi() takes the client address from X-Forwarded-For", async () => {
  const req = await seenBy(request("GET", "/", [["X-Forwarded-For", "203.0.113.1"]]));
  assert.equal(req.remoteAddr, "203.0.113.1");
});

Deno.test("httpProxyToWsgi() ignores a forwarded scheme other than http or https", async () => {
  const req = await seenBy(request("GET", "/", [["X-Forwarded-Proto", "javascript"]]));
  assert.equal(req.scheme, "http");
});

Deno.test("httpProxyToWsgi() can be switched on by its paste key", async () => {
  const { app, seen } = downstream();
  await wrap(filterFactory, app, { local: { enable_proxy_headers_parsing: "True" } })(
    request("GET", "/", [["X-Forwarded-Proto", "https"]]),
  );
  assert.equal(seen.requests[0].scheme, "https");
});

Deno.test("parseRfc7239() splits proxies and pairs, lower-casing keys, keeping values verbatim", () => {
  assert.deepEqual(parseRfc7239('For=192.0.2.60;Proto=http, for="[2001:db8::1]";host=h'), [
    { proto: "http", host: undefined, for: "192.0.2.60" },
    { proto: undefined, host: "h", for: '"[2001:db8::1]"' },
  ]);
});
