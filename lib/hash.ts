/**
 * SHA-256, SHA-224 and SHA-1 (FIPS 180-4) and HMAC, synchronous, in plain
 * JS: for the few hashes on request paths (token cache keys, nova's hostId,
 * osprofiler's signatures) without loading node:crypto, which on Deno costs
 * ~20 ms and ~10 MB at start-up.
 *
 * @module
 */

const K = new Uint32Array([
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
]);

const IV_256 = [
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
];
const IV_224 = [
  0xc1059ed8,
  0x367cd507,
  0x3070dd17,
  0xf70e5939,
  0xffc00b31,
  0x68581511,
  0x64f98fa7,
  0xbefa4fa4,
];

const W = new Uint32Array(64);

function compress(h: Uint32Array, block: DataView, offset: number): void {
  for (let i = 0; i < 16; i++) W[i] = block.getUint32(offset + i * 4);
  for (let i = 16; i < 64; i++) {
    const a = W[i - 15], b = W[i - 2];
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
  }
  let [a, b, c, d, e, f, g, hh] = h;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += hh;
}

/** `data` with the SHA padding: 0x80, zeros, and its length in bits, to whole 64-byte blocks. */
function padded(data: Uint8Array): DataView {
  const bytes = new Uint8Array(Math.ceil((data.length + 9) / 64) * 64);
  bytes.set(data);
  bytes[data.length] = 0x80;
  const view = new DataView(bytes.buffer);
  const bits = data.length * 8;
  view.setUint32(bytes.length - 8, Math.floor(bits / 0x100000000));
  view.setUint32(bytes.length - 4, bits >>> 0);
  return view;
}

/** The first `words` state words after hashing `data` (SHA-224/256). */
function digestWords(data: Uint8Array, iv: number[], words: number): Uint32Array {
  const h = new Uint32Array(iv);
  const view = padded(data);
  for (let offset = 0; offset < view.byteLength; offset += 64) compress(h, view, offset);
  return h.subarray(0, words);
}

function digest(data: Uint8Array, iv: number[], words: number): string {
  let hex = "";
  for (const word of digestWords(data, iv, words)) hex += word.toString(16).padStart(8, "0");
  return hex;
}

/** Big-endian bytes of hash state words. */
function wordBytes(words: Uint32Array): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  words.forEach((word, i) => view.setUint32(i * 4, word));
  return out;
}

function hexOf(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const ENCODER = new TextEncoder();

function bytesOf(input: string | Uint8Array): Uint8Array {
  return typeof input === "string" ? ENCODER.encode(input) : input;
}

/** Hex SHA-256 of a string (UTF-8) or bytes. */
export function sha256Hex(input: string | Uint8Array): string {
  return digest(bytesOf(input), IV_256, 8);
}

/** Hex SHA-224 of a string (UTF-8) or bytes (nova's hostId). */
export function sha224Hex(input: string | Uint8Array): string {
  return digest(bytesOf(input), IV_224, 7);
}

// ---- SHA-1 -----------------------------------------------------------------

const W80 = new Uint32Array(80);

function sha1Compress(h: Uint32Array, block: DataView, offset: number): void {
  for (let i = 0; i < 16; i++) W80[i] = block.getUint32(offset + i * 4);
  for (let i = 16; i < 80; i++) {
    const x = W80[i - 3] ^ W80[i - 8] ^ W80[i - 14] ^ W80[i - 16];
    W80[i] = (x << 1) | (x >>> 31);
  }
  let [a, b, c, d, e] = h;
  for (let i = 0; i < 80; i++) {
    const [f, k] = i < 20
      ? [(b & c) | (~b & d), 0x5a827999]
      : i < 40
      ? [b ^ c ^ d, 0x6ed9eba1]
      : i < 60
      ? [(b & c) | (b & d) | (c & d), 0x8f1bbcdc]
      : [b ^ c ^ d, 0xca62c1d6];
    const t = (((a << 5) | (a >>> 27)) + f + e + k + W80[i]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
}

function sha1Bytes(data: Uint8Array): Uint8Array {
  const h = new Uint32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);
  const view = padded(data);
  for (let offset = 0; offset < view.byteLength; offset += 64) sha1Compress(h, view, offset);
  return wordBytes(h);
}

/** HMAC (RFC 2104, 64-byte blocks) of `data` under `key` with `hash`. */
function hmac(
  hash: (data: Uint8Array) => Uint8Array,
  key: string | Uint8Array,
  data: string | Uint8Array,
): Uint8Array {
  let k = bytesOf(key);
  if (k.length > 64) k = hash(k);
  const message = bytesOf(data);
  const inner = new Uint8Array(64 + message.length);
  for (let i = 0; i < 64; i++) inner[i] = (k[i] ?? 0) ^ 0x36;
  inner.set(message, 64);
  const innerHash = hash(inner);
  const outer = new Uint8Array(64 + innerHash.length);
  for (let i = 0; i < 64; i++) outer[i] = (k[i] ?? 0) ^ 0x5c;
  outer.set(innerHash, 64);
  return hash(outer);
}

/** Hex HMAC-SHA1 of `data` under `key`. */
export function hmacSha1Hex(key: string | Uint8Array, data: string | Uint8Array): string {
  return hexOf(hmac(sha1Bytes, key, data));
}

const sha256Bytes = (data: Uint8Array) => wordBytes(digestWords(data, IV_256, 8));

/** Hex HMAC-SHA256 of `data` under `key` (the metadata proxy's signatures). */
export function hmacSha256Hex(key: string | Uint8Array, data: string | Uint8Array): string {
  return hexOf(hmac(sha256Bytes, key, data));
}

/** Compares two strings in time that depends only on their length. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
