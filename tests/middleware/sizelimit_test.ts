import assert from "node:assert/strict";
import { filterFactory } from "../../lib/middleware/sizelimit.ts";
import { bodyFrom, type BodyReader, BodyTooLargeError } from "../../lib/request.ts";
import { captureLogs } from "../../lib/log.ts";
import { context, downstream, pairs, request, wrap } from "./_helpers.ts";

/** A body that declares `length` bytes without holding them. */
function declared(length: number): BodyReader {
  return {
    contentLength: length,
    chunked: false,
    read: () => Promise.reject(new Error("the filter must not read a declared body")),
  };
}

Deno.test("sizelimit() returns 413 when Content-Length exceeds max_request_body_size (case 188)", async () => {
  const { app, seen } = downstream();
  captureLogs();
  const res = await wrap(filterFactory, app)(
    request("POST", "/v2.1/flavors", [["Content-Length", "120072"]], { body: declared(120072) }),
  );
  captureLogs(false);
  assert.equal(seen.requests.length, 0);
  assert.equal(res.status, 413);
  assert.equal(res.reason, "Request Entity Too Large");
  assert.deepEqual(pairs(res), [["Content-Length", "175"], ["Content-Type", "application/json"]]);
  assert.equal(
    res.text(),
    '{"message": "Request is too large. Larger than max_request_body_size (114688).' +
      '<br /><br />\\n\\n\\n", "code": "413 Request Entity Too Large", ' +
      '"title": "Request Entity Too Large"}',
  );
});

Deno.test("sizelimit() passes a body of exactly max_request_body_size (case 189)", async () => {
  const { app, seen } = downstream();
  const res = await wrap(filterFactory, app)(
    request("POST", "/v2.1/flavors", [], { body: declared(114688) }),
  );
  assert.equal(res.status, 200);
  assert.equal(seen.requests.length, 1);
});

Deno.test("sizelimit() reads the limit from [oslo_middleware] and lets paste override it", async () => {
  const conf = "[oslo_middleware]\nmax_request_body_size = 10\n";
  const fromConf = await wrap(filterFactory, downstream().app, { conf })(
    request("POST", "/", [], { body: declared(11) }),
  );
  assert.equal(fromConf.status, 413);
  const fromPaste = await wrap(filterFactory, downstream().app, {
    conf,
    local: { max_request_body_size: "20" },
  })(request("POST", "/", [], { body: declared(11) }));
  assert.equal(fromPaste.status, 200);
});

Deno.test("sizelimit() rejects a paste limit that is not an integer", () => {
  assert.throws(
    () => filterFactory(context(), {}, { max_request_body_size: "big" }),
    /Invalid value for max_request_body_size in the sizelimit filter: "big"/,
  );
});

Deno.test("sizelimit() returns 413 for a chunked body over the limit", async () => {
  const { app, seen } = downstream();
  captureLogs();
  const res = await wrap(filterFactory, app, {
    conf: "[oslo_middleware]\nmax_request_body_size = 8\n",
  })(
    request("POST", "/v2.1/os-keypairs", [["Accept", "text/plain"]], {
      body: bodyFrom("0123456789", { chunked: true }),
    }),
  );
  captureLogs(false);
  assert.equal(seen.requests.length, 0);
  assert.equal(res.status, 413);
  // webob 1.8's plain-text page, checked against webob itself.
  assert.equal(
    res.text(),
    "413 Request Entity Too Large\n\nRequest is too large. Larger than 8.\n\n   ",
  );
});

Deno.test("sizelimit() reads a chunked body with the limit and keeps it without Content-Length (case 212)", async () => {
  const limits: (number | undefined)[] = [];
  const source = bodyFrom('{"keypair": {}}', { chunked: true });
  const body: BodyReader = {
    contentLength: null,
    chunked: true,
    read(limit?: number) {
      limits.push(limit);
      return source.read(limit);
    },
  };
  const { app, seen } = downstream();
  await wrap(filterFactory, app)(request("POST", "/v2.1/os-keypairs", [], { body }));
  assert.deepEqual(limits, [114688]);
  const seenBody = seen.requests[0].body;
  assert.equal(seenBody.contentLength, null);
  assert.equal(seenBody.chunked, true);
  assert.equal(new TextDecoder().decode(await seenBody.read()), '{"keypair": {}}');
  await assert.rejects(seenBody.read(3), BodyTooLargeError);
});

Deno.test("sizelimit() passes on a chunked body it cannot read as no body (nova reads none)", async () => {
  const body: BodyReader = {
    contentLength: null,
    chunked: true,
    read: () => Promise.reject(new Error("Invalid chunk size")),
  };
  const { app, seen } = downstream();
  captureLogs();
  const res = await wrap(filterFactory, app)(request("POST", "/", [], { body }));
  captureLogs(false);
  assert.equal(res.status, 200);
  assert.equal(seen.requests.length, 1);
  const passed = seen.requests[0].body;
  assert.equal(passed.contentLength, null);
  assert.equal((await passed.read()).length, 0);
});
