/**
 * nova 26 (Zed) default policy rules, base area.
 *
 * The base rules every nova API rule refers to (admin_api, project_member_api, ...).
 *
 * Generated from `nova.policies.list_rules()`; one block per module of
 * nova/policies/. Data only: edit by regenerating, not by hand.
 *
 * @module
 */

import type { RuleDefault } from "./types.ts";

/** The base rules every nova API rule refers to (admin_api, project_member_api, ...). */
export const BASE_RULES: readonly RuleDefault[] = [
  // nova/policies/base.py
  {
    name: "context_is_admin",
    check: "role:admin",
    deprecated: { name: "rule:admin_api", check: "is_admin:True" },
  },
  { name: "admin_or_owner", check: "is_admin:True or project_id:%(project_id)s" },
  { name: "admin_api", check: "is_admin:True" },
  {
    name: "project_member_api",
    check: "role:member and project_id:%(project_id)s",
    deprecated: {
      name: "rule:admin_or_owner",
      check: "is_admin:True or project_id:%(project_id)s",
    },
  },
  {
    name: "project_reader_api",
    check: "role:reader and project_id:%(project_id)s",
    deprecated: {
      name: "rule:admin_or_owner",
      check: "is_admin:True or project_id:%(project_id)s",
    },
  },
  {
    name: "project_member_or_admin",
    check: "rule:project_member_api or rule:context_is_admin",
    deprecated: {
      name: "rule:admin_or_owner",
      check: "is_admin:True or project_id:%(project_id)s",
    },
  },
  {
    name: "project_reader_or_admin",
    check: "rule:project_reader_api or rule:context_is_admin",
    deprecated: {
      name: "rule:admin_or_owner",
      check: "is_admin:True or project_id:%(project_id)s",
    },
  },
];
