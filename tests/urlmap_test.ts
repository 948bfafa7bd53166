import { strict as assert } from "node:assert";
import type { App } from "../lib/app.ts";
import { ApiResponse } from "../lib/response.ts";
import { parsePathExpression, UrlMap } from "../lib/urlmap.ts";
import { makeRequest } from "./_helpers.ts";

/** An app that reports where urlmap mounted the request. */
function where(name: string): App {
  return (req) =>
    Promise.resolve(
      new ApiResponse(200, [], `${name}|${req.scriptName}|${req.pathInfo}|${req.bestContentType}`),
    );
}

function novaMap(): UrlMap {
  const map = new UrlMap();
  map.mount("/", where("versions"));
  map.mount("/v2", where("v2"));
  map.mount("/v2.1", where("v21-versions"));
  map.mount("/v2/+", where("legacy-api"));
  map.mount("/v2.1/+", where("api"));
  return map;
}

async function route(
  map: UrlMap,
  path: string,
  headers: Record<string, string> = {},
): Promise<string> {
  return (await map.handle(makeRequest("GET", path, { headers }))).text();
}

Deno.test("urlmap: longest prefix first; `/v2.1/+` needs something after the slash", async () => {
  const map = novaMap();
  assert.equal(await route(map, "/"), "versions||/|application/json");
  assert.equal(await route(map, "/v2.1"), "v21-versions|/v2.1||application/json");
  assert.equal(await route(map, "/v2.1/"), "v21-versions|/v2.1|/|application/json");
  assert.equal(await route(map, "/v2.1/flavors"), "api|/v2.1|/flavors|application/json");
  assert.equal(await route(map, "/v2/flavors"), "legacy-api|/v2|/flavors|application/json");
  assert.equal(await route(map, "/nonexistent"), "versions||/nonexistent|application/json");
  assert.equal(await route(map, "/v2.10/x"), "versions||/v2.10/x|application/json");
});

Deno.test("urlmap: repeated slashes are collapsed before matching", async () => {
  assert.equal(await route(novaMap(), "//v2.1//flavors"), "api|/v2.1|/flavors|application/json");
});

Deno.test("urlmap: a version in the Accept header picks the app without changing PATH_INFO", async () => {
  const out = await route(novaMap(), "/", {
    Accept: "application/vnd.openstack.compute+json;version=2.1",
  });
  assert.equal(out, "v21-versions|/v2.1|/|application/vnd.openstack.compute+json");
});

Deno.test("urlmap: a version in the Content-Type header picks the app", async () => {
  const out = await route(novaMap(), "/", { "Content-Type": "application/json;version=2" });
  assert.equal(out, "v2|/v2|/|application/json");
});

Deno.test("urlmap: domain entries match the Host header before catch-all entries", async () => {
  const map = novaMap();
  map.mount("domain api.example.org /", where("other-host"));
  assert.equal(
    await route(map, "/x", { Host: "api.example.org" }),
    "other-host||/x|application/json",
  );
  assert.equal(await route(map, "/x", { Host: "127.0.0.1:8774" }), "versions||/x|application/json");
});

Deno.test("urlmap: without a root mount an unknown path is a 404", async () => {
  const map = new UrlMap();
  map.mount("/v2.1", where("v21"));
  const res = await map.handle(
    makeRequest("GET", "/other", { headers: { Accept: "application/json" } }),
  );
  assert.equal(res.status, 404);
});

Deno.test("parsePathExpression() trims trailing slashes and reads domain/port", () => {
  assert.deepEqual(parsePathExpression("/"), { domain: null, url: "" });
  assert.deepEqual(parsePathExpression("/v2.1/+"), { domain: null, url: "/v2.1/+" });
  assert.deepEqual(parsePathExpression("domain example.com port 8080 /x/"), {
    domain: "example.com:8080",
    url: "/x",
  });
  assert.throws(() => parsePathExpression("port 80 /x"), /needs a domain/);
});
