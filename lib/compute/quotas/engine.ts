/**
 * The quota engine other areas use: the configured driver, the counting
 * function of each countable resource, and `check_deltas` — count, add
 * the deltas, check the totals against the limits.
 *
 * Mirrors nova/quota.py `QuotaEngine` and nova/objects/quotas.py
 * (`Quotas.count_as_dict`, `Quotas.check_deltas`).
 *
 * @module
 */

import type { Conf } from "../../config/conf.ts";
import type { Services } from "../../services.ts";
import type { Store } from "../../store/db.ts";
import {
  countInstancesCoresRam,
  countKeyPairs,
  type Counts,
  countServerGroupMembers,
  countServerGroups,
} from "./counting.ts";
import { DbQuotaDriver, type QuotaContext, type QuotaDriver } from "./driver.ts";
import { QuotaExceeded } from "./errors.ts";
import { NoopQuotaDriver } from "./noop_driver.ts";
import { RESOURCES } from "./resources.ts";
import { type Limits, QuotaStore } from "./store.ts";

/** What a resource is counted over (`count_as_dict`'s arguments). */
export interface CountArgs {
  readonly projectId?: string;
  readonly userId?: string | null;
  /** The server group (its row id) whose members are counted. */
  readonly groupId?: number;
}

/** `check_project_id` / `check_user_id` of `check_deltas`. */
export interface CheckIds {
  readonly projectId?: string | null;
  readonly userId?: string | null;
}

/** nova's `QUOTAS` on one store. */
export class QuotaEngine {
  readonly driver: QuotaDriver;
  /** The limit rows (read directly where nova reads `objects.Quotas`). */
  readonly store: QuotaStore;

  constructor(readonly conf: Conf, readonly db: Store) {
    this.store = new QuotaStore(db);
    this.driver = conf.quota.driver === "nova.quota.NoopQuotaDriver"
      ? new NoopQuotaDriver()
      : new DbQuotaDriver(conf, db);
  }

  /** `count_as_dict(context, resource, *args)`. */
  countAsDict(resource: string, args: CountArgs): Counts {
    const userId = args.userId || null;
    switch (resource) {
      case "instances":
      case "cores":
      case "ram":
        return countInstancesCoresRam(
          this.db,
          this.conf.quota.count_usage_from_placement,
          args.projectId ?? "",
          userId,
        );
      case "key_pairs":
        return countKeyPairs(this.db, userId ?? "");
      case "server_groups":
        return countServerGroups(this.db, args.projectId ?? "", userId);
      case "server_group_members":
        return countServerGroupMembers(this.db, args.groupId ?? -1, userId ?? "");
      default:
        throw new Error(`Unknown quota resources ['${resource}'].`);
    }
  }

  /**
   * `Quotas.check_deltas`: counts each resource, adds its delta and checks
   * the totals for the project and the user.
   *
   * @throws {QuotaExceeded} carrying the counted usages
   */
  checkDeltas(ctx: QuotaContext, deltas: Limits, args: CountArgs, check: CheckIds = {}): void {
    // Counting reads every live server of the project: skip it when no limit could be exceeded
    // (the check below would pass whatever the counts; only negative deltas could fail it).
    const keys = Object.keys(deltas);
    const countable = keys.every((k) => RESOURCES.get(k)?.countable);
    const growing = Object.values(deltas).every((d) => d >= 0);
    if (keys.length && countable && growing && this.driver.unlimited(ctx, keys, check)) return;
    const projectValues: Limits = {};
    const userValues: Limits = {};
    let count: Counts = {};
    for (const resource of Object.keys(deltas)) {
      if (resource in projectValues || resource in userValues) continue;
      count = this.countAsDict(resource, args);
      for (const [res, n] of Object.entries(count.project ?? {})) {
        if (res in deltas) projectValues[res] = n + deltas[res];
      }
      for (const [res, n] of Object.entries(count.user ?? {})) {
        if (res in deltas) userValues[res] = n + deltas[res];
      }
    }
    try {
      this.driver.limitCheckProjectAndUser(ctx, projectValues, userValues, check);
    } catch (err) {
      if (err instanceof QuotaExceeded) {
        throw err.withUsages((count.user ? count.user : count.project) ?? {});
      }
      throw err;
    }
  }

  /** `limit_check`: simple limits (metadata items, injected files). @throws {QuotaExceeded} */
  limitCheck(ctx: QuotaContext, values: Limits): void {
    this.driver.limitCheck(ctx, values);
  }
}

const ENGINES = new WeakMap<Store, QuotaEngine>();

/** The quota engine of a store (one per store and process). */
export function quotaEngineFor(conf: Conf, db: Store): QuotaEngine {
  let engine = ENGINES.get(db);
  if (!engine) {
    engine = new QuotaEngine(conf, db);
    ENGINES.set(db, engine);
  }
  return engine;
}

/** The quota engine of these services. */
export function quotaEngine(services: Services): QuotaEngine {
  return quotaEngineFor(services.conf, services.store);
}
