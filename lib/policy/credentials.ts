/**
 * The credentials a policy check sees, built from the request's auth context.
 *
 * Mirrors nova's `RequestContext.to_policy_values()` (nova/context.py), which
 * is oslo.context's `to_policy_values()` plus `is_admin`, and the `system`
 * key oslo.policy's `Enforcer.enforce` adds for a system-scoped token.
 *
 * @module
 */

import type { AuthContext } from "../request.ts";

/** The `extra` keys of an {@link AuthContext} that carry keystone's service-token identity. */
export const SERVICE_EXTRA_KEYS = {
  serviceUserId: "service_user_id",
  serviceUserDomainId: "service_user_domain_id",
  serviceProjectId: "service_project_id",
  serviceProjectDomainId: "service_project_domain_id",
} as const;

/** What `to_policy_values()` returns, with nova's `is_admin` (null: not yet decided). */
export type PolicyCredentials = {
  readonly user_id: string | null;
  readonly user_domain_id: string | null;
  readonly system_scope: string | null;
  readonly domain_id: string | null;
  readonly project_id: string | null;
  readonly project_domain_id: string | null;
  readonly roles: readonly string[];
  readonly is_admin_project: boolean;
  readonly service_user_id: string | null;
  readonly service_user_domain_id: string | null;
  readonly service_project_id: string | null;
  readonly service_project_domain_id: string | null;
  readonly service_roles: readonly string[];
  readonly is_admin: boolean | null;
  /** oslo.policy copies a truthy `system_scope` here before checking. */
  readonly system?: string;
};

/**
 * The policy credentials of `ctx` (nova's `context.to_policy_values()` as
 * oslo's `Enforcer.enforce` receives them).
 *
 * @param ctx the request's auth context; service-token fields are read from
 *   `ctx.extra` (`serviceUserId`, `serviceUserDomainId`, `serviceProjectId`,
 *   `serviceProjectDomainId`, `serviceRoles`)
 * @param options.isAdmin overrides `ctx.isAdmin`; `null` is a context whose
 *   is_admin is still undecided (as when nova computes it)
 */
export function credentialsOf(
  ctx: AuthContext,
  options: { isAdmin?: boolean | null } = {},
): PolicyCredentials {
  const extra = ctx.extra ?? {};
  // Written out rather than over SERVICE_EXTRA_KEYS: this runs for every check.
  const creds: Record<string, unknown> = {
    user_id: ctx.userId ?? null,
    user_domain_id: ctx.userDomainId ?? null,
    system_scope: ctx.systemScope ?? null,
    domain_id: ctx.domainId ?? null,
    project_id: ctx.projectId ?? null,
    project_domain_id: ctx.projectDomainId ?? null,
    roles: [...ctx.roles],
    // oslo.context: "we default is_admin_project to true".
    is_admin_project: ctx.isAdminProject ?? true,
    service_roles: stringList(extra.serviceRoles),
    is_admin: options.isAdmin === undefined ? ctx.isAdmin : options.isAdmin,
    service_user_id: stringOrNull(extra.serviceUserId),
    service_user_domain_id: stringOrNull(extra.serviceUserDomainId),
    service_project_id: stringOrNull(extra.serviceProjectId),
    service_project_domain_id: stringOrNull(extra.serviceProjectDomainId),
  };
  if (ctx.systemScope) creds["system"] = ctx.systemScope;
  return creds as unknown as PolicyCredentials;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/**
 * The token scope oslo.policy's `_enforce_scope` sees: `system` when the
 * credentials carry a system scope, `domain` for a domain id, else `project`.
 */
export function tokenScope(creds: PolicyCredentials): "system" | "domain" | "project" {
  if (creds.system) return "system";
  if (creds.domain_id) return "domain";
  return "project";
}
