import { strict as assert } from "node:assert";
import {
  versionsAppFactory,
  versionsController,
  versionsV2AppFactory,
} from "../lib/compute/versions.ts";
import { resource } from "../lib/compute/wsgi.ts";
import { confFrom, headerLines, makeRequest } from "./_helpers.ts";

const ctx = { conf: confFrom() };

// Body of recorded case 001-root-versions (nova 26) with the host http://127.0.0.1:8774
// (the recording used port 18774, hence two bytes more there).
const ROOT_BODY =
  '{"versions": [{"id": "v2.0", "status": "SUPPORTED", "version": "", "min_version": "", ' +
  '"updated": "2011-01-21T11:33:21Z", "links": [{"rel": "self", "href": "http://127.0.0.1:8774/v2/"}]}, ' +
  '{"id": "v2.1", "status": "CURRENT", "version": "2.93", "min_version": "2.1", "updated": ' +
  '"2013-07-23T11:33:21Z", "links": [{"rel": "self", "href": "http://127.0.0.1:8774/v2.1/"}]}]}';

Deno.test("Versions: GET / is the versions document, byte for byte, without version headers (case 001)", async () => {
  const app = versionsAppFactory(ctx, {}, {});
  const res = await app(makeRequest("GET", "/"));
  assert.equal(res.status, 200);
  assert.equal(res.text(), ROOT_BODY);
  assert.deepEqual(headerLines(res), ["Content-Length: 367", "Content-Type: application/json"]);
});

Deno.test("Versions: another path under the root app is 300 Multiple Choices with hrefs to that path (case 021)", async () => {
  const app = versionsAppFactory(ctx, {}, {});
  const res = await app(makeRequest("GET", "/nonexistent"));
  assert.equal(res.status, 300);
  const body = JSON.parse(res.text());
  assert.deepEqual(body.choices.map((c: { links: { href: string }[] }) => c.links[0].href), [
    "http://127.0.0.1:8774/v2/nonexistent",
    "http://127.0.0.1:8774/v2.1/nonexistent",
  ]);
});

Deno.test("Versions: a GET with Content-Type text/html is 415 (case 267)", async () => {
  const app = versionsAppFactory(ctx, {}, {});
  const res = await app(makeRequest("GET", "/", { headers: { "Content-Type": "text/html" } }));
  assert.equal(res.status, 415);
  assert.equal(
    res.text(),
    '{"badMediaType": {"code": 415, "message": "Unsupported Content-Type"}}',
  );
  assert.deepEqual(headerLines(res), [
    "Content-Type: application/json; charset=UTF-8",
    "Content-Length: 70",
  ]);
});

Deno.test("VersionsV2: GET /v2.1/ is the v2.1 document with microversion headers (case 007)", async () => {
  const app = versionsV2AppFactory(ctx, {}, {});
  const req = makeRequest("GET", "/");
  req.scriptName = "/v2.1";
  const res = await app(req);
  assert.equal(res.status, 200);
  const body = JSON.parse(res.text());
  assert.equal(body.version.links[0].href, "http://127.0.0.1:8774/v2.1/");
  assert.equal(body.version.links[1].href, "http://docs.openstack.org/");
  assert.deepEqual(headerLines(res), [
    "Content-Length: 383",
    "Content-Type: application/json",
    "OpenStack-API-Version: compute 2.1",
    "X-OpenStack-Nova-API-Version: 2.1",
    "Vary: OpenStack-API-Version",
    "Vary: X-OpenStack-Nova-API-Version",
  ]);
});

Deno.test("VersionsV2: [api] compute_link_prefix replaces scheme, host and adds its path", async () => {
  const app = versionsV2AppFactory(
    { conf: confFrom("[api]\ncompute_link_prefix = https://public.example/compute\n") },
    {},
    {},
  );
  const req = makeRequest("GET", "/");
  req.scriptName = "/v2.1";
  const body = JSON.parse((await app(req)).text());
  assert.equal(body.version.links[0].href, "https://public.example/compute/v2.1/");
});

Deno.test("VersionsController: /versions/{id} answers known ids and 404 otherwise", async () => {
  const show = resource(versionsController(null), "show");
  const req = makeRequest("GET", "/versions/v2.0", { headers: { Accept: "application/json" } });
  req.scriptName = "/v2.1";
  assert.equal(JSON.parse((await show(req, { id: "v2.0" })).text()).version.id, "v2.0");
  const missing = await show(makeRequest("GET", "/versions/v9"), { id: "v9" });
  assert.equal(missing.status, 404);
  assert.equal(
    missing.text(),
    '{"itemNotFound": {"code": 404, "message": "The resource could not be found."}}',
  );
});
