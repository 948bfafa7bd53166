/**
 * x509 key pairs (microversion 2.2): the SHA-1 fingerprint of a PEM
 * certificate, refused with the words pyca/cryptography 38 uses when the
 * text is no PEM (`MalformedFraming`, `MismatchedTags(...)`, ...), holds no
 * certificate, or the certificate does not parse.
 *
 * Mirrors nova/crypto.py `generate_x509_fingerprint` and cryptography's
 * `load_pem_x509_certificate` (pem 1.x `parse_many`).
 *
 * @module
 */

import { nodeCrypto } from "../../runtime.ts";
import { InvalidKeypair } from "./ssh_keys.ts";

const PEM_FAQ = "Unable to load PEM file. See " +
  "https://cryptography.io/en/latest/faq/#why-can-t-i-import-my-pem-file for more details. ";

const ARMOR = /-----BEGIN (.*?)-----[ \t\n\r]*([\s\S]*?)-----END (.*?)-----[ \t\n\r]*/g;

interface PemBlock {
  tag: string;
  contents: Uint8Array;
}

/** The Rust base64 crate's strict decoding, with its error in Debug form. */
function decodeStrict(data: string): Uint8Array {
  const clean = data.split(/\s+/).join("");
  for (let i = 0; i < clean.length; i++) {
    if (!/[A-Za-z0-9+/=]/.test(clean[i])) {
      throw new Error(`InvalidData(InvalidByte(${i}, ${clean.charCodeAt(i)}))`);
    }
  }
  if (clean.length % 4 === 1) throw new Error("InvalidData(InvalidLength)");
  return Uint8Array.from(
    atob(clean.padEnd(Math.ceil(clean.length / 4) * 4, "=")),
    (c) => c.charCodeAt(0),
  );
}

/** pem::parse_many: every armored block, or the first framing error. */
function parseMany(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(ARMOR)) {
    const [, begin, data, end] = m;
    if (begin !== end) {
      throw new Error(`MismatchedTags(${JSON.stringify(begin)}, ${JSON.stringify(end)})`);
    }
    if (!data.trim()) throw new Error("MissingData");
    blocks.push({ tag: begin, contents: decodeStrict(data) });
  }
  return blocks;
}

/** `load_pem_x509_certificate`: the DER of the first certificate block. */
function certificateDer(pem: string): Uint8Array {
  let blocks: PemBlock[];
  try {
    blocks = parseMany(pem);
  } catch (err) {
    throw new Error(PEM_FAQ + (err as Error).message);
  }
  if (!blocks.length) throw new Error(PEM_FAQ + "MalformedFraming");
  const cert = blocks.find((b) => b.tag === "CERTIFICATE" || b.tag === "X509 CERTIFICATE");
  if (!cert) {
    throw new Error(
      "Valid PEM but no BEGIN CERTIFICATE/END CERTIFICATE delimiters. Are you sure this is a certificate?",
    );
  }
  try {
    new (nodeCrypto().X509Certificate)(cert.contents);
  } catch {
    // NOTE(parity): cryptography names the ASN.1 fault precisely; novalet
    // reports that the DER did not parse.
    throw new Error("error parsing asn1 value: ParseError { kind: InvalidValue }");
  }
  return cert.contents;
}

/**
 * `crypto.generate_x509_fingerprint`: SHA-1 of the certificate's DER as
 * colon-separated hex.
 *
 * @throws {InvalidKeypair} "failed to generate X509 fingerprint. Error message: ..."
 */
export function x509Fingerprint(pem: string): string {
  let der: Uint8Array;
  try {
    der = certificateDer(pem);
  } catch (err) {
    throw new InvalidKeypair(
      `failed to generate X509 fingerprint. Error message: ${(err as Error).message}`,
    );
  }
  return nodeCrypto().createHash("sha1").update(der).digest("hex").match(/../g)!.join(":");
}
