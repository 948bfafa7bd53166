/**
 * KeypairController: `/os-keypairs` create/import (200 at 2.1, 201 from
 * 2.2; generation refused from 2.92), list (paged from 2.35), show and
 * delete (202 at 2.1, 204 from 2.2), another user's key pairs for admins
 * from 2.10.
 *
 * Mirrors nova/api/openstack/compute/keypairs.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest } from "../../request.ts";
import type { Services } from "../../services.ts";
import {
  type QueryDict,
  validateBodyFor,
  validateQueryFor,
  type VersionedSchema,
} from "../../validation/mod.ts";
import { isSupported, limitAndMarker } from "../common.ts";
import type { ControllerSpec, HandlerArgs, VersionedHandler } from "../wsgi.ts";
import {
  InvalidKeypair,
  type KeypairApi,
  keypairApi,
  KeyPairExists,
  KeypairLimitExceeded,
  KeypairMarkerNotFound,
  KeypairNotFound,
  type KeypairType,
} from "./api.ts";
import * as schemas from "./schemas.ts";
import { KeypairViews } from "./views.ts";

const POLICY = "os_compute_api:os-keypairs";

const CREATE_SCHEMAS: Record<string, readonly VersionedSchema[]> = {
  v21: [{ schema: schemas.createV20, min: "2.0", max: "2.0" }, {
    schema: schemas.create,
    min: "2.1",
    max: "2.1",
  }],
  v22: [{ schema: schemas.createV22 }],
  v210: [{ schema: schemas.createV210, min: "2.10", max: "2.91" }, {
    schema: schemas.createV292,
    min: "2.92",
  }],
};

const READ_QUERY = {
  v21: [{ schema: schemas.querySchemaV20 }],
  v210: [{ schema: schemas.querySchemaV275, min: "2.75" }, {
    schema: schemas.querySchemaV210,
    min: "2.10",
    max: "2.74",
  }],
};

const INDEX_QUERY_235 = [{ schema: schemas.indexQuerySchemaV275, min: "2.75" }, {
  schema: schemas.indexQuerySchemaV235,
  min: "2.35",
  max: "2.74",
}];

/** `_get_user_id`: the first `user_id` parameter, if any. */
function userIdParam(params: QueryDict): string | undefined {
  return params.user_id?.[0];
}

/** `_create`: policy on the target user, then import or generate. */
function createKeypair(
  services: Services,
  api: KeypairApi,
  views: KeypairViews,
  req: ApiRequest,
  body: unknown,
  opts: { keyType: boolean; userId?: string },
) {
  const ctx = req.context!;
  const params = (body as { keypair: Record<string, string> }).keypair;
  const name = params.name.trim();
  const type = (params.type ?? "ssh") as KeypairType;
  const userId = opts.userId || ctx.userId!;
  services.policy.authorize(ctx, `${POLICY}:create`, { user_id: userId });
  try {
    if ("public_key" in params) {
      const keypair = api.importKeyPair(userId, name, params.public_key, type, ctx);
      return views.create(keypair, null, opts.keyType);
    }
    const { keypair, privateKey } = api.createKeyPair(userId, name, type, ctx);
    return views.create(keypair, privateKey, opts.keyType);
  } catch (err) {
    if (err instanceof KeypairLimitExceeded) throw new HttpError(403, err.message);
    if (err instanceof InvalidKeypair) throw new HttpError(400, err.message);
    if (err instanceof KeyPairExists) throw new HttpError(409, err.message);
    throw err;
  }
}

function createHandlers(services: Services, api: KeypairApi, views: KeypairViews) {
  const make =
    (schemas: readonly VersionedSchema[], keyType: boolean, withUser: boolean) =>
    ({ req, body }: HandlerArgs) => {
      validateBodyFor(req, body, schemas);
      const userId = withUser
        ? (body as { keypair: { user_id?: string } }).keypair.user_id
        : undefined;
      return createKeypair(services, api, views, req, body, { keyType, userId });
    };
  return [
    { min: "2.10", status: 201, handler: make(CREATE_SCHEMAS.v210, true, true) },
    { min: "2.2", max: "2.9", status: 201, handler: make(CREATE_SCHEMAS.v22, true, false) },
    { min: "2.1", max: "2.1", handler: make(CREATE_SCHEMAS.v21, false, false) },
  ] satisfies VersionedHandler[];
}

/** The target user of show/delete/index: `user_id` from 2.10, else the caller. */
function targetUser(req: ApiRequest, params: QueryDict): string {
  const fromQuery = isSupported(req, "2.10") ? userIdParam(params) : undefined;
  return fromQuery || req.context!.userId!;
}

function readQuery(req: ApiRequest) {
  return validateQueryFor(
    req,
    req.query,
    isSupported(req, "2.10") ? READ_QUERY.v210 : READ_QUERY.v21,
  );
}

function showHandler(services: Services, api: KeypairApi, views: KeypairViews) {
  return ({ req, params }: HandlerArgs) => {
    const userId = targetUser(req, readQuery(req));
    services.policy.authorize(req.context!, `${POLICY}:show`, { user_id: userId });
    const keypair = api.get(userId, params.id);
    if (!keypair) throw new HttpError(404, new KeypairNotFound(userId, params.id).message);
    return views.show(keypair, isSupported(req, "2.2"));
  };
}

function deleteHandler(services: Services, api: KeypairApi) {
  return ({ req, params }: HandlerArgs): null => {
    const userId = targetUser(req, readQuery(req));
    services.policy.authorize(req.context!, `${POLICY}:delete`, { user_id: userId });
    try {
      api.delete(userId, params.id);
    } catch (err) {
      if (err instanceof KeypairNotFound) throw new HttpError(404, err.message);
      throw err;
    }
    return null;
  };
}

function indexHandler(services: Services, api: KeypairApi, views: KeypairViews) {
  return ({ req }: HandlerArgs) => {
    const paged = isSupported(req, "2.35");
    const params = paged ? validateQueryFor(req, req.query, INDEX_QUERY_235) : readQuery(req);
    const userId = targetUser(req, params);
    services.policy.authorize(req.context!, `${POLICY}:index`, { user_id: userId });
    const { limit, marker } = paged
      ? limitAndMarker(params, services.conf.api.max_limit)
      : { limit: null, marker: null };
    try {
      const keypairs = api.page(userId, limit, marker);
      return views.index(req, keypairs, params, isSupported(req, "2.2"), paged);
    } catch (err) {
      if (err instanceof KeypairMarkerNotFound) throw new HttpError(400, err.message);
      throw err;
    }
  };
}

/** The KeypairController spec. */
export function keypairController(services: Services): ControllerSpec {
  const api = keypairApi(services);
  const views = new KeypairViews(
    services.conf.api.compute_link_prefix,
    services.conf.api.max_limit,
  );
  const index = indexHandler(services, api, views);
  return {
    name: "KeypairController",
    methods: {
      create: { expectedErrors: [400, 403, 409], handler: createHandlers(services, api, views) },
      index: {
        handler: [
          { min: "2.35", handler: index },
          { min: "2.1", max: "2.34", handler: index },
        ],
        expectedErrors: [400],
      },
      show: { expectedErrors: [404], handler: showHandler(services, api, views) },
      delete: {
        expectedErrors: [404],
        handler: [
          { min: "2.2", status: 204, handler: deleteHandler(services, api) },
          { min: "2.1", max: "2.1", status: 202, handler: deleteHandler(services, api) },
        ],
      },
    },
  };
}
