/**
 * How each server action controller method is shaped in nova: the body
 * validated for the microversion, the instance looked up (404), the
 * policy checked against its project (and user), the compute API called,
 * and its exceptions turned into nova's answers: the controller's own
 * `except` list first, then `InstanceIsLocked`/`InstanceNotReady` (409),
 * `InstanceInvalidState` (409 "Cannot '<action>' instance ..."),
 * `InstanceNotFound` (404). Where nova's controller does not catch the
 * state errors (a 500 in nova), novalet answers the same 409s. Anything
 * else is unexpected (500).
 *
 * Mirrors the `@wsgi.action` methods of nova/api/openstack/compute/*.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest } from "../../request.ts";
import { validateBodyFor, type VersionedSchema } from "../../validation/mod.ts";
import type { HandlerResult, MethodSpec } from "../wsgi.ts";
import { authorize, ctxOf, getInstance } from "./controller_common.ts";
import type { RequestContext } from "./context.ts";
import {
  InstanceInvalidState,
  InstanceIsLocked,
  InstanceNotFound,
  InstanceNotReady,
  NovaException,
} from "./errors.ts";
import type { Instance } from "./instance.ts";
import type { ComputeService } from "./service.ts";
import { conflictForInvalidState } from "./state_checks.ts";

/** What an action's `run` gets. */
export interface ActionArgs {
  readonly req: ApiRequest;
  readonly ctx: RequestContext;
  readonly inst: Instance;
  // deno-lint-ignore no-explicit-any
  readonly body: any;
}

/** One server action, described as nova's decorators and `except` clauses describe it. */
export interface ActionDef {
  /** `@wsgi.response(code)`; default 202. */
  readonly status?: number;
  readonly expectedErrors: readonly number[];
  readonly schemas?: readonly VersionedSchema[];
  /** The policy rule, or null when the method checks its own. */
  readonly rule: string | null;
  /** The policy target includes the instance's user (`{'user_id', 'project_id'}`). */
  readonly withUser?: boolean;
  /** The policy is checked before the instance is looked up (and without a target). */
  readonly policyFirst?: boolean;
  /**
   * The name in "Cannot '<name>' instance ..."; null: nova's controller does
   * not catch the state error (nova answers 500; novalet names the compute
   * API method, `err.method`, in the same 409).
   */
  readonly conflictName: string | null;
  /**
   * Whether InstanceIsLocked is caught on its own ("Instance <id> is
   * locked"); default true. When not, it is the InstanceInvalidState it
   * subclasses ("... is in an invalid state for '<action>'").
   */
  readonly catchLocked?: boolean;
  /** `@wsgi.Controller.api_version(min, max)`. */
  readonly min?: string;
  readonly max?: string;
  /** The controller's own `except` clauses: an HttpError for the errors it expects, else null. */
  readonly errors?: (err: unknown, args: ActionArgs) => HttpError | null;
  readonly run: (args: ActionArgs) => HandlerResult | void | Promise<HandlerResult | void>;
}

/** The MethodSpec of an action. */
export function actionSpec(svc: ComputeService, def: ActionDef): MethodSpec {
  const handler = async (
    a: { req: ApiRequest; params: Readonly<Record<string, string>>; body: unknown },
  ): Promise<HandlerResult> =>
    (await runDef(svc, def, a.req, a.params.id ?? a.params.server_id, a.body)) ?? null;
  return {
    status: def.status ?? 202,
    expectedErrors: def.expectedErrors,
    handler: def.min || def.max ? [{ min: def.min, max: def.max, handler }] : handler,
  };
}

async function runDef(
  svc: ComputeService,
  def: ActionDef,
  req: ApiRequest,
  id: string,
  body: unknown,
): Promise<HandlerResult | void> {
  if (def.schemas) validateBodyFor(req, body, def.schemas);
  const ctx = ctxOf(req);
  if (def.policyFirst && def.rule) svc.policy.authorize(ctx.auth, def.rule, null);
  const inst = getInstance(svc, ctx, id);
  if (!def.policyFirst && def.rule) authorize(svc, ctx, def.rule, inst, def.withUser ?? false);
  const args: ActionArgs = { req, ctx, inst, body };
  try {
    return await def.run(args);
  } catch (err) {
    throw mapActionError(def, args, err, id);
  }
}

function mapActionError(def: ActionDef, args: ActionArgs, err: unknown, id: string): unknown {
  const own = def.errors?.(err, args);
  if (own) return own;
  if (err instanceof HttpError) return err;
  if (err instanceof InstanceIsLocked && (def.catchLocked ?? true)) {
    return new HttpError(409, err.message);
  }
  // nova answers 500 where its controller does not catch these (InstanceNotReady
  // in pause, shelve, rescue...; the state error with conflictName null);
  // novalet answers the 409 of the other actions.
  if (err instanceof InstanceNotReady) return new HttpError(409, err.message);
  if (err instanceof InstanceInvalidState) {
    return conflictForInvalidState(err, def.conflictName ?? err.method, id);
  }
  if (err instanceof InstanceNotFound) return new HttpError(404, err.message);
  return withNovaClassName(err);
}

/**
 * An exception nova's controller does not expect answers 500 naming its
 * class as Python prints it (`nova.exception.<Name>`).
 */
function withNovaClassName(err: unknown): unknown {
  if (!(err instanceof NovaException) || err.constructor.name.includes(".")) return err;
  const named = new NovaException(err.message, err.code);
  Object.defineProperty(named, "constructor", {
    value: { name: `nova.exception.${err.constructor.name}` },
  });
  return named;
}

/** An error of one of `classes` as an HttpError with its message, else null. */
export function caught(
  err: unknown,
  status: number,
  // deno-lint-ignore no-explicit-any
  ...classes: (abstract new (...args: any[]) => Error)[]
): HttpError | null {
  return classes.some((c) => err instanceof c)
    ? new HttpError(status, (err as Error).message)
    : null;
}
