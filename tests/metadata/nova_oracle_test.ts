/**
 * novalet's metadata against nova 26's own code: testdata/nova26_oracle.json
 * holds what nova.api.metadata.base.InstanceMetadata answers for the
 * fixture instance (make_oracle.py), path by path and for the config
 * drive; novalet must answer the same bytes with the same content type.
 */

import { deepStrictEqual } from "node:assert/strict";
import { b64encode } from "../../lib/compute/keypairs/base64.ts";
import { metadataForConfigDrive } from "../../lib/metadata/config_drive.ts";
import { InvalidMetadataPath } from "../../lib/metadata/instance_metadata.ts";
import { ec2MdPrint } from "../../lib/metadata/tree.ts";
import { FIXTURE, fixtureMetadata } from "./_fixture.ts";
import { a2bBase64 } from "../../lib/compute/keypairs/base64.ts";

const ORACLE = JSON.parse(
  Deno.readTextFileSync(new URL("./testdata/nova26_oracle.json", import.meta.url)),
);
const ENCODER = new TextEncoder();
const DEFAULT_SKIP =
  "1.0 2007-01-19 2007-03-01 2007-08-29 2007-10-10 2007-12-15 2008-02-01 2008-09-01";

/** What the handler sends for `path` once the instance is known, in the oracle's terms. */
function answer(path: string): Record<string, unknown> {
  const md = fixtureMetadata();
  try {
    const found = md.lookup(path);
    if (found.kind === "password") return { password: true };
    const body = ec2MdPrint(found.data);
    const bytes = typeof body === "string" ? ENCODER.encode(body) : body;
    return { status: 200, mimetype: found.mimetype, body: b64encode(bytes) };
  } catch (err) {
    if (err instanceof InvalidMetadataPath) return { status: 404 };
    throw err;
  }
}

Deno.test("metadata lookups answer what nova 26's InstanceMetadata answers, path by path", () => {
  const paths = Object.keys(ORACLE.answers);
  deepStrictEqual(paths.length > 150, true);
  const ours = Object.fromEntries(paths.map((p) => [p, answer(p)]));
  // Where nova crashes with a TypeError (a 500: a path past a leaf or a list
  // item, openstack/latest/content), novalet answers the 404 of a missing path.
  const expected = Object.fromEntries(
    Object.entries(ORACLE.answers).map((
      [p, a],
    ) => [p, (a as { status?: number }).status === 500 ? { status: 404 } : a]),
  );
  deepStrictEqual(
    Object.values(ORACLE.answers).some((a) => (a as { status?: number }).status === 500),
    true,
  );
  deepStrictEqual(ours, expected);
});

Deno.test("the config drive holds nova 26's files, in its order, byte for byte", () => {
  const md = fixtureMetadata({
    content: FIXTURE.files.map((f: { path: string; contents: string }) => [
      f.path,
      a2bBase64(f.contents),
    ]),
    extraMd: { admin_pass: FIXTURE.admin_pass },
    address: null,
  });
  const ours = metadataForConfigDrive(md, DEFAULT_SKIP).map((f) => [f.path, b64encode(f.data)]);
  deepStrictEqual(ours, ORACLE.config_drive);
});
