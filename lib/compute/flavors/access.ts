/**
 * Flavor access: `GET /flavors/{flavor_id}/os-flavor-access`
 * (FlavorAccessController) and the addTenantAccess/removeTenantAccess
 * actions (FlavorActionController) of `POST /flavors/{id}/action`.
 *
 * Mirrors nova/api/openstack/compute/flavor_access.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { AuthContext } from "../../request.ts";
import type { Services } from "../../services.ts";
import { validateBodyFor } from "../../validation/mod.ts";
import type { ControllerSpec, HandlerArgs, MethodSpec } from "../wsgi.ts";
import { type Flavor, flavorApi, FlavorNotFound, FlavorRelationError } from "./api.ts";
import { isSupported } from "../common.ts";
import { addTenantAccess, removeTenantAccess } from "./schemas.ts";

/** `common.get_flavor`: the flavor as the context sees it, or a 404. */
export function getFlavorOr404(services: Services, ctx: AuthContext, flavorid: string): Flavor {
  const flavor = flavorApi(services).get(ctx, flavorid);
  if (!flavor) throw new HttpError(404, new FlavorNotFound(flavorid).message);
  return flavor;
}

/** `_marshall_flavor_access`. */
function marshall(flavor: Flavor, projects: string[]) {
  return {
    flavor_access: projects.map((p) => ({ flavor_id: flavor.flavorid, tenant_id: p })),
  };
}

function relationError(err: unknown): never {
  if (err instanceof FlavorRelationError) {
    throw new HttpError(err.kind === "exists" ? 409 : 404, err.message);
  }
  throw err;
}

// NOTE(parity): nova asks Keystone whether the tenant exists
// (identity.verify_project_id) and goes on when it cannot tell; novalet
// does not ask, which is nova's answer without a reachable identity v3.

function addHandler(services: Services) {
  return ({ req, params, body }: HandlerArgs) => {
    validateBodyFor(req, body, [{ schema: addTenantAccess }]);
    const ctx = req.context!;
    services.policy.authorize(ctx, "os_compute_api:os-flavor-access:add_tenant_access", {});
    const tenant = (body as { addTenantAccess: { tenant: string } }).addTenantAccess.tenant;
    const flavor = getFlavorOr404(services, ctx, params.id);
    if (isSupported(req, "2.7") && flavor.is_public) {
      throw new HttpError(409, "Can not add access to a public flavor.");
    }
    try {
      return marshall(flavor, flavorApi(services).addAccess(flavor, tenant));
    } catch (err) {
      relationError(err);
    }
  };
}

function removeHandler(services: Services) {
  return ({ req, params, body }: HandlerArgs) => {
    validateBodyFor(req, body, [{ schema: removeTenantAccess }]);
    const ctx = req.context!;
    services.policy.authorize(ctx, "os_compute_api:os-flavor-access:remove_tenant_access", {});
    const tenant = (body as { removeTenantAccess: { tenant: string } }).removeTenantAccess.tenant;
    const flavor = getFlavorOr404(services, ctx, params.id);
    try {
      return marshall(flavor, flavorApi(services).removeAccess(flavor, tenant));
    } catch (err) {
      relationError(err);
    }
  };
}

/** The addTenantAccess/removeTenantAccess actions (FlavorActionController). */
export function flavorAccessActions(services: Services): Record<string, MethodSpec> {
  return {
    addTenantAccess: { expectedErrors: [400, 403, 404, 409], handler: addHandler(services) },
    removeTenantAccess: { expectedErrors: [400, 403, 404], handler: removeHandler(services) },
  };
}

/** FlavorAccessController: the access list of a private flavor. */
export function flavorAccessController(services: Services): ControllerSpec {
  return {
    name: "FlavorAccessController",
    methods: {
      index: {
        expectedErrors: [404],
        handler: ({ req, params }) => {
          const ctx = req.context!;
          services.policy.authorize(ctx, "os_compute_api:os-flavor-access");
          const flavor = getFlavorOr404(services, ctx, params.flavor_id);
          if (flavor.is_public) {
            throw new HttpError(404, "Access list not available for public flavors.");
          }
          return marshall(flavor, flavorApi(services).projects(flavor));
        },
      },
    },
  };
}
