/**
 * nova 26 (Zed) default policy rules, resources area.
 *
 * Rules of flavors, keypairs, quotas, limits, server groups and the proxy APIs.
 *
 * Generated from `nova.policies.list_rules()`; one block per module of
 * nova/policies/. Data only: edit by regenerating, not by hand.
 *
 * @module
 */

import type { RuleDefault } from "./types.ts";

/** Rules of flavors, keypairs, quotas, limits, server groups and the proxy APIs. */
export const RESOURCE_RULES: readonly RuleDefault[] = [
  // nova/policies/extensions.py
  { name: "os_compute_api:extensions", check: "@", scopeTypes: ["project"] },
  // nova/policies/flavor_access.py
  {
    name: "os_compute_api:os-flavor-access:add_tenant_access",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-flavor-access:remove_tenant_access",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-flavor-access",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-flavor-access", check: "rule:admin_or_owner" },
  },
  // nova/policies/flavor_extra_specs.py
  {
    name: "os_compute_api:os-flavor-extra-specs:show",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-flavor-extra-specs:create",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-flavor-extra-specs:update",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-flavor-extra-specs:delete",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-flavor-extra-specs:index",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/flavor_manage.py
  {
    name: "os_compute_api:os-flavor-manage:create",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-flavor-manage:update",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-flavor-manage:delete",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/floating_ip_pools.py
  { name: "os_compute_api:os-floating-ip-pools", check: "@", scopeTypes: ["project"] },
  // nova/policies/floating_ips.py
  {
    name: "os_compute_api:os-floating-ips:add",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-floating-ips", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-floating-ips:remove",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-floating-ips", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-floating-ips:list",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-floating-ips", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-floating-ips:create",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-floating-ips", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-floating-ips:show",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-floating-ips", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-floating-ips:delete",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-floating-ips", check: "rule:admin_or_owner" },
  },
  // nova/policies/keypairs.py
  {
    name: "os_compute_api:os-keypairs:index",
    check: "(rule:context_is_admin) or user_id:%(user_id)s",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-keypairs:create",
    check: "(rule:context_is_admin) or user_id:%(user_id)s",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-keypairs:delete",
    check: "(rule:context_is_admin) or user_id:%(user_id)s",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-keypairs:show",
    check: "(rule:context_is_admin) or user_id:%(user_id)s",
    scopeTypes: ["project"],
  },
  // nova/policies/limits.py
  { name: "os_compute_api:limits", check: "@", scopeTypes: ["project"] },
  {
    name: "os_compute_api:limits:other_project",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-used-limits", check: "rule:admin_api" },
  },
  // nova/policies/networks.py
  {
    name: "os_compute_api:os-networks:list",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-networks:view", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-networks:show",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-networks:view", check: "rule:admin_or_owner" },
  },
  // nova/policies/quota_class_sets.py
  {
    name: "os_compute_api:os-quota-class-sets:show",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-quota-class-sets:update",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/quota_sets.py
  {
    name: "os_compute_api:os-quota-sets:update",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  { name: "os_compute_api:os-quota-sets:defaults", check: "@", scopeTypes: ["project"] },
  {
    name: "os_compute_api:os-quota-sets:show",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-quota-sets:delete",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-quota-sets:detail",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/security_groups.py
  {
    name: "os_compute_api:os-security-groups:get",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-security-groups", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-security-groups:show",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-security-groups", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-security-groups:create",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-security-groups", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-security-groups:update",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-security-groups", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-security-groups:delete",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-security-groups", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-security-groups:rule:create",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-security-groups", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-security-groups:rule:delete",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-security-groups", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-security-groups:list",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-security-groups", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-security-groups:add",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-security-groups", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-security-groups:remove",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-security-groups", check: "rule:admin_or_owner" },
  },
  // nova/policies/server_groups.py
  {
    name: "os_compute_api:os-server-groups:create",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-server-groups:delete",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-server-groups:index",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-server-groups:index:all_projects",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-server-groups:show",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/tenant_networks.py
  {
    name: "os_compute_api:os-tenant-networks:list",
    check: "rule:project_reader_api",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-tenant-networks", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-tenant-networks:show",
    check: "rule:project_reader_api",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-tenant-networks", check: "rule:admin_or_owner" },
  },
  // nova/policies/volumes.py
  {
    name: "os_compute_api:os-volumes:list",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-volumes", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-volumes:create",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-volumes", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-volumes:detail",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-volumes", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-volumes:show",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-volumes", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-volumes:delete",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-volumes", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-volumes:snapshots:list",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-volumes", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-volumes:snapshots:create",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-volumes", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-volumes:snapshots:detail",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-volumes", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-volumes:snapshots:show",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-volumes", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-volumes:snapshots:delete",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-volumes", check: "rule:admin_or_owner" },
  },
];
