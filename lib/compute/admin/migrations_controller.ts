/**
 * MigrationsController (`/os-migrations`): every migration record,
 * filtered by host, status, instance, type, source compute; `links` for
 * live migrations in progress and `migration_type` from 2.23; uuids,
 * paging and `changes-since` from 2.59; `changes-before` from 2.66;
 * `user_id` / `project_id` (shown and as filters) from 2.80.
 *
 * Mirrors nova/api/openstack/compute/migrations.py, schemas/migrations.py
 * and views/migrations.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest } from "../../request.ts";
import type { Services } from "../../services.ts";
import {
  type ObjectSchema,
  parameterTypes as pt,
  type QueryDict,
  validateQueryFor,
  type VersionedSchema,
} from "../../validation/mod.ts";
import { isSupported, lastParam, limitAndMarker } from "../common.ts";
import { collectionLinks, LinkBuilder } from "../links.ts";
import { MarkerNotFound } from "../servers/errors.ts";
import type { MigrationRow } from "../servers/migrations_store.ts";
import { type ComputeService, computeService } from "../servers/service.ts";
import { parseIsoTime } from "../servers/timeutil.ts";
import type { ControllerSpec } from "../wsgi.ts";
import { authOf } from "./common.ts";
import { listMigrations, type MigrationQuery, pageMigrations } from "./migrations_query.ts";

const LIVE_IN_PROGRESS = ["queued", "preparing", "running", "post-migrating"];
const q = pt.commonQueryParam;
const V20 = {
  hidden: q,
  host: q,
  instance_uuid: q,
  source_compute: q,
  status: q,
  migration_type: q,
};
const changes = pt.singleParam({ type: "string", format: "date-time" } as const);
const V259 = {
  ...V20,
  limit: pt.singleParam(pt.nonNegativeInteger),
  marker: pt.singleParam({ type: "string" } as const),
  "changes-since": changes,
};
const V266 = { ...V259, "changes-before": changes };
const V280 = {
  ...V266,
  user_id: pt.singleParam({ type: "string" } as const),
  project_id: pt.singleParam({ type: "string" } as const),
};
const obj = (properties: Record<string, unknown>, extra: boolean): ObjectSchema => ({
  type: "object",
  properties,
  additionalProperties: extra,
});
const QUERY: VersionedSchema<ObjectSchema>[] = [
  { schema: obj(V20, true), min: "2.0", max: "2.58" },
  { schema: obj(V259, false), min: "2.59", max: "2.65" },
  { schema: obj(V266, false), min: "2.66", max: "2.79" },
  { schema: obj(V280, false), min: "2.80" },
];
const FILTER_KEYS = [
  "uuid",
  "status",
  "host",
  "source_compute",
  "migration_type",
  "hidden",
  "instance_uuid",
  "user_id",
  "project_id",
] as const;

/** Builds the controller. */
export function migrationsController(services: Services): ControllerSpec {
  const links = new LinkBuilder(services.conf.api.compute_link_prefix);
  return {
    name: "MigrationsController",
    methods: {
      index: {
        handler: [
          { max: "2.58", handler: ({ req }) => index(computeService(services), links, req) },
          { min: "2.59", handler: ({ req }) => index(computeService(services), links, req) },
        ],
        expectedErrors: [400],
      },
    },
  };
}

/** `_index`. */
function index(svc: ComputeService, links: LinkBuilder, req: ApiRequest) {
  const params = validateQueryFor(req, req.query, QUERY);
  svc.policy.authorize(authOf(req), "os_compute_api:os-migrations:index");
  const filters = filtersOf(req, params);
  const paged = isSupported(req, "2.59");
  let rows: MigrationRow[];
  if (paged) {
    const { limit, marker } = limitAndMarker(params, svc.conf.api.max_limit);
    try {
      rows = pageMigrations(svc.db, filters, limit, marker);
    } catch (err) {
      if (err instanceof MarkerNotFound) throw new HttpError(400, err.message);
      throw err;
    }
  } else {
    rows = listMigrations(svc.db, filters);
  }
  const migrations = rows.filter((r) => !r.hidden).map((r) => output(links, req, r));
  const out: Record<string, unknown> = { migrations };
  if (paged) {
    const ids = migrations.map((m) => m.uuid as string);
    const next = collectionLinks(links, req, params, ids, "os-migrations", svc.conf.api.max_limit);
    if (next.length) out.migrations_links = next;
  }
  return out;
}

/** The search options (`search_opts.update(req.GET)`: last values), times from 2.59/2.66. */
function filtersOf(req: ApiRequest, params: QueryDict): MigrationQuery {
  const filters: MigrationQuery = {};
  for (const key of FILTER_KEYS) {
    const value = lastParam(params, key);
    if (value !== undefined) filters[key] = value;
  }
  const since = lastParam(params, "changes-since");
  const before = lastParam(params, "changes-before");
  if (since !== undefined && isSupported(req, "2.59")) {
    filters.changesSince = parseIsoTime(since) ?? undefined;
  }
  if (before !== undefined && isSupported(req, "2.66")) {
    filters.changesBefore = parseIsoTime(before) ?? undefined;
    if (filters.changesSince && filters.changesBefore! < filters.changesSince) {
      throw new HttpError(
        400,
        "The value of changes-since must be less than or equal to changes-before.",
      );
    }
  }
  return filters;
}

/** `_output` of one record. */
function output(links: LinkBuilder, req: ApiRequest, r: MigrationRow): Record<string, unknown> {
  const addLink = isSupported(req, "2.23");
  // The Migration object's field order, less what `_output` deletes.
  const out: Record<string, unknown> = { id: r.id };
  if (isSupported(req, "2.59")) out.uuid = r.uuid;
  Object.assign(out, {
    source_compute: r.source_compute,
    dest_compute: r.dest_compute,
    source_node: r.source_node,
    dest_node: r.dest_node,
    dest_host: r.dest_host,
    old_instance_type_id: r.old_instance_type_id,
    new_instance_type_id: r.new_instance_type_id,
    instance_uuid: r.instance_uuid,
    status: r.status,
  });
  if (addLink) out.migration_type = r.migration_type;
  if (isSupported(req, "2.80")) {
    out.user_id = r.user_id;
    out.project_id = r.project_id;
  }
  out.created_at = r.created_at;
  out.updated_at = r.updated_at;
  if (
    addLink && r.migration_type === "live-migration" && LIVE_IN_PROGRESS.includes(r.status ?? "")
  ) {
    out.links = links.links(req, String(r.id), `servers/${r.instance_uuid}/migrations`);
  }
  return out;
}
