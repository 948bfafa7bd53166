/**
 * The check objects a policy rule parses into, and how each one decides.
 *
 * Mirrors oslo_policy/_checks.py (TrueCheck, FalseCheck, NotCheck, AndCheck,
 * OrCheck, RuleCheck, RoleCheck, GenericCheck) and nova/policy.py
 * (IsAdminCheck, registered for `is_admin:`).
 *
 * @module
 */

/** One node of a parsed rule: oslo.policy's `BaseCheck` subclasses as data. */
export type Check =
  | { readonly type: "true" }
  | { readonly type: "false" }
  | { readonly type: "not"; readonly rule: Check }
  | { readonly type: "and"; readonly rules: readonly Check[] }
  | { readonly type: "or"; readonly rules: readonly Check[] }
  | { readonly type: "rule"; readonly match: string }
  | { readonly type: "role"; readonly match: string }
  | { readonly type: "is_admin"; readonly expected: boolean }
  | GenericCheck;

/**
 * `kind:match` for any other kind (`project_id:%(project_id)s`,
 * `system_scope:all`, `True:%(enabled)s`). `literal` is `str()` of
 * `ast.literal_eval(kind)` when the kind is a Python literal, else null.
 */
export interface GenericCheck {
  readonly type: "generic";
  readonly kind: string;
  readonly match: string;
  readonly literal: string | null;
}

/** The credentials a check reads (nova's `context.to_policy_values()` plus `system`). */
export type Credentials = Readonly<Record<string, unknown>>;

/** Finds a rule by name for `rule:` checks (oslo's `enforcer.rules[name]`, default rule included). */
export type RuleLookup = (name: string) => Check | undefined;

/** Thrown when evaluating a rule fails the way oslo.policy raises (a cycle of `rule:` references). */
export class PolicyEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyEvaluationError";
  }
}

// Python's recursion limit would stop a `rule:a` -> `rule:a` cycle; so do we.
const MAX_DEPTH = 200;

/**
 * Evaluates `check` (oslo's `_checks._check(rule, target, creds, enforcer)`).
 *
 * @throws {PolicyEvaluationError} when `rule:` references recurse without end
 */
export function evaluate(
  check: Check,
  env: { target: Readonly<Record<string, unknown>>; creds: Credentials; rules: RuleLookup },
  depth = 0,
): boolean {
  if (depth > MAX_DEPTH) {
    throw new PolicyEvaluationError("Policy rules reference each other in a cycle");
  }
  switch (check.type) {
    case "true":
      return true;
    case "false":
      return false;
    case "not":
      return !evaluate(check.rule, env, depth + 1);
    case "and":
      return check.rules.every((r) => evaluate(r, env, depth + 1));
    case "or":
      return check.rules.some((r) => evaluate(r, env, depth + 1));
    case "rule": {
      const rule = env.rules(check.match);
      // oslo: "We don't have any matching rule; fail closed".
      return rule === undefined ? false : evaluate(rule, env, depth + 1);
    }
    case "role":
      return roleCheck(check.match, env.target, env.creds);
    case "is_admin":
      // nova's IsAdminCheck: creds['is_admin'] == expected (None matches neither).
      return env.creds["is_admin"] === check.expected;
    case "generic":
      return genericCheck(check, env.target, env.creds);
  }
}

/** oslo's RoleCheck: `match % target`, then a case-insensitive role lookup. */
function roleCheck(match: string, target: Record<string, unknown>, creds: Credentials): boolean {
  const role = pyFormat(match, target);
  if (role === null) return false;
  const roles = creds["roles"];
  if (!Array.isArray(roles)) return false;
  const wanted = role.toLowerCase();
  return roles.some((r) => String(r).toLowerCase() === wanted);
}

/** oslo's GenericCheck: a literal kind compares with the match, else a creds path lookup. */
function genericCheck(check: GenericCheck, target: Record<string, unknown>, creds: Credentials) {
  const match = pyFormat(check.match, target);
  if (match === null) return false;
  if (check.literal !== null) return match === check.literal;
  return findInDict(creds, check.kind.split("."), match);
}

/** oslo's `GenericCheck._find_in_dict`: walks dotted keys, any element of a list may match. */
function findInDict(value: unknown, path: readonly string[], match: string): boolean {
  if (path.length === 0) return match === pyStr(value);
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  if (!Object.hasOwn(record, path[0])) return false;
  const next = record[path[0]];
  const rest = path.slice(1);
  if (Array.isArray(next)) return next.some((v) => findInDict(v, rest, match));
  return findInDict(next, rest, match);
}

const FORMAT_SPEC = /%(%|\(([^)]*)\)s)/g;

/**
 * Python's `match % target` for the specs a policy rule may hold: `%(key)s`
 * and `%%`. Returns null where Python raises KeyError (the check then fails).
 */
export function pyFormat(match: string, target: Readonly<Record<string, unknown>>): string | null {
  if (!match.includes("%")) return match;
  let missing = false;
  const out = match.replace(FORMAT_SPEC, (_all, spec: string, key: string | undefined) => {
    if (spec === "%") return "%";
    if (!Object.hasOwn(target, key!)) {
      missing = true;
      return "";
    }
    return pyStr(target[key!]);
  });
  return missing ? null : out;
}

/** Python's `str()` of a JSON-like value: `None`, `True`, `['a', 'b']`, `{'k': 1}`. */
export function pyStr(value: unknown): string {
  return typeof value === "string" ? value : pyRepr(value);
}

function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return pyStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (typeof value === "object") {
    const items = Object.entries(value).map(([k, v]) => `${pyStringRepr(k)}: ${pyRepr(v)}`);
    return `{${items.join(", ")}}`;
  }
  return String(value);
}

function pyStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t");
  return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
}
