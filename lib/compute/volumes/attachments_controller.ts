/**
 * VolumeAttachmentController (`/servers/{id}/os-volume_attachments`): the
 * volumes a server's block device mappings name (2.70 tag, 2.79
 * delete_on_termination, 2.89 attachment_id and bdm_uuid instead of id),
 * and attach, swap/update and detach answered as nova answers with a
 * volume service that has no such volume ("Volume X could not be found.")
 * after its lock and state checks.
 *
 * Mirrors nova/api/openstack/compute/volumes.py `VolumeAttachmentController`,
 * schemas/volumes.py and nova/compute/api.py `attach_volume`, `detach_volume`.
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
  validateBodyFor,
  validateQueryFor,
  type VersionedSchema,
} from "../../validation/mod.ts";
import { intParam, isSupported } from "../common.ts";
import { strictBool } from "../admin/common.ts";
import { authorize, ctxOf, getInstance, runAction } from "../servers/controller_common.ts";
import { InstanceInvalidState } from "../servers/errors.ts";
import type { Instance } from "../servers/instance.ts";
import { type ComputeService, computeService } from "../servers/service.ts";
import { checkInstanceLock, checkInstanceState } from "../servers/state_checks.ts";
import { VM } from "../servers/states.ts";
import type { ControllerSpec, HandlerArgs } from "../wsgi.ts";
import { volumeNotFound } from "./volumes_controller.ts";

const RULE = "os_compute_api:os-volumes-attachments:";
const DEVICE = {
  type: ["string", "null"],
  pattern: "(^/dev/x{0,1}[a-z]{0,1}d{0,1})([a-z]+)[0-9]*$",
};
const VOLUME_STATES = [
  VM.ACTIVE,
  VM.PAUSED,
  VM.STOPPED,
  VM.RESIZED,
  VM.SOFT_DELETED,
  VM.SHELVED,
  VM.SHELVED_OFFLOADED,
];

const body = (props: Record<string, unknown>) => ({
  type: "object",
  properties: {
    volumeAttachment: {
      type: "object",
      properties: props,
      required: ["volumeId"],
      additionalProperties: false,
    },
  },
  required: ["volumeAttachment"],
  additionalProperties: false,
});
const CREATE: VersionedSchema[] = [
  { schema: body({ volumeId: pt.volumeId, device: DEVICE }), min: "2.0", max: "2.48" },
  {
    schema: body({ volumeId: pt.volumeId, device: DEVICE, tag: pt.tag }),
    min: "2.49",
    max: "2.78",
  },
  {
    schema: body({
      volumeId: pt.volumeId,
      device: DEVICE,
      tag: pt.tag,
      delete_on_termination: pt.boolean,
    }),
    min: "2.79",
  },
];
const UPDATE: VersionedSchema[] = [
  { schema: body({ volumeId: pt.volumeId }), min: "2.0", max: "2.84" },
  {
    schema: body({
      volumeId: pt.volumeId,
      device: DEVICE,
      tag: pt.tag,
      delete_on_termination: pt.boolean,
      serverId: pt.serverId,
      id: pt.attachmentId,
    }),
    min: "2.85",
  },
];
const INDEX_QUERY: ObjectSchema = {
  type: "object",
  properties: {
    limit: pt.multiParams(pt.nonNegativeInteger),
    offset: pt.multiParams(pt.nonNegativeInteger),
  },
  additionalProperties: true,
};

/** A volume block device mapping of the server. */
interface BdmRow {
  id: number;
  uuid: string;
  volume_id: string;
  instance_uuid: string;
  device_name: string | null;
  tag: string | null;
  delete_on_termination: number;
  boot_index: number | null;
}

/** Builds the controller. */
export function volumeAttachmentController(services: Services): ControllerSpec {
  const svc = () => computeService(services);
  return {
    name: "VolumeAttachmentController",
    methods: {
      index: { expectedErrors: [404], handler: (a) => index(svc(), a) },
      show: { expectedErrors: [404], handler: (a) => show(svc(), a) },
      create: { expectedErrors: [400, 403, 404, 409], handler: (a) => create(svc(), a) },
      update: { status: 202, expectedErrors: [400, 404, 409], handler: (a) => update(svc(), a) },
      delete: {
        status: 202,
        expectedErrors: [400, 403, 404, 409],
        handler: (a) => remove(svc(), a),
      },
    },
  };
}

function bdms(svc: ComputeService, uuid: string): BdmRow[] {
  return svc.db.all<BdmRow>(
    `SELECT * FROM block_device_mapping WHERE instance_uuid = ? AND deleted = 0
       AND volume_id IS NOT NULL ORDER BY id`,
    uuid,
  );
}

/** `_translate_attachment_detail_view`. */
function view(req: ApiRequest, b: BdmRow): Record<string, unknown> {
  const uuids = isSupported(req, "2.89");
  const out: Record<string, unknown> = {};
  if (!uuids) out.id = b.volume_id;
  out.volumeId = b.volume_id;
  out.serverId = b.instance_uuid;
  if (b.device_name) out.device = b.device_name;
  if (isSupported(req, "2.70")) out.tag = b.tag;
  if (isSupported(req, "2.79")) out.delete_on_termination = Boolean(b.delete_on_termination);
  if (uuids) {
    out.attachment_id = null;
    out.bdm_uuid = b.uuid;
  }
  return out;
}

function load(svc: ComputeService, a: HandlerArgs, rule: string) {
  const ctx = ctxOf(a.req);
  const inst = getInstance(svc, ctx, a.params.server_id);
  authorize(svc, ctx, RULE + rule, inst);
  return { ctx, inst };
}

function index(svc: ComputeService, a: HandlerArgs) {
  const schemas = [
    { schema: { ...INDEX_QUERY, additionalProperties: false }, min: "2.75" },
    { schema: INDEX_QUERY, min: "2.0", max: "2.74" },
  ];
  validateQueryFor(a.req, a.req.query, schemas);
  const { inst } = load(svc, a, "index");
  const params = dictOfLists(parseQueryString(a.req.query));
  const offset = intParam(params, "offset") ?? 0;
  const max = svc.conf.api.max_limit;
  const limit = Math.min(max, intParam(params, "limit") || max);
  intParam(params, "page_size");
  const page = bdms(svc, inst.uuid).slice(offset, offset + limit);
  return { volumeAttachments: page.map((b) => view(a.req, b)) };
}

function show(svc: ComputeService, a: HandlerArgs) {
  const { inst } = load(svc, a, "show");
  const b = bdms(svc, inst.uuid).find((x) => x.volume_id === a.params.id);
  if (!b) {
    throw new HttpError(
      404,
      `Instance ${a.params.server_id} is not attached to volume ${a.params.id}`,
    );
  }
  return { volumeAttachment: view(a.req, b) };
}

/** `_check_request_version`: shelved servers take volume changes from 2.20. */
function checkShelved(a: HandlerArgs, inst: Instance, method: string): void {
  if (![VM.SHELVED, VM.SHELVED_OFFLOADED].includes(inst.vm_state as typeof VM.SHELVED)) return;
  if (isSupported(a.req, "2.20")) return;
  runAction(method, a.params.server_id, () => {
    throw new InstanceInvalidState(a.params.server_id, "vm_state", inst.vm_state, method);
  });
}

function create(svc: ComputeService, a: HandlerArgs): never {
  validateBodyFor(a.req, a.body, CREATE);
  const { ctx, inst } = load(svc, a, "create");
  checkShelved(a, inst, "attach_volume");
  runAction("attach_volume", a.params.server_id, () => {
    checkInstanceLock(inst, ctx.auth.isAdmin);
    checkInstanceState(inst, { vmState: VOLUME_STATES }, "attach_volume");
  });
  const volumeId = (a.body as { volumeAttachment: { volumeId: string } }).volumeAttachment.volumeId;
  throw volumeNotFound(volumeId);
}

function update(svc: ComputeService, a: HandlerArgs) {
  validateBodyFor(a.req, a.body, UPDATE);
  const ctx = ctxOf(a.req);
  const inst = getInstance(svc, ctx, a.params.server_id);
  const att = (a.body as { volumeAttachment: Record<string, unknown> }).volumeAttachment;
  const onlySwap = !isSupported(a.req, "2.85");
  const swap = onlySwap || a.params.id !== att.volumeId;
  svc.policy.authorize(
    ctx.auth,
    RULE + (swap ? "swap" : "update"),
    swap ? {} : {
      project_id: inst.project_id,
    },
  );
  if (!onlySwap) updateRegular(svc, inst, a.params.id, att);
  // `_update_volume_swap`: the old volume is looked up first.
  if (swap) throw volumeNotFound(a.params.id);
  return null;
}

/** `_update_volume_regular`: only delete_on_termination may change. */
function updateRegular(
  svc: ComputeService,
  inst: Instance,
  id: string,
  att: Record<string, unknown>,
) {
  const b = bdms(svc, inst.uuid).find((x) => x.volume_id === id);
  if (!b) throw new HttpError(404, `No volume Block Device Mapping with id ${id}.`);
  const immutable: [string, unknown][] = [
    ["id", id],
    ["serverId", inst.uuid],
    ["device", b.device_name],
    ["tag", b.tag],
  ];
  for (const [key, current] of immutable) {
    if (key in att && att[key] !== current) {
      throw new HttpError(400, `The ${key} property is not mutable`);
    }
  }
  if ("delete_on_termination" in att) {
    svc.db.transaction(() =>
      svc.db.run(
        "UPDATE block_device_mapping SET delete_on_termination = ? WHERE id = ?",
        strictBool(att.delete_on_termination) ? 1 : 0,
        b.id,
      )
    );
  }
}

function remove(svc: ComputeService, a: HandlerArgs): never {
  const { inst } = load(svc, a, "delete");
  checkShelved(a, inst, "detach_volume");
  throw volumeNotFound(a.params.id);
}
