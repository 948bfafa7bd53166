/**
 * The name and description regexes of nova/api/validation/parameter_types.py,
 * built the way `_build_regex_range` builds them: the same text, character
 * for character, so that "does not match '<regex>'" messages equal nova's.
 *
 * @module
 */

import { OTHER_RANGES, type Ranges, ZS_RANGES } from "./unicode.ts";

/** `parameter_types.ValidationRegex`: a regex and the reason shown when it fails. */
export interface ValidationRegex {
  readonly regex: string;
  readonly reason: string;
}

/** A regex built on first use: nova's name regexes take milliseconds to build. */
function lazyRegex(build: () => string, reason: string): ValidationRegex {
  let regex: string | null = null;
  return {
    get regex() {
      return regex ??= build();
    },
    reason,
  };
}

/** `re.escape` of Python 3.7+: only these characters get a backslash. */
const RE_SPECIAL = new Set("()[]{}?*+-|^$\\.&~# \t\n\r\v\f");

/** Python's `re.escape` for one character. */
export function reEscapeChar(ch: string): string {
  return RE_SPECIAL.has(ch) ? "\\" + ch : ch;
}

/** Python's `re.escape`. */
export function reEscape(text: string): string {
  let out = "";
  for (const ch of text) out += reEscapeChar(ch);
  return out;
}

interface RangeOptions {
  ws?: boolean;
  invert?: boolean;
  exclude?: string[];
}

const memo = new Map<string, string>();

const PRINTABLE = 1;
const SPACE = 2;
let bmpClasses: Uint8Array | null = null;

/** For U+0000..U+FFFF: PRINTABLE (nova's `_is_printable`) and SPACE (Zs) bits. */
function bmp(): Uint8Array {
  if (bmpClasses) return bmpClasses;
  const classes = new Uint8Array(0x10000).fill(PRINTABLE);
  const mark = (ranges: Ranges, set: number, clear: number) => {
    for (let i = 0; i < ranges.length && ranges[i] <= 0xffff; i += 2) {
      for (let c = ranges[i]; c <= Math.min(ranges[i + 1], 0xffff); c++) {
        classes[c] = (classes[c] & ~clear) | set;
      }
    }
  };
  mark(OTHER_RANGES, 0, PRINTABLE);
  mark(ZS_RANGES, SPACE, 0);
  classes[0x2028] = classes[0x2029] = 0; // Zl, Zp
  return bmpClasses = classes;
}

/**
 * `_build_regex_range(ws=True, invert=False, exclude=None)`: the ranges of
 * every character in U+0000..U+FFFE that is printable (by nova's notion),
 * optionally without spaces (Zs), inverted, or minus `exclude`.
 *
 * NOTE(parity): like nova, only the BMP below U+FFFF is scanned, so astral
 * characters (emoji) are never "printable" in a name.
 */
export function buildRegexRange(options: RangeOptions = {}): string {
  const { ws = true, invert = false, exclude = [] } = options;
  const key = `${ws}:${invert}:${exclude.join("")}`;
  let hit = memo.get(key);
  if (hit === undefined) {
    const classes = bmp();
    const valid = new Uint8Array(0xffff);
    for (let cp = 0; cp < 0xffff; cp++) {
      const c = classes[cp];
      const ok = (c & PRINTABLE) !== 0 && (ws || (c & SPACE) === 0);
      valid[cp] = ok !== invert ? 1 : 0;
    }
    for (const ch of exclude) valid[ch.charCodeAt(0)] = invert ? 1 : 0;
    hit = rangesText(valid);
    memo.set(key, hit);
  }
  return hit;
}

/** The loop of `_build_regex_range` over U+0000..U+FFFE, kept as nova writes it. */
function rangesText(valid: Uint8Array): string {
  let regex = "";
  let start = -1;
  for (let c = 0; c < valid.length; c++) {
    if (valid[c] && start < 0) start = c;
    if (!valid[c] && start >= 0) {
      regex += runText(start, c - 1);
      start = -1;
    }
  }
  // NOTE(parity): nova's for-else appends "-" + the last character even
  // when the final run is a single character.
  if (start >= 0) regex += reEscapeChar(String.fromCharCode(start)) + "-" + lastChar(valid);
  return regex;
}

function runText(first: number, last: number): string {
  const head = reEscapeChar(String.fromCharCode(first));
  return first === last ? head : head + "-" + reEscapeChar(String.fromCharCode(last));
}

function lastChar(valid: Uint8Array): string {
  return reEscapeChar(String.fromCharCode(valid.length - 1));
}

const VALID_NAME_REGEX_BASE = (a: string, b: string, c: string) => `^(?![${a}])[${b}]*(?<![${c}])$`;

function leadingTrailingBase(ws: string, noWs: string): string {
  return `^[${ws}]*[${noWs}]+[${ws}]*$|^[${ws}]*[${noWs}][${noWs}${ws}]+[${noWs}][${ws}]*$`;
}

/** `parameter_types.valid_name_regex`. */
export const VALID_NAME_REGEX: ValidationRegex = lazyRegex(
  () =>
    VALID_NAME_REGEX_BASE(
      buildRegexRange({ ws: false, invert: true }),
      buildRegexRange(),
      buildRegexRange({ ws: false, invert: true }),
    ),
  "printable characters. Can not start or end with whitespace.",
);

/** `parameter_types.valid_az_name_regex`. */
export const VALID_AZ_NAME_REGEX: ValidationRegex = lazyRegex(
  () =>
    VALID_NAME_REGEX_BASE(
      buildRegexRange({ ws: false, invert: true }),
      buildRegexRange({ exclude: [":"] }),
      buildRegexRange({ ws: false, invert: true }),
    ),
  // NOTE(parity): nova's two literals join without a space: "except :.Can".
  "printable characters except :.Can not start or end with whitespace.",
);

/** `parameter_types.valid_az_name_leading_trailing_spaces_regex`. */
export const VALID_AZ_NAME_LEADING_TRAILING_SPACES_REGEX: ValidationRegex = lazyRegex(
  () =>
    leadingTrailingBase(
      buildRegexRange({ exclude: [":"] }),
      buildRegexRange({ ws: false, exclude: [":"] }),
    ),
  "printable characters except :, with at least one non space character",
);

/** `parameter_types.valid_name_leading_trailing_spaces_regex`. */
export const VALID_NAME_LEADING_TRAILING_SPACES_REGEX: ValidationRegex = lazyRegex(
  () => leadingTrailingBase(buildRegexRange(), buildRegexRange({ ws: false })),
  "printable characters with at least one non space character",
);

/** `parameter_types.valid_description_regex`: printable characters, spaces included. */
export const VALID_DESCRIPTION_REGEX: string = `^[${buildRegexRange()}]*$`;
