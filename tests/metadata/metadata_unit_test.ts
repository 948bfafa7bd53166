/**
 * The metadata API's pieces in process: Python's normpath, the EC2
 * listing format, the password's system metadata chunks, the cache's
 * expiry and its invalidation by the instance's view stamp, the proxy
 * signature.
 */

import { deepStrictEqual, equal, throws } from "node:assert/strict";
import { hmacSha256Hex } from "../../lib/hash.ts";
import { MetadataCache } from "../../lib/metadata/cache.ts";
import { convertPassword, extractPassword } from "../../lib/metadata/password.ts";
import { ec2MdPrint, findPathInTree, MetadataKeyError, normpath } from "../../lib/metadata/tree.ts";
import { Store } from "../../lib/store/db.ts";
import { fixtureMetadata } from "./_fixture.ts";

Deno.test("normpath() is Python's posixpath.normpath", () => {
  // Recorded from Python 3.11's posixpath.normpath.
  const python: Record<string, string> = {
    "": ".",
    "/": "/",
    "//": "//",
    "///": "/",
    "/a/b/": "/a/b",
    "a/../..": "..",
    "/..": "/",
    "/../a": "/a",
    "//a//b": "//a/b",
    "///a": "/a",
    "/./a/./b/.": "/a/b",
    "a/b/../../..": "..",
    "../a": "../a",
    "/a/b/../c": "/a/c",
    ".": ".",
    "./": ".",
    "a//b": "a/b",
  };
  deepStrictEqual(Object.fromEntries(Object.keys(python).map((p) => [p, normpath(p)])), python);
});

Deno.test("ec2MdPrint() lists sorted keys, sub-trees with a slash, `_name` for public keys", () => {
  equal(
    ec2MdPrint({ b: "x", a: { c: 1 }, "0": { _name: "0=key", "openssh-key": "k" }, _name: "n" }),
    "0=key\na/\nb",
  );
  equal(ec2MdPrint(["default", "web"]), "default\nweb");
  equal(ec2MdPrint(null), "None");
  equal(ec2MdPrint(3), "3");
  equal(ec2MdPrint(true), "True");
  const bytes = Uint8Array.from([0xff, 0]);
  equal(ec2MdPrint(bytes), bytes);
});

Deno.test("findPathInTree(): KeyError for a missing key and for one step past a leaf (nova: a 500)", () => {
  const tree = { a: { b: "leaf" }, l: ["x"] };
  equal(findPathInTree(tree, ["a", "b"]), "leaf");
  throws(() => findPathInTree(tree, ["a", "c"]), MetadataKeyError);
  throws(() => findPathInTree(tree, ["a", "b", "c"]), MetadataKeyError);
  throws(() => findPathInTree(tree, ["a", "b", "c", "d"]), MetadataKeyError);
  throws(() => findPathInTree(tree, ["l", "x"]), MetadataKeyError);
  throws(() => findPathInTree(tree, ["l", "y"]), MetadataKeyError);
});

Deno.test("the password is kept as four chunks of 255 characters and read back in key order", () => {
  const password = "\u00e9".repeat(300) + "x".repeat(400);
  const meta = convertPassword(password);
  deepStrictEqual(Object.keys(meta), ["password_0", "password_1", "password_2", "password_3"]);
  deepStrictEqual(Object.values(meta).map((v) => [...v].length), [255, 255, 190, 0]);
  equal(extractPassword({ ...meta, other: "y" }), password);
  equal(extractPassword(convertPassword("")), null);
  equal(extractPassword({}), null);
});

Deno.test("hmacSha256Hex() is RFC 4231's HMAC-SHA256", () => {
  // RFC 4231 test cases 2 and 6 (a key longer than the block).
  equal(
    hmacSha256Hex("Jefe", "what do ya want for nothing?"),
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  );
  equal(
    hmacSha256Hex(
      new Uint8Array(131).fill(0xaa),
      "Test Using Larger Than Block-Size Key - Hash Key First",
    ),
    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
  );
});

Deno.test("MetadataCache: an entry lives until it expires or its instance's stamp moves", () => {
  const store = Store.open(":memory:", []);
  store.db.exec(
    "CREATE TABLE instances (uuid TEXT, deleted INTEGER NOT NULL DEFAULT 0, view_stamp INTEGER)",
  );
  const md = fixtureMetadata({}, { view_stamp: 7 });
  store.run("INSERT INTO instances (uuid, view_stamp) VALUES (?, 7)", md.uuid);
  let now = 1000;
  const cache = new MetadataCache(15, store, () => now);
  cache.set("metadata-10.0.0.7", md);
  equal(cache.get("metadata-10.0.0.7"), md);
  equal(cache.get("metadata-other"), undefined);
  now += 14_999;
  equal(cache.get("metadata-10.0.0.7"), md);
  now += 1;
  equal(cache.get("metadata-10.0.0.7"), undefined, "expired");
  cache.set("k", md);
  store.run("UPDATE instances SET view_stamp = 8 WHERE uuid = ?", md.uuid);
  equal(cache.get("k"), undefined, "the instance changed");
  store.run("UPDATE instances SET view_stamp = 7, deleted = 1 WHERE uuid = ?", md.uuid);
  cache.set("k", md);
  equal(cache.get("k"), undefined, "the instance is gone");
  store.close();
});
