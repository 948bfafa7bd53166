/**
 * InstanceActionsController: the actions recorded for a server (also a
 * deleted one from 2.21), paged from 2.58 (limit, marker, changes-since,
 * 2.66 changes-before, `links`), and one action with its events: events
 * for admins, for everyone from 2.51 (tracebacks for admins only), host
 * (admins) and hostId from 2.62, details from 2.84.
 *
 * Mirrors nova/api/openstack/compute/instance_actions.py and
 * views/instance_actions.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import { validateQueryFor } from "../../validation/mod.ts";
import { collectionLinks } from "../links.ts";
import type { ControllerSpec, HandlerArgs } from "../wsgi.ts";
import type { ActionRow, EventRow } from "./actions.ts";
import { authorize, ctxOf, getInstance, viewsOf } from "./controller_common.ts";
import { MarkerNotFound } from "./errors.ts";
import { ACTIONS_QUERY_SCHEMAS } from "./schemas_misc.ts";
import type { ComputeService } from "./service.ts";
import { parseIsoTime } from "./timeutil.ts";
import { generateHostId } from "./util.ts";

const RULE = "os_compute_api:os-instance-actions:";
const ACTION_KEYS = [
  "action",
  "instance_uuid",
  "request_id",
  "user_id",
  "project_id",
  "start_time",
  "message",
] as const;
const ACTION_KEYS_V258 = [...ACTION_KEYS, "updated_at"] as const;

/** Builds the controller. */
export function instanceActionsController(svc: ComputeService): ControllerSpec {
  return {
    name: "InstanceActionsController",
    methods: {
      index: {
        handler: [
          { max: "2.57", handler: (a) => indexV21(svc, a) },
          { min: "2.58", handler: (a) => indexV258(svc, a) },
        ],
        expectedErrors: [400, 404],
      },
      show: { expectedErrors: [404], handler: (a) => show(svc, a) },
    },
  };
}

function load(svc: ComputeService, a: HandlerArgs, action: string) {
  const ctx = ctxOf(a.req);
  const views = viewsOf(svc, a.req);
  const inst = getInstance(svc, ctx, a.params.server_id, views.at("2.21"));
  authorize(svc, ctx, RULE + action, inst);
  return { ctx, inst, views };
}

function format(row: ActionRow, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = (row as unknown as Record<string, unknown>)[key] ?? null;
  return out;
}

function indexV21(svc: ComputeService, a: HandlerArgs) {
  const { inst } = load(svc, a, "list");
  return { instanceActions: svc.actions.list(inst.uuid).map((r) => format(r, ACTION_KEYS)) };
}

function indexV258(svc: ComputeService, a: HandlerArgs) {
  const query = validateQueryFor(a.req, a.req.query, ACTIONS_QUERY_SCHEMAS);
  const { inst, views } = load(svc, a, "list");
  const since = query["changes-since"] ? parseIsoTime(query["changes-since"][0]) : null;
  const before = query["changes-before"] ? parseIsoTime(query["changes-before"][0]) : null;
  if (since && before && before < since) {
    throw new HttpError(
      400,
      "The value of changes-since must be less than or equal to changes-before.",
    );
  }
  const maxLimit = svc.conf.api.max_limit;
  const limit = query.limit ? Math.min(maxLimit, Number(query.limit.at(-1))) : maxLimit;
  const marker = query.marker?.at(-1) ?? null;
  let rows: ActionRow[];
  try {
    rows = svc.actions.list(inst.uuid, {
      limit,
      marker,
      filters: { changesSince: since, changesBefore: before },
    });
  } catch (err) {
    if (err instanceof MarkerNotFound) throw new HttpError(400, err.message);
    throw err;
  }
  const out: Record<string, unknown> = {
    instanceActions: rows.map((r) => format(r, ACTION_KEYS_V258)),
  };
  const links = collectionLinks(
    views.links,
    a.req,
    query,
    rows.map((r) => r.request_id ?? ""),
    `servers/${a.params.server_id}/os-instance-actions`,
    maxLimit,
  );
  if (links.length) out.links = links;
  return out;
}

function show(svc: ComputeService, a: HandlerArgs) {
  const { ctx, inst, views } = load(svc, a, "show");
  const row = svc.actions.byRequestId(inst.uuid, a.params.id);
  if (!row) throw new HttpError(404, `Action ${a.params.id} not found`);
  const action = format(row, views.at("2.58") ? ACTION_KEYS_V258 : ACTION_KEYS);
  const target = { project_id: inst.project_id };
  let showEvents = false;
  let showTraceback = false;
  let showHost = false;
  if (svc.policy.check(ctx.auth, `${RULE}events`, target)) {
    showEvents = showTraceback = true;
    showHost = views.at("2.62");
  } else if (views.at("2.51")) showEvents = true;
  if (showEvents) {
    const showDetails = views.at("2.84") &&
      svc.policy.check(ctx.auth, `${RULE}events:details`, target);
    const projectId = row.project_id || inst.project_id;
    action.events = svc.actions.events(row.id).map((e) =>
      formatEvent(e, projectId, {
        showTraceback,
        showHost,
        showHostId: views.at("2.62"),
        showDetails,
      })
    );
  }
  return { instanceAction: action };
}

function formatEvent(
  e: EventRow,
  projectId: string | null,
  o: { showTraceback: boolean; showHost: boolean; showHostId: boolean; showDetails: boolean },
): Record<string, unknown> {
  const event: Record<string, unknown> = {
    event: e.event,
    start_time: e.start_time,
    finish_time: e.finish_time,
    result: e.result,
  };
  if (o.showTraceback) event.traceback = e.traceback;
  if (o.showHost) event.host = e.host;
  if (o.showHostId) event.hostId = generateHostId(e.host, projectId);
  if (o.showDetails) event.details = e.details;
  return event;
}
