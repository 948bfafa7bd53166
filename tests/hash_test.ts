import { strict as assert } from "node:assert";
import { createHash, createHmac } from "node:crypto";
import { constantTimeEqual, hmacSha1Hex, sha224Hex, sha256Hex } from "../lib/hash.ts";

Deno.test("sha256Hex() and sha224Hex() match FIPS 180-4 vectors", () => {
  assert.equal(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(
    sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert.equal(sha224Hex("abc"), "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7");
});

Deno.test("sha256Hex() and sha224Hex() agree with node:crypto on every length around block edges", () => {
  for (let n = 0; n < 200; n++) {
    const text = "é".repeat(n % 7) + "x".repeat(n);
    assert.equal(sha256Hex(text), createHash("sha256").update(text).digest("hex"), `sha256 ${n}`);
    assert.equal(sha224Hex(text), createHash("sha224").update(text).digest("hex"), `sha224 ${n}`);
  }
});

Deno.test("hmacSha1Hex() agrees with node:crypto for short and long keys", () => {
  for (const key of ["", "SECRET_KEY", "k".repeat(64), "long".repeat(40)]) {
    for (const data of ["", "abc", "x".repeat(300)]) {
      assert.equal(
        hmacSha1Hex(key, data),
        createHmac("sha1", key).update(data).digest("hex"),
        `${key.length}/${data.length}`,
      );
    }
  }
});

Deno.test("constantTimeEqual() compares whole strings", () => {
  assert.equal(constantTimeEqual("abc", "abc"), true);
  assert.equal(constantTimeEqual("abc", "abd"), false);
  assert.equal(constantTimeEqual("abc", "ab"), false);
});
