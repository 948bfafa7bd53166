/**
 * End to end: the keypairs API of the real novalet against nova 26's
 * recorded answers (cases 101-122, 212, 213, 265) and nova's code.
 */

import { strict as assert } from "node:assert";
import { createPrivateKey, createPublicKey } from "node:crypto";
import { startNovalet } from "../_server.ts";
import { ADMIN, call, DEMO, faultMessage } from "./_novalet_api.ts";

// Copies of recorded nova 26 answers (../shared/reference/nova26/cases).
const CASES = new URL("../testdata/nova26-cases/", import.meta.url);
const RSA_KEY = JSON.parse(
  JSON.parse(Deno.readTextFileSync(new URL("101-keypair-import-rsa.json", CASES))).request.body,
).keypair.public_key as string;
const RSA_FP = "c5:e7:d1:1e:c4:fb:f0:bc:5e:36:8f:15:c9:4a:b1:5e";
const ED_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIbcw8PEkzAzgBu65Sn/mB4JBnEl1pgXbaWAFL1D6wEE nova-ref-ed@example";

function selfSignedCertificate(): string {
  const dir = Deno.makeTempDirSync();
  const out = new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      `${dir}/k`,
      "-subj",
      "/CN=t",
      "-days",
      "1",
    ],
    stdout: "piped",
    stderr: "null",
  }).outputSync();
  return new TextDecoder().decode(out.stdout);
}

Deno.test("e2e keypairs: import, generate, list, show, delete as nova 26", async (t) => {
  const n = await startNovalet();
  const stateDir = n.stateDir;
  try {
    await t.step("import rsa at 2.1: 200, no type (case 101)", async () => {
      const res = await call(n, "POST", "/v2.1/os-keypairs", {
        body: { keypair: { name: "ref-key1", public_key: RSA_KEY } },
      });
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, {
        keypair: { name: "ref-key1", public_key: RSA_KEY, fingerprint: RSA_FP, user_id: "admin" },
      });
    });
    await t.step("import ed25519 at 2.2: 201 with type first (case 102)", async () => {
      const res = await call(n, "POST", "/v2.1/os-keypairs", {
        version: "2.2",
        body: { keypair: { name: "ref-key-ed", public_key: ED_KEY, type: "ssh" } },
      });
      assert.equal(res.status, 201);
      assert.deepEqual(Object.keys(res.json.keypair), [
        "type",
        "name",
        "public_key",
        "fingerprint",
        "user_id",
      ]);
      assert.equal(res.json.keypair.fingerprint, "3e:2e:2e:9a:0d:cd:cb:87:5f:2a:10:4d:dc:49:0c:d3");
    });
    await t.step("generate at 2.1 (case 103): a working RSA pair and its fingerprint", async () => {
      const res = await call(n, "POST", "/v2.1/os-keypairs", {
        body: { keypair: { name: "ref-key-gen" } },
      });
      assert.equal(res.status, 200);
      const kp = res.json.keypair;
      assert.deepEqual(Object.keys(kp), [
        "private_key",
        "name",
        "public_key",
        "fingerprint",
        "user_id",
      ]);
      assert.match(
        kp.private_key,
        /^-----BEGIN RSA PRIVATE KEY-----\n(?:[A-Za-z0-9+/=]{64}\n)+[A-Za-z0-9+/=]{1,64}\n-----END RSA PRIVATE KEY-----\n$/,
      );
      assert.match(kp.public_key, /^ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ\S+ Generated-by-Nova$/);
      assert.match(kp.fingerprint, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
      const fromPrivate = createPublicKey(createPrivateKey(kp.private_key)).export({
        format: "jwk",
      });
      const blob = atob(kp.public_key.split(" ")[1]);
      const modulus = atob(fromPrivate.n!.replace(/-/g, "+").replace(/_/g, "/"));
      assert.ok(blob.endsWith(modulus), "the public key is the private key's");
      const shown = await call(n, "GET", "/v2.1/os-keypairs/ref-key-gen");
      assert.equal(shown.json.keypair.fingerprint, kp.fingerprint);
      assert.equal("private_key" in shown.json.keypair, false);
    });
    await t.step("2.92: no generation, `@` and `.` in names (cases 104, 105)", async () => {
      const gen = await call(n, "POST", "/v2.1/os-keypairs", {
        version: "2.92",
        body: { keypair: { name: "ref-key-gen2" } },
      });
      assert.equal(
        faultMessage(gen),
        "Invalid input for field/attribute keypair. Value: {'name': 'ref-key-gen2'}. 'public_key' is a required property",
      );
      const at = await call(n, "POST", "/v2.1/os-keypairs", {
        version: "2.92",
        body: { keypair: { name: "ref@key.2", public_key: RSA_KEY } },
      });
      assert.equal(at.status, 201);
      const old = await call(n, "POST", "/v2.1/os-keypairs", {
        body: { keypair: { name: "ref@key.3", public_key: RSA_KEY } },
      });
      assert.equal(
        faultMessage(old),
        "An invalid 'name' value was provided. The name must be: Only expected characters: " +
          "[_- 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ]",
      );
    });
    await t.step(
      "refusals: duplicate, names, bad key, bad type, bad x509 (cases 106-112)",
      async () => {
        const post = (keypair: unknown, version?: string) =>
          call(n, "POST", "/v2.1/os-keypairs", { body: { keypair }, version });
        const dup = await post({ name: "ref-key1", public_key: RSA_KEY });
        assert.deepEqual([dup.status, faultMessage(dup)], [
          409,
          "Key pair 'ref-key1' already exists.",
        ]);
        assert.equal(
          faultMessage(await post({ name: "", public_key: RSA_KEY })),
          "Invalid input for field/attribute name. Value: . '' is too short",
        );
        const bad = await post({ name: "ref-bad-pk", public_key: "ssh-rsa garbage" });
        assert.deepEqual([bad.status, faultMessage(bad)], [
          400,
          "Keypair data is invalid: failed to generate fingerprint",
        ]);
        assert.equal(
          faultMessage(await post({ name: "t", public_key: RSA_KEY, type: "pgp" }, "2.2")),
          "Invalid input for field/attribute type. Value: pgp. 'pgp' is not one of ['ssh', 'x509']",
        );
        assert.equal(
          faultMessage(await post({ name: "x", public_key: "not a cert", type: "x509" }, "2.2")),
          "Keypair data is invalid: failed to generate X509 fingerprint. Error message: Unable to load PEM file. " +
            "See https://cryptography.io/en/latest/faq/#why-can-t-i-import-my-pem-file for more details. MalformedFraming",
        );
        assert.equal(
          (await call(n, "GET", "/v2.1/os-keypairs/ref-bad-pk")).status,
          404,
          "nothing stored",
        );
      },
    );
    await t.step("x509: a certificate imports with its SHA-1 fingerprint", async () => {
      const pem = selfSignedCertificate();
      const res = await call(n, "POST", "/v2.1/os-keypairs", {
        version: "2.2",
        body: { keypair: { name: "cert", public_key: pem, type: "x509" } },
      });
      assert.equal(res.status, 201);
      assert.equal(res.json.keypair.type, "x509");
      assert.match(res.json.keypair.fingerprint, /^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    });
    await t.step("x509 generation: a PKCS#12 bundle and its certificate (2.2)", async () => {
      const res = await call(n, "POST", "/v2.1/os-keypairs", {
        version: "2.2",
        body: { keypair: { name: "win", type: "x509" } },
      });
      assert.equal(res.status, 201);
      const kp = res.json.keypair;
      assert.deepEqual(Object.keys(kp), [
        "private_key",
        "type",
        "name",
        "public_key",
        "fingerprint",
        "user_id",
      ]);
      assert.match(kp.public_key, /^-----BEGIN CERTIFICATE-----\n/);
      assert.equal(atob(kp.private_key).charCodeAt(0), 0x30, "DER (PKCS#12) under the base64");
      assert.equal(
        (await call(n, "DELETE", "/v2.1/os-keypairs/win", { version: "2.2" })).status,
        204,
      );
    });
    await t.step("other users' key pairs for admins at 2.10 (cases 113, 116, 117)", async () => {
      const res = await call(n, "POST", "/v2.1/os-keypairs", {
        version: "2.10",
        body: { keypair: { name: "ref-demo-key", public_key: RSA_KEY, user_id: "demo" } },
      });
      assert.equal(res.json.keypair.user_id, "demo");
      const list = await call(n, "GET", "/v2.1/os-keypairs?user_id=demo", { version: "2.10" });
      assert.deepEqual(
        list.json.keypairs.map((k: { keypair: { name: string } }) => k.keypair.name),
        ["ref-demo-key"],
      );
      const own = await call(n, "GET", "/v2.1/os-keypairs", { token: DEMO });
      assert.deepEqual(Object.keys(own.json.keypairs[0].keypair), [
        "name",
        "public_key",
        "fingerprint",
      ]);
      const forbidden = await call(n, "GET", "/v2.1/os-keypairs?user_id=admin", {
        token: DEMO,
        version: "2.10",
      });
      assert.equal(
        faultMessage(forbidden),
        "Policy doesn't allow os_compute_api:os-keypairs:index to be performed.",
      );
    });
    await t.step("list by name; paging from 2.35 (cases 114, 115)", async () => {
      const list = await call(n, "GET", "/v2.1/os-keypairs");
      assert.deepEqual(
        list.json.keypairs.map((k: { keypair: { name: string } }) => k.keypair.name),
        ["cert", "ref-key-ed", "ref-key-gen", "ref-key1", "ref@key.2"],
      );
      const page = await call(n, "GET", "/v2.1/os-keypairs?limit=1&marker=cert", {
        version: "2.35",
      });
      assert.equal(page.json.keypairs[0].keypair.type, "ssh");
      assert.deepEqual(page.json.keypairs_links, [
        { rel: "next", href: `${n.url}/v2.1/os-keypairs?limit=1&marker=ref-key-ed` },
      ]);
      const unpaged = await call(n, "GET", "/v2.1/os-keypairs?limit=1", { version: "2.34" });
      assert.equal(unpaged.json.keypairs.length, 5);
      const bad = await call(n, "GET", "/v2.1/os-keypairs?marker=nope", { version: "2.35" });
      assert.equal(faultMessage(bad), "Marker nope could not be found.");
    });
    await t.step("show with the database fields (cases 118-120)", async () => {
      const res = await call(n, "GET", "/v2.1/os-keypairs/ref-key1", { version: "2.2" });
      const kp = res.json.keypair;
      assert.deepEqual(Object.keys(kp), [
        "name",
        "public_key",
        "fingerprint",
        "user_id",
        "created_at",
        "deleted",
        "deleted_at",
        "id",
        "updated_at",
        "type",
      ]);
      assert.match(kp.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
      assert.deepEqual([kp.deleted, kp.deleted_at, kp.id, kp.updated_at], [false, null, 1, null]);
      const missing = await call(n, "GET", "/v2.1/os-keypairs/nonexistent");
      assert.equal(faultMessage(missing), "Keypair nonexistent not found for user admin");
    });
    await t.step("delete: 202 at 2.1, 204 from 2.2 (cases 121, 122)", async () => {
      assert.equal((await call(n, "DELETE", "/v2.1/os-keypairs/ref-key-gen")).status, 202);
      const again = await call(n, "DELETE", "/v2.1/os-keypairs/ref-key-gen");
      assert.equal(faultMessage(again), "Keypair ref-key-gen not found for user admin");
      assert.equal(
        (await call(n, "DELETE", "/v2.1/os-keypairs/cert", { version: "2.2" })).status,
        204,
      );
      const other = await call(n, "DELETE", "/v2.1/os-keypairs/ref-demo-key?user_id=demo", {
        version: "2.10",
      });
      assert.equal(other.status, 204);
    });
    await t.step("a chunked body is no body (case 212)", async () => {
      const body = new Blob([JSON.stringify({ keypair: { name: "chunked", public_key: RSA_KEY } })])
        .stream();
      const res = await fetch(`${n.url}/v2.1/os-keypairs`, {
        method: "POST",
        headers: { "X-Auth-Token": ADMIN, "Content-Type": "application/json" },
        body,
      });
      assert.equal(res.status, 400);
      assert.equal((await res.json()).badRequest.message, "None is not of type 'object'");
    });
  } finally {
    await n.stop();
  }
  const again = await startNovalet({ stateDir });
  try {
    const list = await call(again, "GET", "/v2.1/os-keypairs");
    assert.deepEqual(
      list.json.keypairs.map((k: { keypair: { name: string } }) => k.keypair.name),
      ["ref-key-ed", "ref-key1", "ref@key.2"],
      "key pairs survive a restart",
    );
  } finally {
    await again.stop();
  }
});
