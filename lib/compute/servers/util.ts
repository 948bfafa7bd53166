/**
 * Small helpers of nova's the servers API uses: generated passwords and
 * reservation ids, hostnames from display names, the obfuscated hostId.
 *
 * Mirrors nova/utils.py (`generate_password`, `generate_uid`,
 * `sanitize_hostname`, `generate_hostid`).
 *
 * @module
 */

import { sha224Hex } from "../../hash.ts";

const PASSWORD_SYMBOLS = ["23456789", "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz"];
const UID_CHARACTERS = "01234567890abcdefghijklmnopqrstuvwxyz";

function choice(s: string): string {
  return s[randomInt(s.length)];
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** `utils.generate_password(length)`: one symbol of each group at least, shuffled. */
export function generatePassword(length: number): string {
  const all = PASSWORD_SYMBOLS.join("");
  const password = shuffle(PASSWORD_SYMBOLS.map(choice)).slice(0, length);
  while (password.length < length) password.push(choice(all));
  return shuffle(password).join("");
}

/** `utils.generate_uid(topic)`: `r-` and 8 random characters. */
export function generateUid(topic: string, size = 8): string {
  let out = "";
  for (let i = 0; i < size; i++) out += choice(UID_CHARACTERS);
  return `${topic}-${out}`;
}

/** `utils.sanitize_hostname(hostname)` (RFC 952/1123 characters, at most 63). */
export function sanitizeHostname(hostname: string): string {
  let name = [...hostname].filter((c) => c.codePointAt(0)! <= 0xff).join("");
  name = [...name].slice(0, 63).join("");
  name = name.replace(/[ _.]/g, "-");
  // Python's \w on str is Unicode-aware: letters, digits and underscore.
  name = name.replace(/[^\p{L}\p{N}_.-]+/gu, "");
  name = name.toLowerCase();
  return name.replace(/^[.-]+|[.-]+$/g, "");
}

/** `utils.generate_hostid(host, project_id)`: sha224 of project id and host, or "". */
export function generateHostId(host: string | null, projectId: string | null): string {
  if (!host) return "";
  return sha224Hex((projectId ?? "None") + host);
}

/** A uniform random integer in [0, max), from the web crypto source (no modulo bias). */
function randomInt(max: number): number {
  const limit = Math.floor(0x100000000 / max) * max;
  const word = new Uint32Array(1);
  do crypto.getRandomValues(word); while (word[0] >= limit);
  return word[0] % max;
}
