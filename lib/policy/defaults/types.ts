/**
 * The shape of a default policy rule as nova registers it.
 *
 * Mirrors oslo_policy.policy.RuleDefault / DeprecatedRule (name, check_str,
 * scope_types, deprecated_rule); descriptions and operations are left out.
 *
 * @module
 */

/** oslo's `DeprecatedRule`: the old name and check string a rule replaced. */
export interface DeprecatedRule {
  readonly name: string;
  readonly check: string;
}

/** oslo's `RuleDefault`: a rule registered in code, before any policy file. */
export interface RuleDefault {
  readonly name: string;
  /** The check string (`check_str`). */
  readonly check: string;
  /** `scope_types`; absent means the rule is not scope-checked. */
  readonly scopeTypes?: readonly string[];
  /** `deprecated_rule`; absent when the rule has none. */
  readonly deprecated?: DeprecatedRule;
}
