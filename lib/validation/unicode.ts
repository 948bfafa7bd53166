/**
 * Character classes as the Python that runs nova sees them (Unicode 14.0 for
 * Python 3.11), from the generated tables in `unicode_data.ts`. The runtime's
 * own `\p{...}` tables follow a newer Unicode, so anything that must match
 * nova byte for byte (repr escapes, the name regexes) reads these instead.
 *
 * @module
 */

import { DECIMAL_ZERO, OTHER, PY_SPACE, SPACE_SEPARATOR } from "./unicode_data.ts";

/** Sorted inclusive code point ranges, flattened: `[start0, end0, start1, end1, ...]`. */
export type Ranges = Uint32Array;

function decodeRanges(text: string): Ranges {
  const tokens = text.trim().split(/\s+/);
  const out = new Uint32Array(tokens.length * 2);
  tokens.forEach((token, i) => {
    const [a, b] = token.split("-");
    out[2 * i] = parseInt(a, 16);
    out[2 * i + 1] = parseInt(b ?? a, 16);
  });
  return out;
}

/** True when `cp` lies in one of `ranges` (binary search). */
export function inRanges(ranges: Ranges, cp: number): boolean {
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < ranges[2 * mid]) hi = mid - 1;
    else if (cp > ranges[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** General category C* (control, format, surrogate, private use, unassigned). */
export const OTHER_RANGES: Ranges = decodeRanges(OTHER);
/** General category Zs. */
export const ZS_RANGES: Ranges = decodeRanges(SPACE_SEPARATOR);
/** `str.isspace()`. */
export const SPACE_RANGES: Ranges = decodeRanges(PY_SPACE);
/** Decimal digits (`str.isdecimal()`, `\d` of `re`): runs of ten from each zero. */
export const DECIMAL_RANGES: Ranges = (() => {
  const zeros = decodeRanges(DECIMAL_ZERO);
  const out = new Uint32Array(zeros.length);
  for (let i = 0; i < zeros.length; i += 2) {
    out[i] = zeros[i];
    out[i + 1] = zeros[i] + 9;
  }
  return out;
})();

const LINE_SEPARATOR = 0x2028;
const PARAGRAPH_SEPARATOR = 0x2029;

/**
 * Python's `str.isprintable()` for one code point (what `repr()` escapes):
 * everything but C*, Z* except the ASCII space.
 */
export function isPrintable(cp: number): boolean {
  if (cp >= 0x20 && cp < 0x7f) return true;
  if (cp < 0xa0) return false;
  return !inRanges(OTHER_RANGES, cp) && !inRanges(ZS_RANGES, cp) &&
    cp !== LINE_SEPARATOR && cp !== PARAGRAPH_SEPARATOR;
}

/**
 * nova's `parameter_types._is_printable`: not C*, and not Z* unless Zs.
 * Unlike Python's notion, spaces (Zs) count as printable.
 */
export function isNovaPrintable(cp: number): boolean {
  return !inRanges(OTHER_RANGES, cp) && cp !== LINE_SEPARATOR && cp !== PARAGRAPH_SEPARATOR;
}

/** General category Zs. */
export function isSpaceSeparator(cp: number): boolean {
  return inRanges(ZS_RANGES, cp);
}

/** Python's `str.isspace()` for one code point. */
export function isPySpace(cp: number): boolean {
  return inRanges(SPACE_RANGES, cp);
}

/** The value of a decimal digit (`unicodedata.decimal`), or -1. */
export function decimalValue(cp: number): number {
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  if (cp < 0x660) return -1;
  let lo = 0;
  let hi = DECIMAL_RANGES.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < DECIMAL_RANGES[2 * mid]) hi = mid - 1;
    else if (cp > DECIMAL_RANGES[2 * mid + 1]) lo = mid + 1;
    else return cp - DECIMAL_RANGES[2 * mid];
  }
  return -1;
}

/** A RegExp character-class body (for the `u` flag) matching `ranges`. */
export function rangesToClass(ranges: Ranges): string {
  let out = "";
  for (let i = 0; i < ranges.length; i += 2) {
    out += cpEscape(ranges[i]);
    if (ranges[i + 1] !== ranges[i]) out += "-" + cpEscape(ranges[i + 1]);
  }
  return out;
}

/** `\u{...}` for a code point: safe anywhere in a `u`-flag RegExp. */
export function cpEscape(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

/** The code points of a string (lone surrogates count as one each, as in Python). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Compares strings by code point, as Python's `sorted()` does (not by UTF-16 unit). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a.charCodeAt(i) === b.charCodeAt(i)) continue;
    // codePointAt joins a surrogate pair, so astral characters sort above U+FFFF.
    return (a.codePointAt(i) as number) - (b.codePointAt(i) as number);
  }
  return a.length - b.length;
}
