/**
 * ServiceController (`/os-services`): the services of the cloud with their
 * zone, status (enabled/disabled) and state (up/down from the heartbeat),
 * filtered by host and binary; enable, disable (with a reason) and
 * force-down of compute services (by action name before 2.53, by uuid
 * from 2.53); delete, refused for a compute host that still has servers
 * or migrations in progress.
 *
 * Mirrors nova/api/openstack/compute/services.py and
 * schemas/services.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest } from "../../request.ts";
import type { Services } from "../../services.ts";
import { isUuidLike, validateBodyFor, validateQueryFor } from "../../validation/mod.ts";
import { isSupported, lastParam } from "../common.ts";
import { type HostsApi, hostsApi } from "../hosts/api.ts";
import type { ServiceRecord, ServiceUpdate } from "../hosts/services_store.ts";
import { API_SERVICES } from "../hosts/services_store.ts";
import type { ZonedService } from "../hosts/zones.ts";
import type { ControllerSpec, HandlerArgs } from "../wsgi.ts";
import { authOf, strictBool, validateInteger } from "./common.ts";
import { inProgressOnNode, listMigrations } from "./migrations_query.ts";
import { INDEX_QUERY, UPDATE_SCHEMAS, UPDATE_V253 } from "./services_schemas.ts";

const RULE = "os_compute_api:os-services:";

/** Builds the controller. */
export function servicesController(services: Services): ControllerSpec {
  const api = () => hostsApi(services);
  return {
    name: "ServiceController",
    methods: {
      index: { expectedErrors: [], handler: ({ req }) => index(api(), req) },
      update: {
        handler: [
          { min: "2.1", max: "2.52", handler: (a) => updateV21(api(), a) },
          { min: "2.53", handler: (a) => updateV253(api(), a) },
        ],
        expectedErrors: [400, 404],
      },
      delete: { status: 204, expectedErrors: [400, 404, 409], handler: (a) => remove(api(), a) },
    },
  };
}

function index(api: HostsApi, req: ApiRequest) {
  const params = validateQueryFor(req, req.query, INDEX_QUERY);
  api.compute.policy.authorize(authOf(req), `${RULE}list`, {});
  const host = lastParam(params, "host") ?? "";
  const binary = lastParam(params, "binary") ?? "";
  const list = api.services()
    .filter((s) => !API_SERVICES.includes(s.binary))
    .filter((s) => !host || s.host === host)
    .filter((s) => !binary || s.binary === binary);
  const forcedDown = isSupported(req, "2.11");
  return { services: list.map((s) => serviceDetail(api, req, s, forcedDown)) };
}

/** `_get_service_detail`. */
function serviceDetail(api: HostsApi, req: ApiRequest, s: ZonedService, forcedDown: boolean) {
  const detail: Record<string, unknown> = {
    binary: s.binary,
    host: s.host,
    id: isSupported(req, "2.53") ? s.uuid : s.id,
    zone: s.availability_zone,
    status: s.disabled ? "disabled" : "enabled",
    state: api.records.isUp(s) ? "up" : "down",
    updated_at: s.updated_at,
    disabled_reason: s.disabled_reason,
  };
  if (forcedDown) detail.forced_down = s.forced_down;
  return detail;
}

type Body = Record<string, unknown>;

/** Before 2.53: `PUT /os-services/{enable|disable|disable-log-reason|force-down}`. */
function updateV21(api: HostsApi, { req, params, body }: HandlerArgs) {
  validateBodyFor(req, body, UPDATE_SCHEMAS);
  api.compute.policy.authorize(authOf(req), `${RULE}update`, {});
  const b = body as Body;
  const actions: Record<string, () => Body> = {
    enable: () => enableDisable(api, b, "enabled", { disabled: false, disabled_reason: null }),
    disable: () => enableDisable(api, b, "disabled", { disabled: true, disabled_reason: null }),
    "disable-log-reason": () => {
      if (!("disabled_reason" in b)) throw new HttpError(400, "Missing disabled reason field");
      const reason = b.disabled_reason as string;
      return enableDisable(api, b, "disabled", { disabled: true, disabled_reason: reason });
    },
  };
  if (isSupported(req, "2.11")) actions["force-down"] = () => forcedDown(api, b);
  const action = actions[params.id];
  if (!action) throw new HttpError(404, "Unknown action");
  return action();
}

function enableDisable(api: HostsApi, b: Body, status: string, update: ServiceUpdate): Body {
  const service: Body = { host: b.host, binary: b.binary, status };
  if (update.disabled_reason) service.disabled_reason = update.disabled_reason;
  updateByHost(api, String(b.host), String(b.binary), update);
  return { service };
}

function forcedDown(api: HostsApi, b: Body): Body {
  if (!("forced_down" in b)) throw new HttpError(400, "Missing forced_down field");
  const down = strictBool(b.forced_down);
  const host = String(b.host);
  if (b.binary === "nova-compute" && !down) checkForEvacuations(api, host);
  updateByHost(api, host, String(b.binary), { forced_down: down });
  return { service: { host: b.host, binary: b.binary, forced_down: down } };
}

/** `_update`: only nova-compute services; the host must be a mapped compute host. */
function updateByHost(api: HostsApi, host: string, binary: string, update: ServiceUpdate) {
  if (binary !== "nova-compute") {
    throw new HttpError(
      400,
      `Updating a ${binary} service is not supported. Only nova-compute services can be updated.`,
    );
  }
  if (!api.records.computeService(host)) {
    throw new HttpError(404, `Host '${host}' is not mapped to any cell`);
  }
  const record = api.records.byHostAndBinary(host, binary);
  if (!record) throw new HttpError(404, `Could not find binary ${binary} on host ${host}.`);
  api.records.update(record.id, update);
}

/** `_check_for_evacuations`: `done` evacuations from the host block forcing it up. */
function checkForEvacuations(api: HostsApi, host: string): void {
  const done = listMigrations(api.compute.db, {
    source_compute: host,
    status: "done",
    migration_type: "evacuation",
  });
  if (done.length) {
    throw new HttpError(
      400,
      `Unable to force up host ${host} as \`done\` evacuation migration records remain ` +
        "associated with the host. Ensure the compute service has been restarted, allowing " +
        "these records to move to `completed` before retrying this request.",
    );
  }
}

/** From 2.53: `PUT /os-services/{uuid}` with status / disabled_reason / forced_down. */
function updateV253(api: HostsApi, { req, params, body }: HandlerArgs) {
  validateBodyFor(req, body, UPDATE_V253);
  if (!isUuidLike(params.id)) throw new HttpError(400, `Invalid uuid ${params.id}`);
  api.compute.policy.authorize(authOf(req), `${RULE}update`, {});
  const record = api.records.getByUuid(params.id);
  if (!record) throw new HttpError(404, `Service ${params.id} could not be found.`);
  if (record.binary !== "nova-compute") {
    throw new HttpError(
      400,
      `Updating a ${record.binary} service is not supported. Only nova-compute services can be updated.`,
    );
  }
  const update = changesOf(api, record, body as Body);
  api.records.update(record.id, update);
  const saved = api.zoned(api.records.get(record.id)!);
  return { service: serviceDetail(api, req, saved, true) };
}

/** What a 2.53 body changes; 400 when it changes nothing. */
function changesOf(api: HostsApi, record: ServiceRecord, b: Body): ServiceUpdate {
  const update: ServiceUpdate = {};
  if (b.status === "enabled") {
    if (b.disabled_reason) {
      throw new HttpError(400, "Specifying 'disabled_reason' with status 'enabled' is invalid.");
    }
    update.disabled = false;
    update.disabled_reason = null;
  } else if (b.status === "disabled") {
    update.disabled = true;
    update.disabled_reason = (b.disabled_reason as string | undefined) ?? null;
  }
  if ("forced_down" in b) {
    update.forced_down = strictBool(b.forced_down);
    if (!update.forced_down) checkForEvacuations(api, record.host);
  }
  // Object.obj_what_changed(): a field set to its current value is still a change.
  if (!Object.keys(update).length) {
    throw new HttpError(
      400,
      "No updates were requested. Fields 'status' or 'forced_down' should be specified.",
    );
  }
  return update;
}

/** `delete`: 204; 409 for a compute service still hosting servers or migrations. */
function remove(api: HostsApi, { req, params }: HandlerArgs) {
  api.compute.policy.authorize(authOf(req), `${RULE}delete`, {});
  const id = params.id;
  let record: ServiceRecord | null;
  if (isSupported(req, "2.53")) {
    if (!isUuidLike(id)) throw new HttpError(400, `Invalid uuid ${id}`);
    record = api.records.getByUuid(id);
  } else {
    record = api.records.get(validateInteger(id, "id"));
  }
  if (!record) throw new HttpError(404, `Service ${id} not found.`);
  api.compute.db.transaction(() => {
    if (record.binary === "nova-compute") releaseComputeHost(api, record);
    api.records.destroy(record);
  });
  return null;
}

/** The compute-service part of a delete: the checks, then out of its aggregates. */
function releaseComputeHost(api: HostsApi, record: ServiceRecord): void {
  if (api.countOn([record.host])) {
    throw new HttpError(
      409,
      "Unable to delete compute service that is hosting instances. Migrate or delete the instances first.",
    );
  }
  for (const node of api.computeNodes().filter((n) => n.host === record.host)) {
    if (inProgressOnNode(api.compute.db, node.host, node.hypervisor_hostname).length) {
      throw new HttpError(
        409,
        "Unable to delete compute service that has in-progress migrations. Complete the migrations or delete the instances first.",
      );
    }
  }
  for (const agg of api.aggregates.byHost(record.host)) {
    api.aggregates.removeHost(agg.id, record.host);
  }
}
