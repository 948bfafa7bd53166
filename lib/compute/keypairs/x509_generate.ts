/**
 * Generated x509 key pairs (type x509 without a public key, 2.2-2.91): a
 * self-signed client certificate for WinRM, as nova has the `openssl`
 * command make it (`req -x509 -nodes -days 3650 -newkey rsa:2048 -subj
 * /CN=<user> -extensions v3_req_client`, then `pkcs12 -export -password
 * pass:`), made here with node:crypto: a 2048-bit RSA key, an X.509 v3
 * certificate (random 159-bit serial, sha256WithRSAEncryption, CN=<user id>
 * as subject and issuer, ten years from now, extendedKeyUsage clientAuth,
 * the UPN `<user id>@localhost` as subjectAltName otherName, and the
 * subjectKeyIdentifier OpenSSL 3 adds), bundled with its key in a PKCS#12
 * with an empty password, base64-encoded as the private key.
 *
 * nova answers 500 when its host has no openssl; novalet needs no command.
 *
 * Mirrors nova/crypto.py `generate_winrm_x509_cert`.
 *
 * @module
 */

import { nodeCrypto } from "../../runtime.ts";
import { bits, explicit, int, NULL, octets, oid, seq, setOf, time, utf8 } from "./der.ts";
import { pkcs12 } from "./pkcs12.ts";
import { x509Fingerprint } from "./x509.ts";

const SHA256_WITH_RSA = seq(oid("1.2.840.113549.1.1.11"), NULL);
const VALID_DAYS = 3650;

/** `generate_winrm_x509_cert(user_id)`: (pkcs12 base64, certificate PEM, fingerprint). */
export function generateX509KeyPair(
  userId: string,
): { privateKey: string; publicKey: string; fingerprint: string } {
  const crypto = nodeCrypto();
  const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicExponent: 65537,
  });
  const tbs = tbsCertificate(
    userId,
    publicKey.export({ type: "spki", format: "der" }),
    publicKey.export({ type: "pkcs1", format: "der" }),
  );
  const signature = crypto.createSign("sha256").update(tbs).sign(privateKey);
  const der = seq(tbs, SHA256_WITH_RSA, bits(signature));
  const certificate = pem(der);
  const bundle = pkcs12(privateKey.export({ type: "pkcs8", format: "der" }), der);
  return {
    privateKey: base64(bundle),
    publicKey: certificate,
    fingerprint: x509Fingerprint(certificate),
  };
}

/** The TBSCertificate `openssl req -x509` writes with nova's config. */
function tbsCertificate(userId: string, spki: Uint8Array, rsaPublicKey: Uint8Array): Uint8Array {
  const name = seq(setOf(seq(oid("2.5.4.3"), utf8(userId))));
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const notAfter = new Date(now.getTime() + VALID_DAYS * 86_400_000);
  return seq(
    explicit(0, int(2)),
    int(serialNumber()),
    SHA256_WITH_RSA,
    name,
    seq(time(now), time(notAfter)),
    name,
    spki,
    explicit(3, seq(...extensions(userId, rsaPublicKey))),
  );
}

/** OpenSSL's random serial: 20 bytes, the top bit clear (159 bits). */
function serialNumber(): Uint8Array {
  const serial = nodeCrypto().randomBytes(20);
  serial[0] = (serial[0] & 0x7f) || 0x01;
  return serial;
}

/** `v3_req_client` (extendedKeyUsage, subjectAltName) and OpenSSL 3's subjectKeyIdentifier. */
function extensions(userId: string, rsaPublicKey: Uint8Array): Uint8Array[] {
  const upn = explicit(0, oid("1.3.6.1.4.1.311.20.2.3"), explicit(0, utf8(`${userId}@localhost`)));
  const keyId = nodeCrypto().createHash("sha1").update(rsaPublicKey).digest();
  return [
    seq(oid("2.5.29.37"), octets(seq(oid("1.3.6.1.5.5.7.3.2")))),
    seq(oid("2.5.29.17"), octets(seq(upn))),
    seq(oid("2.5.29.14"), octets(octets(keyId))),
  ];
}

function pem(der: Uint8Array): string {
  const lines = base64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
