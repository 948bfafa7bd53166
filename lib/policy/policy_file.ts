/**
 * Reads the text of a policy file: a flat mapping of rule names to check
 * strings, in JSON or in the YAML that policy files are written in.
 *
 * Mirrors oslo_policy.policy.parse_file_contents: JSON is tried first, then
 * YAML. The YAML side is a subset: a top-level mapping of `key: value`
 * lines, keys and values plain or quoted ('single', "double" with escapes),
 * quoted values may continue on following lines and plain values on
 * indented lines (folded as YAML folds them), `#` comments, `---`. Anything
 * else is a SyntaxError naming the file and line.
 *
 * @module
 */

/**
 * Parses a policy file's text into rule name -> check string.
 *
 * @param text the file's content
 * @param source the file's name, for messages
 * @returns the rules in file order (a repeated name keeps its last value)
 * @throws {SyntaxError} when the text is neither JSON nor the YAML subset,
 *   or a value is not a string
 */
export function parsePolicyFile(text: string, source: string): Map<string, string> {
  const json = tryJson(text, source);
  if (json !== undefined) return json;
  return new YamlReader(text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n"), source).read();
}

function tryJson(text: string, source: string): Map<string, string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  // oslo: `parsed or {}`.
  if (parsed === null || parsed === false || parsed === 0 || parsed === "") return new Map();
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new SyntaxError(`Policy file ${source} is not a mapping of rule names to rules`);
  }
  const rules = new Map<string, string>();
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    rules.set(name, ruleText(value, name, source));
  }
  return rules;
}

function ruleText(value: unknown, name: string, source: string): string {
  // A null rule is parse_rule(None): the empty (always) rule.
  if (value === null) return "";
  if (typeof value === "string") return value;
  throw new SyntaxError(`Policy file ${source}: rule "${name}" is not a string`);
}

// YAML 1.1 plain scalars that PyYAML does not load as strings.
const YAML_NULL = /^(~|null|Null|NULL)$/;
const YAML_NOT_STRING =
  /^(yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|[-+]?(\.\d+|\d[\d_]*(\.[\d_]*)?)([eE][-+]?\d+)?|0x[0-9a-fA-F_]+|\.inf|\.nan)$/;
// Characters that cannot start a plain scalar (YAML indicators).
const INDICATORS = "!&*|>%@`[]{},?-";

const DOUBLE_ESCAPES: Record<string, string> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  t: "\t",
  "\t": "\t",
  n: "\n",
  v: "\v",
  f: "\f",
  r: "\r",
  e: "\x1b",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
  N: "\x85",
  _: "\xa0",
  L: "\u2028",
  P: "\u2029",
};

/** A cursor over the YAML text. */
class YamlReader {
  #pos = 0;
  readonly #rules = new Map<string, string>();

  constructor(readonly text: string, readonly source: string) {}

  read(): Map<string, string> {
    let first = true;
    while (this.#skipBlankAndComments()) {
      const line = this.#restOfLine();
      if (first && /^---\s*(#.*)?$/.test(line)) {
        this.#nextLine();
        first = false;
        continue;
      }
      first = false;
      if (/^\.\.\.\s*$/.test(line)) break;
      if (/^\s/.test(line)) this.#fail("unexpected indentation");
      const name = this.#readKey();
      this.#rules.set(name, this.#readValue(name));
    }
    return this.#rules;
  }

  /** Moves to the start of the next line holding content; false at the end. */
  #skipBlankAndComments(): boolean {
    while (this.#pos < this.text.length) {
      const line = this.#restOfLine();
      if (line.trim() !== "" && !line.trimStart().startsWith("#")) return true;
      this.#nextLine();
    }
    return false;
  }

  #restOfLine(): string {
    const end = this.text.indexOf("\n", this.#pos);
    return this.text.slice(this.#pos, end < 0 ? undefined : end);
  }

  #nextLine(): void {
    const end = this.text.indexOf("\n", this.#pos);
    this.#pos = end < 0 ? this.text.length : end + 1;
  }

  #fail(why: string, at = this.#pos): never {
    const line = this.text.slice(0, at).split("\n").length;
    throw new SyntaxError(`Policy file ${this.source} line ${line}: ${why}`);
  }

  #readKey(): string {
    const c = this.text[this.#pos];
    let key: string;
    if (c === '"' || c === "'") {
      key = this.#readQuoted(c);
      this.#skipSpaces();
      if (this.text[this.#pos] !== ":") {
        this.#fail(`expected ":" after the key ${JSON.stringify(key)}`);
      }
    } else {
      const line = this.#restOfLine();
      if (INDICATORS.includes(line[0]) && !/^-\S/.test(line)) {
        this.#fail(`unsupported YAML: ${JSON.stringify(line)}`);
      }
      const colon = line.search(/:(\s|$)/);
      if (colon < 0 || line.slice(0, colon).includes(" #")) this.#fail('expected "name: rule"');
      key = line.slice(0, colon).trim();
      this.#pos += colon;
    }
    this.#pos++; // the colon
    return key;
  }

  #readValue(name: string): string {
    this.#skipSpaces();
    const c = this.text[this.#pos];
    if (c === '"' || c === "'") {
      const value = this.#readQuoted(c);
      this.#skipSpaces();
      const rest = this.#restOfLine();
      if (rest !== "" && !rest.startsWith("#")) {
        this.#fail(`unexpected text after the value of "${name}"`);
      }
      this.#nextLine();
      return value;
    }
    return this.#readPlain(name);
  }

  /** A plain (unquoted) value: the rest of the line, folded with indented continuation lines. */
  #readPlain(name: string): string {
    const start = this.#pos;
    const head = this.#restOfLine();
    const parts = [head.startsWith("#") ? "" : stripComment(head)];
    this.#nextLine();
    for (;;) {
      const line = this.#restOfLine();
      if (this.#pos >= this.text.length || !/^\s/.test(line) && line !== "") break;
      if (line.trimStart().startsWith("#")) break;
      if (/:(\s|$)/.test(stripComment(line))) this.#fail("unexpected indentation");
      parts.push(stripComment(line).trim());
      this.#nextLine();
    }
    while (parts.length > 1 && parts.at(-1) === "") parts.pop();
    const value = foldLines(parts);
    if (value === "" || YAML_NULL.test(value)) return "";
    if (YAML_NOT_STRING.test(value)) {
      this.#fail(`the value of "${name}" is not a string; quote it`, start);
    }
    if (INDICATORS.includes(value[0]) && !/^-[^\s]/.test(value)) {
      this.#fail(`the value of "${name}" starts with "${value[0]}"; quote it`, start);
    }
    if (/:\s/.test(value)) this.#fail(`the value of "${name}" contains ": "; quote it`, start);
    return value;
  }

  #skipSpaces(): void {
    while (this.text[this.#pos] === " " || this.text[this.#pos] === "\t") this.#pos++;
  }

  /** A quoted scalar starting at the cursor; line breaks inside fold as in YAML. */
  #readQuoted(quote: string): string {
    let out = "";
    this.#pos++;
    for (;;) {
      const c = this.text[this.#pos];
      if (c === undefined) this.#fail("unterminated quoted string");
      if (c === quote && quote === "'" && this.text[this.#pos + 1] === "'") {
        out += "'";
        this.#pos += 2;
      } else if (c === quote) {
        this.#pos++;
        return out;
      } else if (c === "\\" && quote === '"') {
        out += this.#readEscape();
      } else if (c === "\n") {
        out = out.replace(/[ \t]+$/, "") + this.#foldBreak();
      } else {
        out += c;
        this.#pos++;
      }
    }
  }

  /** After a line break inside quotes: a space, or one newline per empty line. */
  #foldBreak(): string {
    let breaks = 0;
    this.#pos++;
    this.#skipSpaces();
    while (this.text[this.#pos] === "\n") {
      breaks++;
      this.#pos++;
      this.#skipSpaces();
    }
    return breaks === 0 ? " " : "\n".repeat(breaks);
  }

  #readEscape(): string {
    const c = this.text[this.#pos + 1];
    this.#pos += 2;
    if (c === "\n") {
      // An escaped line break joins the lines without a space.
      this.#skipSpaces();
      return "";
    }
    const width = c === "x" ? 2 : c === "u" ? 4 : c === "U" ? 8 : 0;
    if (width > 0) {
      const hex = this.text.slice(this.#pos, this.#pos + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) this.#fail(`bad escape "\\${c}${hex}"`);
      this.#pos += width;
      return String.fromCodePoint(parseInt(hex, 16));
    }
    const escaped = c === undefined ? undefined : DOUBLE_ESCAPES[c];
    if (escaped === undefined) this.#fail(`bad escape "\\${c ?? ""}"`);
    return escaped;
  }
}

/** Drops a trailing ` # comment` from a plain scalar's line. */
function stripComment(line: string): string {
  const hash = line.search(/\s#/);
  return (hash < 0 ? line : line.slice(0, hash)).trimEnd();
}

/** YAML line folding of a plain scalar: a break is a space, empty lines are newlines. */
function foldLines(parts: string[]): string {
  let out = parts[0].trim();
  let empties = 0;
  for (const part of parts.slice(1)) {
    if (part === "") {
      empties++;
      continue;
    }
    const separator = empties > 0 ? "\n".repeat(empties) : " ";
    out += (out === "" ? "" : separator) + part;
    empties = 0;
  }
  return out;
}
