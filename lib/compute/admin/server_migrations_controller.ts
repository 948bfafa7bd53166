/**
 * ServerMigrationsController (`/servers/{id}/migrations`): a server's live
 * migrations in progress (2.23: list and show; 2.59 uuid; 2.80 user and
 * project), `force_complete` (2.22) and abort (2.24; queued ones from
 * 2.65), with nova's state checks and instance actions.
 *
 * Mirrors nova/api/openstack/compute/server_migrations.py and
 * nova/compute/api.py `live_migrate_force_complete`, `live_migrate_abort`.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { Services } from "../../services.ts";
import { validateBody } from "../../validation/mod.ts";
import { isSupported } from "../common.ts";
import { actionContext } from "../servers/context.ts";
import { authorize, ctxOf, getInstance, runAction } from "../servers/controller_common.ts";
import type { Instance } from "../servers/instance.ts";
import type { MigrationRow } from "../servers/migrations_store.ts";
import { MigrationStore } from "../servers/migrations_store.ts";
import { type ComputeService, computeService } from "../servers/service.ts";
import { checkInstanceLock, checkInstanceState } from "../servers/state_checks.ts";
import { TASK, VM } from "../servers/states.ts";
import type { ControllerSpec, HandlerArgs } from "../wsgi.ts";
import { inProgressOfInstance, migrationOfInstance } from "./migrations_query.ts";

const RULE = "os_compute_api:servers:migrations:";
const IN_PROGRESS = ["queued", "preparing", "running", "post-migrating"];
const FORCE_COMPLETE = {
  type: "object",
  properties: { force_complete: { type: "null" } },
  required: ["force_complete"],
  additionalProperties: false,
} as const;

/** Builds the controller. */
export function serverMigrationsController(services: Services): ControllerSpec {
  const svc = () => computeService(services);
  return {
    name: "ServerMigrationsController",
    methods: {
      index: { handler: [{ min: "2.23", handler: (a) => index(svc(), a) }], expectedErrors: [404] },
      show: { handler: [{ min: "2.23", handler: (a) => show(svc(), a) }], expectedErrors: [404] },
      delete: {
        handler: [{ min: "2.24", handler: (a) => abort(svc(), a) }],
        status: 202,
        expectedErrors: [400, 404, 409],
      },
    },
    actions: {
      force_complete: {
        handler: [{ min: "2.22", handler: (a) => forceComplete(svc(), a) }],
        status: 202,
        expectedErrors: [400, 403, 404, 409],
      },
    },
  };
}

/** `output`. */
function output(m: MigrationRow, uuid: boolean, userProject: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    created_at: m.created_at,
    dest_compute: m.dest_compute,
    dest_host: m.dest_host,
    dest_node: m.dest_node,
    disk_processed_bytes: m.disk_processed,
    disk_remaining_bytes: m.disk_remaining,
    disk_total_bytes: m.disk_total,
    id: m.id,
    memory_processed_bytes: m.memory_processed,
    memory_remaining_bytes: m.memory_remaining,
    memory_total_bytes: m.memory_total,
    server_uuid: m.instance_uuid,
    source_compute: m.source_compute,
    source_node: m.source_node,
    status: m.status,
    updated_at: m.updated_at,
  };
  if (uuid) out.uuid = m.uuid;
  if (userProject) {
    out.user_id = m.user_id;
    out.project_id = m.project_id;
  }
  return out;
}

function load(svc: ComputeService, a: HandlerArgs, rule: string): Instance {
  const ctx = ctxOf(a.req);
  const inst = getInstance(svc, ctx, a.params.server_id);
  authorize(svc, ctx, RULE + rule, inst);
  return inst;
}

function index(svc: ComputeService, a: HandlerArgs) {
  const inst = load(svc, a, "index");
  const list = inProgressOfInstance(svc.db, inst.uuid, "live-migration");
  const uuid = isSupported(a.req, "2.59");
  const userProject = isSupported(a.req, "2.80");
  return { migrations: list.map((m) => output(m, uuid, userProject)) };
}

function show(svc: ComputeService, a: HandlerArgs) {
  const inst = load(svc, a, "show");
  const { id, server_id: serverId } = a.params;
  const m = migrationOfInstance(svc.db, id, inst.uuid);
  if (!m) {
    throw new HttpError(
      404,
      `In-progress live migration ${id} is not found for server ${serverId}.`,
    );
  }
  if (m.migration_type !== "live-migration") {
    throw new HttpError(404, `Migration ${id} for server ${serverId} is not live-migration.`);
  }
  if (!IN_PROGRESS.includes(m.status ?? "")) {
    throw new HttpError(404, `Live migration ${id} for server ${serverId} is not in progress.`);
  }
  return { migration: output(m, isSupported(a.req, "2.59"), isSupported(a.req, "2.80")) };
}

/** nova.exception.InvalidMigrationState's text. */
function invalidState(m: MigrationRow, id: string, method: string): HttpError {
  return new HttpError(
    400,
    `Migration ${id} state of instance ${m.instance_uuid} is ${m.status}. ` +
      `Cannot ${method} while the migration is in this state.`,
  );
}

/** `live_migrate_force_complete`: only a running live migration. */
function forceComplete(svc: ComputeService, a: HandlerArgs) {
  validateBody(FORCE_COMPLETE, a.body);
  const inst = load(svc, a, "force_complete");
  const ctx = ctxOf(a.req);
  const id = a.params.id;
  runAction("force_complete", inst.uuid, () => {
    checkInstanceLock(inst, ctx.auth.isAdmin);
    checkInstanceState(
      inst,
      { vmState: [VM.ACTIVE], taskState: [TASK.MIGRATING] },
      "live_migrate_force_complete",
    );
  });
  const m = migrationOfInstance(svc.db, id, inst.uuid);
  if (!m) throw new HttpError(400, `Migration ${id} not found for instance ${inst.uuid}`);
  if (m.status !== "running") throw invalidState(m, id, "force complete");
  svc.db.transaction(() =>
    svc.actions.start(actionContext(ctx), inst.uuid, "live_migration_force_complete")
  );
  return null;
}

/** `live_migrate_abort`: a running one (or, from 2.65, a queued one) is cancelled. */
function abort(svc: ComputeService, a: HandlerArgs) {
  const inst = load(svc, a, "delete");
  const ctx = ctxOf(a.req);
  const id = a.params.id;
  runAction("abort live migration", inst.uuid, () => {
    checkInstanceLock(inst, ctx.auth.isAdmin);
    checkInstanceState(inst, { vmState: null, taskState: [TASK.MIGRATING] }, "live_migrate_abort");
  });
  const m = migrationOfInstance(svc.db, id, inst.uuid);
  if (!m) throw new HttpError(404, `Migration ${id} not found for instance ${inst.uuid}`);
  const allowed = isSupported(a.req, "2.65") ? ["running", "queued", "preparing"] : ["running"];
  if (!allowed.includes(m.status ?? "")) throw invalidState(m, id, "abort live migration");
  svc.db.transaction(() => {
    svc.actions.start(actionContext(ctx), inst.uuid, "live_migration_cancel");
    // The compute side's `_rollback_live_migration(migration_status='cancelled')`.
    new MigrationStore(svc.db).update(m.id, { status: "cancelled" });
    svc.instances.update(inst.uuid, { task_state: null });
  });
  return null;
}
