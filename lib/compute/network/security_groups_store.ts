/**
 * Security groups of the built-in network, kept as Neutron keeps them:
 * per project, a `default` group made on first use (ingress from its own
 * members, all egress), new groups with the two egress rules, rules with
 * direction, ethertype, protocol, port range and a remote CIDR or group.
 * Neutron's refusals keep its wording (nova passes them on).
 *
 * Mirrors neutron/db/securitygroups_db.py (`_ensure_default_security_group`,
 * `create_security_group`, `delete_security_group`) as nova's
 * nova/network/security_group_api.py sees it.
 *
 * @module
 */

import type { Migration, Store } from "../../store/db.ts";
import { utcnow } from "../../store/timestamps.ts";

/** A `security_groups` row. */
export interface SecurityGroupRow {
  id: string;
  name: string;
  description: string;
  project_id: string;
}

/** A `security_group_rules` row (Neutron's fields). */
export interface RuleRow {
  id: string;
  security_group_id: string;
  direction: "ingress" | "egress";
  ethertype: "IPv4" | "IPv6";
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
}

/** A Neutron client error: its status and message (as nova's `str(e)` shows it). */
export class NeutronError extends Error {
  constructor(readonly status: number, message: string) {
    super(`${message}\nNeutron server returns request_ids: ['req-${crypto.randomUUID()}']`);
  }
}

const TABLES = `
  CREATE TABLE security_groups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    project_id TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX security_groups_project_idx ON security_groups (project_id, name);
  CREATE TABLE security_group_rules (
    id TEXT PRIMARY KEY,
    security_group_id TEXT NOT NULL REFERENCES security_groups (id) ON DELETE CASCADE,
    direction TEXT NOT NULL,
    ethertype TEXT NOT NULL,
    protocol TEXT,
    port_range_min INTEGER,
    port_range_max INTEGER,
    remote_ip_prefix TEXT,
    remote_group_id TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX security_group_rules_group_idx ON security_group_rules (security_group_id);
`;

/** The schema migrations of the security groups. */
export const SECURITY_GROUP_MIGRATIONS: readonly Migration[] = [
  { id: "network-101-security-groups", up: TABLES },
];

/** Security groups of one store. */
export class SecurityGroupStore {
  constructor(readonly db: Store) {}

  /** `_ensure_default_security_group`: the project's `default` group, made if missing. */
  ensureDefault(projectId: string): SecurityGroupRow {
    const found = this.db.get<SecurityGroupRow>(
      "SELECT * FROM security_groups WHERE project_id = ? AND name = 'default'",
      projectId,
    );
    if (found) return found;
    const group = this.#insert("default", "Default security group", projectId);
    for (const ethertype of ["IPv4", "IPv6"] as const) {
      this.addRule({
        security_group_id: group.id,
        direction: "ingress",
        ethertype,
        remote_group_id: group.id,
      });
    }
    return group;
  }

  /** `create_security_group`: a new group with the egress rules. */
  create(name: string, description: string, projectId: string): SecurityGroupRow {
    if (name === "default") {
      this.ensureDefault(projectId);
      throw new NeutronError(409, "Default security group already exists.");
    }
    const group = this.#insert(name, description, projectId);
    return group;
  }

  #insert(name: string, description: string, projectId: string): SecurityGroupRow {
    const row = { id: crypto.randomUUID(), name, description, project_id: projectId };
    this.db.run(
      "INSERT INTO security_groups (id, name, description, project_id, created_at) VALUES (?, ?, ?, ?, ?)",
      row.id,
      name,
      description,
      projectId,
      utcnow(),
    );
    for (const ethertype of ["IPv4", "IPv6"] as const) {
      this.addRule({ security_group_id: row.id, direction: "egress", ethertype });
    }
    return row;
  }

  /** One group, or null. */
  get(id: string): SecurityGroupRow | null {
    return this.db.get<SecurityGroupRow>("SELECT * FROM security_groups WHERE id = ?", id) ?? null;
  }

  /** The groups of a project (all projects: null), by creation. */
  list(projectId: string | null): SecurityGroupRow[] {
    return projectId === null
      ? this.db.all<SecurityGroupRow>("SELECT * FROM security_groups ORDER BY rowid")
      : this.db.all<SecurityGroupRow>(
        "SELECT * FROM security_groups WHERE project_id = ? ORDER BY rowid",
        projectId,
      );
  }

  /** `find_resourceid_by_name_or_id`: by id, else the project's group of that name. */
  findByNameOrId(nameOrId: string, projectId: string): SecurityGroupRow[] {
    const byId = this.get(nameOrId);
    if (byId) return [byId];
    return this.db.all<SecurityGroupRow>(
      "SELECT * FROM security_groups WHERE name = ? AND project_id = ? ORDER BY rowid",
      nameOrId,
      projectId,
    );
  }

  /** `update_security_group`. */
  update(id: string, name: string, description: string): void {
    this.db.run(
      "UPDATE security_groups SET name = ?, description = ? WHERE id = ?",
      name,
      description,
      id,
    );
  }

  /** `delete_security_group`: not the default one (for non-admins), not one in use. */
  destroy(group: SecurityGroupRow, isAdmin: boolean, inUse: boolean): void {
    if (group.name === "default" && !isAdmin) {
      throw new NeutronError(409, "Insufficient rights for removing default security group.");
    }
    if (inUse) throw new NeutronError(409, `Security Group ${group.id} in use.`);
    this.db.run("DELETE FROM security_groups WHERE id = ?", group.id);
  }

  /** The rules of a group, by creation. */
  rules(groupId: string): RuleRow[] {
    return this.db.all<RuleRow>(
      "SELECT * FROM security_group_rules WHERE security_group_id = ? ORDER BY rowid",
      groupId,
    );
  }

  /** One rule, or null. */
  rule(id: string): RuleRow | null {
    return this.db.get<RuleRow>("SELECT * FROM security_group_rules WHERE id = ?", id) ?? null;
  }

  /** `create_security_group_rule`. */
  addRule(
    r: Partial<RuleRow> & Pick<RuleRow, "security_group_id" | "direction" | "ethertype">,
  ): RuleRow {
    const row: RuleRow = {
      id: crypto.randomUUID(),
      protocol: null,
      port_range_min: null,
      port_range_max: null,
      remote_ip_prefix: null,
      remote_group_id: null,
      ...r,
    };
    this.db.run(
      `INSERT INTO security_group_rules (id, security_group_id, direction, ethertype, protocol,
         port_range_min, port_range_max, remote_ip_prefix, remote_group_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.id,
      row.security_group_id,
      row.direction,
      row.ethertype,
      row.protocol,
      row.port_range_min,
      row.port_range_max,
      row.remote_ip_prefix,
      row.remote_group_id,
      utcnow(),
    );
    return row;
  }

  /** `delete_security_group_rule`. */
  removeRule(id: string): void {
    this.db.run("DELETE FROM security_group_rules WHERE id = ?", id);
  }
}
