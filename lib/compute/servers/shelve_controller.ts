/**
 * The shelve, shelveOffload, unshelve (2.77 availability_zone, 2.91 host
 * and unpinning), rescue (200 with adminPass; 2.87 volume-backed) and
 * unrescue actions, with their schemas and nova's exception mapping.
 *
 * Mirrors nova/api/openstack/compute/shelve.py and rescue.py, with
 * schemas/shelve.py and schemas/rescue.py.
 *
 * @module
 */

import { parameterTypes as pt, type Schema } from "../../validation/mod.ts";
import type { MethodSpec } from "../wsgi.ts";
import { actionSpec, caught } from "./action_spec.ts";
import { authorize } from "./controller_common.ts";
import { UnexpectedTaskState } from "./instance_store.ts";
import {
  ComputeHostNotFound,
  InstanceNotRescuable,
  InvalidRequest,
  UnshelveHostNotInAZ,
  UnshelveInstanceInvalidState,
  UnsupportedRescueImage,
} from "./errors_actions.ts";
import { rescue, unrescue } from "./rescue.ts";
import type { ComputeService } from "./service.ts";
import { shelve, shelveOffload } from "./shelve.ts";
import { unshelve, type UnshelveRequest } from "./unshelve.ts";
import { generatePassword } from "./util.ts";

const SHELVE = "os_compute_api:os-shelve:";

const UNSHELVE_V277: Schema = {
  type: "object",
  properties: {
    unshelve: {
      type: ["object", "null"],
      properties: { availability_zone: pt.name },
      required: ["availability_zone"],
      additionalProperties: false,
    },
  },
  required: ["unshelve"],
  additionalProperties: false,
} as Schema;

const UNSHELVE_V291: Schema = {
  type: "object",
  properties: {
    unshelve: {
      oneOf: [
        {
          type: ["object"],
          properties: {
            availability_zone: { oneOf: [{ type: ["null"] }, { type: "string" }] },
            host: { type: "string" },
          },
          additionalProperties: false,
        },
        { type: ["null"] },
      ],
    },
  },
  required: ["unshelve"],
  additionalProperties: false,
} as Schema;

const RESCUE: Schema = {
  type: "object",
  properties: {
    rescue: {
      type: ["object", "null"],
      properties: { adminPass: pt.adminPassword, rescue_image_ref: pt.imageId },
      additionalProperties: false,
    },
  },
  required: ["rescue"],
  additionalProperties: false,
} as Schema;

/** The shelve and rescue actions, by body key. */
export function shelveActions(svc: ComputeService): Record<string, MethodSpec> {
  return {
    shelve: actionSpec(svc, {
      expectedErrors: [404, 403, 409, 400],
      rule: `${SHELVE}shelve`,
      withUser: true,
      conflictName: "shelve",
      errors: (err) => caught(err, 409, UnexpectedTaskState),
      run: ({ ctx, inst }) => shelve(svc, ctx, inst),
    }),
    shelveOffload: actionSpec(svc, {
      expectedErrors: [400, 404, 409],
      rule: `${SHELVE}shelve_offload`,
      withUser: true,
      conflictName: "shelveOffload",
      run: ({ ctx, inst }) => shelveOffload(svc, ctx, inst),
    }),
    unshelve: actionSpec(svc, {
      expectedErrors: [400, 404, 409],
      schemas: [
        { schema: UNSHELVE_V277, min: "2.77", max: "2.90" },
        { schema: UNSHELVE_V291, min: "2.91" },
      ],
      rule: `${SHELVE}unshelve`,
      conflictName: "unshelve",
      errors: (err) =>
        caught(err, 409, UnshelveInstanceInvalidState, UnshelveHostNotInAZ) ??
          caught(err, 400, InvalidRequest, ComputeHostNotFound),
      run: ({ req, ctx, inst, body }) => {
        const d = body?.unshelve as Record<string, string | null> | null | undefined;
        const r: { availabilityZone?: string | null; host?: string | null } = {};
        if (d && req.apiVersion?.atLeast("2.77") && "availability_zone" in d) {
          r.availabilityZone = d.availability_zone;
        }
        if (d && req.apiVersion?.atLeast("2.91")) r.host = d.host ?? null;
        const authorizeHost = () => authorize(svc, ctx, `${SHELVE}unshelve_to_host`, inst, true);
        unshelve(svc, ctx, inst, r as UnshelveRequest, authorizeHost);
      },
    }),
    rescue: actionSpec(svc, {
      status: 200,
      expectedErrors: [400, 404, 409, 501],
      schemas: [{ schema: RESCUE }],
      rule: "os_compute_api:os-rescue",
      withUser: true,
      conflictName: "rescue",
      errors: (err) => caught(err, 400, InstanceNotRescuable, UnsupportedRescueImage),
      run: ({ req, ctx, inst, body }) => {
        const d = body.rescue as Record<string, string> | null;
        const password = d && "adminPass" in d
          ? String(d.adminPass)
          : generatePassword(svc.conf.DEFAULT.password_length);
        rescue(svc, ctx, inst, {
          password,
          imageRef: d?.rescue_image_ref ?? null,
          allowBfvRescue: req.apiVersion?.atLeast("2.87") ?? false,
        });
        return svc.conf.api.enable_instance_password ? { adminPass: password } : {};
      },
    }),
    unrescue: actionSpec(svc, {
      expectedErrors: [404, 409, 501],
      rule: "os_compute_api:os-unrescue",
      conflictName: "unrescue",
      run: ({ ctx, inst }) => unrescue(svc, ctx, inst),
    }),
  };
}
