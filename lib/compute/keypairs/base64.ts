/**
 * Python's lenient base64 decoding (`binascii.a2b_base64`, which
 * `base64.b64decode` uses without `validate=True`): characters outside the
 * alphabet are skipped, a complete pad ends the data, and a dangling
 * partial quad is an error.
 *
 * @module
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const TABLE = new Map([...ALPHABET].map((c, i) => [c, i]));

/** binascii.Error. */
export class Base64Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Base64Error";
  }
}

/**
 * `binascii.a2b_base64(text)` (non-strict).
 *
 * @throws {Base64Error} "Incorrect padding" or the 1-more-than-a-multiple-of-4 error
 */
export function a2bBase64(text: string): Uint8Array {
  const out: number[] = [];
  let quad = 0;
  let left = 0;
  let pads = 0;
  for (const ch of text) {
    if (ch === "=") {
      if (quad >= 2 && quad + ++pads >= 4) return Uint8Array.from(out);
      continue;
    }
    const v = TABLE.get(ch);
    if (v === undefined) continue;
    pads = 0;
    if (quad === 0) {
      left = v;
    } else if (quad === 1) {
      out.push(((left << 2) | (v >> 4)) & 0xff);
      left = v & 0x0f;
    } else if (quad === 2) {
      out.push(((left << 4) | (v >> 2)) & 0xff);
      left = v & 0x03;
    } else {
      out.push(((left << 6) | v) & 0xff);
    }
    quad = (quad + 1) % 4;
  }
  if (quad === 1) {
    throw new Base64Error(
      "Invalid base64-encoded string: number of data characters " +
        `(${Math.floor(out.length / 3) * 4 + 1}) cannot be 1 more than a multiple of 4`,
    );
  }
  if (quad !== 0) throw new Base64Error("Incorrect padding");
  return Uint8Array.from(out);
}

/** Standard base64 with padding, no line breaks. */
export function b64encode(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}
