/**
 * nova 26 (Zed) default policy rules, servers area.
 *
 * Rules of the servers API and its actions and sub-resources.
 *
 * Generated from `nova.policies.list_rules()`; one block per module of
 * nova/policies/. Data only: edit by regenerating, not by hand.
 *
 * @module
 */

import type { RuleDefault } from "./types.ts";

/** Rules of the servers API and its actions and sub-resources. */
export const SERVER_RULES: readonly RuleDefault[] = [
  // nova/policies/admin_actions.py
  {
    name: "os_compute_api:os-admin-actions:reset_state",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-admin-actions:inject_network_info",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/admin_password.py
  {
    name: "os_compute_api:os-admin-password",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/attach_interfaces.py
  {
    name: "os_compute_api:os-attach-interfaces:list",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-attach-interfaces", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-attach-interfaces:show",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-attach-interfaces", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-attach-interfaces:create",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-attach-interfaces", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-attach-interfaces:delete",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-attach-interfaces", check: "rule:admin_or_owner" },
  },
  // nova/policies/console_output.py
  {
    name: "os_compute_api:os-console-output",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/create_backup.py
  {
    name: "os_compute_api:os-create-backup",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/deferred_delete.py
  {
    name: "os_compute_api:os-deferred-delete:restore",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-deferred-delete", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-deferred-delete:force",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-deferred-delete", check: "rule:admin_or_owner" },
  },
  // nova/policies/evacuate.py
  { name: "os_compute_api:os-evacuate", check: "rule:context_is_admin", scopeTypes: ["project"] },
  // nova/policies/extended_server_attributes.py
  {
    name: "os_compute_api:os-extended-server-attributes",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/instance_actions.py
  {
    name: "os_compute_api:os-instance-actions:events:details",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-instance-actions:events",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-instance-actions:list",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-instance-actions", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-instance-actions:show",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-instance-actions", check: "rule:admin_or_owner" },
  },
  // nova/policies/ips.py
  {
    name: "os_compute_api:ips:show",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:ips:index",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/lock_server.py
  {
    name: "os_compute_api:os-lock-server:lock",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-lock-server:unlock",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-lock-server:unlock:unlock_override",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/migrate_server.py
  {
    name: "os_compute_api:os-migrate-server:migrate",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-migrate-server:migrate_live",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/multinic.py
  {
    name: "os_compute_api:os-multinic:add",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-multinic", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-multinic:remove",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-multinic", check: "rule:admin_or_owner" },
  },
  // nova/policies/pause_server.py
  {
    name: "os_compute_api:os-pause-server:pause",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-pause-server:unpause",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/remote_consoles.py
  {
    name: "os_compute_api:os-remote-consoles",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/rescue.py
  {
    name: "os_compute_api:os-rescue",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-unrescue",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-rescue", check: "rule:admin_or_owner" },
  },
  // nova/policies/server_diagnostics.py
  {
    name: "os_compute_api:os-server-diagnostics",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/server_metadata.py
  {
    name: "os_compute_api:server-metadata:index",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:server-metadata:show",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:server-metadata:create",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:server-metadata:update_all",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:server-metadata:update",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:server-metadata:delete",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/server_password.py
  {
    name: "os_compute_api:os-server-password:show",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-server-password", check: "rule:admin_or_owner" },
  },
  {
    name: "os_compute_api:os-server-password:clear",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
    deprecated: { name: "os_compute_api:os-server-password", check: "rule:admin_or_owner" },
  },
  // nova/policies/server_tags.py
  {
    name: "os_compute_api:os-server-tags:delete_all",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-server-tags:index",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-server-tags:update_all",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-server-tags:delete",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-server-tags:update",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-server-tags:show",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/server_topology.py
  {
    name: "compute:server:topology:index",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "compute:server:topology:host:index",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/servers.py
  {
    name: "os_compute_api:servers:index",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:detail",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:index:get_all_tenants",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:detail:get_all_tenants",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:allow_all_filters",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:show",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:show:flavor-extra-specs",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
    deprecated: {
      name: "os_compute_api:os-flavor-extra-specs:index",
      check: "rule:admin_or_owner",
    },
  },
  {
    name: "os_compute_api:servers:show:host_status",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:show:host_status:unknown-only",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:create",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:create:forced_host",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "compute:servers:create:requested_destination",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:create:attach_volume",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:create:attach_network",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:create:trusted_certs",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:create:zero_disk_flavor",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "network:attach_external_network",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:delete",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:update",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:confirm_resize",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:revert_resize",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:reboot",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:resize",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  { name: "compute:servers:resize:cross_cell", check: "!", scopeTypes: ["project"] },
  {
    name: "os_compute_api:servers:rebuild",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:rebuild:trusted_certs",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:create_image",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:create_image:allow_volume_backed",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:start",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:stop",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:trigger_crash_dump",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/servers_migrations.py
  {
    name: "os_compute_api:servers:migrations:show",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:migrations:force_complete",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:migrations:delete",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:servers:migrations:index",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/shelve.py
  {
    name: "os_compute_api:os-shelve:shelve",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-shelve:unshelve",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-shelve:unshelve_to_host",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-shelve:shelve_offload",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/suspend_server.py
  {
    name: "os_compute_api:os-suspend-server:resume",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-suspend-server:suspend",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  // nova/policies/volumes_attachments.py
  {
    name: "os_compute_api:os-volumes-attachments:index",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-volumes-attachments:create",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-volumes-attachments:show",
    check: "rule:project_reader_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-volumes-attachments:update",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-volumes-attachments:swap",
    check: "rule:context_is_admin",
    scopeTypes: ["project"],
  },
  {
    name: "os_compute_api:os-volumes-attachments:delete",
    check: "rule:project_member_or_admin",
    scopeTypes: ["project"],
  },
];
