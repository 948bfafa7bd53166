/**
 * The instance password a guest posts (encrypted with its public key) to
 * `/openstack/<version>/password`, kept in the instance's system metadata
 * as four chunks of 255 characters (`password_0` .. `password_3`), and
 * read back by GET (and by `os-server-password`).
 *
 * Mirrors nova/api/metadata/password.py (`extract_password`,
 * `convert_password`, `handle_password`).
 *
 * @module
 */

import { HttpError } from "../errors.ts";
import { type ApiRequest, BodyTooLargeError } from "../request.ts";

export const CHUNKS = 4;
export const CHUNK_LENGTH = 255;
export const MAX_SIZE = CHUNKS * CHUNK_LENGTH;

/** `extract_password`: the `password_*` system metadata in key order, joined; null when empty. */
export function extractPassword(systemMetadata: Readonly<Record<string, string>>): string | null {
  const keys = Object.keys(systemMetadata).filter((k) => k.startsWith("password_")).sort();
  return keys.map((k) => systemMetadata[k]).join("") || null;
}

/** `convert_password`: the system metadata items that store `password` (every chunk, maybe empty). */
export function convertPassword(password: string | null): Record<string, string> {
  let rest = [...(password ?? "")];
  const meta: Record<string, string> = {};
  for (let i = 0; i < CHUNKS; i++) {
    meta[`password_${i}`] = rest.slice(0, CHUNK_LENGTH).join("");
    rest = rest.slice(CHUNK_LENGTH);
  }
  return meta;
}

/** What `handle_password` needs of the instance and the store. */
export interface PasswordTarget {
  /** The password the (possibly cached) metadata holds. */
  readonly password: string | null;
  /** Saves system metadata of the live instance. @throws {HttpError} 400 when it is gone */
  save(values: Record<string, string>): void;
}

const DECODER = new TextDecoder("utf-8", { fatal: true });

/**
 * `handle_password`: GET answers the password (null: an empty answer);
 * POST stores one once (409 while the metadata shows one).
 *
 * @throws {HttpError} 409 (a password is set), 400 (too large, another method)
 * @throws {TypeError} for a POST without Content-Length (Python compares None with an int)
 */
export async function handlePassword(
  req: ApiRequest,
  target: PasswordTarget,
): Promise<string | null> {
  if (req.method === "GET") return target.password;
  if (req.method !== "POST") throw new HttpError(400, "GET and POST only are supported.");
  // NOTE(vish): The conflict will only happen once the metadata cache
  // updates (novalet's cache drops an instance's entry when it changes).
  if (target.password) throw new HttpError(409);
  const length = req.body.contentLength;
  // nova compares a missing Content-Length with the limit (a TypeError, a
  // 500): novalet reads such a body with the same limit instead.
  if (length !== null && length > MAX_SIZE) throw new HttpError(400, "Request is too large.");
  let body: Uint8Array;
  try {
    body = await req.body.read(MAX_SIZE);
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw new HttpError(400, "Request is too large.");
    throw err;
  }
  let text: string;
  try {
    text = DECODER.decode(body);
  } catch {
    // nova fails on bytes that are not UTF-8 (a 500): it is the client's error.
    throw new HttpError(400, "The password must be UTF-8 text.");
  }
  target.save(convertPassword(text));
  return null;
}
