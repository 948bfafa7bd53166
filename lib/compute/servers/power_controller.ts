/**
 * The action controllers of the simple state actions: pause, unpause
 * (PauseServerController), suspend, resume (SuspendServerController),
 * trigger_crash_dump (2.17), changePassword (AdminPasswordController),
 * os-resetState, injectNetworkInfo and the removed resetNetwork
 * (AdminActionsController).
 *
 * Mirrors nova/api/openstack/compute/pause_server.py, suspend_server.py,
 * admin_password.py, admin_actions.py and `_action_trigger_crash_dump` in
 * servers.py, with their schemas.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import { parameterTypes as pt, type Schema } from "../../validation/mod.ts";
import type { MethodSpec } from "../wsgi.ts";
import { actionSpec, caught } from "./action_spec.ts";
import { InstancePasswordSetFailed } from "./errors_actions.ts";
import * as power from "./power_actions.ts";
import type { ComputeService } from "./service.ts";

const CHANGE_PASSWORD: Schema = {
  type: "object",
  properties: {
    changePassword: {
      type: "object",
      properties: { adminPass: pt.adminPassword },
      required: ["adminPass"],
      additionalProperties: false,
    },
  },
  required: ["changePassword"],
  additionalProperties: false,
} as Schema;

const RESET_STATE: Schema = {
  type: "object",
  properties: {
    "os-resetState": {
      type: "object",
      properties: { state: { type: "string", enum: ["active", "error"] } },
      required: ["state"],
      additionalProperties: false,
    },
  },
  required: ["os-resetState"],
  additionalProperties: false,
} as Schema;

const TRIGGER_CRASH_DUMP: Schema = {
  type: "object",
  properties: { trigger_crash_dump: { type: "null" } },
  required: ["trigger_crash_dump"],
  additionalProperties: false,
} as Schema;

/** `common.raise_feature_not_supported()`. */
function notSupported(err: unknown, message = "The requested functionality is not supported.") {
  return err instanceof power.DriverNotImplemented ? new HttpError(501, message) : null;
}

/** The actions of this module, by body key. */
export function powerActions(svc: ComputeService): Record<string, MethodSpec> {
  const PAUSE = "os_compute_api:os-pause-server:";
  const SUSPEND = "os_compute_api:os-suspend-server:";
  return {
    pause: actionSpec(svc, {
      expectedErrors: [404, 409, 501],
      rule: `${PAUSE}pause`,
      withUser: true,
      conflictName: "pause",
      run: ({ ctx, inst }) => power.pause(svc, ctx, inst),
    }),
    unpause: actionSpec(svc, {
      expectedErrors: [404, 409, 501],
      rule: `${PAUSE}unpause`,
      conflictName: "unpause",
      run: ({ ctx, inst }) => power.unpause(svc, ctx, inst),
    }),
    suspend: actionSpec(svc, {
      expectedErrors: [403, 404, 409, 400],
      rule: `${SUSPEND}suspend`,
      withUser: true,
      conflictName: "suspend",
      run: ({ ctx, inst }) => power.suspend(svc, ctx, inst),
    }),
    resume: actionSpec(svc, {
      expectedErrors: [404, 409],
      rule: `${SUSPEND}resume`,
      conflictName: "resume",
      run: ({ ctx, inst }) => power.resume(svc, ctx, inst),
    }),
    trigger_crash_dump: actionSpec(svc, {
      min: "2.17",
      expectedErrors: [400, 404, 409],
      schemas: [{ schema: TRIGGER_CRASH_DUMP }],
      rule: "os_compute_api:servers:trigger_crash_dump",
      withUser: true,
      conflictName: "trigger_crash_dump",
      run: ({ ctx, inst }) => power.triggerCrashDump(svc, ctx, inst),
    }),
    changePassword: actionSpec(svc, {
      expectedErrors: [404, 409, 501],
      schemas: [{ schema: CHANGE_PASSWORD }],
      rule: "os_compute_api:os-admin-password",
      withUser: true,
      conflictName: "changePassword",
      // NOTE(parity): InstanceIsLocked is not in nova's except list, but it
      // is an InstanceInvalidState, so it answers the "invalid state" 409.
      catchLocked: false,
      errors: (err) =>
        caught(err, 409, InstancePasswordSetFailed) ??
          notSupported(err, "Unable to set password on instance"),
      run: ({ ctx, inst, body }) =>
        power.setAdminPassword(svc, ctx, inst, String(body.changePassword.adminPass)),
    }),
    "os-resetState": actionSpec(svc, {
      expectedErrors: [404],
      schemas: [{ schema: RESET_STATE }],
      rule: "os_compute_api:os-admin-actions:reset_state",
      conflictName: null,
      run: ({ ctx, inst, body }) => power.resetState(svc, ctx, inst, body["os-resetState"].state),
    }),
    injectNetworkInfo: actionSpec(svc, {
      expectedErrors: [404, 409],
      rule: "os_compute_api:os-admin-actions:inject_network_info",
      conflictName: null,
      run: ({ ctx, inst }) => power.injectNetworkInfo(svc, ctx, inst),
    }),
    resetNetwork: {
      expectedErrors: [410],
      handler: () => {
        throw new HttpError(410);
      },
    },
  };
}
