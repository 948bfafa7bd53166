/**
 * Python's and WSGI's ways with text that the HTTP layer must copy:
 * Latin-1 request heads, `str.split()`, `repr()`, and PATH_INFO decoding.
 *
 * @module
 */

// WHATWG's "latin1" is windows-1252, which maps 27 of the bytes 0x80-0x9f to
// other characters (0x80 is "€"): decode with it, then map those back.
const WINDOWS_1252 = new TextDecoder("windows-1252");
const REMAPPED = /[\u0100-\uffff]/g;
const BACK_TO_BYTE = new Map<string, string>();
for (let b = 0x80; b < 0xa0; b++) {
  const c = WINDOWS_1252.decode(new Uint8Array([b]));
  if (c.charCodeAt(0) > 0xff) BACK_TO_BYTE.set(c, String.fromCharCode(b));
}

/** Up to this many bytes, String.fromCharCode beats a TextDecoder call (and needs no remap). */
const SHORT_TEXT = 1024;

/** Decodes bytes as ISO-8859-1, as Python does for request heads. */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  if (end - start <= SHORT_TEXT) {
    const part = start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
    return String.fromCharCode.apply(null, part as unknown as number[]);
  }
  const text = WINDOWS_1252.decode(bytes.subarray(start, end));
  REMAPPED.lastIndex = 0;
  return REMAPPED.test(text) ? text.replace(REMAPPED, (c) => BACK_TO_BYTE.get(c) ?? c) : text;
}

// Python's str.split() separators among the Latin-1 characters.
const PY_SPACE = new Uint8Array(256);
for (const c of [9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 0x85, 0xa0]) PY_SPACE[c] = 1;

/** Python's `str.split()` with no argument, for Latin-1 text. */
export function pySplit(s: string): string[] {
  // The usual request line: three words between two single spaces.
  const a = s.indexOf(" ");
  const b = a > 0 ? s.indexOf(" ", a + 1) : -1;
  if (b > a + 1 && b < s.length - 1 && s.indexOf(" ", b + 1) < 0 && !hasOtherSpace(s)) {
    return [s.slice(0, a), s.slice(a + 1, b), s.slice(b + 1)];
  }
  return pySplitSlow(s);
}

/** Whether `s` holds a separator other than the plain space (a loop: cheaper than a regex here). */
function hasOtherSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c < 256 && PY_SPACE[c] === 1) return true;
  }
  return false;
}

function pySplitSlow(s: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 256 && PY_SPACE[c]) {
      if (start >= 0) words.push(s.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  if (start >= 0) words.push(s.slice(start));
  return words;
}

/** Python's `repr()` of a str holding Latin-1 text. */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (c === 9) out += "\\t";
    else if (c === 10) out += "\\n";
    else if (c === 13) out += "\\r";
    else if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0xad) {
      out += "\\x" + c.toString(16).padStart(2, "0");
    } else out += ch;
  }
  return out + quote;
}

const UTF8 = new TextDecoder();

/**
 * PATH_INFO as nova sees it: eventlet unquotes the raw path (bytes kept as
 * Latin-1) and webob decodes that as UTF-8. Bad `%` escapes stay as they
 * are, like `urllib.parse.unquote`.
 *
 * nova answers 500 for a path that is not UTF-8 (webob raises
 * UnicodeDecodeError); novalet decodes it with U+FFFD replacement
 * characters instead, so the route answers as for any unknown name.
 */
export function decodePath(raw: string): string {
  let plain = true;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 37 || c >= 128) {
      plain = false;
      break;
    }
  }
  if (plain) return raw;
  const bytes = new Uint8Array(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 37 && i + 2 < raw.length && isHex(raw, i + 1) && isHex(raw, i + 2)) {
      bytes[n++] = parseInt(raw.slice(i + 1, i + 3), 16);
      i += 2;
    } else bytes[n++] = c;
  }
  return UTF8.decode(bytes.subarray(0, n));
}

function isHex(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
