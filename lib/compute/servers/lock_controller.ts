/**
 * The `lock` and `unlock` server actions (2.73: a lock reason). A locked
 * server refuses its owner's state-changing actions ("Instance <id> is
 * locked"); only admins or the lock's holder may unlock it.
 *
 * Mirrors nova/api/openstack/compute/lock_server.py.
 *
 * @module
 */

import { validateBodyFor, type VersionedSchema } from "../../validation/mod.ts";
import type { MethodSpec } from "../wsgi.ts";
import { authorize, ctxOf, getInstance } from "./controller_common.ts";
import type { ComputeService } from "./service.ts";

const RULE = "os_compute_api:os-lock-server:";

const LOCK_V273: readonly VersionedSchema[] = [{
  min: "2.73",
  schema: {
    type: "object",
    properties: {
      lock: {
        type: ["object", "null"],
        properties: { locked_reason: { type: "string", minLength: 1, maxLength: 255 } },
        additionalProperties: false,
      },
    },
    required: ["lock"],
    additionalProperties: false,
  },
}];

/** The `lock` and `unlock` actions of the servers resource. */
export function lockActions(svc: ComputeService): Record<string, MethodSpec> {
  return {
    lock: {
      status: 202,
      expectedErrors: [404],
      handler: ({ req, params, body }) => {
        validateBodyFor(req, body, LOCK_V273);
        const ctx = ctxOf(req);
        const inst = getInstance(svc, ctx, params.id);
        authorize(svc, ctx, `${RULE}lock`, inst, true);
        const lock = (body as { lock: { locked_reason?: string } | null }).lock;
        const reason = req.apiVersion?.atLeast("2.73") && lock ? lock.locked_reason ?? null : null;
        svc.api.lock(ctx, inst, reason);
        return null;
      },
    },
    unlock: {
      status: 202,
      expectedErrors: [404],
      handler: ({ req, params }) => {
        const ctx = ctxOf(req);
        const inst = getInstance(svc, ctx, params.id);
        authorize(svc, ctx, `${RULE}unlock`, inst);
        if (!svc.api.isExpectedLockedBy(ctx, inst)) {
          authorize(svc, ctx, `${RULE}unlock:unlock_override`, inst);
        }
        svc.api.unlock(ctx, inst);
        return null;
      },
    },
  };
}
