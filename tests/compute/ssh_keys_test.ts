/**
 * Public key checks and fingerprints against nova 26's own answers
 * (`nova.crypto.generate_fingerprint` on keys made by ssh-keygen and on
 * broken variants: testdata/ssh_key_oracle.json), and generated key pairs.
 */

import { strict as assert } from "node:assert";
import { createPrivateKey, createPublicKey } from "node:crypto";
import { a2bBase64 } from "../../lib/compute/keypairs/base64.ts";
import {
  generateKeyPair,
  InvalidKeypair,
  sshFingerprint,
} from "../../lib/compute/keypairs/ssh_keys.ts";

const ORACLE: [string, string | null][] = JSON.parse(
  Deno.readTextFileSync(new URL("./testdata/ssh_key_oracle.json", import.meta.url)),
);

Deno.test("sshFingerprint answers as nova.crypto.generate_fingerprint does", () => {
  assert.ok(ORACLE.length >= 30);
  for (const [key, expected] of ORACLE) {
    let got: string | null;
    try {
      got = sshFingerprint(key);
    } catch (err) {
      assert.ok(err instanceof InvalidKeypair);
      assert.equal(err.message, "Keypair data is invalid: failed to generate fingerprint");
      got = null;
    }
    assert.equal(got, expected, JSON.stringify(key.slice(0, 60)));
  }
});

Deno.test("a2bBase64 skips junk, stops at padding, refuses dangling quads", () => {
  assert.deepEqual(a2bBase64("QU!JD"), new Uint8Array([65, 66, 67]));
  assert.deepEqual(a2bBase64("QQ==trailing"), new Uint8Array([65]));
  assert.throws(() => a2bBase64("QUJ"), /Incorrect padding/);
  assert.throws(() => a2bBase64("Q"), /cannot be 1 more than a multiple of 4/);
});

Deno.test("generateKeyPair: a 2048-bit RSA pair whose halves match", () => {
  const { privateKey, publicKey, fingerprint } = generateKeyPair();
  const key = createPrivateKey(privateKey);
  assert.equal(key.asymmetricKeyDetails?.modulusLength, 2048);
  const n = createPublicKey(key).export({ format: "jwk" }).n!;
  const modulus = atob(n.replace(/-/g, "+").replace(/_/g, "/"));
  assert.ok(atob(publicKey.split(" ")[1]).endsWith(modulus));
  assert.equal(sshFingerprint(publicKey), fingerprint);
  assert.match(publicKey, / Generated-by-Nova$/);
});
