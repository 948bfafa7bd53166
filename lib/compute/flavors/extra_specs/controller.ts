/**
 * FlavorExtraSpecsController: `/flavors/{flavor_id}/os-extra_specs[/{id}]`
 * (index, show, create, update, delete). Values may be sent as numbers and
 * are stored as Python's `str()` of them; from 2.86 known keys are checked.
 *
 * Mirrors nova/api/openstack/compute/flavors_extraspecs.py.
 *
 * @module
 */

import { HttpError } from "../../../errors.ts";
import type { ApiRequest } from "../../../request.ts";
import type { Services } from "../../../services.ts";
import { pyStr, validateBodyFor } from "../../../validation/mod.ts";
import type { ControllerSpec, HandlerArgs } from "../../wsgi.ts";
import { getFlavorOr404 } from "../access.ts";
import { flavorApi, FlavorRelationError } from "../api.ts";
import { extraSpecsCreate, extraSpecsUpdate } from "../schemas.ts";
import { isSupported } from "../../common.ts";
import { validateExtraSpec } from "./validators.ts";

const POLICY = "os_compute_api:os-flavor-extra-specs";

/** `_check_extra_specs_value`: numbers within 255 characters; 2.86 validation. */
function checkValues(req: ApiRequest, specs: Record<string, unknown>): Record<string, string> {
  const validate = isSupported(req, "2.86");
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(specs)) {
    const value = pyStr(raw);
    if (typeof raw !== "string" && value.length > 255) {
      throw new HttpError(
        400,
        `extra_specs value has ${value.length} characters, more than 255.`,
      );
    }
    if (validate) validateExtraSpec(name, value);
    out[name] = value;
  }
  return out;
}

function save(
  services: Services,
  req: ApiRequest,
  flavorId: string,
  specs: Record<string, string>,
) {
  const flavor = getFlavorOr404(services, req.context!, flavorId);
  flavorApi(services).setExtraSpecs(flavor, specs);
}

function create(services: Services) {
  return ({ req, params, body }: HandlerArgs) => {
    validateBodyFor(req, body, [{ schema: extraSpecsCreate }]);
    services.policy.authorize(req.context!, `${POLICY}:create`, {});
    const specs = checkValues(req, (body as { extra_specs: Record<string, unknown> }).extra_specs);
    save(services, req, params.flavor_id, specs);
    return body as Record<string, unknown>;
  };
}

function update(services: Services) {
  return ({ req, params, body }: HandlerArgs) => {
    validateBodyFor(req, body, [{ schema: extraSpecsUpdate }]);
    services.policy.authorize(req.context!, `${POLICY}:update`, {});
    const specs = checkValues(req, body as Record<string, unknown>);
    if (!(params.id in specs)) throw new HttpError(400, "Request body and URI mismatch");
    save(services, req, params.flavor_id, specs);
    return body as Record<string, unknown>;
  };
}

function noSuchKey(flavorId: string, key: string): HttpError {
  return new HttpError(404, `Flavor ${flavorId} has no extra specs with key ${key}.`);
}

/** The FlavorExtraSpecsController spec. */
export function flavorExtraSpecsController(services: Services): ControllerSpec {
  const readTarget = (req: ApiRequest) => ({ project_id: req.context!.projectId });
  return {
    name: "FlavorExtraSpecsController",
    methods: {
      index: {
        expectedErrors: [404],
        handler: ({ req, params }) => {
          services.policy.authorize(req.context!, `${POLICY}:index`, readTarget(req));
          return {
            extra_specs: getFlavorOr404(services, req.context!, params.flavor_id).extra_specs,
          };
        },
      },
      show: {
        expectedErrors: [404],
        handler: ({ req, params }) => {
          services.policy.authorize(req.context!, `${POLICY}:show`, readTarget(req));
          const flavor = getFlavorOr404(services, req.context!, params.flavor_id);
          if (!Object.hasOwn(flavor.extra_specs, params.id)) {
            throw noSuchKey(params.flavor_id, params.id);
          }
          return { [params.id]: flavor.extra_specs[params.id] };
        },
      },
      create: { expectedErrors: [400, 404, 409], handler: create(services) },
      update: { expectedErrors: [400, 404, 409], handler: update(services) },
      delete: {
        expectedErrors: [404],
        handler: ({ req, params }) => {
          services.policy.authorize(req.context!, `${POLICY}:delete`, {});
          const flavor = getFlavorOr404(services, req.context!, params.flavor_id);
          if (!Object.hasOwn(flavor.extra_specs, params.id)) {
            throw noSuchKey(params.flavor_id, params.id);
          }
          try {
            flavorApi(services).deleteExtraSpec(flavor, params.id);
          } catch (err) {
            if (err instanceof FlavorRelationError) throw new HttpError(404, err.message);
            throw err;
          }
        },
      },
    },
  };
}
