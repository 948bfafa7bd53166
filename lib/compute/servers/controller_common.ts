/**
 * What every servers-area controller does: look the instance up (404 with
 * nova's text), authorize against the instance's project, turn the
 * compute API's state errors into nova's 409s, and build the views.
 *
 * Mirrors `common.get_instance` and
 * `raise_http_conflict_for_instance_invalid_state` in
 * nova/api/openstack/common.py.
 *
 * @module
 */

import { LinkBuilder } from "../links.ts";
import { HttpError } from "../../errors.ts";
import type { ApiRequest } from "../../request.ts";
import { contextOf, type RequestContext } from "./context.ts";
import {
  InstanceInvalidState,
  InstanceIsLocked,
  InstanceNotFound,
  InstanceNotReady,
} from "./errors.ts";
import type { Instance } from "./instance.ts";
import type { ComputeService } from "./service.ts";
import { conflictForInvalidState } from "./state_checks.ts";
import { ServerViews, type ShowOptions } from "./views.ts";
import { hostStatuses } from "../hosts/api.ts";
import { serverGroupsOf } from "../server_groups/views.ts";

/** The request's compute context. */
export function ctxOf(req: ApiRequest): RequestContext {
  return contextOf(req);
}

/**
 * `common.get_instance`: the caller's instance.
 *
 * @throws {HttpError} 404 "Instance <id> could not be found."
 */
export function getInstance(
  svc: ComputeService,
  ctx: RequestContext,
  id: string,
  readDeleted = false,
): Instance {
  try {
    return svc.api.get(ctx, id, { readDeleted });
  } catch (err) {
    if (err instanceof InstanceNotFound) throw new HttpError(404, err.message);
    throw err;
  }
}

/** `context.can(rule, target={'project_id': ..., 'user_id': ...})`. */
export function authorize(
  svc: ComputeService,
  ctx: RequestContext,
  rule: string,
  inst: Instance | null,
  withUser = false,
): void {
  const target = inst === null
    ? null
    : withUser
    ? { user_id: inst.user_id, project_id: inst.project_id }
    : { project_id: inst.project_id };
  svc.policy.authorize(ctx.auth, rule, target);
}

/**
 * Runs an action of the compute API, answering nova's 409s: a locked
 * instance, an instance not on a host, and a state the action does not
 * allow ("Cannot '<action>' instance <id> while it is in <attr> <state>").
 */
export function runAction<T>(action: string, serverId: string, fn: () => T): T {
  const map = (err: unknown): unknown => {
    if (err instanceof InstanceIsLocked || err instanceof InstanceNotReady) {
      return new HttpError(409, err.message);
    }
    if (err instanceof InstanceInvalidState) return conflictForInvalidState(err, action, serverId);
    if (err instanceof InstanceNotFound) return new HttpError(404, err.message);
    return err;
  };
  try {
    const result = fn();
    // An asynchronous action's failures are answered the same way.
    if (result instanceof Promise) {
      return result.catch((err) => {
        throw map(err);
      }) as T;
    }
    return result;
  } catch (err) {
    throw map(err);
  }
}

// One LinkBuilder per compute service, so that link bases are worked out
// once per application URL rather than once per request.
const linkBuilders = new WeakMap<ComputeService, LinkBuilder>();

function linksOf(svc: ComputeService): LinkBuilder {
  let links = linkBuilders.get(svc);
  if (!links) linkBuilders.set(svc, links = new LinkBuilder(svc.conf.api.compute_link_prefix));
  return links;
}

/**
 * The show options of an answer that, from 2.75, shows every attribute as
 * GET does (update and rebuild; NOTE(gmann) in nova).
 */
export function showOptionsFrom275(views: ServerViews): ShowOptions {
  const all = views.at("2.75");
  return {
    extendAddress: all,
    showAz: all,
    showConfigDrive: all,
    showExtendedAttr: all ? null : false,
    showHostStatus: all ? null : false,
    showKeypair: all,
    showSrvUsg: all,
    showSecGrp: all,
    showExtendedStatus: all,
    showExtendedVolumes: all,
    showServerGroups: views.at("2.71"),
  };
}

/** The server views of this request. */
export function viewsOf(svc: ComputeService, req: ApiRequest): ServerViews {
  return new ServerViews(
    req,
    svc.policy,
    linksOf(svc),
    (port) => svc.network.labelOf(port),
    (uuid) => serverGroupsOf(svc.db, req.context, uuid),
    hostStatuses(svc),
  );
}
