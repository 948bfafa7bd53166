/**
 * A PKCS#12 bundle of one private key and its certificate, shaped as
 * OpenSSL 3's `openssl pkcs12 -export -password pass:` writes it: the
 * certificate in an encrypted bag, the key in a shrouded key bag (both
 * PBES2: PBKDF2 with HMAC-SHA256, 2048 iterations, AES-256-CBC), both
 * tagged with the certificate's SHA-1 as localKeyID, and a SHA-256 MAC
 * over the whole (RFC 7292's key derivation, 2048 iterations).
 *
 * Mirrors what `nova.crypto.generate_winrm_x509_cert` gets from openssl.
 *
 * @module
 */

import { nodeCrypto } from "../../runtime.ts";
import {
  concatBytes,
  explicit,
  implicitPrimitive,
  int,
  NULL,
  octets,
  oid,
  seq,
  setOf,
} from "./der.ts";

const ITERATIONS = 2048;
const OID = {
  data: "1.2.840.113549.1.7.1",
  encryptedData: "1.2.840.113549.1.7.6",
  pbes2: "1.2.840.113549.1.5.13",
  pbkdf2: "1.2.840.113549.1.5.12",
  hmacWithSha256: "1.2.840.113549.2.9",
  aes256Cbc: "2.16.840.1.101.3.4.1.42",
  sha256: "2.16.840.1.101.3.4.2.1",
  shroudedKeyBag: "1.2.840.113549.1.12.10.1.2",
  certBag: "1.2.840.113549.1.12.10.1.3",
  x509Certificate: "1.2.840.113549.1.9.22.1",
  localKeyId: "1.2.840.113549.1.9.21",
};

/**
 * The DER of the bundle.
 *
 * @param pkcs8 the private key (PKCS#8 PrivateKeyInfo DER)
 * @param certificate the certificate (DER)
 * @param password the export password (nova's is empty)
 */
export function pkcs12(pkcs8: Uint8Array, certificate: Uint8Array, password = ""): Uint8Array {
  const crypto = nodeCrypto();
  const keyId = attributes(crypto.createHash("sha1").update(certificate).digest());
  const certBag = seq(
    oid(OID.certBag),
    explicit(0, seq(oid(OID.x509Certificate), explicit(0, octets(certificate)))),
    keyId,
  );
  const [keyAlgorithm, keyCipher] = encrypted(pkcs8, password);
  const keyBag = seq(
    oid(OID.shroudedKeyBag),
    explicit(0, seq(keyAlgorithm, octets(keyCipher))),
    keyId,
  );
  const [certAlgorithm, certCipher] = encrypted(seq(certBag), password);
  const authSafe = seq(
    contentInfo(
      OID.encryptedData,
      seq(int(0), seq(oid(OID.data), certAlgorithm, implicitPrimitive(0, certCipher))),
    ),
    contentInfo(OID.data, octets(seq(keyBag))),
  );
  return seq(int(3), contentInfo(OID.data, octets(authSafe)), macData(authSafe, password));
}

function contentInfo(type: string, content: Uint8Array): Uint8Array {
  return seq(oid(type), explicit(0, content));
}

/** `bagAttributes`: the localKeyID. */
function attributes(keyId: Uint8Array): Uint8Array {
  return setOf(seq(oid(OID.localKeyId), setOf(octets(keyId))));
}

/** PBES2 encryption of `plain`: [the AlgorithmIdentifier, the cipher text]. */
function encrypted(plain: Uint8Array, password: string): [Uint8Array, Uint8Array] {
  const crypto = nodeCrypto();
  const salt = crypto.randomBytes(8);
  const iv = crypto.randomBytes(16);
  const key = crypto.pbkdf2Sync(new TextEncoder().encode(password), salt, ITERATIONS, 32, "sha256");
  const cipher = crypto.createCipheriv("aes-256-cbc", key, iv);
  const text = concatBytes([cipher.update(plain), cipher.final()]);
  const kdf = seq(
    oid(OID.pbkdf2),
    seq(octets(salt), int(ITERATIONS), seq(oid(OID.hmacWithSha256), NULL)),
  );
  const algorithm = seq(oid(OID.pbes2), seq(kdf, seq(oid(OID.aes256Cbc), octets(iv))));
  return [algorithm, text];
}

/** MacData: HMAC-SHA256 of the authenticated safe, keyed by RFC 7292's KDF. */
function macData(authSafe: Uint8Array, password: string): Uint8Array {
  const crypto = nodeCrypto();
  const salt = crypto.randomBytes(8);
  const key = pkcs12Kdf(bmpString(password), salt, 3, ITERATIONS, 32);
  const mac = crypto.createHmac("sha256", key).update(authSafe).digest();
  return seq(seq(seq(oid(OID.sha256), NULL), octets(mac)), octets(salt), int(ITERATIONS));
}

/** The password as a BMPString with its two-byte terminator (OpenSSL's `asc2uni`). */
function bmpString(password: string): Uint8Array {
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    out[2 * i] = password.charCodeAt(i) >> 8;
    out[2 * i + 1] = password.charCodeAt(i) & 0xff;
  }
  return out;
}

/** RFC 7292 appendix B.2 with SHA-256 (u = 32, v = 64). */
function pkcs12Kdf(
  password: Uint8Array,
  salt: Uint8Array,
  id: number,
  iterations: number,
  length: number,
): Uint8Array {
  const crypto = nodeCrypto();
  const v = 64;
  const fill = (src: Uint8Array) => {
    const out = new Uint8Array(v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length];
    return out;
  };
  const input = concatBytes([fill(salt), password.length ? fill(password) : new Uint8Array(0)]);
  const diversifier = new Uint8Array(v).fill(id);
  const out: Uint8Array[] = [];
  for (let done = 0; done < length; done += 32) {
    let a: Uint8Array = concatBytes([diversifier, input]);
    for (let r = 0; r < iterations; r++) a = crypto.createHash("sha256").update(a).digest();
    out.push(a);
    addBlocks(input, fill(a));
  }
  return concatBytes(out).subarray(0, length);
}

/** Each v-byte block of `input` += `b` + 1 (mod 2^(8v)), in place. */
function addBlocks(input: Uint8Array, b: Uint8Array): void {
  for (let block = 0; block < input.length; block += b.length) {
    let carry = 1;
    for (let i = b.length - 1; i >= 0; i--) {
      const sum = input[block + i] + b[i] + carry;
      input[block + i] = sum & 0xff;
      carry = sum >> 8;
    }
  }
}
