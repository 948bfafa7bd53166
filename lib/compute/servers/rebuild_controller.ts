/**
 * The rebuild action: its schema per microversion (description 2.19,
 * key_name 2.54, user_data instead of personality 2.57, trusted image
 * certificates 2.63, hostname 2.90), the request turned into rebuild
 * arguments, nova's exception mapping, and the 202 answer: the server as
 * GET shows it from 2.75 (before: fewer attributes; key_name from 2.54),
 * plus `adminPass` and, from 2.57, `user_data`, with a `Location` header.
 *
 * Mirrors nova/api/openstack/compute/servers.py `_action_rebuild` and the
 * `rebuild*` schemas of schemas/servers.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import { parameterTypes as pt, type Schema, type VersionedSchema } from "../../validation/mod.ts";
import { ImageNotFound } from "../images/api.ts";
import { KeypairNotFound } from "../keypairs/api.ts";
import { Reply } from "../wsgi.ts";
import type { MethodSpec } from "../wsgi.ts";
import { type ActionArgs, actionSpec } from "./action_spec.ts";
import { authorize, getInstance, showOptionsFrom275, viewsOf } from "./controller_common.ts";
import {
  Forbidden,
  InstanceInvalidState,
  InstanceNotFound,
  NovaException,
  OverQuota,
} from "./errors.ts";
import { rebuild, type RebuildRequest } from "./rebuild.ts";
import type { ComputeService } from "./service.ts";
import { generatePassword } from "./util.ts";
import type { ShowOptions } from "./views.ts";

const TRUE = ["1", "t", "true", "on", "y", "yes"];

function schema(version: string): Schema {
  const at = (v: string) => {
    const [a, b] = version.split(".").map(Number);
    const [c, d] = v.split(".").map(Number);
    return a - c || b - d;
  };
  const p: Record<string, unknown> = {
    name: version === "2.0" ? pt.nameWithLeadingTrailingSpaces : pt.name,
    imageRef: pt.imageId,
    adminPass: pt.adminPassword,
    metadata: pt.metadata,
    preserve_ephemeral: pt.boolean,
    "OS-DCF:diskConfig": pt.diskConfig,
    accessIPv4: pt.accessIPv4,
    accessIPv6: pt.accessIPv6,
    personality: pt.personality,
  };
  if (at("2.19") >= 0) p.description = pt.description;
  if (at("2.54") >= 0) p.key_name = pt.nameOrNone;
  if (at("2.57") >= 0) {
    delete p.personality;
    p.user_data = {
      oneOf: [{ type: "string", format: "base64", maxLength: 65535 }, { type: "null" }],
    };
  }
  if (at("2.63") >= 0) p.trusted_image_certificates = pt.trustedCerts;
  if (at("2.90") >= 0) p.hostname = pt.hostname;
  return {
    type: "object",
    properties: {
      rebuild: {
        type: "object",
        properties: p,
        required: ["imageRef"],
        additionalProperties: false,
      },
    },
    required: ["rebuild"],
    additionalProperties: false,
  } as Schema;
}

const REBUILD_SCHEMAS: readonly VersionedSchema[] = [
  { schema: schema("2.0"), min: "2.0", max: "2.0" },
  { schema: schema("2.1"), min: "2.1", max: "2.18" },
  { schema: schema("2.19"), min: "2.19", max: "2.53" },
  { schema: schema("2.54"), min: "2.54", max: "2.56" },
  { schema: schema("2.57"), min: "2.57", max: "2.62" },
  { schema: schema("2.63"), min: "2.63", max: "2.89" },
  { schema: schema("2.90"), min: "2.90" },
];

/** The request as `compute_api.rebuild` arguments (`translate_attributes` and friends). */
function rebuildRequest(svc: ComputeService, a: ActionArgs): RebuildRequest {
  const d = a.body.rebuild as Record<string, unknown>;
  const at = (v: string) => a.req.apiVersion?.atLeast(v) ?? false;
  const has = (k: string) => Object.hasOwn(d, k);
  const disk = d["OS-DCF:diskConfig"];
  return {
    imageHref: String(d.imageRef),
    password: has("adminPass")
      ? String(d.adminPass)
      : generatePassword(svc.conf.DEFAULT.password_length),
    displayName: has("name") ? String(d.name).trim() : undefined,
    displayDescription: has("description") ? d.description as string | null : undefined,
    metadata: has("metadata") ? d.metadata as Record<string, string> : undefined,
    accessIpV4: has("accessIPv4") ? d.accessIPv4 as string | null : undefined,
    accessIpV6: has("accessIPv6") ? d.accessIPv6 as string | null : undefined,
    autoDiskConfig: disk === undefined || disk === null ? undefined : disk === "AUTO",
    preserveEphemeral: has("preserve_ephemeral")
      ? TRUE.includes(String(d.preserve_ephemeral).toLowerCase())
      : undefined,
    files: has("personality")
      ? (d.personality as { path: string; contents: string }[]).map((f) => [f.path, f.contents])
      : undefined,
    keyName: at("2.54") && has("key_name") ? d.key_name as string | null : undefined,
    userData: at("2.57") && has("user_data") ? d.user_data as string | null : undefined,
    trustedCerts: at("2.63") && has("trusted_image_certificates")
      ? d.trusted_image_certificates as string[] | null
      : undefined,
    hostname: at("2.90") && has("hostname") ? String(d.hostname) : undefined,
    reimageBootVolume: at("2.93"),
  };
}

/** `_action_rebuild`'s `except` clauses. */
function rebuildErrors(err: unknown): HttpError | null {
  if (err instanceof InstanceNotFound) return new HttpError(404, "Instance could not be found");
  if (err instanceof ImageNotFound) return new HttpError(400, "Cannot find image for rebuild");
  if (err instanceof KeypairNotFound) return new HttpError(400, "Invalid key_name provided.");
  if (err instanceof OverQuota || err instanceof Forbidden) return new HttpError(403, err.message);
  if (err instanceof InstanceInvalidState) return null;
  if (err instanceof NovaException && err.code === 400) return new HttpError(400, err.message);
  return null;
}

/** The 202 answer: the rebuilt server's view, adminPass, user_data, Location. */
function rebuildReply(svc: ComputeService, a: ActionArgs, password: string): Reply {
  const inst = getInstance(svc, a.ctx, a.inst.uuid);
  const views = viewsOf(svc, a.req);
  const options: ShowOptions = {
    ...showOptionsFrom275(views),
    showKeypair: views.at("2.54"),
    showUserData: false,
  };
  const server = views.show(inst, options);
  if (svc.conf.api.enable_instance_password) server.adminPass = password;
  if (views.at("2.57")) server.user_data = inst.user_data;
  const self = views.serverLinks(inst.uuid)[0].href;
  return new Reply({ server }, undefined, [["Location", self]]);
}

/** The rebuild action. */
export function rebuildActions(svc: ComputeService): Record<string, MethodSpec> {
  return {
    rebuild: actionSpec(svc, {
      expectedErrors: [400, 403, 404, 409],
      schemas: REBUILD_SCHEMAS,
      rule: "os_compute_api:servers:rebuild",
      withUser: true,
      conflictName: "rebuild",
      errors: rebuildErrors,
      run: (a) => {
        const request = rebuildRequest(svc, a);
        if (request.trustedCerts !== undefined) {
          authorize(svc, a.ctx, "os_compute_api:servers:rebuild:trusted_certs", a.inst, true);
        }
        rebuild(svc, a.ctx, a.inst, request);
        return rebuildReply(svc, a, request.password);
      },
    }),
  };
}
