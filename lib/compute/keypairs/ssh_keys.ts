/**
 * OpenSSH public keys the way nova checks and makes them: the one-line
 * format that pyca/cryptography's `load_ssh_public_key` accepts (rsa, dss,
 * ed25519, ecdsa nistp256/384/521, and their `-cert-v01@openssh.com`
 * certificates), the MD5 fingerprint of the key blob, and generated
 * 2048-bit RSA key pairs as paramiko writes them.
 *
 * Mirrors nova/crypto.py (`generate_fingerprint`, `generate_key_pair`) and
 * cryptography 38's serialization/ssh.py.
 *
 * @module
 */

import { nodeBuiltin, nodeCrypto } from "../../runtime.ts";
import { a2bBase64, b64encode, Base64Error } from "./base64.ts";

/** nova.exception.InvalidKeypair: "Keypair data is invalid: <reason>". */
export class InvalidKeypair extends Error {
  constructor(readonly reason: string) {
    super(`Keypair data is invalid: ${reason}`);
    this.name = "InvalidKeypair";
  }
}

const CERT_SUFFIX = "-cert-v01@openssh.com";
const EC_CURVES: Record<string, { name: string; oid: number[] }> = {
  "ecdsa-sha2-nistp256": {
    name: "nistp256",
    oid: [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
  },
  "ecdsa-sha2-nistp384": { name: "nistp384", oid: [0x2b, 0x81, 0x04, 0x00, 0x22] },
  "ecdsa-sha2-nistp521": { name: "nistp521", oid: [0x2b, 0x81, 0x04, 0x00, 0x23] },
};

/** A cursor over an SSH wire-format blob (`_get_sshstr`, `_get_mpint`, `_get_u32`). */
class Reader {
  #at = 0;
  constructor(readonly data: Uint8Array) {}

  u32(): number {
    if (this.data.length - this.#at < 4) throw new Error("Invalid data");
    const v = new DataView(this.data.buffer, this.data.byteOffset + this.#at, 4).getUint32(0);
    this.#at += 4;
    return v;
  }

  u64(): void {
    this.u32();
    this.u32();
  }

  str(): Uint8Array {
    const n = this.u32();
    if (this.data.length - this.#at < n) throw new Error("Invalid data");
    const out = this.data.subarray(this.#at, this.#at + n);
    this.#at += n;
    return out;
  }

  mpint(): bigint {
    const bytes = this.str();
    if (bytes.length && bytes[0] > 0x7f) throw new Error("Invalid data");
    let v = 0n;
    for (const b of bytes) v = (v << 8n) | BigInt(b);
    return v;
  }

  empty(): void {
    if (this.#at !== this.data.length) throw new Error("Corrupt data: unparsed data");
  }
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bits = (n: bigint) => n.toString(2).length;

/** RSAPublicNumbers(e, n).public_key(): the component checks. */
function loadRsa(r: Reader): void {
  const e = r.mpint();
  const n = r.mpint();
  if (n < 3n || e < 3n || e >= n || (e & 1n) === 0n) throw new Error("Invalid RSA key");
}

/** DSAPublicNumbers: `_check_dsa_parameters`. */
function loadDsa(r: Reader): void {
  const [p, q, g] = [r.mpint(), r.mpint(), r.mpint()];
  r.mpint();
  if (![1024, 2048, 3072, 4096].includes(bits(p))) throw new Error("Invalid DSA p");
  if (![160, 224, 256].includes(bits(q))) throw new Error("Invalid DSA q");
  if (!(g > 1n && g < p)) throw new Error("Invalid DSA g");
}

/** DER length bytes. */
function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v >>= 8) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

const der = (tag: number, body: number[]) => [tag, ...derLength(body.length), ...body];

/** `EllipticCurvePublicKey.from_encoded_point`: the point must lie on the curve. */
function loadEcdsa(r: Reader, keyType: string): void {
  const curve = EC_CURVES[keyType];
  if (text(r.str()) !== curve.name) throw new Error("Curve name mismatch");
  const point = [...r.str()];
  if (!point.length || ![2, 3, 4].includes(point[0])) throw new Error("Invalid point");
  const algorithm = der(0x30, [
    ...der(0x06, [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]),
    ...der(0x06, curve.oid),
  ]);
  const spki = der(0x30, [...algorithm, ...der(0x03, [0, ...point])]);
  const { Buffer } = nodeBuiltin<typeof import("node:buffer")>("node:buffer");
  nodeCrypto().createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" });
}

function loadPublic(r: Reader, keyType: string): void {
  if (keyType === "ssh-rsa") return loadRsa(r);
  if (keyType === "ssh-dss") return loadDsa(r);
  if (keyType === "ssh-ed25519") {
    if (r.str().length !== 32) throw new Error("Invalid Ed25519 key");
    return;
  }
  if (keyType in EC_CURVES) return loadEcdsa(r, keyType);
  throw new Error(`Unsupported key type: ${keyType}`);
}

/** cryptography's `load_ssh_public_key`: throws for anything it refuses. */
export function loadSshPublicKey(line: string): void {
  const m = /^(\S+)[ \t]+(\S+)/.exec(line);
  if (!m) throw new Error("Invalid line format");
  const [, fullType, body] = m;
  const withCert = fullType.endsWith(CERT_SUFFIX);
  const keyType = withCert ? fullType.slice(0, -CERT_SUFFIX.length) : fullType;
  if (!["ssh-rsa", "ssh-dss", "ssh-ed25519"].includes(keyType) && !(keyType in EC_CURVES)) {
    throw new Error(`Unsupported key type: ${keyType}`);
  }
  const r = new Reader(a2bBase64(body));
  if (text(r.str()) !== fullType) throw new Error("Invalid key format");
  if (withCert) r.str();
  loadPublic(r, keyType);
  if (withCert) {
    r.u64();
    r.u32();
    for (let i = 0; i < 2; i++) r.str();
    r.u64();
    r.u64();
    for (let i = 0; i < 5; i++) r.str();
  }
  r.empty();
}

/** MD5 of the bytes as colon-separated hex pairs. */
function colonHex(hex: string): string {
  return hex.match(/../g)!.join(":");
}

/**
 * `crypto.generate_fingerprint`: validates the key, then MD5 of
 * `b64decode(public_key.split(' ')[1])`.
 *
 * @throws {InvalidKeypair} "failed to generate fingerprint"
 */
export function sshFingerprint(publicKey: string): string {
  try {
    loadSshPublicKey(publicKey);
    // NOTE(parity): nova takes the second ' '-separated field, even where the
    // key itself was separated from its type by a tab.
    const field = publicKey.split(" ")[1];
    if (field === undefined) throw new Error("IndexError");
    return colonHex(nodeCrypto().createHash("md5").update(a2bBase64(field)).digest("hex"));
  } catch (err) {
    if (err instanceof InvalidKeypair) throw err;
    if (err instanceof Error || err instanceof Base64Error) {
      throw new InvalidKeypair("failed to generate fingerprint");
    }
    throw err;
  }
}

/** An SSH `string` field. */
function sshString(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

/** An SSH `mpint` from unsigned big-endian bytes (a leading zero when the high bit is set). */
function sshMpint(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return sshString(trimmed[0] & 0x80 ? Uint8Array.of(0, ...trimmed) : trimmed);
}

function base64urlBytes(s: string): Uint8Array {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(
    atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)),
    (c) => c.charCodeAt(0),
  );
}

/**
 * `crypto.generate_key_pair()`: a 2048-bit RSA key, the private key as
 * paramiko writes it (PKCS#1 PEM, 64-column lines), the public key as
 * `ssh-rsa <blob> Generated-by-Nova`, and its fingerprint.
 */
export function generateKeyPair(): { privateKey: string; publicKey: string; fingerprint: string } {
  const { privateKey, publicKey } = nodeCrypto().generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicExponent: 65537,
  });
  const jwk = publicKey.export({ format: "jwk" });
  const blob = [
    sshString(new TextEncoder().encode("ssh-rsa")),
    sshMpint(base64urlBytes(jwk.e!)),
    sshMpint(base64urlBytes(jwk.n!)),
  ];
  const line = `ssh-rsa ${b64encode(concat(blob))} Generated-by-Nova`;
  return {
    privateKey: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    publicKey: line,
    fingerprint: sshFingerprint(line),
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
