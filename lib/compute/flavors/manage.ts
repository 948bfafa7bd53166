/**
 * FlavorManageController: create (200), update of the description (2.55)
 * and delete (202), as `@wsgi.action("create"|"update"|"delete")` handlers
 * that nova merges into the flavors resource.
 *
 * Mirrors nova/api/openstack/compute/flavor_manage.py and
 * nova/compute/flavors.py `create`.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import { toNumber } from "../../http/json_body.ts";
import type { ApiRequest } from "../../request.ts";
import type { Services } from "../../services.ts";
import { PyFloat, pyStr, validateBodyFor } from "../../validation/mod.ts";
import type { HandlerArgs, MethodSpec } from "../wsgi.ts";
import { flavorApi, FlavorConflict, type FlavorCreate, FlavorNotFound } from "./api.ts";
import { includeExtraSpecs } from "./controller.ts";
import { boolFromString } from "./extra_specs/validators.ts";
import { create, createV20, createV255, updateV255 } from "./schemas.ts";
import { isSupported } from "../common.ts";
import { FLAVOR_DESCRIPTION_MICROVERSION, type FlavorViews } from "./views.ts";

const CREATE_SCHEMAS = [
  { schema: createV20, min: "2.0", max: "2.0" },
  { schema: create, min: "2.1", max: "2.54" },
  { schema: createV255, min: FLAVOR_DESCRIPTION_MICROVERSION },
];

/** nova.db.constants.SQL_SP_FLOAT_MAX. */
const SQL_SP_FLOAT_MAX = 3.40282e+38;

/** Python's `float(x)` of a validated rxtx_factor (a number or a decimal string). */
function toFloat(value: unknown): number {
  return typeof value === "string" ? Number.parseFloat(value) : toNumber(value);
}

/** `flavors.create`'s argument handling: defaults, name strip, str(flavorid), float rxtx. */
export function flavorValues(req: ApiRequest, vals: Record<string, unknown>): FlavorCreate {
  const rxtx = toFloat(vals.rxtx_factor ?? new PyFloat(1.0));
  if (!(rxtx > 0) || rxtx > SQL_SP_FLOAT_MAX) {
    throw new HttpError(
      400,
      "Invalid input received: 'rxtx_factor' argument must be a float between 0 and 3.40282e+38",
    );
  }
  const id = vals.id;
  // NOTE(parity): `if not flavorid` — an id of 0 (or 0.0) gets a generated uuid too.
  const falsy = id === null || id === undefined || id === "" ||
    (typeof id !== "string" && toNumber(id) === 0);
  return {
    name: String(vals.name).trim(),
    flavorid: falsy ? null : pyStr(id),
    memory_mb: toNumber(vals.ram),
    vcpus: toNumber(vals.vcpus),
    root_gb: toNumber(vals.disk),
    ephemeral_gb: toNumber(vals["OS-FLV-EXT-DATA:ephemeral"] ?? 0),
    swap: toNumber(vals.swap ?? 0),
    rxtx_factor: rxtx,
    is_public: boolFromString(pyStr(vals["os-flavor-access:is_public"] ?? true)) ?? true,
    description: isSupported(req, FLAVOR_DESCRIPTION_MICROVERSION)
      ? (vals.description as string | null | undefined) ?? null
      : null,
  };
}

function createHandler(services: Services, views: FlavorViews) {
  return ({ req, params, body }: HandlerArgs) => {
    validateBodyFor(req, body, CREATE_SCHEMAS);
    // NOTE(parity): `{"create": ...}` sent to /flavors/{id}/action reaches
    // `_create(req, body, id=...)`: a TypeError, which nova answers 400.
    if (params.id !== undefined) throw new HttpError(400);
    const ctx = req.context!;
    services.policy.authorize(ctx, "os_compute_api:os-flavor-manage:create", {});
    const vals = (body as { flavor: Record<string, unknown> }).flavor;
    let flavor;
    try {
      flavor = flavorApi(services).create(flavorValues(req, vals));
    } catch (err) {
      if (err instanceof FlavorConflict) throw new HttpError(409, err.message);
      throw err;
    }
    const extra = includeExtraSpecs(services, req);
    const includeDescription = isSupported(req, FLAVOR_DESCRIPTION_MICROVERSION);
    return { flavor: views.show(req, flavor, { includeDescription, includeExtraSpecs: extra }) };
  };
}

function updateHandler(services: Services, views: FlavorViews) {
  return ({ req, params, body }: HandlerArgs) => {
    validateBodyFor(req, body, [{ schema: updateV255, min: FLAVOR_DESCRIPTION_MICROVERSION }]);
    const ctx = req.context!;
    services.policy.authorize(ctx, "os_compute_api:os-flavor-manage:update", {});
    const api = flavorApi(services);
    const flavor = api.get(ctx, params.id);
    if (!flavor) throw new HttpError(404, new FlavorNotFound(params.id).message);
    const description = (body as { flavor: { description: string | null } }).flavor.description;
    const updated = api.updateDescription(flavor, description);
    const extra = includeExtraSpecs(services, req);
    return {
      flavor: views.show(req, updated, { includeDescription: true, includeExtraSpecs: extra }),
    };
  };
}

function deleteHandler(services: Services) {
  return ({ req, params, body }: HandlerArgs): null => {
    // NOTE(parity): `{"delete": ...}` sent to /flavors/{id}/action calls
    // `_delete(req, id, body=...)`: a TypeError, which nova answers 400.
    if (body !== undefined) throw new HttpError(400);
    services.policy.authorize(req.context!, "os_compute_api:os-flavor-manage:delete", {});
    try {
      flavorApi(services).destroy(params.id);
    } catch (err) {
      if (err instanceof FlavorNotFound) throw new HttpError(404, err.message);
      throw err;
    }
    return null;
  };
}

/** The `create`, `update` and `delete` actions of the flavors resource. */
export function flavorManageMethods(
  services: Services,
  views: FlavorViews,
): Record<string, MethodSpec> {
  return {
    create: { expectedErrors: [400, 409], handler: createHandler(services, views) },
    update: {
      expectedErrors: [400, 404],
      handler: [{ min: FLAVOR_DESCRIPTION_MICROVERSION, handler: updateHandler(services, views) }],
    },
    delete: { status: 202, expectedErrors: [404], handler: deleteHandler(services) },
  };
}
