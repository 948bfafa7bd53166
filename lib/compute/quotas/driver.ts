/**
 * nova's default quota driver: limits come from the project's rows, else
 * the "default" quota class, else the `[quota]` options; a user's rows
 * override the project's; usage is counted on demand; checks compare the
 * proposed totals with the limits and raise OverQuota with the overs,
 * limits and headroom.
 *
 * Mirrors nova/quota.py `DbQuotaDriver`.
 *
 * @module
 */

import type { Conf } from "../../config/conf.ts";
import type { Store } from "../../store/db.ts";
import { countInstancesCoresRam, type Counts, countServerGroups } from "./counting.ts";
import { InvalidQuotaValue, QuotaExceeded } from "./errors.ts";
import { type QuotaResource, resourceDefault, RESOURCES } from "./resources.ts";
import { type Limits, QuotaStore } from "./store.ts";

/** Who asks: the request context's project and user. */
export interface QuotaContext {
  readonly projectId: string | null;
  readonly userId: string | null;
}

/** One resource's limit, and its usage / remains when asked for. */
export interface QuotaValue {
  limit: number;
  in_use?: number;
  remains?: number;
  /** What the quota APIs show as reserved (`get_reserved()`). */
  reserved?: number;
}

/** Values by resource, in registration order. */
export type QuotaValues = Record<string, QuotaValue>;

/** The settable range of each resource (`get_settable_quotas`). */
export type SettableQuotas = Record<string, { minimum: number; maximum: number }>;

/** What both drivers do. */
export interface QuotaDriver {
  getReserved(): number;
  getDefaults(): Limits;
  getClassQuotas(className: string): Limits;
  getUserQuotas(projectId: string, userId: string, usages: boolean): QuotaValues;
  getProjectQuotas(projectId: string, usages: boolean): QuotaValues;
  getSettableQuotas(projectId: string, userId: string | null): SettableQuotas;
  limitCheck(ctx: QuotaContext, values: Limits, projectId?: string, userId?: string): void;
  limitCheckProjectAndUser(
    ctx: QuotaContext,
    projectValues: Limits,
    userValues: Limits,
    ids?: { projectId?: string | null; userId?: string | null },
  ): void;
  /** Whether no limit of the project or the user bounds any of `keys` (nothing to count). */
  unlimited(ctx: QuotaContext, keys: readonly string[], ids?: QuotaIds): boolean;
}

/** The project and user a check is for (the context's when not given). */
export interface QuotaIds {
  readonly projectId?: string | null;
  readonly userId?: string | null;
}

const UNLIMITED = -1;
const isUnlimited = (v: number) => v <= UNLIMITED;
const sumQuota = (a: number, b: number) => isUnlimited(a) || isUnlimited(b) ? UNLIMITED : a + b;
const subQuota = (a: number, b: number) => isUnlimited(a) || isUnlimited(b) ? UNLIMITED : a - b;

/** nova.quota.DbQuotaDriver on one store. */
export class DbQuotaDriver implements QuotaDriver {
  readonly store: QuotaStore;

  constructor(readonly conf: Conf, readonly db: Store) {
    this.store = new QuotaStore(db);
  }

  /** Reservations are gone: always 0. */
  getReserved(): number {
    return 0;
  }

  /** `get_defaults`: the "default" class's limits, else the options. */
  getDefaults(): Limits {
    const defaults = this.store.byClass("default");
    return this.#perResource((name, r) => defaults[name] ?? resourceDefault(this.conf, r));
  }

  /** `get_class_quotas`: the class's limits, else the options. */
  getClassQuotas(className: string): Limits {
    const limits = this.store.byClass(className);
    return this.#perResource((name, r) => limits[name] ?? resourceDefault(this.conf, r));
  }

  #perResource(value: (name: string, r: QuotaResource) => number): Limits {
    const out: Limits = {};
    for (const [name, r] of RESOURCES) out[name] = value(name, r);
    return out;
  }

  /** `_process_quotas` (a request context never carries a quota class in novalet). */
  #process(
    projectId: string,
    quotas: Limits,
    usages: Record<string, number> | null,
    remains = false,
  ): QuotaValues {
    const defaults = this.getDefaults();
    const out: QuotaValues = {};
    for (const name of RESOURCES.keys()) {
      const limit = quotas[name] ?? defaults[name];
      out[name] = { limit };
      if (usages) out[name].in_use = usages[name] ?? 0;
      if (remains) out[name].remains = limit;
    }
    if (remains) {
      for (const row of this.store.userRows(projectId)) {
        const entry = out[row.resource];
        if (entry) entry.remains = entry.remains! - row.hardLimit;
      }
    }
    return out;
  }

  /** `_get_usages`: counted usage for the quota APIs (key pairs and group members read 0). */
  #usages(projectId: string, userId: string | null): Record<string, number> {
    const usages: Record<string, number> = {};
    for (const [name, r] of RESOURCES) {
      if (!r.countable || name in usages) continue;
      if (name === "key_pairs" || name === "server_group_members") {
        usages[name] = 0;
        continue;
      }
      const count: Counts = name === "server_groups"
        ? countServerGroups(this.db, projectId, userId)
        : countInstancesCoresRam(
          this.db,
          this.conf.quota.count_usage_from_placement,
          projectId,
          userId,
        );
      const scoped = (userId ? count.user : count.project) ?? {};
      for (const [res, n] of Object.entries(scoped)) usages[res] = n;
    }
    return usages;
  }

  /** `get_user_quotas`: the user's rows over the project's rows. */
  getUserQuotas(
    projectId: string,
    userId: string,
    usages: boolean,
    preset: { projectQuotas?: Limits; userQuotas?: Limits } = {},
  ): QuotaValues {
    const userQuotas = { ...(preset.userQuotas ?? this.store.byProjectAndUser(projectId, userId)) };
    const projectQuotas = preset.projectQuotas ?? this.store.byProject(projectId);
    for (const [key, value] of Object.entries(projectQuotas)) {
      if (!(key in userQuotas)) userQuotas[key] = value;
    }
    return this.#process(projectId, userQuotas, usages ? this.#usages(projectId, userId) : null);
  }

  /** `get_project_quotas`. */
  getProjectQuotas(
    projectId: string,
    usages: boolean,
    preset: { remains?: boolean; projectQuotas?: Limits } = {},
  ): QuotaValues {
    const projectQuotas = preset.projectQuotas ?? this.store.byProject(projectId);
    const counted = usages ? this.#usages(projectId, null) : null;
    return this.#process(projectId, projectQuotas, counted, preset.remains ?? false);
  }

  /**
   * `get_settable_quotas`: at least what is used (and, for a project, what
   * its users' limits add up to); for a user at most what the project has
   * left plus the user's current limit.
   */
  getSettableQuotas(projectId: string, userId: string | null): SettableQuotas {
    const dbProject = this.store.byProject(projectId);
    const project = this.getProjectQuotas(projectId, true, {
      remains: true,
      projectQuotas: dbProject,
    });
    const out: SettableQuotas = {};
    if (userId) {
      const setted = this.store.byProjectAndUser(projectId, userId);
      const user = this.getUserQuotas(projectId, userId, true, {
        projectQuotas: dbProject,
        userQuotas: setted,
      });
      for (const [key, value] of Object.entries(user)) {
        const maximum = sumQuota(project[key].remains!, setted[key] ?? 0);
        out[key] = { minimum: value.in_use!, maximum };
      }
      return out;
    }
    for (const [key, value] of Object.entries(project)) {
      const minimum = Math.max(subQuota(value.limit, value.remains!), value.in_use!);
      out[key] = { minimum, maximum: -1 };
    }
    return out;
  }

  /** `_get_quotas`: the limits of `keys` for the project, or the user in it. */
  #getQuotas(
    keys: Iterable<string>,
    projectId: string,
    userId: string | null,
    projectQuotas: Limits,
  ) {
    const wanted = [...new Set(keys)];
    const unknown = wanted.filter((k) => !RESOURCES.has(k)).sort();
    if (unknown.length) throw new Error(`Unknown quota resources ${unknown}.`);
    const values = userId
      ? this.getUserQuotas(projectId, userId, false, { projectQuotas })
      : this.getProjectQuotas(projectId, false, { projectQuotas });
    return Object.fromEntries(wanted.map((k) => [k, values[k].limit])) as Limits;
  }

  /** `limit_check`: each value against the project's and the user's limit. */
  limitCheck(ctx: QuotaContext, values: Limits, projectId?: string, userId?: string): void {
    checkNotNegative(values);
    const project = projectId ?? ctx.projectId ?? "";
    const user = userId ?? ctx.userId;
    const projectQuotas = this.store.byProject(project);
    const quotas = this.#getQuotas(Object.keys(values), project, null, projectQuotas);
    const userQuotas = this.#getQuotas(Object.keys(values), project, user, projectQuotas);
    const over = (limit: number, value: number) => limit >= 0 && limit < value;
    const overs = Object.entries(values)
      .filter(([k, v]) => over(quotas[k], v) || over(userQuotas[k], v)).map(([k]) => k);
    if (!overs.length) return;
    const headroom: Limits = {};
    for (const key of overs) headroom[key] = Math.min(quotas[key], projectQuotas[key] ?? Infinity);
    throw new QuotaExceeded({ overs: overs.sort(), quotas, usages: {}, headroom });
  }

  /**
   * `limit_check_project_and_user`: resources given for both the project
   * and the user are checked against each limit; the others against the
   * smaller of the two.
   */
  limitCheckProjectAndUser(
    ctx: QuotaContext,
    projectValues: Limits,
    userValues: Limits,
    ids: { projectId?: string | null; userId?: string | null } = {},
  ): void {
    if (!Object.keys(projectValues).length && !Object.keys(userValues).length) {
      throw new Error(
        "Must specify at least one of project_values or user_values for the limit check.",
      );
    }
    checkNotNegative(projectValues);
    checkNotNegative(userValues);
    const both = Object.keys(projectValues).filter((k) => k in userValues);
    const merged: Limits = {};
    for (const [k, v] of [...Object.entries(projectValues), ...Object.entries(userValues)]) {
      if (!both.includes(k)) merged[k] = merged[k] || v;
    }
    const projectId = ids.projectId ?? ctx.projectId ?? "";
    const userId = ids.userId ?? ctx.userId;
    const keys = new Set([...Object.keys(projectValues), ...Object.keys(userValues)]);
    const projectQuotas = this.store.byProject(projectId);
    const quotas = this.#getQuotas(keys, projectId, null, projectQuotas);
    const userQuotas = this.#getQuotas(keys, projectId, userId, projectQuotas);
    if (Object.keys(merged).length) checkMerged(merged, quotas, userQuotas);
    let overUser = false;
    const overs: string[] = [];
    for (const key of both) {
      if (quotas[key] >= 0 && quotas[key] < projectValues[key]) overs.push(key);
      else if (userQuotas[key] >= 0 && userQuotas[key] < userValues[key]) {
        overs.push(key);
        overUser = true;
      }
    }
    if (!overs.length) return;
    const exceeded = overUser ? userQuotas : quotas;
    const headroom = Object.fromEntries(overs.map((k) => [k, exceeded[k]]));
    throw new QuotaExceeded({ overs: overs.sort(), quotas: exceeded, usages: {}, headroom });
  }

  /** The limits `limitCheckProjectAndUser` would read for `keys` are all unlimited. */
  unlimited(ctx: QuotaContext, keys: readonly string[], ids: QuotaIds = {}): boolean {
    const projectId = ids.projectId ?? ctx.projectId ?? "";
    const userId = ids.userId ?? ctx.userId;
    const projectQuotas = this.store.byProject(projectId);
    const quotas = this.#getQuotas(keys, projectId, null, projectQuotas);
    const userQuotas = this.#getQuotas(keys, projectId, userId, projectQuotas);
    return keys.every((k) => isUnlimited(quotas[k]) && isUnlimited(userQuotas[k]));
  }
}

/** The merged (project-or-user only) values against the smaller limit of the two. */
function checkMerged(merged: Limits, quotas: Limits, userQuotas: Limits): void {
  const limits: Limits = { ...quotas };
  for (const [k, v] of Object.entries(userQuotas)) {
    limits[k] = k in limits ? Math.min(limits[k], v) : v;
  }
  const overs = Object.entries(merged).filter(([k, v]) => limits[k] >= 0 && limits[k] < v)
    .map(([k]) => k);
  if (!overs.length) return;
  const headroom = Object.fromEntries(overs.map((k) => [k, limits[k]]));
  throw new QuotaExceeded({ overs: overs.sort(), quotas: limits, usages: {}, headroom });
}

/** InvalidQuotaValue for a negative proposed value. */
function checkNotNegative(values: Limits): void {
  const unders = Object.entries(values).filter(([, v]) => v < 0).map(([k]) => k);
  if (unders.length) throw new InvalidQuotaValue(unders.sort());
}
