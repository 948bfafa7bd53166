/**
 * Security group rules between nova's API shape and Neutron's: nova's
 * checks of a new ingress rule (protocol, ports, CIDR or source group),
 * the conversion of Neutron's rules (ingress only, default port ranges,
 * `0.0.0.0/0` for no prefix) and the group and rule views.
 *
 * Mirrors nova/network/security_group_api.py (`_new_ingress_rule`,
 * `parse_cidr`, `_rule_exists`, `_make_neutron_security_group_rules_list`,
 * `_convert_to_nova_security_group_*`) and security_groups.py
 * (`_format_security_group*`).
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import { isIPv4, isIPv6 } from "../../validation/formats.ts";
import { pyInt } from "../../validation/pynum.ts";
import type { RuleRow, SecurityGroupRow, SecurityGroupStore } from "./security_groups_store.ts";

/** What a rule create asks for (the API body's fields). */
export interface RuleArgs {
  ip_protocol?: unknown;
  from_port?: unknown;
  to_port?: unknown;
  cidr?: unknown;
  group_id: string | null;
}

/** nova's rule dict (`_convert_to_nova_security_group_rule_format`). */
interface NovaRule {
  id: string;
  parent_group_id: string;
  protocol: string | null;
  from_port: number | null;
  to_port: number | null;
  group_id: string | null;
  cidr: string;
}

/** `parse_cidr`: `0.0.0.0/0` for none; an invalid network is a 400. */
export function parseCidr(cidr: unknown): string {
  if (cidr === null || cidr === undefined || cidr === "") return "0.0.0.0/0";
  const text = decodeURIComponent(String(cidr));
  const [net, bits, ...rest] = text.split("/");
  const v4 = isIPv4(net) && /^\d+$/.test(bits ?? "") && Number(bits) <= 32;
  const v6 = isIPv6(net) && /^\d+$/.test(bits ?? "") && Number(bits) <= 128;
  if (rest.length || !(v4 || v6)) throw new HttpError(400, `${text} is not a valid IP network.`);
  return text;
}

function toInt(value: unknown, icmp: boolean): number {
  const n = typeof value === "number" && Number.isInteger(value) ? value : pyInt(String(value));
  if (n === null) {
    throw new HttpError(
      400,
      icmp
        ? "Invalid input received: Type and Code must be integers for ICMP protocol type"
        : "Invalid input received: To and From ports must be integers",
    );
  }
  return Number(n);
}

/** `_new_ingress_rule`: the rule's values, or null when a CIDR rule lacks its protocol and ports. */
function ingressValues(a: RuleArgs, cidr: string | null): Record<string, unknown> | null {
  const values: Record<string, unknown> = {};
  let from = a.from_port ?? null;
  let to = a.to_port ?? null;
  const protocol = a.ip_protocol ? String(a.ip_protocol) : null;
  const upper = protocol?.toUpperCase() ?? "";
  if (a.group_id) {
    values.group_id = a.group_id;
    if (upper === "ICMP" && from === null && to === null) [from, to] = [-1, -1];
    else if (["TCP", "UDP"].includes(upper) && from === null && to === null) {
      [from, to] = [1, 65535];
    }
  } else if (cidr) values.cidr = cidr;
  if (protocol && from !== null && to !== null) {
    const f = toInt(from, upper === "ICMP");
    const t = toInt(to, upper === "ICMP");
    const range = (msg: string) => new HttpError(400, `Invalid port range ${f}:${t}. ${msg}`);
    if (!["TCP", "UDP", "ICMP"].includes(upper)) {
      throw new HttpError(400, `Invalid IP protocol ${protocol}.`);
    }
    if (upper !== "ICMP" && f > t) throw range("Former value cannot be greater than the later");
    if (upper !== "ICMP" && (f < 1 || t > 65535)) {
      throw range(`Valid ${upper} ports should be between 1-65535`);
    }
    if (upper === "ICMP" && (f < -1 || f > 255 || t < -1 || t > 255)) {
      throw range("For ICMP, the type:code must be valid");
    }
    Object.assign(values, { protocol, from_port: f, to_port: t });
  } else if (cidr) return null;
  return values;
}

/**
 * The Neutron rule a create makes in `parent` (nova's checks, then
 * `_make_neutron_security_group_rules_list`).
 *
 * @throws {HttpError} 400 with nova's texts
 */
export function newIngressRule(
  store: SecurityGroupStore,
  parent: SecurityGroupRow,
  a: RuleArgs,
): Omit<RuleRow, "id"> {
  const cidr = a.group_id ? null : parseCidr(a.cidr);
  const values = ingressValues(a, cidr);
  if (!values) throw new HttpError(400, "Not enough parameters to build a valid rule.");
  if (typeof values.cidr === "string") {
    const [net, bits] = values.cidr.split("/");
    if (!["0.0.0.0", "::"].includes(net) && bits === "0") {
      throw new HttpError(400, `Bad prefix for network in cidr ${values.cidr}`);
    }
  }
  const keys = ["group_id", "cidr", "from_port", "to_port", "protocol"] as const;
  const exists = novaRules(store, parent.id).some((r) =>
    keys.every((k) => (r[k] ?? null) === (values[k] ?? null))
  );
  if (exists) throw new HttpError(400, `This rule already exists in group ${parent.id}`);
  const from = values.from_port as number | undefined;
  const to = values.to_port as number | undefined;
  return {
    security_group_id: parent.id,
    direction: "ingress",
    ethertype: typeof values.cidr === "string" && values.cidr.includes(":") ? "IPv6" : "IPv4",
    protocol: (values.protocol as string | undefined) ?? null,
    port_range_min: from === undefined || from === -1 ? null : from,
    port_range_max: to === undefined || to === -1 ? null : to,
    remote_ip_prefix: (values.cidr as string | undefined) ?? null,
    remote_group_id: a.group_id,
  };
}

/** `_convert_to_nova_security_group_rule_format`. */
function novaRule(rule: RuleRow): NovaRule {
  let from = rule.port_range_min;
  let to = rule.port_range_max;
  if (rule.protocol && from === null && to === null) {
    [from, to] = ["TCP", "UDP"].includes(rule.protocol.toUpperCase()) ? [1, 65535] : [-1, -1];
  }
  return {
    id: rule.id,
    parent_group_id: rule.security_group_id,
    protocol: rule.protocol,
    from_port: from,
    to_port: to,
    group_id: rule.remote_group_id,
    cidr: parseCidr(rule.remote_ip_prefix),
  };
}

function novaRules(store: SecurityGroupStore, groupId: string): NovaRule[] {
  return store.rules(groupId).filter((r) => r.direction === "ingress").map(novaRule);
}

/** `_format_security_group_rule`; null when its source group is gone. */
export function formatRule(
  store: SecurityGroupStore,
  rule: RuleRow,
  source?: SecurityGroupRow | null,
): Record<string, unknown> | null {
  const r = novaRule(rule);
  const out: Record<string, unknown> = {
    id: r.id,
    parent_group_id: r.parent_group_id,
    ip_protocol: r.protocol,
    from_port: r.from_port,
    to_port: r.to_port,
    group: {},
    ip_range: {},
  };
  if (r.group_id) {
    const group = source ?? store.get(r.group_id);
    if (!group) return null;
    out.group = { name: group.name, tenant_id: group.project_id };
  } else out.ip_range = { cidr: r.cidr };
  return out;
}

/** `_format_security_group`: the group with its ingress rules. */
export function formatGroup(store: SecurityGroupStore, g: SecurityGroupRow) {
  const rules = store.rules(g.id).filter((r) => r.direction === "ingress")
    .map((r) => formatRule(store, r)).filter((r) => r !== null);
  return { id: g.id, description: g.description, name: g.name, tenant_id: g.project_id, rules };
}
