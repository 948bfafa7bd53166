/**
 * Every default policy rule nova 26 (Zed) registers, as data.
 *
 * Mirrors `nova.policies.list_rules()`: the base rules of
 * nova/policies/base.py and all `os_compute_api:*` rules of
 * nova/policies/*.py, with their check strings, scope types and deprecated
 * rules. The tables under `defaults/` are generated from the installed
 * nova; edit them by regenerating, not by hand.
 *
 * @module
 */

import { ADMIN_RULES } from "./defaults/admin.ts";
import { BASE_RULES } from "./defaults/base.ts";
import { RESOURCE_RULES } from "./defaults/resources.ts";
import { SERVER_RULES } from "./defaults/servers.ts";
import type { RuleDefault } from "./defaults/types.ts";

export type { DeprecatedRule, RuleDefault } from "./defaults/types.ts";

/** nova's registered defaults (`nova.policies.list_rules()`), 201 rules. */
export const NOVA_DEFAULT_RULES: readonly RuleDefault[] = [
  ...BASE_RULES,
  ...ADMIN_RULES,
  ...RESOURCE_RULES,
  ...SERVER_RULES,
];
