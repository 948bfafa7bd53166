/**
 * ServerMetadataController: `/servers/{server_id}/metadata` (list, merge,
 * replace) and `/metadata/{key}` (show, set one, delete), with nova's
 * 400/404/409 answers.
 *
 * Mirrors nova/api/openstack/compute/server_metadata.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import { validateBodyFor } from "../../validation/mod.ts";
import type { ControllerSpec, HandlerArgs } from "../wsgi.ts";
import type { RequestContext } from "./context.ts";
import { authorize, ctxOf, getInstance, runAction } from "./controller_common.ts";
import { OverQuota } from "./errors.ts";
import type { Instance } from "./instance.ts";
import { METADATA_ITEM_SCHEMA, METADATA_SCHEMA } from "./schemas_misc.ts";
import type { ComputeService } from "./service.ts";

const RULE = "os_compute_api:server-metadata:";

/** Builds the controller. */
export function serverMetadataController(svc: ComputeService): ControllerSpec {
  const load = ({ req, params }: HandlerArgs, action: string) => {
    const ctx = ctxOf(req);
    const inst = getInstance(svc, ctx, params.server_id);
    authorize(svc, ctx, RULE + action, inst);
    return { ctx, inst };
  };
  const update = (
    ctx: RequestContext,
    inst: Instance,
    md: Record<string, string>,
    replace: boolean,
  ) => {
    try {
      return runAction(
        "update metadata",
        inst.uuid,
        () => svc.api.updateMetadata(ctx, inst, md, replace),
      );
    } catch (err) {
      if (err instanceof OverQuota) throw new HttpError(403, err.message);
      throw err;
    }
  };
  return {
    name: "ServerMetadataController",
    methods: {
      index: {
        expectedErrors: [404],
        handler: (a) => ({ metadata: load(a, "index").inst.metadata }),
      },
      create: {
        expectedErrors: [403, 404, 409],
        handler: (a) => {
          validateBodyFor(a.req, a.body, METADATA_SCHEMA);
          const { ctx, inst } = load(a, "create");
          const md = (a.body as { metadata: Record<string, string> }).metadata;
          return { metadata: update(ctx, inst, md, false) };
        },
      },
      update: {
        expectedErrors: [400, 403, 404, 409],
        handler: (a) => {
          validateBodyFor(a.req, a.body, METADATA_ITEM_SCHEMA);
          const { ctx, inst } = load(a, "update");
          const meta = (a.body as { meta: Record<string, string> }).meta;
          if (!Object.hasOwn(meta, a.params.id)) {
            throw new HttpError(400, "Request body and URI mismatch");
          }
          update(ctx, inst, meta, false);
          return { meta };
        },
      },
      update_all: {
        expectedErrors: [403, 404, 409],
        handler: (a) => {
          validateBodyFor(a.req, a.body, METADATA_SCHEMA);
          const { ctx, inst } = load(a, "update_all");
          const md = (a.body as { metadata: Record<string, string> }).metadata;
          return { metadata: update(ctx, inst, md, true) };
        },
      },
      show: {
        expectedErrors: [404],
        handler: (a) => {
          const { inst } = load(a, "show");
          if (!Object.hasOwn(inst.metadata, a.params.id)) {
            throw new HttpError(404, "Metadata item was not found");
          }
          return { meta: { [a.params.id]: inst.metadata[a.params.id] } };
        },
      },
      delete: {
        status: 204,
        expectedErrors: [404, 409],
        handler: (a) => {
          const { ctx, inst } = load(a, "delete");
          if (!Object.hasOwn(inst.metadata, a.params.id)) {
            throw new HttpError(404, "Metadata item was not found");
          }
          runAction(
            "delete metadata",
            a.params.server_id,
            () => svc.api.deleteMetadataKey(ctx, inst, a.params.id),
          );
        },
      },
    },
  };
}
