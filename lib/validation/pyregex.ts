/**
 * Python regular expressions (`re`, Python 3.11) on JavaScript: a port of
 * `re._parser` that accepts and rejects exactly the patterns Python does
 * (`isPyRegex`, for nova's `format: regex`) and writes an equivalent
 * `u`-flag RegExp (`pyRegex`, for `pattern` and `patternProperties`,
 * matched with `re.search` semantics).
 *
 * Semantics kept: `$` also matches before a final newline, `.` is "anything
 * but `\n`", `\d` `\s` `\w` are Python's Unicode classes, `]` first in a set
 * is a literal, `{` that does not start a repeat is a literal, `{,n}`,
 * lengths count code points, look-behind must be fixed width.
 *
 * @module
 */

import { PyException, PyRegexError, UnsupportedRegexError } from "./errors.ts";
import { DECIMAL_RANGES, rangesToClass, SPACE_RANGES } from "./unicode.ts";

const MAXREPEAT = 4294967295;
const FLAG_TEMPLATE = 1;
const FLAG_IGNORECASE = 2;
const FLAG_LOCALE = 4;
const FLAG_MULTILINE = 8;
const FLAG_DOTALL = 16;
const FLAG_UNICODE = 32;
const FLAG_VERBOSE = 64;
const FLAG_ASCII = 256;
const FLAGS: Record<string, number> = {
  i: FLAG_IGNORECASE,
  L: FLAG_LOCALE,
  m: FLAG_MULTILINE,
  s: FLAG_DOTALL,
  x: FLAG_VERBOSE,
  a: FLAG_ASCII,
  t: FLAG_TEMPLATE,
  u: FLAG_UNICODE,
};
const TYPE_FLAGS = FLAG_ASCII | FLAG_LOCALE | FLAG_UNICODE;
const GLOBAL_FLAGS = FLAG_TEMPLATE;

const DIGITS = new Set("0123456789");
const OCTDIGITS = new Set("01234567");
const HEXDIGITS = new Set("0123456789abcdefABCDEF");
const WHITESPACE = new Set(" \t\n\r\v\f");
const SPECIAL_CHARS = ".\\[{()*+?^$|";
const ASCII_LETTER = /^[a-zA-Z]$/;
const ESCAPES: Record<string, number> = {
  "\\a": 7,
  "\\b": 8,
  "\\f": 12,
  "\\n": 10,
  "\\r": 13,
  "\\t": 9,
  "\\v": 11,
  "\\\\": 92,
};

const DECIMAL_CLASS = rangesToClass(DECIMAL_RANGES);
const SPACE_CLASS = rangesToClass(SPACE_RANGES);
// NOTE(parity): Python's \w is str.isalnum() or '_'; \p{L}\p{N} is that up to
// the Unicode version of the runtime.
const WORD_CLASS = "\\p{L}\\p{N}_";

type Kind = "lit" | "in" | "at" | "repeat" | "group" | "assert" | "ref" | "cond";

/** One parsed element: its JavaScript source and its width in code points. */
interface Item {
  src: string;
  kind: Kind;
  lo: number;
  hi: number;
}

/** Flags switched on and off by the enclosing `(?flags-flags:...)` groups. */
interface Scope {
  on: number;
  off: number;
}

const TOP: Scope = { on: 0, off: 0 };

function effective(state: State, scope: Scope): number {
  return (state.flags | scope.on) & ~scope.off;
}

/** A parsed sequence or alternation. */
interface Sub {
  src: string;
  lo: number;
  hi: number;
}

type ClassPart =
  | { t: "lit"; cp: number }
  | { t: "range"; lo: number; hi: number }
  | { t: "cat"; cat: string };

/** The token stream of `re._parser.Tokenizer`: characters, or `\` plus one character. */
class Source {
  readonly #chars: string[];
  #index = 0;
  next: string | null = null;

  constructor(pattern: string) {
    this.#chars = [...pattern];
    this.#advance();
  }

  #advance(): void {
    if (this.#index >= this.#chars.length) {
      this.next = null;
      return;
    }
    let c = this.#chars[this.#index++];
    if (c === "\\") {
      if (this.#index >= this.#chars.length) throw new PyRegexError("bad escape (end of pattern)");
      c += this.#chars[this.#index++];
    }
    this.next = c;
  }

  get(): string | null {
    const t = this.next;
    this.#advance();
    return t;
  }

  match(c: string): boolean {
    if (this.next !== c) return false;
    this.#advance();
    return true;
  }

  getwhile(n: number, set: Set<string>): string {
    let out = "";
    for (let i = 0; i < n && this.next !== null && set.has(this.next); i++) out += this.get();
    return out;
  }

  getuntil(terminator: string, name: string): string {
    let out = "";
    for (;;) {
      const c = this.get();
      if (c === null) {
        throw new PyRegexError(
          out ? `missing ${terminator}, unterminated name` : `missing ${name}`,
        );
      }
      if (c === terminator) {
        if (!out) throw new PyRegexError(`missing ${name}`);
        return out;
      }
      out += c;
    }
  }

  tell(): number {
    if (this.next === null) return this.#index;
    return this.#index - (this.next.length > 1 && this.next[0] === "\\" ? 2 : 1);
  }

  seek(index: number): void {
    this.#index = index;
    this.#advance();
  }
}

/** Parser state (`re._parser.State`) plus what the translation needs. */
class State {
  flags = 0;
  readonly groupdict = new Map<string, number>();
  readonly groupwidths: ([number, number] | null)[] = [null];
  lookbehindgroups: number | null = null;
  readonly grouprefpos = new Set<number>();
  readonly lookbehindWidths: [number, number][] = [];
  unsupported: string | null = null;

  get groups(): number {
    return this.groupwidths.length;
  }

  opengroup(name: string | null): number {
    const gid = this.groups;
    this.groupwidths.push(null);
    if (name !== null) {
      const ogid = this.groupdict.get(name);
      if (ogid !== undefined) {
        throw new PyRegexError(
          `redefinition of group name '${name}' as group ${gid}; was group ${ogid}`,
        );
      }
      this.groupdict.set(name, gid);
    }
    return gid;
  }

  checkgroup(gid: number): boolean {
    return gid < this.groups && this.groupwidths[gid] !== null;
  }

  checklookbehindgroup(gid: number): void {
    if (this.lookbehindgroups === null) return;
    if (!this.checkgroup(gid)) throw new PyRegexError("cannot refer to an open group");
    if (gid >= this.lookbehindgroups) {
      throw new PyRegexError("cannot refer to group defined in the same lookbehind subpattern");
    }
  }

  unsupport(what: string): void {
    this.unsupported ??= what;
  }
}

/** A compiled Python pattern: the RegExp plus what Python reported about it. */
export interface PyPattern {
  readonly source: string;
  readonly regexp: RegExp;
}

const cache = new Map<string, PyPattern>();

/**
 * Compiles a Python `re` pattern to a JavaScript RegExp with the same
 * `re.search` behaviour (use `.test()`/`.exec()`; the RegExp has no `g`).
 *
 * @throws {PyRegexError} when Python's `re.compile` raises `re.error`
 * @throws {UnsupportedRegexError} for valid Python with no translation
 */
export function pyRegex(pattern: string): RegExp {
  let hit = cache.get(pattern);
  if (!hit) {
    const { src, flags, state } = parsePattern(pattern);
    if (state.unsupported) {
      throw new UnsupportedRegexError(`${state.unsupported} in ${JSON.stringify(pattern)}`);
    }
    hit = { source: pattern, regexp: new RegExp(src, flags & FLAG_IGNORECASE ? "iu" : "u") };
    cache.set(pattern, hit);
  }
  return hit.regexp;
}

/**
 * Whether Python's `re.compile(pattern)` succeeds (nova's `_validate_regex_format`).
 *
 * @throws {PyException} where Python raises something other than `re.error`
 *   (OverflowError for huge repeat counts, ValueError for `(?a)(?u)`)
 */
export function isPyRegex(pattern: string): boolean {
  try {
    parsePattern(pattern);
    return true;
  } catch (e) {
    if (e instanceof PyRegexError) return false;
    throw e;
  }
}

function parsePattern(pattern: string): { src: string; flags: number; state: State } {
  const source = new Source(pattern);
  const state = new State();
  const sub = parseSub(source, state, TOP, 0);
  if (source.next !== null) throw new PyRegexError("unbalanced parenthesis");
  for (const gid of state.grouprefpos) {
    if (gid >= state.groups) throw new PyRegexError(`invalid group reference ${gid}`);
  }
  if (state.flags & FLAG_ASCII && state.flags & FLAG_UNICODE) {
    throw new PyException("ValueError", "ASCII and UNICODE flags are incompatible");
  }
  for (const [lo, hi] of state.lookbehindWidths) {
    if (lo !== hi) throw new PyRegexError("look-behind requires fixed-width pattern");
  }
  if (state.flags & FLAG_TEMPLATE) state.unsupport("the TEMPLATE flag");
  return { src: sub.src, flags: state.flags, state };
}

function capWidth(lo: number, hi: number): [number, number] {
  return [Math.min(lo, MAXREPEAT - 1), Math.min(hi, MAXREPEAT)];
}

/** `_parse_sub`: alternatives separated by `|`. */
function parseSub(source: Source, state: State, scope: Scope, nested: number): Sub {
  const items: Sub[] = [];
  for (;;) {
    items.push(parseSeq(source, state, scope, nested + 1, nested === 0 && items.length === 0));
    if (!source.match("|")) break;
  }
  if (items.length === 1) return items[0];
  let lo = MAXREPEAT - 1;
  let hi = 0;
  for (const item of items) {
    lo = Math.min(lo, item.lo);
    hi = Math.max(hi, item.hi);
  }
  return { src: items.map((i) => i.src).join("|"), lo, hi };
}

/** `_parse`: one alternative, a sequence of items. */
function parseSeq(
  source: Source,
  state: State,
  scope: Scope,
  nested: number,
  first: boolean,
): Sub {
  const seq: Item[] = [];
  for (;;) {
    const t = source.next;
    if (t === null || t === "|" || t === ")") break;
    source.get();
    const flags = effective(state, scope);
    if (flags & FLAG_VERBOSE) {
      if (WHITESPACE.has(t)) continue;
      if (t === "#") {
        for (let c = source.get(); c !== null && c !== "\n"; c = source.get());
        continue;
      }
    }
    if (t[0] === "\\") seq.push(escapeItem(source, t, state, flags));
    else if (!SPECIAL_CHARS.includes(t)) seq.push(litItem(t.codePointAt(0) as number));
    else if (t === "[") seq.push(parseClass(source, state, flags));
    else if ("*+?{".includes(t)) {
      const repeated = parseRepeat(source, state, t, seq);
      if (repeated) seq[seq.length - 1] = repeated;
      else seq.push(litItem(0x7b));
    } else if (t === "(") {
      const item = parseGroup(source, state, scope, nested, first && seq.length === 0);
      if (item) seq.push(item);
    } else seq.push(simpleItem(t, flags));
  }
  let lo = 0;
  let hi = 0;
  for (const item of seq) [lo, hi] = capWidth(lo + item.lo, hi + item.hi);
  return { src: seq.map((i) => i.src).join(""), lo, hi };
}

/** `.`, `^`, `$`. */
function simpleItem(t: string, flags: number): Item {
  const multiline = (flags & FLAG_MULTILINE) !== 0;
  if (t === ".") {
    return { src: flags & FLAG_DOTALL ? "[\\s\\S]" : "[^\\n]", kind: "in", lo: 1, hi: 1 };
  }
  if (t === "^") return atItem(multiline ? "(?:^|(?<=\\n))" : "^");
  return atItem(multiline ? "(?=\\n|$)" : "(?=\\n?$)");
}

function litItem(cp: number): Item {
  return { src: litSrc(cp), kind: "lit", lo: 1, hi: 1 };
}

function litSrc(cp: number): string {
  return /^[a-zA-Z0-9_]$/.test(String.fromCodePoint(cp))
    ? String.fromCodePoint(cp)
    : `\\u{${cp.toString(16)}}`;
}

function atItem(src: string): Item {
  return { src, kind: "at", lo: 0, hi: 0 };
}

function categoryClass(cat: string, flags: number): string {
  const ascii = (flags & FLAG_ASCII) !== 0;
  switch (cat.toLowerCase()) {
    case "d":
      return ascii ? "0-9" : DECIMAL_CLASS;
    case "s":
      return ascii ? " \\t\\n\\r\\f\\v" : SPACE_CLASS;
    default:
      return ascii ? "a-zA-Z0-9_" : WORD_CLASS;
  }
}

function boundary(negated: boolean, flags: number): string {
  const w = `[${categoryClass("w", flags)}]`;
  // NOTE(parity): sre's \B never matches in an empty string.
  return negated
    ? `(?!(?<![\\s\\S])(?![\\s\\S]))(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))`
    : `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
}

/** `_escape`: an escape outside a character set. */
function escapeItem(source: Source, esc: string, state: State, flags: number): Item {
  const c = esc[1];
  switch (esc) {
    case "\\A":
      return atItem("^");
    case "\\Z":
      return atItem("$");
    case "\\b":
      return atItem(boundary(false, flags));
    case "\\B":
      return atItem(boundary(true, flags));
    case "\\d":
    case "\\s":
    case "\\w":
      return { src: `[${categoryClass(c, flags)}]`, kind: "in", lo: 1, hi: 1 };
    case "\\D":
    case "\\S":
    case "\\W":
      return { src: `[^${categoryClass(c, flags)}]`, kind: "in", lo: 1, hi: 1 };
  }
  if (esc in ESCAPES) return litItem(ESCAPES[esc]);
  const cp = commonEscape(source, esc, state);
  if (cp !== null) return litItem(cp);
  if (c === "0") return litItem(parseInt(esc.slice(1) + source.getwhile(2, OCTDIGITS), 8));
  if (DIGITS.has(c)) return groupRefOrOctal(source, esc, state);
  if (ASCII_LETTER.test(c)) throw new PyRegexError(`bad escape ${esc}`);
  return litItem(esc.codePointAt(1) as number);
}

/** `\x..`, `\u....`, `\U........`, `\N{...}`; null for other escapes. */
function commonEscape(source: Source, esc: string, state: State): number | null {
  const widths: Record<string, number> = { x: 2, u: 4, U: 8 };
  const c = esc[1];
  if (c in widths) {
    const digits = source.getwhile(widths[c], HEXDIGITS);
    if (digits.length !== widths[c]) throw new PyRegexError(`incomplete escape ${esc}${digits}`);
    const cp = parseInt(digits, 16);
    if (cp > 0x10ffff) throw new PyRegexError(`bad escape ${esc}${digits}`);
    return cp;
  }
  if (c === "N") {
    if (!source.match("{")) throw new PyRegexError("missing {");
    const name = source.getuntil("}", "character name");
    // NOTE(parity): no Unicode name database here; only ASCII letters, digits,
    // spaces and hyphens are accepted and the escape cannot be translated.
    if (!/^[A-Za-z0-9 -]+$/.test(name)) {
      throw new PyRegexError(`undefined character name '${name}'`);
    }
    state.unsupport("a \\N{...} escape");
    return 0xfffd;
  }
  return null;
}

function groupRefOrOctal(source: Source, esc: string, state: State): Item {
  let text = esc;
  if (source.next !== null && DIGITS.has(source.next)) {
    text += source.get();
    if (OCTDIGITS.has(text[1]) && OCTDIGITS.has(text[2]) && OCTDIGITS.has(source.next ?? "")) {
      text += source.get();
      const cp = parseInt(text.slice(1), 8);
      if (cp > 0o377) {
        throw new PyRegexError(`octal escape value ${text} outside of range 0-0o377`);
      }
      return litItem(cp);
    }
  }
  const gid = Number(text.slice(1));
  if (gid >= state.groups) throw new PyRegexError(`invalid group reference ${gid}`);
  if (!state.checkgroup(gid)) throw new PyRegexError("cannot refer to an open group");
  state.checklookbehindgroup(gid);
  return refItem(`(?:\\${gid})`, state, gid);
}

function refItem(src: string, state: State, gid: number): Item {
  const [lo, hi] = state.groupwidths[gid] ?? [0, 0];
  return { src, kind: "ref", lo, hi };
}

/** `[...]`: a character set. */
function parseClass(source: Source, state: State, flags: number): Item {
  const parts: ClassPart[] = [];
  const negate = source.match("^");
  for (;;) {
    const t = source.get();
    if (t === null) throw new PyRegexError("unterminated character set");
    if (t === "]" && parts.length) break;
    const code1 = t[0] === "\\" ? classEscape(source, t, state) : lit(t);
    if (source.match("-")) {
      const that = source.get();
      if (that === null) throw new PyRegexError("unterminated character set");
      if (that === "]") {
        parts.push(code1, { t: "lit", cp: 0x2d });
        break;
      }
      const code2 = that[0] === "\\" ? classEscape(source, that, state) : lit(that);
      if (code1.t !== "lit" || code2.t !== "lit" || code2.cp < code1.cp) {
        throw new PyRegexError(`bad character range ${t}-${that}`);
      }
      parts.push({ t: "range", lo: code1.cp, hi: code2.cp });
    } else parts.push(code1);
  }
  return { src: classSrc(parts, negate, flags), kind: "in", lo: 1, hi: 1 };
}

function lit(t: string): { t: "lit"; cp: number } {
  return { t: "lit", cp: t.codePointAt(0) as number };
}

/** `_class_escape`: an escape inside a character set. */
function classEscape(source: Source, esc: string, state: State): ClassPart {
  if (esc in ESCAPES) return { t: "lit", cp: ESCAPES[esc] };
  const c = esc[1];
  if ("dDsSwW".includes(c)) return { t: "cat", cat: c };
  const cp = commonEscape(source, esc, state);
  if (cp !== null) return { t: "lit", cp };
  if (OCTDIGITS.has(c)) {
    const text = esc + source.getwhile(2, OCTDIGITS);
    const value = parseInt(text.slice(1), 8);
    if (value > 0o377) {
      throw new PyRegexError(`octal escape value ${text} outside of range 0-0o377`);
    }
    return { t: "lit", cp: value };
  }
  if (DIGITS.has(c) || ASCII_LETTER.test(c)) throw new PyRegexError(`bad escape ${esc}`);
  return { t: "lit", cp: esc.codePointAt(1) as number };
}

function classSrc(parts: ClassPart[], negate: boolean, flags: number): string {
  let positive = "";
  const negatives: string[] = [];
  for (const p of parts) {
    if (p.t === "lit") positive += litSrc(p.cp);
    else if (p.t === "range") positive += `${litSrc(p.lo)}-${litSrc(p.hi)}`;
    else if (p.cat === p.cat.toLowerCase()) positive += categoryClass(p.cat, flags);
    else negatives.push(`[^${categoryClass(p.cat, flags)}]`);
  }
  if (!negatives.length) return `[${negate ? "^" : ""}${positive}]`;
  const alts = (positive ? [`[${positive}]`] : []).concat(negatives).join("|");
  return negate ? `(?:(?!${alts})[\\s\\S])` : `(?:${alts})`;
}

/** A repeat (`*`, `+`, `?`, `{m,n}`) of the last item; null when `{` is a literal. */
function parseRepeat(source: Source, state: State, t: string, seq: Item[]): Item | null {
  const here = source.tell();
  let min = 0;
  let max = MAXREPEAT;
  if (t === "?") max = 1;
  else if (t === "+") min = 1;
  else if (t === "{") {
    if (source.next === "}") return null;
    const bounds = repeatBounds(source, here);
    if (!bounds) return null;
    [min, max] = bounds;
  }
  const item = seq[seq.length - 1];
  if (!item || item.kind === "at") throw new PyRegexError("nothing to repeat");
  if (item.kind === "repeat") throw new PyRegexError("multiple repeat");
  const lazy = source.match("?");
  if (!lazy && source.match("+")) state.unsupport("a possessive repeat");
  // JavaScript cannot quantify a look-around directly.
  const atom = item.kind === "assert" ? `(?:${item.src})` : item.src;
  const [lo, hi] = capWidth(
    item.lo * min,
    max === MAXREPEAT && item.hi ? MAXREPEAT : item.hi * max,
  );
  return { src: atom + quantifier(min, max) + (lazy ? "?" : ""), kind: "repeat", lo, hi };
}

function repeatBounds(source: Source, here: number): [number, number] | null {
  let lo = "";
  let hi = "";
  while (source.next !== null && DIGITS.has(source.next)) lo += source.get();
  if (source.match(",")) {
    while (source.next !== null && DIGITS.has(source.next)) hi += source.get();
  } else hi = lo;
  if (!source.match("}")) {
    source.seek(here);
    return null;
  }
  const min = lo ? Number(lo) : 0;
  const max = hi ? Number(hi) : MAXREPEAT;
  if (min >= MAXREPEAT || (hi && max >= MAXREPEAT)) {
    throw new PyException("OverflowError", "the repetition number is too large");
  }
  if (hi && max < min) throw new PyRegexError("min repeat greater than max repeat");
  return [min, max];
}

function quantifier(min: number, max: number): string {
  if (max === MAXREPEAT) return min === 0 ? "*" : min === 1 ? "+" : `{${min},}`;
  if (min === 0 && max === 1) return "?";
  return min === max ? `{${min}}` : `{${min},${max}}`;
}

/** `(...)`: groups, extensions, inline flags; null for comments and global flags. */
function parseGroup(
  source: Source,
  state: State,
  scope: Scope,
  nested: number,
  first: boolean,
): Item | null {
  if (!source.match("?")) {
    return groupBody(source, state, scope, nested, state.opengroup(null), "(");
  }
  const char = source.get();
  if (char === null) throw new PyRegexError("unexpected end of pattern");
  switch (char) {
    case "P":
      return pythonExtension(source, state, scope, nested);
    case ":":
      return groupBody(source, state, scope, nested, null, "(?:");
    case "#":
      for (;;) {
        if (source.next === null) throw new PyRegexError("missing ), unterminated comment");
        if (source.get() === ")") return null;
      }
    case "=":
    case "!":
    case "<":
      return lookaround(source, state, scope, nested, char);
    case "(":
      return conditional(source, state, scope, nested);
    case ">":
      state.unsupport("an atomic group");
      return groupBody(source, state, scope, nested, null, "(?:");
  }
  if (!(char in FLAGS) && char !== "-") throw new PyRegexError(`unknown extension ?${char}`);
  const parsed = parseFlags(source, state, char);
  if (parsed === null) {
    if (!first) throw new PyRegexError("global flags not at the start of the expression");
    return null;
  }
  return scopedFlags(source, state, scope, nested, parsed);
}

function pythonExtension(source: Source, state: State, scope: Scope, nested: number): Item | null {
  if (source.match("<")) {
    const name = source.getuntil(">", "group name");
    checkGroupName(name);
    const gid = state.opengroup(name);
    return groupBody(source, state, scope, nested, gid, `(?<${name}>`);
  }
  if (source.match("=")) {
    const name = source.getuntil(")", "group name");
    checkGroupName(name);
    const gid = state.groupdict.get(name);
    if (gid === undefined) throw new PyRegexError(`unknown group name '${name}'`);
    if (!state.checkgroup(gid)) throw new PyRegexError("cannot refer to an open group");
    state.checklookbehindgroup(gid);
    return refItem(`\\k<${name}>`, state, gid);
  }
  const char = source.get();
  if (char === null) throw new PyRegexError("unexpected end of pattern");
  throw new PyRegexError(`unknown extension ?P${char}`);
}

const IDENTIFIER = /^[\p{ID_Start}_][\p{ID_Continue}]*$/u;

function checkGroupName(name: string): void {
  if (!IDENTIFIER.test(name)) throw new PyRegexError(`bad character in group name '${name}'`);
}

function groupBody(
  source: Source,
  state: State,
  scope: Scope,
  nested: number,
  gid: number | null,
  open: string,
): Item {
  const sub = parseSub(source, state, scope, nested + 1);
  if (!source.match(")")) throw new PyRegexError("missing ), unterminated subpattern");
  if (gid !== null) state.groupwidths[gid] = [sub.lo, sub.hi];
  return { src: `${open}${sub.src})`, kind: "group", lo: sub.lo, hi: sub.hi };
}

function lookaround(
  source: Source,
  state: State,
  scope: Scope,
  nested: number,
  char: string,
): Item {
  let dir = "";
  let kind = char;
  const outer = state.lookbehindgroups;
  if (char === "<") {
    const c = source.get();
    if (c === null) throw new PyRegexError("unexpected end of pattern");
    if (c !== "=" && c !== "!") throw new PyRegexError(`unknown extension ?<${c}`);
    kind = c;
    dir = "<";
    if (outer === null) state.lookbehindgroups = state.groups;
  }
  const sub = parseSub(source, state, scope, nested + 1);
  if (dir) {
    if (outer === null) state.lookbehindgroups = null;
    state.lookbehindWidths.push([sub.lo, sub.hi]);
  }
  if (!source.match(")")) throw new PyRegexError("missing ), unterminated subpattern");
  return { src: `(?${dir}${kind}${sub.src})`, kind: "assert", lo: 0, hi: 0 };
}

function conditional(source: Source, state: State, scope: Scope, nested: number): Item {
  const name = source.getuntil(")", "group name");
  let gid: number;
  if (IDENTIFIER.test(name)) {
    const found = state.groupdict.get(name);
    if (found === undefined) throw new PyRegexError(`unknown group name '${name}'`);
    gid = found;
  } else {
    if (!/^\p{Nd}+$/u.test(name) || /^[^0-9]/.test(name)) {
      throw new PyRegexError(`bad character in group name '${name}'`);
    }
    gid = Number(name);
    if (!gid) throw new PyRegexError("bad group number");
    state.grouprefpos.add(gid);
  }
  state.checklookbehindgroup(gid);
  const yes = parseSeq(source, state, scope, nested + 1, false);
  let no: Sub | null = null;
  if (source.match("|")) {
    no = parseSeq(source, state, scope, nested + 1, false);
    if (source.next === "|") {
      throw new PyRegexError("conditional backref with more than two branches");
    }
  }
  if (!source.match(")")) throw new PyRegexError("missing ), unterminated subpattern");
  state.unsupport("a conditional group");
  const lo = no ? Math.min(yes.lo, no.lo) : 0;
  const hi = no ? Math.max(yes.hi, no.hi) : yes.hi;
  return { src: "", kind: "cond", lo, hi };
}

/** `_parse_flags`: null for global flags `(?aiLmsux)`, else the added and removed flags. */
function parseFlags(source: Source, state: State, first: string): [number, number] | null {
  let add = 0;
  let del = 0;
  let char: string | null = first;
  if (char !== "-") {
    for (;;) {
      const flag = FLAGS[char];
      if (char === "L") {
        throw new PyRegexError("bad inline flags: cannot use 'L' flag with a str pattern");
      }
      add |= flag;
      if (flag & TYPE_FLAGS && (add & TYPE_FLAGS) !== flag) {
        throw new PyRegexError("bad inline flags: flags 'a', 'u' and 'L' are incompatible");
      }
      char = source.get();
      if (char === null) throw new PyRegexError("missing -, : or )");
      if (")-:".includes(char)) break;
      if (!(char in FLAGS)) {
        throw new PyRegexError(/^\p{L}$/u.test(char) ? "unknown flag" : "missing -, : or )");
      }
    }
  }
  if (char === ")") {
    state.flags |= add;
    return null;
  }
  if (add & GLOBAL_FLAGS) throw new PyRegexError("bad inline flags: cannot turn on global flag");
  if (char === "-") del = parseDelFlags(source);
  if (del & GLOBAL_FLAGS) throw new PyRegexError("bad inline flags: cannot turn off global flag");
  if (add & del) throw new PyRegexError("bad inline flags: flag turned on and off");
  return [add, del];
}

function parseDelFlags(source: Source): number {
  let del = 0;
  let char = source.get();
  if (char === null) throw new PyRegexError("missing flag");
  if (!(char in FLAGS)) {
    throw new PyRegexError(/^\p{L}$/u.test(char) ? "unknown flag" : "missing flag");
  }
  for (;;) {
    const flag = FLAGS[char];
    if (flag & TYPE_FLAGS) {
      throw new PyRegexError("bad inline flags: cannot turn off flags 'a', 'u' and 'L'");
    }
    del |= flag;
    char = source.get();
    if (char === null) throw new PyRegexError("missing :");
    if (char === ":") return del;
    if (!(char in FLAGS)) {
      throw new PyRegexError(/^\p{L}$/u.test(char) ? "unknown flag" : "missing :");
    }
  }
}

function scopedFlags(
  source: Source,
  state: State,
  scope: Scope,
  nested: number,
  [add, del]: [number, number],
): Item {
  const inner = { on: (scope.on | add) & ~del, off: (scope.off | del) & ~add };
  const sub = parseSub(source, state, inner, nested + 1);
  if (!source.match(")")) throw new PyRegexError("missing ), unterminated subpattern");
  const caseOn = add & FLAG_IGNORECASE ? "i" : "";
  const caseOff = del & FLAG_IGNORECASE ? "-i" : "";
  const open = caseOn || caseOff ? `(?${caseOn}${caseOff}:` : "(?:";
  return { src: `${open}${sub.src})`, kind: "group", lo: sub.lo, hi: sub.hi };
}
