/**
 * FlavorsController: `GET /flavors`, `/flavors/detail`, `/flavors/{id}`,
 * with the create/update/delete of FlavorManageController and the
 * addTenantAccess/removeTenantAccess actions merged in, as nova's routes
 * merge them.
 *
 * Mirrors nova/api/openstack/compute/flavors.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest } from "../../request.ts";
import type { Services } from "../../services.ts";
import { pyInt } from "../../validation/pynum.ts";
import { isSupported, lastParam, limitAndMarker } from "../common.ts";
import { type QueryDict, validateQueryFor } from "../../validation/mod.ts";
import type { ControllerSpec } from "../wsgi.ts";
import { flavorAccessActions } from "./access.ts";
import { flavorApi, type FlavorFilters, MarkerNotFound } from "./api.ts";
import { boolFromString } from "./extra_specs/validators.ts";
import { flavorManageMethods } from "./manage.ts";
import { indexQuery, indexQuery275 } from "./schemas.ts";
import { FLAVOR_EXTRA_SPECS_MICROVERSION, FlavorViews } from "./views.ts";

const INDEX_QUERY = [
  { schema: indexQuery275, min: "2.75" },
  { schema: indexQuery, min: "2.0", max: "2.74" },
];

/** `_parse_is_public`: absent → public only, "none" → all, else a strict boolean. */
function parseIsPublic(value: string | undefined): boolean | null {
  if (value === undefined) return true;
  if (value.toLowerCase() === "none") return null;
  const parsed = boolFromString(value);
  if (parsed === null) throw new HttpError(400, `Invalid is_public filter [${value}]`);
  return parsed;
}

function intFilter(params: QueryDict, name: string): number | undefined {
  const raw = lastParam(params, name);
  if (raw === undefined) return undefined;
  const value = pyInt(raw);
  if (value === null) throw new HttpError(400, `Invalid ${name} filter [${raw}]`);
  return Number(value);
}

/** `_get_flavors`: the filters, order and page of the request, as the context may see them. */
function getFlavors(services: Services, req: ApiRequest, params: QueryDict) {
  const ctx = req.context!;
  const filters: FlavorFilters = {};
  if (ctx.isAdmin) {
    filters.isPublic = parseIsPublic(lastParam(params, "is_public"));
  } else {
    filters.isPublic = true;
    filters.disabled = false;
  }
  filters.minMemoryMb = intFilter(params, "minRam");
  filters.minRootGb = intFilter(params, "minDisk");
  const { limit, marker } = limitAndMarker(params, services.conf.api.max_limit);
  try {
    return flavorApi(services).list(ctx, {
      filters,
      sortKey: lastParam(params, "sort_key") || "flavorid",
      sortDir: lastParam(params, "sort_dir") === "desc" ? "desc" : "asc",
      limit,
      marker,
    });
  } catch (err) {
    if (err instanceof MarkerNotFound) throw new HttpError(400, `marker [${marker}] not found`);
    throw err;
  }
}

/** Whether views carry extra_specs: 2.61+ and `os-flavor-extra-specs:index` allowed. */
export function includeExtraSpecs(services: Services, req: ApiRequest): boolean {
  return isSupported(req, FLAVOR_EXTRA_SPECS_MICROVERSION) &&
    services.policy.check(req.context!, "os_compute_api:os-flavor-extra-specs:index");
}

/** The FlavorsController spec (with FlavorManage and FlavorAction merged in). */
export function flavorsController(services: Services): ControllerSpec {
  const views = new FlavorViews(services.conf.api.compute_link_prefix, services.conf.api.max_limit);
  const api = flavorApi(services);
  return {
    name: "FlavorsController",
    methods: {
      index: {
        expectedErrors: [400],
        handler: ({ req }) => {
          const params = validateQueryFor(req, req.query, INDEX_QUERY);
          return views.index(req, getFlavors(services, req, params), params);
        },
      },
      detail: {
        expectedErrors: [400],
        handler: ({ req }) => {
          const params = validateQueryFor(req, req.query, INDEX_QUERY);
          const flavors = getFlavors(services, req, params);
          return views.detail(req, flavors, params, includeExtraSpecs(services, req));
        },
      },
      show: {
        expectedErrors: [404],
        handler: ({ req, params }) => {
          const flavor = api.get(req.context!, params.id);
          if (!flavor) throw new HttpError(404, `Flavor ${params.id} could not be found.`);
          const includeDescription = isSupported(req, "2.55");
          const extra = includeExtraSpecs(services, req);
          return {
            flavor: views.show(req, flavor, { includeDescription, includeExtraSpecs: extra }),
          };
        },
      },
    },
    actions: { ...flavorManageMethods(services, views), ...flavorAccessActions(services) },
  };
}
