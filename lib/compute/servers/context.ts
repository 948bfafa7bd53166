/**
 * nova's `RequestContext` as the compute API uses it: who asks (the
 * request's auth context) and under which request id actions are recorded.
 *
 * @module
 */

import type { AuthContext } from "../../request.ts";
import type { ActionContext } from "./actions.ts";

/** The request context the compute API acts under. */
export interface RequestContext {
  readonly auth: AuthContext;
  readonly requestId: string;
}

/** A context from an API request (its auth context and request id). */
export function contextOf(
  req: { context: AuthContext | null; requestId?: string | null },
): RequestContext {
  if (!req.context) throw new Error("the request has no auth context");
  return { auth: req.context, requestId: req.requestId ?? "" };
}

/** What an action record needs of a context. */
export function actionContext(ctx: RequestContext): ActionContext {
  return { requestId: ctx.requestId, userId: ctx.auth.userId, projectId: ctx.auth.projectId };
}
