/**
 * The API controllers use: validateBody/validateQuery error shapes, legacy
 * v2 relaxation, exceptions nova lets through, compile caching.
 */
import assert from "node:assert/strict";
import { ApiVersion } from "../../lib/compute/api_version.ts";
import { HttpError } from "../../lib/errors.ts";
import {
  compileSchema,
  parameterTypes as pt,
  PyFloat,
  schemasFor,
  validateBody,
  validateBodyFor,
  validateQueryFor,
  validationMessage,
  type VersionedSchema,
} from "../../lib/validation/mod.ts";
import { serverCreate } from "./nova_schemas.ts";

const serverSchema = {
  type: "object",
  properties: {
    server: {
      type: "object",
      properties: { name: pt.name, metadata: pt.metadata },
      required: ["name"],
      additionalProperties: false,
    },
  },
  required: ["server"],
  additionalProperties: false,
} as const;

Deno.test("validateBody() throws HttpError 400 with nova's message", () => {
  assert.throws(() => validateBody(serverSchema, { server: {} }), (e) => {
    assert.ok(e instanceof HttpError);
    assert.equal(e.status, 400);
    assert.equal(
      e.explanation,
      "Invalid input for field/attribute server. Value: {}. 'name' is a required property",
    );
    return true;
  });
});

Deno.test("validateBody() returns quietly for a valid body and leaves it alone", () => {
  const body = { server: { name: "a", metadata: { k: "v" } } };
  validateBody(serverSchema, body);
  assert.deepEqual(body, { server: { name: "a", metadata: { k: "v" } } });
});

Deno.test("validateBody() legacy v2 deletes unknown keys instead of refusing them", () => {
  const body = { server: { name: "a", bogus: 1, metadata: { k: "v" } }, extra: true };
  validateBody(serverSchema, body, { legacyV2: true });
  assert.deepEqual(body, { server: { name: "a", metadata: { k: "v" } } });
});

Deno.test("validateBody() legacy v2 still refuses keys that miss patternProperties", () => {
  const body = { server: { name: "a", metadata: { "a/b": "v" } } };
  assert.throws(
    () => validateBody(serverSchema, body, { legacyV2: true }),
    new HttpError(
      400,
      "Invalid input for field/attribute metadata. Value: {'a/b': 'v'}. " +
        "Additional properties are not allowed ('a/b' was unexpected)",
    ),
  );
});

Deno.test("validateBody() turns a Python TypeError inside a checker into a 400 with its text", () => {
  const schema = { type: "object", properties: { c: { format: "cidr" } } };
  assert.throws(
    () => validateBody(schema, { c: 5 }),
    (e) => e instanceof HttpError && e.explanation === "unexpected type <class 'int'> for addr arg",
  );
});

Deno.test("validateBody() answers 400 where nova's validator crashes (nova answers 500)", () => {
  const b64 = { type: "object", properties: { c: { type: "string", format: "base64" } } };
  assert.throws(
    () => validateBody(b64, { c: "é" }),
    new HttpError(400, "Invalid input for field/attribute c. Value: é. 'é' is not a 'base64'"),
  );
  const rx = { type: "object", properties: { r: { type: "string", format: "regex" } } };
  for (const bad of ["a{4294967296}", "(?au)x"]) {
    assert.throws(
      () => validateBody(rx, { r: bad }),
      new HttpError(
        400,
        `Invalid input for field/attribute r. Value: ${bad}. '${bad}' is not a 'regex'`,
      ),
    );
  }
  // nova's aggregates schema has `'type': 'object'` inside its properties.
  const slip = {
    type: "object",
    properties: { type: "object", a: { type: "integer" } },
    additionalProperties: false,
  };
  validateBody(slip, { a: 1 });
  assert.throws(
    () => validateBody(slip, { type: 1 }),
    new HttpError(400, "Additional properties are not allowed ('type' was unexpected)"),
  );
  const bounded = { type: "object", properties: { n: { type: "number", maximum: 10 } } };
  assert.throws(
    () => validateBody(bounded, { n: new PyFloat(Infinity) }),
    new HttpError(
      400,
      "Invalid input for field/attribute n. Value: inf. inf is greater than the maximum of 10",
    ),
  );
  // A schema slip elsewhere still fails as Python does, with its text as a 400.
  const items = { type: "object", properties: { l: { items: "x" } } };
  assert.throws(
    () => validateBody(items, { l: [1] }),
    new HttpError(400, "'str' object has no attribute 'get'"),
  );
});

Deno.test("compileSchema() compiles each schema object once", () => {
  const schema = serverCreate(false);
  assert.equal(compileSchema(schema), compileSchema(schema));
  assert.notEqual(
    compileSchema(schema),
    compileSchema(schema, { relaxAdditionalProperties: true }),
  );
});

Deno.test("validationMessage() uses the innermost key for bodies, the first for queries", () => {
  const err = { message: "m", path: ["limit", 1], instance: "x" };
  assert.equal(validationMessage(err), "Invalid input for field/attribute 1. Value: x. m");
  assert.equal(
    validationMessage(err, false),
    "Invalid input for query parameters limit. Value: x. m",
  );
  assert.equal(validationMessage({ message: "m", path: [], instance: null }), "m");
});

Deno.test("validateBody() checks a typical server create in microseconds", () => {
  const schema = serverCreate(true);
  const body = {
    server: {
      name: "web-1",
      imageRef: "70a599e0-31e7-49b7-b260-868f441e862b",
      flavorRef: "1",
      networks: [{ uuid: "9d5a6a1b-2f43-4b8e-9a76-1c5e5f0e0b1d", fixed_ip: "10.0.0.5" }],
      metadata: { role: "web", "tier:name": "front end" },
      min_count: 1,
      max_count: "2",
    },
  };
  validateBody(schema, body);
  const n = 20000;
  const start = performance.now();
  for (let i = 0; i < n; i++) validateBody(schema, body);
  const perCall = (performance.now() - start) / n * 1000;
  // Generous bound so that a loaded CI machine does not flake; typically ~2 µs.
  assert.ok(perCall < 100, `${perCall.toFixed(2)} µs per validation`);
});

const v21 = { type: "object", properties: { a: { type: "string" } }, additionalProperties: false };
const v255 = { type: "object", properties: { a: {}, b: {} }, additionalProperties: false };
const ENTRIES: VersionedSchema[] = [
  { schema: v21, max: "2.54" },
  { schema: v255, min: "2.55" },
];

Deno.test("schemasFor() picks the decorators whose range holds the microversion", () => {
  const at = (v: string) => ({ apiVersion: ApiVersion.of(v), legacyV2: false });
  assert.deepEqual(schemasFor(at("2.1"), ENTRIES), [v21]);
  assert.deepEqual(schemasFor(at("2.54"), ENTRIES), [v21]);
  assert.deepEqual(schemasFor(at("2.55"), ENTRIES), [v255]);
  // Legacy v2: only schemas without min_version (or with "2.0").
  assert.deepEqual(schemasFor({ apiVersion: null, legacyV2: true }, ENTRIES), [v21]);
});

Deno.test("validateBodyFor() validates with the schema of the request's version", () => {
  const req = { apiVersion: ApiVersion.of("2.1"), legacyV2: false };
  assert.throws(
    () => validateBodyFor(req, { a: "x", b: 1 }, ENTRIES),
    new HttpError(400, "Additional properties are not allowed ('b' was unexpected)"),
  );
  validateBodyFor({ ...req, apiVersion: ApiVersion.of("2.55") }, { a: 1, b: 1 }, ENTRIES);
});

Deno.test("validateQueryFor() strips only when a schema applies", () => {
  const q = { type: "object", properties: { limit: pt.multiParams(pt.nonNegativeInteger) } };
  const entries = [{ schema: q, max: "2.74" }];
  const old = { apiVersion: ApiVersion.of("2.1"), legacyV2: false };
  assert.deepEqual(validateQueryFor(old, "limit=1&x=2", entries), { limit: ["1"] });
  const recent = { apiVersion: ApiVersion.of("2.75"), legacyV2: false };
  assert.deepEqual(validateQueryFor(recent, "limit=1&x=2", entries), { limit: ["1"], x: ["2"] });
});
