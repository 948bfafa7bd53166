/**
 * The move actions' controllers: resize, confirmResize (204), revertResize,
 * migrate (2.56 host), os-migrateLive (2.25 block_migration auto, 2.30
 * force, 2.34 asynchronous, 2.68 no force) and evacuate (2.14 no
 * onSharedStorage and no adminPass answer, 2.29 force, 2.68 no force),
 * with their schemas and nova's exception mapping.
 *
 * Mirrors nova/api/openstack/compute/servers.py (`_action_resize`,
 * `_resize`, `_action_confirm_resize`, `_action_revert_resize`),
 * migrate_server.py and evacuate.py, with schemas/servers.py,
 * migrate_server.py and evacuate.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import { FlavorNotFound } from "../flavors/api.ts";
import type { MethodSpec } from "../wsgi.ts";
import { actionSpec, caught } from "./action_spec.ts";
import {
  InstanceInvalidState,
  InstanceNotReady,
  Invalid,
  NovaException,
  NoValidHost,
  OverQuota,
} from "./errors.ts";
import {
  AutoDiskConfigDisabledByImage,
  CannotMigrateToSameHost,
  CannotResizeDisk,
  CannotResizeToSameFlavor,
  ComputeHostNotFound,
  ComputeServiceInUse,
  MigrationNotFound,
  ServiceUnavailable,
  UnableToMigrateToSelf,
} from "./errors_actions.ts";
import { evacuate } from "./evacuate.ts";
import { ComputeServiceUnavailable, liveMigrate } from "./live_migrate.ts";
import { confirmResize, resize, revertResize } from "./resize.ts";
import type { ComputeService } from "./service.ts";
import { generatePassword } from "./util.ts";
import * as schemas from "./move_schemas.ts";

const SERVERS = "os_compute_api:servers:";
const TRUE = ["1", "t", "true", "on", "y", "yes"];

/** `strutils.bool_from_string(value)`. */
function bool(value: unknown): boolean {
  return TRUE.includes(String(value).trim().toLowerCase());
}

/** `_resize`'s and `_migrate`'s `except` clauses. */
function resizeErrors(err: unknown): HttpError | null {
  if (err instanceof OverQuota) return new HttpError(403, err.message);
  const conflict = caught(err, 409, ServiceUnavailable);
  if (conflict) return conflict;
  if (err instanceof InstanceInvalidState || err instanceof InstanceNotReady) return null;
  return caught(
    err,
    400,
    AutoDiskConfigDisabledByImage,
    CannotResizeDisk,
    CannotResizeToSameFlavor,
    FlavorNotFound,
    CannotMigrateToSameHost,
    ComputeHostNotFound,
  ) ??
    (err instanceof NovaException && err.code === 400 && !(err instanceof Invalid)
      ? new HttpError(400, err.message)
      : err instanceof Invalid
      ? new HttpError(400, "Invalid instance image.")
      : null);
}

/** The move actions, by body key. */
export function moveActions(svc: ComputeService): Record<string, MethodSpec> {
  return {
    resize: actionSpec(svc, {
      expectedErrors: [400, 401, 403, 404, 409],
      schemas: [{ schema: schemas.RESIZE }],
      rule: `${SERVERS}resize`,
      withUser: true,
      conflictName: "resize",
      errors: resizeErrors,
      run: ({ ctx, inst, body }) => {
        const disk = body.resize["OS-DCF:diskConfig"];
        resize(svc, ctx, inst, {
          flavorId: String(body.resize.flavorRef),
          hostName: null,
          autoDiskConfig: disk === undefined || disk === null ? null : disk === "AUTO",
        });
      },
    }),
    migrate: actionSpec(svc, {
      expectedErrors: [400, 403, 404, 409],
      schemas: [{ schema: schemas.MIGRATE, min: "2.56" }],
      rule: "os_compute_api:os-migrate-server:migrate",
      conflictName: "migrate",
      errors: resizeErrors,
      run: ({ req, ctx, inst, body }) => {
        const host = req.apiVersion?.atLeast("2.56") && body.migrate ? body.migrate.host : null;
        resize(svc, ctx, inst, { flavorId: null, hostName: host ?? null, autoDiskConfig: null });
      },
    }),
    confirmResize: actionSpec(svc, {
      status: 204,
      expectedErrors: [400, 404, 409],
      rule: `${SERVERS}confirm_resize`,
      conflictName: "confirmResize",
      errors: (err) =>
        err instanceof MigrationNotFound
          ? new HttpError(400, "Instance has not been resized.")
          : caught(err, 409, ServiceUnavailable),
      run: ({ ctx, inst }) => confirmResize(svc, ctx, inst),
    }),
    revertResize: actionSpec(svc, {
      expectedErrors: [400, 404, 409],
      rule: `${SERVERS}revert_resize`,
      conflictName: "revertResize",
      errors: (err) => {
        if (err instanceof MigrationNotFound) {
          return new HttpError(400, "Instance has not been resized.");
        }
        if (err instanceof FlavorNotFound) {
          return new HttpError(400, "Flavor used by the instance could not be found.");
        }
        return null;
      },
      run: ({ ctx, inst }) => revertResize(svc, ctx, inst),
    }),
    "os-migrateLive": actionSpec(svc, {
      expectedErrors: [400, 403, 404, 409],
      schemas: schemas.MIGRATE_LIVE,
      rule: "os_compute_api:os-migrate-server:migrate_live",
      conflictName: "os-migrateLive",
      errors: (err, a) => {
        if (err instanceof ComputeHostNotFound) return new HttpError(400, err.message);
        const precheck = err instanceof NoValidHost || err instanceof UnableToMigrateToSelf ||
          err instanceof ComputeServiceUnavailable;
        return precheck && !a.req.apiVersion?.atLeast("2.34")
          ? new HttpError(400, err.message)
          : null;
      },
      run: async ({ req, ctx, inst, body }) => {
        const at = (v: string) => req.apiVersion?.atLeast(v) ?? false;
        const live = body["os-migrateLive"];
        const host = live.host ?? null;
        let force: boolean | null = null;
        if (at("2.30")) {
          force = bool(live.force ?? false);
          if (force && !host) {
            throw new HttpError(400, "Can't force to a non-provided destination");
          }
        }
        await liveMigrate(svc, ctx, inst, { host, force, async: at("2.34") });
      },
    }),
    evacuate: evacuateSpec(svc),
  };
}

function evacuateSpec(svc: ComputeService): MethodSpec {
  return actionSpec(svc, {
    status: 200,
    expectedErrors: [400, 403, 404, 409],
    schemas: schemas.EVACUATE,
    rule: "os_compute_api:os-evacuate",
    withUser: true,
    conflictName: "evacuate",
    errors: (err) => caught(err, 400, ComputeServiceInUse),
    run: ({ req, ctx, inst, body }) => {
      const at = (v: string) => req.apiVersion?.atLeast(v) ?? false;
      const e = body.evacuate;
      const host: string | null = e.host ?? null;
      let force: boolean | null = null;
      if (at("2.29")) {
        force = bool(e.force ?? false);
        if (force && !host) throw new HttpError(400, "Can't force to a non-provided destination");
      }
      const password = evacuatePassword(svc, e, at("2.14"));
      if (host !== null) {
        if (!svc.hosts.services.computeService(host)) {
          throw new HttpError(404, `Compute host ${host} not found.`);
        }
      }
      if (inst.host === host) throw new HttpError(400, "The target host can't be the same one.");
      evacuate(svc, ctx, inst, { host, force, password });
      if (!at("2.14") && svc.conf.api.enable_instance_password) return { adminPass: password };
      return null;
    },
  });
}

/** `_get_password` (before 2.14, with onSharedStorage) and `_get_password_v214`. */
function evacuatePassword(
  svc: ComputeService,
  e: Record<string, unknown>,
  v214: boolean,
): string | null {
  const generate = () => generatePassword(svc.conf.DEFAULT.password_length);
  if (v214) return "adminPass" in e ? String(e.adminPass) : generate();
  const shared = bool(e.onSharedStorage);
  if ("adminPass" in e) {
    if (shared) throw new HttpError(400, "admin password can't be changed on existing disk");
    return String(e.adminPass);
  }
  return shared ? null : generate();
}
