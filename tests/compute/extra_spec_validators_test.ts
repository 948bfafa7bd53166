/**
 * Extra spec validation (2.86) against nova 26's own answers
 * (`validators.validate(name, value)` on testdata/extra_spec_oracle.json).
 */

import { strict as assert } from "node:assert";
import { validateExtraSpec } from "../../lib/compute/flavors/extra_specs/validators.ts";
import { HttpError } from "../../lib/errors.ts";

const ORACLE: [string, string, string | null][] = JSON.parse(
  Deno.readTextFileSync(new URL("./testdata/extra_spec_oracle.json", import.meta.url)),
);

Deno.test("validateExtraSpec answers as nova's validators.validate does", () => {
  assert.ok(ORACLE.length > 60);
  for (const [name, value, expected] of ORACLE) {
    let got: string | null = null;
    try {
      validateExtraSpec(name, value);
    } catch (err) {
      assert.ok(err instanceof HttpError && err.status === 400);
      got = err.message;
    }
    assert.equal(got, expected, `${name}=${JSON.stringify(value)}`);
  }
});
