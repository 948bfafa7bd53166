/**
 * The keypair store and service on a real SQLite file: one name per user,
 * nothing stored for a refused key, durability, the quota, paging.
 */

import { strict as assert } from "node:assert";
import {
  InvalidKeypair,
  KeypairApi,
  KeyPairExists,
  KeypairLimitExceeded,
} from "../../lib/compute/keypairs/api.ts";
import { KeypairStore } from "../../lib/compute/keypairs/store.ts";
import { openStore } from "./_store.ts";

const ED = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIbcw8PEkzAzgBu65Sn/mB4JBnEl1pgXbaWAFL1D6wEE c";

Deno.test("KeypairApi: names are unique per user; a bad key stores nothing", () => {
  const db = openStore();
  const api = new KeypairApi(new KeypairStore(db));
  api.importKeyPair("u1", "k", ED, "ssh");
  assert.throws(() => api.importKeyPair("u1", "k", ED, "ssh"), KeyPairExists);
  assert.equal(api.importKeyPair("u2", "k", ED, "ssh").user_id, "u2");
  assert.throws(() => api.importKeyPair("u1", "bad", "ssh-ed25519 AAAA", "ssh"), InvalidKeypair);
  assert.equal(api.get("u1", "bad"), null);
  assert.equal(api.count("u1"), 1);
  db.close();
});

Deno.test("KeypairApi: key pairs survive a reopen; delete removes the row", () => {
  const db = openStore();
  const api = new KeypairApi(new KeypairStore(db));
  const { keypair, privateKey } = api.createKeyPair("u1", "gen", "ssh");
  assert.match(privateKey, /^-----BEGIN RSA PRIVATE KEY-----/);
  db.close();
  const again = new KeypairApi(new KeypairStore(openStore(db.path)));
  assert.deepEqual(again.get("u1", "gen"), keypair);
  again.delete("u1", "gen");
  assert.throws(() => again.delete("u1", "gen"), /Keypair gen not found for user u1/);
  again.store.db.close();
});

Deno.test("KeypairApi: the per-user quota and name-ordered paging", () => {
  const db = openStore();
  const api = new KeypairApi(new KeypairStore(db), 3);
  for (const name of ["c", "a", "b"]) api.importKeyPair("u1", name, ED, "ssh");
  assert.throws(() => api.importKeyPair("u1", "d", ED, "ssh"), KeypairLimitExceeded);
  api.importKeyPair("u2", "d", ED, "ssh");
  assert.deepEqual(api.page("u1", 2, null).map((k) => k.name), ["a", "b"]);
  assert.deepEqual(api.page("u1", null, "a").map((k) => k.name), ["b", "c"]);
  assert.throws(() => api.page("u1", null, "zz"), /Marker zz could not be found\./);
  db.close();
});
