/**
 * The effective rules: the operator's file rules, then every registered
 * default not overridden, with its deprecated rule folded in.
 *
 * Mirrors oslo_policy.policy.Enforcer.load_rules (file rules first, defaults
 * only for names the files do not set) and Enforcer._handle_deprecated_rule
 * (the override of a deprecated name carries over to the new name; with
 * enforce_new_defaults False a non-overridden rule is
 * `OrCheck([new default, deprecated check])`).
 *
 * @module
 */

import type { Check } from "./checks.ts";
import type { RuleDefault } from "./defaults.ts";
import type { FileRule } from "./files.ts";
import { checkToString, parseRule, PolicySyntaxError } from "./parser.ts";

/** The rules an enforcer evaluates. */
export interface RuleSet {
  /** Every rule by name: file rules (registered or not) and registered defaults. */
  readonly rules: ReadonlyMap<string, Check>;
  /** The registered defaults by name (what `authorize` accepts). */
  readonly registered: ReadonlyMap<string, RuleDefault>;
}

/**
 * Builds the effective rules.
 *
 * @param defaults the registered rules (nova's `register_rules`)
 * @param fileRules rules read from policy files, by name
 * @param options.enforceNewDefaults `[oslo_policy] enforce_new_defaults`
 * @throws {PolicySyntaxError} for a rule that cannot be parsed (naming the rule and its file)
 * @throws {Error} for a default registered twice (oslo's DuplicatePolicyError)
 */
export function buildRuleSet(
  defaults: readonly RuleDefault[],
  fileRules: ReadonlyMap<string, FileRule>,
  options: { enforceNewDefaults: boolean },
): RuleSet {
  const registered = registerDefaults(defaults);
  const rules = new Map<string, Check>();
  for (const [name, rule] of fileRules) rules.set(name, parseFileRule(name, rule));
  for (const rule of registered.values()) {
    if (rules.has(rule.name)) continue;
    rules.set(rule.name, defaultCheck(rule, rules, fileRules, options.enforceNewDefaults));
  }
  return { rules, registered };
}

function registerDefaults(defaults: readonly RuleDefault[]): Map<string, RuleDefault> {
  const registered = new Map<string, RuleDefault>();
  for (const rule of defaults) {
    if (registered.has(rule.name)) throw new Error(`Policy ${rule.name} is already registered`);
    registered.set(rule.name, rule);
  }
  return registered;
}

function parseFileRule(name: string, rule: FileRule): Check {
  try {
    return parseRule(rule.check, name);
  } catch (err) {
    if (!(err instanceof PolicySyntaxError)) throw err;
    throw new PolicySyntaxError(`${err.message} (in ${rule.source})`);
  }
}

/** oslo's `_handle_deprecated_rule`, for a default the files do not override. */
function defaultCheck(
  rule: RuleDefault,
  rules: ReadonlyMap<string, Check>,
  fileRules: ReadonlyMap<string, FileRule>,
  enforceNewDefaults: boolean,
): Check {
  const check = parseRule(rule.check, rule.name);
  const deprecated = rule.deprecated;
  if (!deprecated) return check;
  const overridden = deprecated.name !== rule.name ? rules.get(deprecated.name) : undefined;
  if (
    overridden !== undefined && fileRules.has(deprecated.name) &&
    checkToString(overridden) !== `rule:${rule.name}`
  ) {
    // The operator still overrides the old name: keep their rule for the new one.
    return overridden;
  }
  if (!enforceNewDefaults && deprecated.check !== rule.check) {
    return { type: "or", rules: [check, parseRule(deprecated.check, deprecated.name)] };
  }
  return check;
}
