/**
 * A small DER encoder (ITU-T X.690) for the certificates and PKCS#12
 * bundles novalet writes: the few universal types they use, context tags,
 * and nothing to decode.
 *
 * @module
 */

/** Tag, length and contents. */
export function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const body = concatBytes(contents);
  return concatBytes([Uint8Array.of(tag), lengthBytes(body.length), body]);
}

function lengthBytes(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** SEQUENCE of the encoded items. */
export function seq(...items: Uint8Array[]): Uint8Array {
  return tlv(0x30, ...items);
}

/** SET OF one item (no sorting needed). */
export function setOf(item: Uint8Array): Uint8Array {
  return tlv(0x31, item);
}

/** A non-negative INTEGER from a small number or big-endian bytes. */
export function int(value: number | Uint8Array): Uint8Array {
  let bytes = typeof value === "number" ? numberBytes(value) : value;
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && bytes[start + 1] < 0x80) start++;
  bytes = bytes.subarray(start);
  return bytes[0] >= 0x80 ? tlv(0x02, Uint8Array.of(0), bytes) : tlv(0x02, bytes);
}

function numberBytes(n: number): Uint8Array {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Uint8Array.from(bytes.length ? bytes : [0]);
}

/** OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map(Number);
  const out = [arcs[0] * 40 + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const groups: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) {
      groups.unshift(0x80 | (v & 0x7f));
    }
    out.push(...groups);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/** NULL. */
export const NULL = Uint8Array.of(0x05, 0x00);

/** OCTET STRING. */
export function octets(bytes: Uint8Array): Uint8Array {
  return tlv(0x04, bytes);
}

/** BIT STRING of whole bytes. */
export function bits(bytes: Uint8Array): Uint8Array {
  return tlv(0x03, Uint8Array.of(0), bytes);
}

/** UTF8String. */
export function utf8(text: string): Uint8Array {
  return tlv(0x0c, new TextEncoder().encode(text));
}

/** A Time: UTCTime through 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
export function time(date: Date): Uint8Array {
  const iso = date.toISOString().replace(/[-:T]/g, "").slice(0, 14) + "Z";
  const ascii = (s: string) => new TextEncoder().encode(s);
  return date.getUTCFullYear() < 2050 ? tlv(0x17, ascii(iso.slice(2))) : tlv(0x18, ascii(iso));
}

/** `[n] EXPLICIT`: a constructed context tag around the items. */
export function explicit(n: number, ...items: Uint8Array[]): Uint8Array {
  return tlv(0xa0 | n, ...items);
}

/** `[n] IMPLICIT` of a primitive value (its contents under a context tag). */
export function implicitPrimitive(n: number, contents: Uint8Array): Uint8Array {
  return tlv(0x80 | n, contents);
}

/** The bytes one after the other. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
