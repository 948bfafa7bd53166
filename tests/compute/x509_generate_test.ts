/**
 * Generated x509 key pairs without the openssl command: the certificate
 * nova's openssl config describes, and a PKCS#12 bundle that OpenSSL
 * opens with an empty password.
 */

import { strict as assert } from "node:assert";
import { createPublicKey, X509Certificate } from "node:crypto";
import { oid, time } from "../../lib/compute/keypairs/der.ts";
import { generateX509KeyPair } from "../../lib/compute/keypairs/x509_generate.ts";
import { x509Fingerprint } from "../../lib/compute/keypairs/x509.ts";

function which(command: string): boolean {
  try {
    return new Deno.Command(command, { args: ["version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

const HAS_OPENSSL = which("openssl");

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function output(command: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) throw new Error(`${command} failed: ${new TextDecoder().decode(out.stderr)}`);
  return text;
}

Deno.test("der: OIDs, and UTCTime until 2049 then GeneralizedTime", () => {
  assert.equal(hex(oid("1.2.840.113549.1.1.11")), "06092a864886f70d01010b");
  assert.equal(
    new TextDecoder().decode(time(new Date("2036-11-23T03:54:20Z")).slice(2)),
    "361123035420Z",
  );
  assert.equal(time(new Date("2050-01-01T00:00:00Z"))[0], 0x18);
});

Deno.test("generateX509KeyPair(): nova's self-signed client certificate, its fingerprint", () => {
  const kp = generateX509KeyPair("4f1c2b7e9a");
  const cert = new X509Certificate(kp.publicKey);
  assert.equal(cert.subject, "CN=4f1c2b7e9a");
  assert.equal(cert.issuer, "CN=4f1c2b7e9a");
  const raw = hex(cert.raw);
  // The extension values as openssl writes them for nova's v3_req_client.
  assert.ok(raw.includes("0603551d25040c300a06082b06010505070302"), "extendedKeyUsage clientAuth");
  const upn = hex(new TextEncoder().encode("4f1c2b7e9a@localhost"));
  assert.ok(
    raw.includes(`0603551d1104283026a024060a2b060104018237140203a0160c14${upn}`),
    "subjectAltName: otherName UPN <user>@localhost",
  );
  assert.ok(raw.includes("06092a864886f70d01010b0500"), "sha256WithRSAEncryption");
  assert.ok(cert.verify(createPublicKey(kp.publicKey)), "signed by its own key");
  const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
  assert.equal(days, 3650);
  assert.equal(kp.fingerprint, x509Fingerprint(kp.publicKey));
  assert.match(kp.publicKey, /^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END/);
});

Deno.test({
  name: "generateX509KeyPair(): openssl reads the PKCS#12 with an empty password",
  ignore: !HAS_OPENSSL,
  async fn() {
    const kp = generateX509KeyPair("admin");
    const dir = Deno.makeTempDirSync({ prefix: "novalet-p12-" });
    try {
      const p12 = `${dir}/x.p12`;
      Deno.writeFileSync(p12, Uint8Array.from(atob(kp.privateKey), (c) => c.charCodeAt(0)));
      const pem = await output("openssl", ["pkcs12", "-in", p12, "-passin", "pass:", "-nodes"]);
      assert.match(pem, /-----BEGIN PRIVATE KEY-----/);
      assert.ok(pem.includes(kp.publicKey.trim()), "the bundle holds the certificate returned");
      Deno.writeTextFileSync(`${dir}/key.pem`, pem);
      const keyModulus = await output("openssl", [
        "rsa",
        "-in",
        `${dir}/key.pem`,
        "-noout",
        "-modulus",
      ]);
      Deno.writeTextFileSync(`${dir}/cert.pem`, kp.publicKey);
      const certModulus = await output("openssl", [
        "x509",
        "-in",
        `${dir}/cert.pem`,
        "-noout",
        "-modulus",
      ]);
      assert.equal(keyModulus, certModulus, "the key is the certificate's");
      const text = await output("openssl", ["x509", "-in", `${dir}/cert.pem`, "-noout", "-text"]);
      assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
      assert.match(text, /othername: UPN::admin@localhost/);
      assert.match(text, /X509v3 Subject Key Identifier/);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
