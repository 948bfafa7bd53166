import { strict as assert } from "node:assert";
import {
  ApiVersion,
  MAX_VERSION,
  MIN_VERSION,
  negotiateVersion,
  requestedVersion,
} from "../lib/compute/api_version.ts";
import { HttpError } from "../lib/errors.ts";

const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;

Deno.test("ApiVersion.parse() accepts X.Y and rejects what nova's regex rejects", () => {
  assert.equal(ApiVersion.parse("2.53").toString(), "2.53");
  assert.equal(ApiVersion.parse("2.0").toString(), "2.0");
  for (const bad of ["2", "02.1", "2.01", "latest", "LATEST", "2.1.1", " 2.1", ""]) {
    assert.throws(
      () => ApiVersion.parse(bad),
      (e: HttpError) =>
        e.status === 400 &&
        e.message ===
          `API Version String ${bad} is of invalid format. Must be of format MajorNum.MinorNum.`,
    );
  }
});

Deno.test("ApiVersion.matches() treats a null bound as open", () => {
  const v = ApiVersion.of("2.10");
  assert.equal(v.matches(ApiVersion.of("2.2"), ApiVersion.NULL), true);
  assert.equal(v.matches(ApiVersion.NULL, ApiVersion.of("2.9")), false);
  assert.equal(v.matches(ApiVersion.of("2.10"), ApiVersion.of("2.10")), true);
  assert.equal(v.atLeast("2.11"), false);
  assert.equal(v.atLeast("2.9"), true);
});

Deno.test("requestedVersion(): OpenStack-API-Version beats the legacy header; other services are ignored", () => {
  assert.equal(
    requestedVersion(
      headers({ "openstack-api-version": "compute 2.60", "x-openstack-nova-api-version": "2.10" }),
    ),
    "2.60",
  );
  assert.equal(requestedVersion(headers({ "openstack-api-version": "volume 3.50" })), null);
  assert.equal(
    requestedVersion(headers({ "openstack-api-version": "volume 3.50, compute 2.3" })),
    "2.3",
  );
  assert.equal(requestedVersion(headers({ "x-openstack-nova-api-version": "2.1, 2.7" })), "2.7");
});

Deno.test("negotiateVersion(): default 2.1, latest, 406 echoing an out-of-range version (cases 027, 034)", () => {
  assert.equal(negotiateVersion(headers({})).version, MIN_VERSION);
  assert.equal(
    negotiateVersion(headers({ "openstack-api-version": "compute latest" })).version,
    MAX_VERSION,
  );
  const high = negotiateVersion(headers({ "openstack-api-version": "compute 2.999" }));
  assert.equal(high.version.toString(), "2.999");
  assert.equal(high.error?.status, 406);
  assert.equal(
    high.error?.message,
    "Version 2.999 is not supported by the API. Minimum is 2.1 and maximum is 2.93.",
  );
  assert.equal(
    negotiateVersion(headers({ "openstack-api-version": "compute 2.0" })).error?.status,
    406,
  );
  assert.throws(
    () => negotiateVersion(headers({ "openstack-api-version": "compute LATEST" })),
    /LATEST is of invalid format/,
  );
});
