/**
 * Instance actions and their events: the record of every action taken on
 * an instance (`create`, `delete`, `reboot`, ...) with one event per step
 * (`compute__do_build_and_run_instance`, `compute_reboot_instance`, ...),
 * kept after the instance is deleted.
 *
 * Mirrors nova/objects/instance_action.py (`action_start`,
 * `event_start`, `event_finish(_with_failure)`) and the `action_*` calls of
 * nova/db/main/api.py.
 *
 * @module
 */

import type { Store } from "../../store/db.ts";
import { utcnow } from "../../store/timestamps.ts";
import { MarkerNotFound } from "./errors.ts";

/** nova/compute/instance_actions.py (the ones novalet records). */
export const ACTION = {
  CREATE: "create",
  DELETE: "delete",
  STOP: "stop",
  START: "start",
  REBOOT: "reboot",
  RESTORE: "restore",
  LOCK: "lock",
  UNLOCK: "unlock",
  EVACUATE: "evacuate",
  REBUILD: "rebuild",
  REVERT_RESIZE: "revertResize",
  CONFIRM_RESIZE: "confirmResize",
  RESIZE: "resize",
  MIGRATE: "migrate",
  PAUSE: "pause",
  UNPAUSE: "unpause",
  SUSPEND: "suspend",
  RESUME: "resume",
  RESCUE: "rescue",
  UNRESCUE: "unrescue",
  CHANGE_PASSWORD: "changePassword",
  SHELVE: "shelve",
  SHELVE_OFFLOAD: "shelveOffload",
  UNSHELVE: "unshelve",
  LIVE_MIGRATION: "live-migration",
  TRIGGER_CRASH_DUMP: "trigger_crash_dump",
  BACKUP: "createBackup",
  CREATE_IMAGE: "createImage",
  RESET_STATE: "resetState",
} as const;

/** Who records the action: the request context's ids. */
export interface ActionContext {
  requestId: string;
  userId: string | null;
  projectId: string | null;
}

/** An `instance_actions` row. */
export interface ActionRow {
  id: number;
  action: string;
  instance_uuid: string;
  request_id: string | null;
  user_id: string | null;
  project_id: string | null;
  start_time: string | null;
  finish_time: string | null;
  message: string | null;
  created_at: string;
  updated_at: string | null;
}

/** An `instance_actions_events` row. */
export interface EventRow {
  id: number;
  action_id: number;
  event: string;
  start_time: string | null;
  finish_time: string | null;
  result: string | null;
  traceback: string | null;
  host: string | null;
  details: string | null;
}

/** Filters of `actions_get` (2.58 changes-since, 2.66 changes-before). */
export interface ActionFilters {
  changesSince?: string | null;
  changesBefore?: string | null;
}

/** The instance action records of one store. */
export class ActionStore {
  constructor(readonly db: Store) {}

  /** `InstanceAction.action_start`. */
  start(ctx: ActionContext, instanceUuid: string, action: string): void {
    const now = utcnow();
    this.db.run(
      `INSERT INTO instance_actions (action, instance_uuid, request_id, user_id, project_id,
         start_time, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      action,
      instanceUuid,
      ctx.requestId,
      ctx.userId,
      ctx.projectId,
      now,
      now,
    );
  }

  /** `InstanceAction.finish`: the action of this request id gets its finish_time. */
  finish(requestId: string, instanceUuid: string): void {
    const action = this.byRequestId(instanceUuid, requestId);
    if (!action) return;
    const now = utcnow();
    this.db.run(
      "UPDATE instance_actions SET finish_time = ?, updated_at = ? WHERE id = ?",
      now,
      now,
      action.id,
    );
  }

  /**
   * `InstanceActionEvent.event_start`: on the action of this request id,
   * else (a service restarted) on the instance's newest action.
   */
  eventStart(requestId: string, instanceUuid: string, event: string, host: string): void {
    const action = this.#actionFor(instanceUuid, requestId);
    if (!action) return;
    const now = utcnow();
    this.db.run(
      `INSERT INTO instance_actions_events (action_id, event, start_time, host, created_at)
       VALUES (?, ?, ?, ?, ?)`,
      action.id,
      event,
      now,
      host,
      now,
    );
    this.db.run("UPDATE instance_actions SET updated_at = ? WHERE id = ?", now, action.id);
  }

  /** `event_finish` / `event_finish_with_failure`: `failure` is the exception's message. */
  eventFinish(
    requestId: string,
    instanceUuid: string,
    event: string,
    failure?: { message: string; traceback: string },
  ): void {
    const action = this.#actionFor(instanceUuid, requestId);
    if (!action) return;
    const now = utcnow();
    this.db.run(
      `UPDATE instance_actions_events SET finish_time = ?, result = ?, traceback = ?, details = ?
       WHERE id = (SELECT id FROM instance_actions_events WHERE action_id = ? AND event = ?
         ORDER BY id LIMIT 1)`,
      now,
      failure ? "Error" : "Success",
      failure?.traceback ?? null,
      failure?.message ?? null,
      action.id,
      event,
    );
    const message = failure ? ", message = 'Error'" : "";
    this.db.run(
      `UPDATE instance_actions SET updated_at = ?${message} WHERE id = ?`,
      now,
      action.id,
    );
  }

  #actionFor(instanceUuid: string, requestId: string): ActionRow | undefined {
    return this.byRequestId(instanceUuid, requestId) ??
      this.db.get<ActionRow>(
        "SELECT * FROM instance_actions WHERE instance_uuid = ? ORDER BY created_at DESC, id DESC LIMIT 1",
        instanceUuid,
      );
  }

  /** `action_get_by_request_id`. */
  byRequestId(instanceUuid: string, requestId: string): ActionRow | undefined {
    return this.db.get<ActionRow>(
      `SELECT * FROM instance_actions WHERE instance_uuid = ? AND request_id = ?
       ORDER BY created_at DESC, id DESC LIMIT 1`,
      instanceUuid,
      requestId,
    );
  }

  /**
   * `actions_get`: newest first, paged by request-id marker.
   *
   * @throws {MarkerNotFound} for an unknown marker
   */
  list(
    instanceUuid: string,
    options: { limit?: number | null; marker?: string | null; filters?: ActionFilters } = {},
  ): ActionRow[] {
    if (options.limit === 0) return [];
    const where = ["instance_uuid = ?"];
    const params: (string | number)[] = [instanceUuid];
    if (options.filters?.changesSince) {
      where.push("updated_at >= ?");
      params.push(options.filters.changesSince);
    }
    if (options.filters?.changesBefore) {
      where.push("updated_at <= ?");
      params.push(options.filters.changesBefore);
    }
    if (options.marker !== undefined && options.marker !== null) {
      const marker = this.byRequestId(instanceUuid, options.marker);
      if (!marker) throw new MarkerNotFound(options.marker);
      where.push("(created_at < ? OR (created_at = ? AND id < ?))");
      params.push(marker.created_at, marker.created_at, marker.id);
    }
    const limit = options.limit === undefined || options.limit === null ? -1 : options.limit;
    return this.db.all<ActionRow>(
      `SELECT * FROM instance_actions WHERE ${where.join(" AND ")}
       ORDER BY created_at DESC, id DESC LIMIT ?`,
      ...params,
      limit,
    );
  }

  /** `action_events_get`: newest first. */
  events(actionId: number): EventRow[] {
    return this.db.all<EventRow>(
      "SELECT * FROM instance_actions_events WHERE action_id = ? ORDER BY created_at DESC, id DESC",
      actionId,
    );
  }
}
