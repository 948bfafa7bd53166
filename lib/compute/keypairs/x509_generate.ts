/**
 * Generated x509 key pairs (type x509 without a public key, 2.2-2.91): a
 * self-signed client certificate for WinRM, made as nova makes it, by the
 * `openssl` command: `req -x509 -newkey rsa:2048` with the user's UPN as
 * subjectAltName, then `pkcs12 -export` of key and certificate with an
 * empty password, returned base64-encoded as the private key.
 *
 * Mirrors nova/crypto.py `generate_winrm_x509_cert`.
 *
 * @module
 */

import { nodeBuiltin } from "../../runtime.ts";
import { x509Fingerprint } from "./x509.ts";

/** `_create_x509_openssl_config`. */
function opensslConfig(upn: string): string {
  return "distinguished_name  = req_distinguished_name\n" +
    "[req_distinguished_name]\n" +
    "[v3_req_client]\n" +
    "extendedKeyUsage = clientAuth\n" +
    `subjectAltName = otherName:1.3.6.1.4.1.311.20.2.3;UTF8:${upn}\n`;
}

/**
 * `generate_winrm_x509_cert(user_id)`: (pkcs12 base64, certificate PEM, fingerprint).
 *
 * @throws {Error} when the openssl command is missing or fails (nova: a 500)
 */
export function generateX509KeyPair(
  userId: string,
): { privateKey: string; publicKey: string; fingerprint: string } {
  // Loaded on first use: only this rare request needs them.
  const { execFileSync } = nodeBuiltin<typeof import("node:child_process")>("node:child_process");
  const { mkdtempSync, rmSync, writeFileSync } = nodeBuiltin<typeof import("node:fs")>("node:fs");
  const { tmpdir } = nodeBuiltin<typeof import("node:os")>("node:os");
  const join = (...parts: string[]) => parts.join("/");
  const dir = mkdtempSync(join(tmpdir(), "novalet-x509-"));
  try {
    const keyfile = join(dir, "temp.key");
    const conffile = join(dir, "temp.conf");
    writeFileSync(conffile, opensslConfig(`${userId}@localhost`));
    const certificate = execFileSync("openssl", [
      "req",
      "-x509",
      "-nodes",
      "-days",
      "3650",
      "-config",
      conffile,
      "-newkey",
      "rsa:2048",
      "-outform",
      "PEM",
      "-keyout",
      keyfile,
      "-subj",
      `/CN=${userId}`,
      "-extensions",
      "v3_req_client",
    ], { stdio: ["ignore", "pipe", "ignore"] }).toString("utf8");
    const pkcs12 = execFileSync("openssl", [
      "pkcs12",
      "-export",
      "-inkey",
      keyfile,
      "-password",
      "pass:",
    ], { input: certificate, stdio: ["pipe", "pipe", "ignore"] });
    return {
      privateKey: btoa(String.fromCharCode(...pkcs12)),
      publicKey: certificate,
      fingerprint: x509Fingerprint(certificate),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
