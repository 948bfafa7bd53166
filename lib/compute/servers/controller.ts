/**
 * ServersController: list, detail, show, create, update, delete (soft
 * with `reclaim_instance_interval`), and the actions reboot, os-start,
 * os-stop, forceDelete and restore, each with nova's status code, expected
 * errors, policy check and view; every other server action comes from
 * action_controllers.ts.
 *
 * Mirrors nova/api/openstack/compute/servers.py `ServersController` (and
 * the `forceDelete`/`restore` actions of deferred_delete.py).
 *
 * @module
 */

import { validateBodyFor } from "../../validation/mod.ts";
import type { ControllerSpec, HandlerArgs } from "../wsgi.ts";
import { serverActions } from "./action_controllers.ts";
import { deleteServer, forceDelete as forceDeleteServer } from "./soft_delete.ts";
import {
  authorize,
  ctxOf,
  getInstance,
  runAction,
  showOptionsFrom275,
  viewsOf,
} from "./controller_common.ts";
import { createServer } from "./controller_create.ts";
import { getServers } from "./controller_list.ts";
import { lockActions } from "./lock_controller.ts";
import { REBOOT_SCHEMA, UPDATE_SCHEMAS } from "./schemas_misc.ts";
import type { ComputeService } from "./service.ts";

const RULE = "os_compute_api:servers:";

/** Builds the controller on the compute service. */
export function serversController(svc: ComputeService): ControllerSpec {
  return {
    name: "ServersController",
    methods: {
      index: { expectedErrors: [400, 403], handler: ({ req }) => getServers(svc, req, false) },
      detail: { expectedErrors: [400, 403], handler: ({ req }) => getServers(svc, req, true) },
      show: { expectedErrors: [404], handler: (a) => show(svc, a) },
      create: {
        status: 202,
        expectedErrors: [400, 403, 409],
        handler: ({ req, body }) => createServer(svc, req, body),
      },
      update: { expectedErrors: [404], handler: (a) => update(svc, a) },
      delete: {
        status: 204,
        expectedErrors: [404, 409],
        handler: async (a) => noBody(await remove(svc, a)),
      },
    },
    actions: {
      reboot: { status: 202, expectedErrors: [404, 409], handler: (a) => noBody(reboot(svc, a)) },
      "os-start": {
        status: 202,
        expectedErrors: [404, 409],
        handler: (a) => noBody(power(svc, a, "start")),
      },
      "os-stop": {
        status: 202,
        expectedErrors: [404, 409],
        handler: (a) => noBody(power(svc, a, "stop")),
      },
      forceDelete: {
        status: 202,
        expectedErrors: [404, 409],
        handler: async (a) => noBody(await forceDelete(svc, a)),
      },
      restore: {
        status: 202,
        expectedErrors: [403, 404, 409],
        handler: (a) => noBody(restore(svc, a)),
      },
      ...lockActions(svc),
      ...serverActions(svc),
    },
  };
}

/** An action answered without a body. */
function noBody(_done: void): null {
  return null;
}

function show(svc: ComputeService, { req, params }: HandlerArgs) {
  const ctx = ctxOf(req);
  const inst = getInstance(svc, ctx, params.id);
  authorize(svc, ctx, `${RULE}show`, inst);
  const views = viewsOf(svc, req);
  return { server: views.show(inst, { showServerGroups: views.at("2.71") }) };
}

function update(svc: ComputeService, { req, params, body }: HandlerArgs) {
  validateBodyFor(req, body, UPDATE_SCHEMAS);
  const ctx = ctxOf(req);
  const inst = getInstance(svc, ctx, params.id);
  authorize(svc, ctx, `${RULE}update`, inst, true);
  const server = (body as { server: Record<string, unknown> }).server;
  const updates: Record<string, string | number | null> = {};
  if ("name" in server) updates.display_name = String(server.name).trim();
  if ("description" in server) updates.display_description = server.description as string | null;
  if ("hostname" in server) updates.hostname = server.hostname as string;
  if (server["OS-DCF:diskConfig"] !== undefined) {
    updates.auto_disk_config = server["OS-DCF:diskConfig"] === "AUTO" ? 1 : 0;
  }
  if ("accessIPv4" in server) updates.access_ip_v4 = server.accessIPv4 as string;
  if ("accessIPv6" in server) updates.access_ip_v6 = server.accessIPv6 as string;
  const updated = svc.api.update(ctx, inst, updates);
  const views = viewsOf(svc, req);
  // NOTE(gmann): from 2.75, PUT shows all attributes like GET.
  return { server: views.show(updated, showOptionsFrom275(views)) };
}

async function remove(svc: ComputeService, { req, params }: HandlerArgs) {
  const ctx = ctxOf(req);
  const inst = getInstance(svc, ctx, params.id);
  authorize(svc, ctx, `${RULE}delete`, inst, true);
  await runAction("delete", params.id, () => deleteServer(svc, ctx, inst));
}

function reboot(svc: ComputeService, { req, params, body }: HandlerArgs) {
  validateBodyFor(req, body, REBOOT_SCHEMA);
  const type = String((body as { reboot: { type: string } }).reboot.type).toUpperCase();
  const ctx = ctxOf(req);
  const inst = getInstance(svc, ctx, params.id);
  authorize(svc, ctx, `${RULE}reboot`, inst);
  runAction(
    "reboot",
    params.id,
    () => svc.api.reboot(ctx, inst, type === "SOFT" ? "SOFT" : "HARD"),
  );
}

function power(svc: ComputeService, { req, params }: HandlerArgs, action: "start" | "stop") {
  const ctx = ctxOf(req);
  const inst = getInstance(svc, ctx, params.id);
  authorize(svc, ctx, `${RULE}${action}`, inst, true);
  runAction(
    action,
    params.id,
    () => action === "start" ? svc.api.start(ctx, inst) : svc.api.stop(ctx, inst),
  );
}

async function forceDelete(svc: ComputeService, { req, params }: HandlerArgs) {
  const ctx = ctxOf(req);
  const inst = getInstance(svc, ctx, params.id);
  authorize(svc, ctx, "os_compute_api:os-deferred-delete:force", inst, true);
  // nova answers 500 for a server with a task in progress (its controller
  // catches InstanceIsLocked only); novalet answers 409 "Cannot
  // 'forceDelete' instance X while it is in task_state Y".
  await runAction("forceDelete", params.id, () => forceDeleteServer(svc, ctx, inst));
}

function restore(svc: ComputeService, { req, params }: HandlerArgs) {
  const ctx = ctxOf(req);
  const inst = getInstance(svc, ctx, params.id);
  authorize(svc, ctx, "os_compute_api:os-deferred-delete:restore", inst);
  runAction("restore", params.id, () => svc.api.restore(ctx, inst));
}
