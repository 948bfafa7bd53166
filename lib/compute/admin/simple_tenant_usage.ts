/**
 * SimpleTenantUsageController (`/os-simple-tenant-usage`): per project, the
 * hours each server ran within a period (from `launched_at` to
 * `terminated_at` or now, clipped to `start`..`end`) and the vCPU, RAM and
 * disk hours they add up to; `detailed=1` lists the servers. Paged by
 * server from 2.40 with `tenant_usages_links`.
 *
 * Mirrors nova/api/openstack/compute/simple_tenant_usage.py,
 * schemas/simple_tenant_usage.py, views/usages.py and
 * nova/db/main/api.py `instance_get_active_by_window_joined`.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest } from "../../request.ts";
import { PyFloat } from "../../response.ts";
import type { Services } from "../../services.ts";
import { utcnow } from "../../store/timestamps.ts";
import {
  type ObjectSchema,
  parameterTypes as pt,
  type QueryDict,
  validateQueryFor,
  type VersionedSchema,
} from "../../validation/mod.ts";
import { isSupported, limitAndMarker } from "../common.ts";
import { collectionLinks, LinkBuilder } from "../links.ts";
import { type ComputeService, computeService } from "../servers/service.ts";
import type { ControllerSpec } from "../wsgi.ts";
import { authOf } from "./common.ts";
import { fromMicros, parseStrTime, toMicros } from "./strtime.ts";

const RULE = "os_compute_api:os-simple-tenant-usage:";
const strings = pt.multiParams({ type: "string" } as const);
const indexQuery = { start: strings, end: strings, detailed: strings };
const showQuery = { start: strings, end: strings };
const schema = (props: Record<string, unknown>, extra: boolean): ObjectSchema => ({
  type: "object",
  properties: props,
  additionalProperties: extra,
});
const INDEX_QUERY: VersionedSchema<ObjectSchema>[] = [
  { schema: schema({ ...indexQuery, ...pt.paginationParameters }, false), min: "2.75" },
  { schema: schema({ ...indexQuery, ...pt.paginationParameters }, true), min: "2.40", max: "2.74" },
  { schema: schema(indexQuery, true), min: "2.1", max: "2.39" },
];
const SHOW_QUERY: VersionedSchema<ObjectSchema>[] = [
  { schema: schema({ ...showQuery, ...pt.paginationParameters }, false), min: "2.75" },
  { schema: schema({ ...showQuery, ...pt.paginationParameters }, true), min: "2.40", max: "2.74" },
  { schema: schema(showQuery, true), min: "2.1", max: "2.39" },
];

interface Period {
  start: number;
  stop: number;
  detailed: boolean;
}

/** Builds the controller. */
export function simpleTenantUsageController(services: Services): ControllerSpec {
  const links = new LinkBuilder(services.conf.api.compute_link_prefix);
  return {
    name: "SimpleTenantUsageController",
    methods: {
      index: {
        expectedErrors: [400],
        handler: ({ req }) => index(computeService(services), links, req),
      },
      show: {
        expectedErrors: [400],
        handler: ({ req, params }) => show(computeService(services), links, req, params.id),
      },
    },
  };
}

/** `_get_datetime_range`: start and end (first values; blank ones ignored), now by default. */
function datetimeRange(req: ApiRequest): Period {
  const first = (name: string) => {
    const value = new URLSearchParams(req.query).getAll(name).find((v) => v !== "");
    return value === undefined ? toMicros(utcnow()) : parse(value);
  };
  const start = first("start");
  const stop = first("end");
  if (!(start < stop)) {
    throw new HttpError(
      400,
      "Invalid start time. The start time cannot occur after the end time.",
    );
  }
  const detailed = (new URLSearchParams(req.query).getAll("detailed").find((v) => v !== "") ??
    "0") === "1";
  return { start, stop: Math.min(stop, toMicros(utcnow())), detailed };
}

function parse(text: string): number {
  const micros = parseStrTime(text);
  if (micros === null) {
    throw new HttpError(400, "Invalid datetime string: Datetime is in invalid format");
  }
  return micros;
}

function index(svc: ComputeService, links: LinkBuilder, req: ApiRequest) {
  const params = validateQueryFor(req, req.query, INDEX_QUERY);
  svc.policy.authorize(authOf(req), `${RULE}list`);
  const period = datetimeRange(req);
  const paged = isSupported(req, "2.40");
  const { usages, servers } = usagesFor(svc, period, null, page(svc, params, paged));
  const out: Record<string, unknown> = { tenant_usages: usages };
  if (paged) {
    const ids = servers.map((s) => s.instance_id as string);
    const next = collectionLinks(links, req, params, ids, "os-simple-tenant-usage", maxLimit(svc));
    if (next.length) out.tenant_usages_links = next;
  }
  return out;
}

function show(svc: ComputeService, links: LinkBuilder, req: ApiRequest, tenantId: string) {
  const params = validateQueryFor(req, req.query, SHOW_QUERY);
  svc.policy.authorize(authOf(req), `${RULE}show`, { project_id: tenantId });
  const period = { ...datetimeRange(req), detailed: true };
  const paged = isSupported(req, "2.40");
  const { usages, servers } = usagesFor(svc, period, tenantId, page(svc, params, paged));
  const out: Record<string, unknown> = { tenant_usage: usages[0] ?? {} };
  if (paged) {
    const ids = servers.map((s) => s.instance_id as string);
    const collection = `os-simple-tenant-usage/${tenantId}`;
    const next = collectionLinks(links, req, params, ids, collection, maxLimit(svc));
    if (next.length) out.tenant_usage_links = next;
  }
  return out;
}

function maxLimit(svc: ComputeService): number {
  return svc.conf.api.max_limit;
}

function page(svc: ComputeService, params: QueryDict, paged: boolean) {
  return paged ? limitAndMarker(params, maxLimit(svc)) : { limit: maxLimit(svc), marker: null };
}

interface UsageRow {
  uuid: string;
  display_name: string | null;
  project_id: string;
  vm_state: string | null;
  launched_at: string;
  terminated_at: string | null;
  flavor: string;
}

/** `instance_get_active_by_window_joined`: deleted ones too, by project and uuid. */
function activeInWindow(
  svc: ComputeService,
  p: Period,
  tenantId: string | null,
  pg: { limit: number; marker: string | null },
): UsageRow[] {
  const where = ["(terminated_at IS NULL OR terminated_at > ?)", "launched_at < ?"];
  const args: (string | number)[] = [fromMicros(p.start), fromMicros(p.stop)];
  if (tenantId) {
    where.push("project_id = ?");
    args.push(tenantId);
  }
  if (pg.marker) {
    const m = svc.db.get<{ project_id: string; uuid: string }>(
      "SELECT project_id, uuid FROM instances WHERE uuid = ?",
      pg.marker,
    );
    if (!m) throw new HttpError(400, `Marker ${pg.marker} could not be found.`);
    where.push("(project_id > ? OR (project_id = ? AND uuid > ?))");
    args.push(m.project_id, m.project_id, m.uuid);
  }
  return svc.db.all<UsageRow>(
    `SELECT uuid, display_name, project_id, vm_state, launched_at, terminated_at, flavor
     FROM instances WHERE ${where.join(" AND ")} ORDER BY project_id, uuid LIMIT ?`,
    ...args,
    pg.limit,
  );
}

/** `_hours_for`: the part of the server's life within the period, in hours. */
function hoursFor(row: UsageRow, p: Period): number {
  const launched = toMicros(row.launched_at);
  const terminated = row.terminated_at ? toMicros(row.terminated_at) : null;
  if (terminated !== null && terminated < p.start) return 0;
  if (launched > p.stop) return 0;
  const start = Math.max(launched, p.start);
  const stop = terminated !== null ? Math.min(p.stop, terminated) : p.stop;
  return (stop - start) / 3_600_000_000;
}

/** `_tenant_usages_for_period`. */
function usagesFor(
  svc: ComputeService,
  p: Period,
  tenantId: string | null,
  pg: { limit: number; marker: string | null },
) {
  const summaries = new Map<string, Record<string, unknown>>();
  const servers: Record<string, unknown>[] = [];
  for (const row of activeInWindow(svc, p, tenantId, pg)) {
    const info = serverUsage(row, p);
    let summary = summaries.get(row.project_id);
    if (!summary) {
      summary = { tenant_id: row.project_id };
      if (p.detailed) summary.server_usages = [];
      Object.assign(summary, {
        total_local_gb_usage: 0,
        total_vcpus_usage: 0,
        total_memory_mb_usage: 0,
        total_hours: 0,
        start: fromMicros(p.start),
        stop: fromMicros(p.stop),
      });
      summaries.set(row.project_id, summary);
    }
    const hours = (info.hours as PyFloat).value;
    const add = (key: string, n: number) =>
      summary[key] = new PyFloat(totalOf(summary[key]) + n * hours);
    add("total_local_gb_usage", info.local_gb as number);
    add("total_vcpus_usage", info.vcpus as number);
    add("total_memory_mb_usage", info.memory_mb as number);
    add("total_hours", 1);
    servers.push(info);
    if (p.detailed) (summary.server_usages as unknown[]).push(info);
  }
  return { usages: [...summaries.values()], servers };
}

function totalOf(value: unknown): number {
  return value instanceof PyFloat ? value.value : value as number;
}

/** One server's `info`. */
function serverUsage(row: UsageRow, p: Period): Record<string, unknown> {
  const flavor = JSON.parse(row.flavor) as {
    name: string;
    memory_mb: number;
    root_gb: number;
    ephemeral_gb: number;
    vcpus: number;
  };
  const ended = row.terminated_at ? fromMicros(toMicros(row.terminated_at)) : null;
  const launched = toMicros(row.launched_at);
  const end = ended !== null ? toMicros(ended) : toMicros(utcnow());
  return {
    hours: new PyFloat(hoursFor(row, p)),
    flavor: flavor.name,
    instance_id: row.uuid,
    name: row.display_name,
    tenant_id: row.project_id,
    memory_mb: flavor.memory_mb,
    local_gb: flavor.root_gb + flavor.ephemeral_gb,
    vcpus: flavor.vcpus,
    started_at: fromMicros(launched),
    ended_at: ended,
    state: ended ? "terminated" : row.vm_state,
    uptime: Math.trunc((end - launched) / 1_000_000),
  };
}
