/**
 * The createImage and createBackup actions: the image metadata quota up to
 * 2.38, the volume-backed policy, and the 202 answer — a bare webob
 * response with a `Location` header before 2.45, `{"image_id": ...}` from
 * 2.45.
 *
 * Mirrors nova/api/openstack/compute/servers.py `_action_create_image` and
 * create_backup.py `_create_backup`, with their schemas.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest } from "../../request.ts";
import { ApiResponse } from "../../response.ts";
import type { Services } from "../../services.ts";
import { parameterTypes as pt, type Schema, type VersionedSchema } from "../../validation/mod.ts";
import { glanceUrl } from "../images/glance_url.ts";
import { urlJoin } from "../links.ts";
import type { MethodSpec } from "../wsgi.ts";
import { type ActionArgs, actionSpec } from "./action_spec.ts";
import { authorize } from "./controller_common.ts";
import { InstanceInvalidState, Invalid, OverQuota } from "./errors.ts";
import { InvalidRequest } from "./errors_actions.ts";
import { checkImageMetadata } from "./quota.ts";
import type { ComputeService } from "./service.ts";
import { backup, isVolumeBacked, snapshot } from "./snapshot.ts";
import { snapshotVolumeBacked } from "./snapshot_volume.ts";

function bodySchema(key: string, entity: Record<string, unknown>, required: string[]): Schema {
  return {
    type: "object",
    properties: {
      [key]: { type: "object", properties: entity, required, additionalProperties: false },
    },
    required: [key],
    additionalProperties: false,
  } as Schema;
}

const CREATE_IMAGE: readonly VersionedSchema[] = [
  {
    schema: bodySchema("createImage", {
      name: pt.nameWithLeadingTrailingSpaces,
      metadata: pt.metadata,
    }, ["name"]),
    min: "2.0",
    max: "2.0",
  },
  { schema: bodySchema("createImage", { name: pt.name, metadata: pt.metadata }, ["name"]) },
];

const BACKUP_ENTITY = {
  name: pt.name,
  backup_type: { type: "string" },
  rotation: pt.nonNegativeInteger,
  metadata: pt.metadata,
};
const CREATE_BACKUP: readonly VersionedSchema[] = [
  {
    schema: bodySchema("createBackup", {
      ...BACKUP_ENTITY,
      name: pt.nameWithLeadingTrailingSpaces,
    }, ["name", "backup_type", "rotation"]),
    min: "2.0",
    max: "2.0",
  },
  {
    schema: bodySchema("createBackup", BACKUP_ENTITY, ["name", "backup_type", "rotation"]),
    min: "2.1",
  },
];

/** `common.check_img_metadata_properties_quota` (up to 2.38, `MAX_IMAGE_META_PROXY_API_VERSION`). */
function checkImageMetadataQuota(svc: ComputeService, a: ActionArgs, meta: Record<string, string>) {
  if (a.req.apiVersion?.atLeast("2.39")) return;
  checkImageMetadata(svc, a.ctx, meta);
}

/** webob.Response(status_int=202) with a Location: text/html, no body. */
function located(location: string | null): ApiResponse {
  const headers: [string, string][] = [
    ["Content-Type", "text/html; charset=UTF-8"],
    ["Content-Length", "0"],
  ];
  if (location) headers.push(["Location", location]);
  return new ApiResponse(202, headers, "");
}

function imageUrl(svc: ComputeService, req: ApiRequest, id: string): string {
  // glance_url.ts reads only the configuration of the services.
  return `${glanceUrl({ conf: svc.conf } as unknown as Services, req)}/images/${id}`;
}

/** `except InstanceInvalidState` (409, below) before `except Invalid` (400). */
function invalidAs400(err: unknown): HttpError | null {
  if (err instanceof OverQuota) return new HttpError(403, err.message);
  if (err instanceof InstanceInvalidState) return null;
  return err instanceof Invalid ? new HttpError(400, err.message) : null;
}

/** createImage and createBackup. */
export function snapshotActions(svc: ComputeService): Record<string, MethodSpec> {
  return {
    createImage: actionSpec(svc, {
      expectedErrors: [400, 403, 404, 409],
      schemas: CREATE_IMAGE,
      rule: "os_compute_api:servers:create_image",
      conflictName: "createImage",
      errors: invalidAs400,
      run: async (a) => {
        const entity = a.body.createImage;
        const name = String(entity.name).trim();
        const metadata = (entity.metadata ?? {}) as Record<string, string>;
        checkImageMetadataQuota(svc, a, metadata);
        let image;
        if (isVolumeBacked(svc, a.inst)) {
          authorize(svc, a.ctx, "os_compute_api:servers:create_image:allow_volume_backed", a.inst);
          image = await snapshotVolumeBacked(svc, a.ctx, a.inst, name, metadata);
        } else {
          image = snapshot(svc, a.ctx, a.inst, name, metadata);
        }
        if (a.req.apiVersion?.atLeast("2.45")) return { image_id: image.id };
        return located(imageUrl(svc, a.req, image.id));
      },
    }),
    createBackup: actionSpec(svc, {
      expectedErrors: [400, 403, 404, 409],
      schemas: CREATE_BACKUP,
      rule: "os_compute_api:os-create-backup",
      conflictName: "createBackup",
      errors: (err) => err instanceof InvalidRequest ? new HttpError(400, err.message) : null,
      run: (a) => {
        const entity = a.body.createBackup;
        const rotation = Number(entity.rotation);
        const metadata = (entity.metadata ?? {}) as Record<string, string>;
        checkImageMetadataQuota(svc, a, metadata);
        const image = backup(
          svc,
          a.ctx,
          a.inst,
          String(entity.name).trim(),
          String(entity.backup_type),
          rotation,
          metadata,
        );
        if (a.req.apiVersion?.atLeast("2.45")) return { image_id: image.id };
        return located(
          rotation > 0 ? urlJoin(a.req.applicationUrl, "images", image.id) : null,
        );
      },
    }),
  };
}
