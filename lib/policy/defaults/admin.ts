/**
 * nova 26 (Zed) default policy rules, admin area.
 *
 * Rules of the operator APIs: aggregates, hosts, hypervisors, services, ...
 *
 * Generated from `nova.policies.list_rules()`; one block per module of
 * nova/policies/. Data only: edit by regenerating, not by hand.
 *
 * @module
 */

import type { RuleDefault } from "./types.ts";

/** Rules of the operator APIs: aggregates, hosts, hypervisors, services, ... */
export const ADMIN_RULES: readonly RuleDefault[] = [
  // nova/policies/aggregates.py
  {
    name: "os_compute_api:os-aggregates:set_metadata",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-aggregates:add_host",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-aggregates:create",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-aggregates:remove_host",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-aggregates:update",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-aggregates:index",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-aggregates:delete",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-aggregates:show",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  { name: "compute:aggregates:images", check: "rule:context_is_admin", scopeTypes: ["project"] },
  // nova/policies/assisted_volume_snapshots.py
  {
    name: "os_compute_api:os-assisted-volume-snapshots:create",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-assisted-volume-snapshots:delete",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/availability_zone.py
  { name: "os_compute_api:os-availability-zone:list", check: "@", scopeTypes: ["project"] },
  {
    name: "os_compute_api:os-availability-zone:detail",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/baremetal_nodes.py
  {
    name: "os_compute_api:os-baremetal-nodes:list",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-baremetal-nodes", check: "rule:admin_api" },
  },
  {
    name: "os_compute_api:os-baremetal-nodes:show",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-baremetal-nodes", check: "rule:admin_api" },
  },
  // nova/policies/console_auth_tokens.py
  {
    name: "os_compute_api:os-console-auth-tokens",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/hosts.py
  {
    name: "os_compute_api:os-hosts:list",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-hosts", check: "rule:admin_api" },
  },
  {
    name: "os_compute_api:os-hosts:show",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-hosts", check: "rule:admin_api" },
  },
  {
    name: "os_compute_api:os-hosts:update",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-hosts", check: "rule:admin_api" },
  },
  {
    name: "os_compute_api:os-hosts:reboot",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-hosts", check: "rule:admin_api" },
  },
  {
    name: "os_compute_api:os-hosts:shutdown",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-hosts", check: "rule:admin_api" },
  },
  {
    name: "os_compute_api:os-hosts:start",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-hosts", check: "rule:admin_api" },
  },
  // nova/policies/hypervisors.py
  {
    name: "os_compute_api:os-hypervisors:list",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-hypervisors", check: "rule:admin_api" },
  },
  {
    name: "os_compute_api:os-hypervisors:list-detail",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-hypervisors", check: "rule:admin_api" },
  },
  {
    name: "os_compute_api:os-hypervisors:statistics",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-hypervisors", check: "rule:admin_api" },
  },
  {
    name: "os_compute_api:os-hypervisors:show",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-hypervisors", check: "rule:admin_api" },
  },
  {
    name: "os_compute_api:os-hypervisors:uptime",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-hypervisors", check: "rule:admin_api" },
  },
  {
    name: "os_compute_api:os-hypervisors:search",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-hypervisors", check: "rule:admin_api" },
  },
  {
    name: "os_compute_api:os-hypervisors:servers",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-hypervisors", check: "rule:admin_api" },
  },
  // nova/policies/instance_usage_audit_log.py
  {
    name: "os_compute_api:os-instance-usage-audit-log:list",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-instance-usage-audit-log", check: "rule:admin_api" },
  },
  {
    name: "os_compute_api:os-instance-usage-audit-log:show",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-instance-usage-audit-log", check: "rule:admin_api" },
  },
  // nova/policies/migrations.py
  {
    name: "os_compute_api:os-migrations:index",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/server_external_events.py
  {
    name: "os_compute_api:os-server-external-events:create",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/services.py
  {
    name: "os_compute_api:os-services:list",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-services", check: "rule:admin_api" },
  },
  {
    name: "os_compute_api:os-services:update",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-services", check: "rule:admin_api" },
  },
  {
    name: "os_compute_api:os-services:delete",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-services", check: "rule:admin_api" },
  },
  // nova/policies/simple_tenant_usage.py
  {
    name: "os_compute_api:os-simple-tenant-usage:show",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-simple-tenant-usage:list",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
];
