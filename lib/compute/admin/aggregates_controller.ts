/**
 * AggregateController (`/os-aggregates`): host aggregates — list, create
 * (name, optional zone; 200 without hosts and metadata), show, update,
 * delete (only empty ones), the add_host / remove_host / set_metadata
 * actions with nova's zone checks, 2.41 uuids, and the 2.81 image
 * pre-caching request (accepted; the fake driver has no image cache).
 *
 * Mirrors nova/api/openstack/compute/aggregates.py and nova/compute/api.py
 * `AggregateAPI` (`is_safe_to_update_az`, `add_host_to_aggregate`, ...).
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest } from "../../request.ts";
import type { Services } from "../../services.ts";
import { utcnow } from "../../store/timestamps.ts";
import { validateBody, validateBodyFor } from "../../validation/mod.ts";
import { isSupported } from "../common.ts";
import { type HostsApi, hostsApi } from "../hosts/api.ts";
import type { Aggregate } from "../hosts/aggregates_store.ts";
import { NovaException } from "../servers/errors.ts";
import type { ControllerSpec, HandlerArgs, MethodSpec } from "../wsgi.ts";
import { checkZoneChange, type ZoneAction } from "./aggregates_zones.ts";
import {
  ADD_HOST,
  CREATE_SCHEMAS,
  IMAGES,
  REMOVE_HOST,
  SET_METADATA,
  UPDATE_SCHEMAS,
} from "./aggregates_schemas.ts";
import { authOf, validateInteger } from "./common.ts";

const RULE = "os_compute_api:os-aggregates:";
type Body = Record<string, Record<string, unknown>>;

/** Builds the controller. */
export function aggregatesController(services: Services): ControllerSpec {
  const api = () => hostsApi(services);
  const action = (
    fn: (api: HostsApi, a: HandlerArgs) => unknown,
    errors: number[],
  ): MethodSpec => ({
    expectedErrors: errors,
    handler: (a) => nova(() => fn(api(), a)) as Record<string, unknown>,
  });
  return {
    name: "AggregateController",
    methods: {
      index: action((x, { req }) => index(x, req), []),
      create: action(create, [400, 409]),
      show: action(show, [400, 404]),
      update: action(update, [400, 404, 409]),
      delete: action(remove, [400, 404]),
      images: {
        status: 202,
        expectedErrors: [400, 404],
        handler: [{ min: "2.81", handler: (a) => nova(() => images(api(), a)) as null }],
      },
    },
    actions: {
      add_host: action(addHost, [400, 404, 409]),
      remove_host: action(removeHost, [400, 404, 409]),
      set_metadata: action(setMetadata, [400, 404]),
    },
  };
}

/** Turns the nova exceptions of the aggregate API into HTTP errors with their codes. */
function nova<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof NovaException && err.code < 500) throw new HttpError(err.code, err.message);
    throw err;
  }
}

/** `_marshall_aggregate`: nova's fields in order, uuid from 2.41. */
function marshall(req: ApiRequest, agg: Aggregate, updatedAt?: string) {
  const out: Record<string, unknown> = { id: agg.id };
  if (isSupported(req, "2.41")) out.uuid = agg.uuid;
  Object.assign(out, {
    name: agg.name,
    hosts: agg.hosts,
    metadata: agg.metadata,
    created_at: agg.created_at,
    updated_at: updatedAt ?? agg.updated_at,
    deleted_at: null,
    deleted: false,
    availability_zone: agg.metadata.availability_zone ?? null,
  });
  return { aggregate: out };
}

function can(api: HostsApi, req: ApiRequest, rule: string): void {
  api.compute.policy.authorize(authOf(req), RULE + rule, {});
}

function index(api: HostsApi, req: ApiRequest) {
  can(api, req, "index");
  return { aggregates: api.aggregates.list().map((a) => marshall(req, a).aggregate) };
}

function create(api: HostsApi, { req, body }: HandlerArgs) {
  validateBodyFor(req, body, CREATE_SCHEMAS);
  can(api, req, "create");
  const given = (body as Body).aggregate;
  const name = String(given.name).trim();
  const az = given.availability_zone ? String(given.availability_zone).trim() : null;
  const agg = api.compute.db.transaction(() =>
    api.aggregates.create(name, az ? { availability_zone: az } : {})
  );
  const out = marshall(req, agg).aggregate;
  delete out.hosts;
  delete out.metadata;
  return { aggregate: out };
}

function show(api: HostsApi, { req, params }: HandlerArgs) {
  can(api, req, "show");
  return marshall(req, api.aggregates.get(validateInteger(params.id, "id")));
}

/** `update_aggregate`: the name is saved, a zone goes through the metadata. */
function update(api: HostsApi, { req, params, body }: HandlerArgs) {
  validateBodyFor(req, body, UPDATE_SCHEMAS);
  can(api, req, "update");
  const updates = { ...(body as Body).aggregate };
  const id = validateInteger(params.id, "id");
  return api.compute.db.transaction(() => {
    let agg = api.aggregates.get(id);
    if ("name" in updates) {
      api.aggregates.rename(id, String(updates.name).trim());
      delete updates.name;
      agg = api.aggregates.get(id);
    }
    const values = updates as Record<string, string | null>;
    checkZoneChange(api, values, agg, { action: "update", checkInstances: true });
    if (!Object.keys(values).length) return marshall(req, agg);
    api.aggregates.updateMetadata(id, values);
    // NOTE(parity): updated_at is set on the object only, not saved.
    return marshall(req, api.aggregates.get(id), utcnow());
  });
}

function remove(api: HostsApi, { req, params }: HandlerArgs) {
  can(api, req, "delete");
  const id = validateInteger(params.id, "id");
  api.compute.db.transaction(() => {
    const agg = api.aggregates.get(id);
    if (agg.hosts.length) {
      throw new HttpError(
        400,
        `Cannot remove host from aggregate ${id}. Reason: Host aggregate is not empty.`,
      );
    }
    api.aggregates.destroy(id);
  });
  return null;
}

function addHost(api: HostsApi, { req, params, body }: HandlerArgs) {
  validateBody(ADD_HOST, body);
  const host = String((body as Body).add_host.host);
  can(api, req, "add_host");
  const id = validateInteger(params.id, "id");
  return api.compute.db.transaction(() => {
    if (!api.records.computeService(host)) {
      throw new HttpError(404, `Compute host ${host} could not be found.`);
    }
    const agg = api.aggregates.get(id);
    try {
      checkZoneChange(api, agg.metadata, agg, { action: "add", hosts: [host] });
    } catch (err) {
      // add_host answers InvalidAggregateAction with 409, not 400.
      if (err instanceof HttpError) throw new HttpError(409, err.explanation);
      throw err;
    }
    api.aggregates.addHost(id, host);
    return marshall(req, api.aggregates.get(id));
  });
}

function removeHost(api: HostsApi, { req, params, body }: HandlerArgs) {
  validateBody(REMOVE_HOST, body);
  const host = String((body as Body).remove_host.host);
  can(api, req, "remove_host");
  const id = validateInteger(params.id, "id");
  return api.compute.db.transaction(() => {
    try {
      if (!api.records.computeService(host)) throw new HttpError(404);
      api.aggregates.removeHost(api.aggregates.get(id).id, host);
    } catch (err) {
      if (!(err instanceof HttpError) && !(err instanceof NovaException)) throw err;
      throw new HttpError(404, `Cannot remove host ${host} in aggregate ${params.id}`);
    }
    return marshall(req, api.aggregates.get(id));
  });
}

function setMetadata(api: HostsApi, { req, params, body }: HandlerArgs) {
  validateBody(SET_METADATA, body);
  can(api, req, "set_metadata");
  const id = validateInteger(params.id, "id");
  const metadata = (body as Body).set_metadata.metadata as Record<string, string | null>;
  return api.compute.db.transaction(() => {
    const agg = api.aggregates.get(id);
    const action: ZoneAction = "update_meta";
    checkZoneChange(api, metadata, agg, { action, checkInstances: true });
    api.aggregates.updateMetadata(id, metadata);
    return marshall(req, api.aggregates.get(id), utcnow());
  });
}

/** 2.81 `images`: the request is cast to the aggregate's computes (202). */
function images(api: HostsApi, { req, params, body }: HandlerArgs) {
  validateBody(IMAGES, body);
  api.compute.policy.authorize(authOf(req), "compute:aggregates:images", {});
  const id = validateInteger(params.id, "id");
  const ids = (body as { cache: { id: string }[] }).cache.map((c) => c.id);
  if (new Set(ids).size !== ids.length) throw new HttpError(400, "Duplicate images in request");
  api.aggregates.get(id);
  return null;
}
