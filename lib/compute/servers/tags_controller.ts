/**
 * ServerTagsController (2.26): list, replace, add, check, delete one and
 * delete all tags of a server. Tags are at most 60 characters without `,`
 * and `/`, at most 50 per server; changing them needs the server in
 * ACTIVE, PAUSED, SUSPENDED or SHUTOFF.
 *
 * As in nova, the server is found through its instance mapping (any
 * project: another project's server is a policy 403, an unknown one
 * "has no mapping to a cell"), then read within the caller's project.
 *
 * Mirrors nova/api/openstack/compute/server_tags.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import { ApiResponse } from "../../response.ts";
import {
  compileSchema,
  isUuidLike,
  parameterTypes as pt,
  validateBodyFor,
} from "../../validation/mod.ts";
import type { ControllerSpec, HandlerArgs } from "../wsgi.ts";
import type { RequestContext } from "./context.ts";
import { ctxOf, getInstance, viewsOf } from "./controller_common.ts";
import { InstanceInvalidState } from "./errors.ts";
import type { Instance } from "./instance.ts";
import { TAG_SCHEMA, TAGS_SCHEMA } from "./schemas_misc.ts";
import type { ComputeService } from "./service.ts";
import { conflictForInvalidState } from "./state_checks.ts";
import { VM } from "./states.ts";

const RULE = "os_compute_api:os-server-tags:";
const MAX_TAG_COUNT = 50;
const VALID_STATES: readonly string[] = [VM.ACTIVE, VM.PAUSED, VM.SUSPENDED, VM.STOPPED];
const checkTag = compileSchema(pt.tag);

/** Builds the controller. */
export function serverTagsController(svc: ComputeService): ControllerSpec {
  const v = (handler: (a: HandlerArgs) => unknown, status?: number) => [
    { min: "2.26", handler: handler as never, status },
  ];
  return {
    name: "ServerTagsController",
    methods: {
      index: { expectedErrors: [404], handler: v((a) => ({ tags: tagsOf(svc, a, "index") })) },
      show: { status: 204, expectedErrors: [404], handler: v((a) => show(svc, a)) },
      update: { expectedErrors: [400, 404, 409], handler: v((a) => update(svc, a)) },
      update_all: { expectedErrors: [404, 409], handler: v((a) => updateAll(svc, a)) },
      delete: { status: 204, expectedErrors: [404, 409], handler: v((a) => remove(svc, a)) },
      delete_all: { status: 204, expectedErrors: [404, 409], handler: v((a) => removeAll(svc, a)) },
    },
  };
}

/** `_get_instance_mapping` + the policy check on the mapped project. */
function mapped(svc: ComputeService, a: HandlerArgs, action: string): RequestContext {
  const ctx = ctxOf(a.req);
  const id = a.params.server_id;
  const inst = isUuidLike(id) ? svc.instances.get(id, true) : null;
  if (!inst) throw new HttpError(404, `Instance ${id} has no mapping to a cell.`);
  svc.policy.authorize(ctx.auth, RULE + action, { project_id: inst.project_id });
  return ctx;
}

/** `_check_instance_exists_in_project`, as the tag DB calls do. */
function live(svc: ComputeService, ctx: RequestContext, id: string): Instance {
  return getInstance(svc, ctx, id);
}

/** `_check_instance_in_valid_state`. */
function changeable(
  svc: ComputeService,
  ctx: RequestContext,
  id: string,
  action: string,
): Instance {
  const inst = getInstance(svc, ctx, id);
  if (!VALID_STATES.includes(inst.vm_state ?? "")) {
    const err = new InstanceInvalidState(inst.uuid, "vm_state", inst.vm_state, action);
    throw conflictForInvalidState(err, action, id);
  }
  return inst;
}

function tagsOf(svc: ComputeService, a: HandlerArgs, action: string): string[] {
  const ctx = mapped(svc, a, action);
  return live(svc, ctx, a.params.server_id).tags;
}

function show(svc: ComputeService, a: HandlerArgs): void {
  const tags = tagsOf(svc, a, "show");
  if (!tags.includes(a.params.id)) {
    throw new HttpError(404, `Server ${a.params.server_id} has no tag '${a.params.id}'`);
  }
}

function update(svc: ComputeService, a: HandlerArgs): ApiResponse {
  validateBodyFor(a.req, a.body, TAG_SCHEMA);
  const ctx = mapped(svc, a, "update");
  const inst = changeable(svc, ctx, a.params.server_id, "update tag");
  const tag = a.params.id;
  const err = checkTag(tag);
  if (err) {
    throw new HttpError(
      400,
      `Tag '${tag}' is invalid. It must be a non empty string without characters '/' and ','. Validation error message: ${err.message}`,
    );
  }
  if (inst.tags.length >= MAX_TAG_COUNT) {
    throw new HttpError(400, `The number of tags exceeded the per-server limit ${MAX_TAG_COUNT}`);
  }
  if (inst.tags.includes(tag)) return emptyResponse(204);
  svc.db.transaction(() => svc.instances.addTag(inst.uuid, tag));
  const server = viewsOf(svc, a.req).serverLinks(a.params.server_id)[0].href;
  const res = emptyResponse(201);
  res.headers.set("Location", `${server}/tags/${tag}`);
  return res;
}

function updateAll(svc: ComputeService, a: HandlerArgs): { tags: string[] } {
  validateBodyFor(a.req, a.body, TAGS_SCHEMA);
  const ctx = mapped(svc, a, "update_all");
  const inst = changeable(svc, ctx, a.params.server_id, "update tags");
  const tags = [...new Set((a.body as { tags: string[] }).tags)];
  svc.db.transaction(() => svc.instances.replaceTags(inst.uuid, tags));
  return { tags: svc.instances.tags(inst.uuid) };
}

function remove(svc: ComputeService, a: HandlerArgs): void {
  const ctx = mapped(svc, a, "delete");
  const inst = changeable(svc, ctx, a.params.server_id, "delete tag");
  const deleted = svc.db.transaction(() => svc.instances.deleteTag(inst.uuid, a.params.id));
  if (!deleted) {
    throw new HttpError(404, `Instance ${a.params.server_id} has no tag '${a.params.id}'`);
  }
}

function removeAll(svc: ComputeService, a: HandlerArgs): void {
  const ctx = mapped(svc, a, "delete_all");
  const inst = changeable(svc, ctx, a.params.server_id, "delete tags");
  svc.db.transaction(() => svc.instances.replaceTags(inst.uuid, []));
}

/** webob.Response(status_int=...) as nova returns it: `text/html`, empty. */
function emptyResponse(status: number): ApiResponse {
  return new ApiResponse(status, [
    ["Content-Type", "text/html; charset=UTF-8"],
    ["Content-Length", "0"],
  ], "");
}
