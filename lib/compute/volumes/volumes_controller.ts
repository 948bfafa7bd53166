/**
 * The volume proxy APIs (to 2.35), `/os-volumes` and `/os-snapshots`,
 * answered as nova answers with a volume service that holds no volumes:
 * empty lists, "could not be found" for any id, and no room to create a
 * volume (novalet's built-in volume service has no storage: its volume
 * quota is 0). A snapshot of an unknown volume is a 404 (nova's
 * controller does not expect the VolumeNotFound it gets: a 500 there).
 *
 * Mirrors nova/api/openstack/compute/volumes.py (`VolumeController`,
 * `SnapshotController`), schemas/volumes.py and nova/volume/cinder.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest } from "../../request.ts";
import type { Services } from "../../services.ts";
import {
  dictOfLists,
  type ObjectSchema,
  parameterTypes as pt,
  parseQueryString,
  validateBody,
  validateQueryFor,
} from "../../validation/mod.ts";
import { intParam } from "../common.ts";
import type { ControllerSpec, Handler, MethodSpec } from "../wsgi.ts";

const PROXY_MAX = "2.35";
const RULE = "os_compute_api:os-volumes:";

const LIST_QUERY: ObjectSchema = {
  type: "object",
  properties: {
    limit: pt.multiParams(pt.nonNegativeInteger),
    offset: pt.multiParams(pt.nonNegativeInteger),
  },
  additionalProperties: true,
};

const CREATE = {
  type: "object",
  properties: {
    volume: {
      type: "object",
      properties: {
        volume_type: { type: "string" },
        metadata: { type: "object" },
        snapshot_id: { type: "string" },
        size: { type: ["integer", "string"], pattern: "^[0-9]+$", minimum: 1 },
        availability_zone: { type: "string" },
        display_name: { type: "string" },
        display_description: { type: "string" },
      },
      required: ["size"],
      additionalProperties: false,
    },
  },
  required: ["volume"],
  additionalProperties: false,
};

const SNAPSHOT_CREATE = {
  type: "object",
  properties: {
    snapshot: {
      type: "object",
      properties: {
        volume_id: { type: "string" },
        force: pt.boolean,
        display_name: { type: "string" },
        display_description: { type: "string" },
      },
      required: ["volume_id"],
      additionalProperties: false,
    },
  },
  required: ["snapshot"],
  additionalProperties: false,
};

function proxy(handler: Handler, expectedErrors: number[], status?: number): MethodSpec {
  return { handler: [{ min: "2.1", max: PROXY_MAX, handler }], expectedErrors, status };
}

function can(services: Services, req: ApiRequest, rule: string): void {
  const ctx = req.context!;
  services.policy.authorize(ctx, RULE + rule, { project_id: ctx.projectId });
}

/** `common.limited`'s parameter checks (`limit`, `page_size`, `offset`). */
export function checkLimited(req: ApiRequest): void {
  const params = dictOfLists(parseQueryString(req.query));
  for (const name of ["limit", "page_size", "offset"]) intParam(params, name);
}

/** `cinder.API.get`'s VolumeNotFound. */
export function volumeNotFound(id: string): HttpError {
  return new HttpError(404, `Volume ${id} could not be found.`);
}

function snapshotNotFound(id: string): HttpError {
  return new HttpError(404, `Snapshot ${id} could not be found.`);
}

/** VolumeController. */
export function volumeController(services: Services): ControllerSpec {
  const list = (rule: string): Handler => ({ req }) => {
    validateQueryFor(req, req.query, [{ schema: LIST_QUERY }]);
    can(services, req, rule);
    checkLimited(req);
    return { volumes: [] };
  };
  return {
    name: "VolumeController",
    methods: {
      index: proxy(list("list"), []),
      detail: proxy(list("detail"), []),
      show: proxy(({ req, params }) => {
        can(services, req, "show");
        throw volumeNotFound(params.id);
      }, [404]),
      delete: proxy(
        ({ req, params }) => {
          can(services, req, "delete");
          throw volumeNotFound(params.id);
        },
        [400, 404],
        202,
      ),
      create: proxy(({ req, body }) => {
        validateBody(CREATE, body);
        can(services, req, "create");
        const snapshotId = (body as { volume: { snapshot_id?: string } }).volume.snapshot_id;
        if (snapshotId !== undefined) throw snapshotNotFound(snapshotId);
        // NOTE(parity): cinder's OverLimit, as a volume service without storage answers.
        throw new HttpError(403, "Quota exceeded for resources: volumes");
      }, [400, 403, 404]),
    },
  };
}

/** SnapshotController. */
export function snapshotController(services: Services): ControllerSpec {
  const list = (rule: string): Handler => ({ req }) => {
    validateQueryFor(req, req.query, [{ schema: LIST_QUERY }]);
    can(services, req, `snapshots:${rule}`);
    checkLimited(req);
    return { snapshots: [] };
  };
  return {
    name: "SnapshotController",
    methods: {
      index: proxy(list("list"), []),
      detail: proxy(list("detail"), []),
      show: proxy(({ req, params }) => {
        can(services, req, "snapshots:show");
        throw snapshotNotFound(params.id);
      }, [404]),
      delete: proxy(
        ({ req, params }) => {
          can(services, req, "snapshots:delete");
          throw snapshotNotFound(params.id);
        },
        [404],
        202,
      ),
      create: proxy(({ req, body }) => {
        validateBody(SNAPSHOT_CREATE, body);
        can(services, req, "snapshots:create");
        // nova answers 500 here: cinder's 404 for the unknown volume becomes
        // a VolumeNotFound its controller does not expect (expected_errors
        // 400, 403). novalet answers the 404 a correct nova would.
        const volumeId = (body as { snapshot: { volume_id: string } }).snapshot.volume_id;
        throw volumeNotFound(volumeId);
      }, [400, 403]),
    },
  };
}
