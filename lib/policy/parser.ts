/**
 * The oslo.policy rule language: `role:admin`, `rule:admin_api`,
 * `project_id:%(project_id)s`, `is_admin:True`, `@`, `!`, `and`, `or`,
 * `not`, parentheses; the empty rule always passes.
 *
 * Mirrors oslo_policy/_parser.py (`_parse_tokenize`, `ParseState`,
 * `_parse_check`) and the check kinds registered by oslo_policy/_checks.py
 * and nova/policy.py. `and` binds tighter than `or`, `not` tighter than both.
 * Where oslo logs "Failed to understand rule" and fails closed, this parser
 * throws {@link PolicySyntaxError} naming the rule instead.
 *
 * @module
 */

import type { Check, GenericCheck } from "./checks.ts";

/** A rule that cannot be parsed. */
export class PolicySyntaxError extends SyntaxError {
  constructor(message: string) {
    super(message);
    this.name = "PolicySyntaxError";
  }
}

type Token =
  | { readonly kind: "(" | ")" | "and" | "or" | "not"; readonly text: string }
  | { readonly kind: "string"; readonly text: string }
  | { readonly kind: "check"; readonly text: string; readonly check: Check };

/**
 * Parses a check string into a tree of checks (oslo's `parse_rule`).
 *
 * @param text the check string, e.g. `"role:admin or project_id:%(project_id)s"`
 * @param name the rule's name, for the error message
 * @returns the root check; `{type: "true"}` for an empty string
 * @throws {PolicySyntaxError} naming the rule when the text is malformed
 */
export function parseRule(text: string, name = "<rule>"): Check {
  const fail = (why: string): never => {
    throw new PolicySyntaxError(
      `Policy rule "${name}" is malformed (${why}): ${JSON.stringify(text)}`,
    );
  };
  // oslo: only the empty string is the empty rule; blank text fails to parse.
  if (text === "") return { type: "true" };
  const tokens = tokenize(text, fail);
  if (tokens.length === 0) fail("no checks");
  const parser = new TokenStream(tokens, fail);
  const check = parser.parseOr();
  if (!parser.done) parser.unexpected();
  return check;
}

/** oslo's `_parse_tokenize`: split on whitespace, peel parentheses off each word. */
function tokenize(text: string, fail: (why: string) => never): Token[] {
  const tokens: Token[] = [];
  for (const word of text.split(/\s+/)) {
    if (word === "") continue;
    const open = /^\(*/.exec(word)![0].length;
    for (let i = 0; i < open; i++) tokens.push({ kind: "(", text: "(" });
    const tok = word.slice(open);
    if (tok === "") continue;
    const clean = tok.replace(/\)+$/, "");
    const lowered = clean.toLowerCase();
    if (lowered === "and" || lowered === "or" || lowered === "not") {
      tokens.push({ kind: lowered, text: clean });
    } else if (clean !== "") {
      // NOTE(parity): oslo tests the quotes on the word before stripping ")".
      const quoted = tok.length >= 2 && (tok[0] === '"' || tok[0] === "'") &&
        tok.at(-1) === tok[0];
      tokens.push(
        quoted
          ? { kind: "string", text: tok.slice(1, -1) }
          : { kind: "check", text: clean, check: parseCheck(clean, fail) },
      );
    }
    for (let i = clean.length; i < tok.length; i++) tokens.push({ kind: ")", text: ")" });
  }
  return tokens;
}

/** A recursive-descent reader over the tokens, giving the tree oslo's reducer builds. */
class TokenStream {
  #pos = 0;
  constructor(readonly tokens: Token[], readonly fail: (why: string) => never) {}

  get done(): boolean {
    return this.#pos >= this.tokens.length;
  }

  unexpected(): never {
    const tok = this.tokens[this.#pos];
    if (tok === undefined) return this.fail("unexpected end of rule");
    if (tok.kind === "string") return this.fail(`a quoted string ${JSON.stringify(tok.text)}`);
    return this.fail(`unexpected "${tok.text}" at token ${this.#pos + 1}`);
  }

  #peek(kind: Token["kind"]): boolean {
    return this.tokens[this.#pos]?.kind === kind;
  }

  /** or_expr: and_expr ("or" and_expr)* */
  parseOr(): Check {
    const first = this.#parseAnd(false);
    if (!this.#peek("or")) return first;
    const rules = [first];
    while (this.#peek("or")) {
      this.#pos++;
      rules.push(this.#parseAnd(true));
    }
    return { type: "or", rules };
  }

  /** and_expr: unary ("and" unary)* */
  #parseAnd(inOr: boolean): Check {
    const first = this.#parseUnary();
    if (!this.#peek("and")) return first;
    // NOTE(parity): after an `or`, oslo's _mix_or_and_expr extends a
    // parenthesized AndCheck in place: "a or (b and c) and d" is
    // "(a or (b and c and d))". Same truth, same str().
    const rules = inOr && first.type === "and" ? [...first.rules] : [first];
    while (this.#peek("and")) {
      this.#pos++;
      rules.push(this.#parseUnary());
    }
    return { type: "and", rules };
  }

  /** unary: "not" unary | "(" or_expr ")" | check */
  #parseUnary(): Check {
    const tok = this.tokens[this.#pos];
    if (tok?.kind === "not") {
      this.#pos++;
      return { type: "not", rule: this.#parseUnary() };
    }
    if (tok?.kind === "(") {
      this.#pos++;
      const inner = this.parseOr();
      if (!this.#peek(")")) return this.unexpected();
      this.#pos++;
      return inner;
    }
    if (tok?.kind === "check") {
      this.#pos++;
      return tok.check;
    }
    return this.unexpected();
  }
}

// oslo.policy's stevedore extensions; remote checks are not supported here.
const UNSUPPORTED_KINDS = new Set(["http", "https"]);

/** oslo's `_parse_check`: `@`, `!`, or `kind:match` dispatched on the kind. */
function parseCheck(text: string, fail: (why: string) => never): Check {
  if (text === "!") return { type: "false" };
  if (text === "@") return { type: "true" };
  const colon = text.indexOf(":");
  if (colon < 0) return fail(`"${text}" is not "kind:match"`);
  const kind = text.slice(0, colon);
  const match = text.slice(colon + 1);
  if (UNSUPPORTED_KINDS.has(kind)) return fail(`"${kind}:" checks are not supported`);
  switch (kind) {
    case "rule":
      return { type: "rule", match };
    case "role":
      return { type: "role", match: checkFormat(text, match, fail) };
    case "is_admin":
      // nova's IsAdminCheck: anything but "true" (any case) expects False.
      return { type: "is_admin", expected: match.toLowerCase() === "true" };
    default:
      return {
        type: "generic",
        kind,
        match: checkFormat(text, match, fail),
        literal: pyLiteralStr(kind),
      } satisfies GenericCheck;
  }
}

/** Only `%(name)s` and `%%` may appear where oslo applies `match % target`. */
function checkFormat(text: string, match: string, fail: (why: string) => never): string {
  if (match.replace(/%(%|\([^)]*\)s)/g, "").includes("%")) {
    return fail(`"${text}" uses a format other than %(name)s`);
  }
  return match;
}

/**
 * `str(ast.literal_eval(kind))` for the literals a check kind can be
 * (`True`, `False`, `None`, numbers, quoted strings), or null when the kind
 * is a name to look up in the credentials.
 */
export function pyLiteralStr(kind: string): string | null {
  if (kind === "True" || kind === "False" || kind === "None") return kind;
  const quoted = /^[uUrR]?(['"])(.*)\1$/s.exec(kind);
  if (quoted) return kind[0] === "r" || kind[0] === "R" ? quoted[2] : unescapePy(quoted[2]);
  const sign = /^[+-]/.test(kind) ? kind[0] : "";
  const body = kind.slice(sign.length);
  const int = /^(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[1-9][0-9_]*|0+)$/.exec(body);
  if (int) return pyInt(sign, body);
  if (/^(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][+-]?\d+)?$/.test(body)) {
    return pyFloatRepr(Number(sign + body.replaceAll("_", "")));
  }
  return null;
}

function pyInt(sign: string, body: string): string {
  const digits = body.replaceAll("_", "");
  const n = /^0+$/.test(digits) ? 0n : BigInt(digits);
  return (sign === "-" && n !== 0n ? "-" : "") + n.toString();
}

/** Python's `repr(float)`: shortest digits, exponent outside [1e-4, 1e16). */
function pyFloatRepr(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  const abs = Math.abs(n);
  if (abs !== 0 && (abs >= 1e16 || abs < 1e-4)) {
    return n.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  }
  const s = String(n);
  return Number.isInteger(n) ? `${s}.0` : s;
}

const PY_ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "0": "\0",
};

function unescapePy(s: string): string {
  return s.replace(/\\(.)/g, (all, c: string) => PY_ESCAPES[c] ?? all);
}

/**
 * oslo's `str(check)`: the canonical text of a parsed rule,
 * e.g. `(role:admin or project_id:%(project_id)s)`.
 */
export function checkToString(check: Check): string {
  switch (check.type) {
    case "true":
      return "@";
    case "false":
      return "!";
    case "not":
      return `not ${checkToString(check.rule)}`;
    case "and":
    case "or":
      return `(${check.rules.map(checkToString).join(` ${check.type} `)})`;
    case "rule":
    case "role":
      return `${check.type}:${check.match}`;
    case "is_admin":
      return `is_admin:${check.expected ? "True" : "False"}`;
    case "generic":
      return `${check.kind}:${check.match}`;
  }
}
