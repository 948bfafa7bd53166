/**
 * AssistedVolumeSnapshotsController (`/os-assisted-volume-snapshots`, for
 * the volume service): snapshots of volumes attached to a server, which
 * need the volume's block device mapping. A volume no server has attached
 * is refused as nova refuses it (400 "No volume Block Device Mapping with
 * id X."); otherwise the snapshot is handed to the server's compute.
 *
 * Mirrors nova/api/openstack/compute/assisted_volume_snapshots.py,
 * schemas/assisted_volume_snapshots.py and nova/compute/api.py
 * `volume_snapshot_create`, `volume_snapshot_delete`.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { Services } from "../../services.ts";
import {
  type ObjectSchema,
  parameterTypes as pt,
  validateBody,
  validateQueryFor,
} from "../../validation/mod.ts";
import { lastParam } from "../common.ts";
import { type ComputeService, computeService } from "../servers/service.ts";
import { checkInstanceHost, checkInstanceState } from "../servers/state_checks.ts";
import type { ControllerSpec } from "../wsgi.ts";

const RULE = "os_compute_api:os-assisted-volume-snapshots:";
const nonEmpty = { type: "string", minLength: 1 } as const;
const CREATE = {
  type: "object",
  properties: {
    snapshot: {
      type: "object",
      properties: {
        volume_id: nonEmpty,
        create_info: {
          type: "object",
          properties: {
            snapshot_id: nonEmpty,
            type: { type: "string", enum: ["qcow2"] },
            new_file: nonEmpty,
            id: nonEmpty,
          },
          required: ["snapshot_id", "type", "new_file"],
          additionalProperties: false,
        },
      },
      required: ["volume_id", "create_info"],
      additionalProperties: false,
    },
  },
  required: ["snapshot"],
  additionalProperties: false,
};
interface Snapshot {
  volume_id: string;
  create_info: { id?: string };
}

const DELETE_QUERY: ObjectSchema = {
  type: "object",
  properties: { delete_info: pt.multiParams({ type: "string" } as const) },
  additionalProperties: true,
};

/** Builds the controller. */
export function assistedVolumeSnapshotsController(services: Services): ControllerSpec {
  const svc = () => computeService(services);
  return {
    name: "AssistedVolumeSnapshotsController",
    methods: {
      create: {
        expectedErrors: [400],
        handler: ({ req, body }) => {
          validateBody(CREATE, body);
          services.policy.authorize(req.context!, `${RULE}create`, {});
          const snapshot = (body as { snapshot: Snapshot }).snapshot;
          checkAttached(svc(), snapshot.volume_id, "volume_snapshot_create");
          return {
            snapshot: { id: snapshot.create_info.id ?? null, volumeId: snapshot.volume_id },
          };
        },
      },
      delete: {
        status: 204,
        expectedErrors: [400, 404],
        handler: ({ req }) => {
          const params = validateQueryFor(req, req.query, [
            { schema: { ...DELETE_QUERY, additionalProperties: false }, min: "2.75" },
            { schema: DELETE_QUERY, min: "2.0", max: "2.74" },
          ]);
          services.policy.authorize(req.context!, `${RULE}delete`, {});
          const volumeId = deleteInfoVolume(lastParam(params, "delete_info"));
          checkAttached(svc(), volumeId, "volume_snapshot_delete");
          return null;
        },
      },
    },
  };
}

/** `jsonutils.loads(delete_info)['volume_id']`, with Python's texts for what fails. */
function deleteInfoVolume(raw: string | undefined): string {
  if (raw === undefined) throw new HttpError(400, "'delete_info'");
  let info: unknown;
  try {
    info = JSON.parse(raw);
  } catch {
    throw new HttpError(400, "Expecting value: line 1 column 1 (char 0)");
  }
  if (info === null || typeof info !== "object" || !("volume_id" in info)) {
    throw new HttpError(400, "'volume_id'");
  }
  return String((info as { volume_id: unknown }).volume_id);
}

/**
 * `BlockDeviceMapping.get_by_volume` and the checks of
 * `volume_snapshot_create/delete`: the volume's server must be on a host,
 * launched and idle (nova then casts the snapshot to its compute).
 *
 * @throws {HttpError} 400 VolumeBDMNotFound, InstanceNotReady or InstanceInvalidState
 */
function checkAttached(svc: ComputeService, volumeId: string, method: string): void {
  const row = svc.db.get<{ instance_uuid: string }>(
    "SELECT instance_uuid FROM block_device_mapping WHERE volume_id = ? AND deleted = 0",
    volumeId,
  );
  if (!row) throw new HttpError(400, `No volume Block Device Mapping with id ${volumeId}.`);
  const inst = svc.instances.require(row.instance_uuid);
  try {
    checkInstanceHost(inst);
    checkInstanceState(inst, { vmState: null }, method);
  } catch (err) {
    if (err instanceof Error && "code" in err) throw new HttpError(400, err.message);
    throw err;
  }
}
