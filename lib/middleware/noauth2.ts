/**
 * The development authentication of nova (`[api] auth_strategy = noauth2`):
 * `X-Auth-Token: user:project` (or just `user`) is trusted as is; the user
 * `admin` is an admin. Without a token it answers a fake "login": 204 with
 * a token for `admin:admin` and a management URL. There is no 401.
 *
 * Mirrors nova/api/openstack/auth.py (NoAuthMiddleware) and the
 * RequestContext it builds (nova/context.py).
 *
 * @module
 */

import type { FilterFactory } from "../app.ts";
import type { ApiRequest, AuthContext } from "../request.ts";
import { ApiResponse } from "../response.ts";

/**
 * paste.filter_factory for `nova.api.openstack.auth:NoAuthMiddleware.factory`.
 * Reads `[api] use_forwarded_for`. Sets `req.context`.
 *
 * @returns the noauth2 filter
 */
export const filterFactory: FilterFactory = (ctx) => {
  const useForwardedFor = ctx.conf.api.use_forwarded_for;
  return (next) =>
    async function noauth2(req) {
      const token = req.header("x-auth-token");
      if (token === null) return fakeLogin(req);
      req.context = contextFromToken(req, token, useForwardedFor);
      return await next(req);
    };
};

/**
 * The 204 "login" answer (case 038): webob's default `Content-Length: 0`,
 * the two auth headers, then `Content-Type` (its setter moves it last).
 *
 * NOTE(parity): the management URL is `req.url` with trailing slashes
 * stripped, query string included, plus `/<project>`
 * (`/v2.1/flavors?limit=1/admin` for a query).
 */
function fakeLogin(req: ApiRequest): ApiResponse {
  const userId = req.header("x-auth-user") ?? "admin";
  const projectId = req.header("x-auth-project-id") ?? "admin";
  const managementUrl = `${req.url.replace(/\/+$/, "")}/${projectId}`;
  return new ApiResponse(204, [
    ["Content-Length", "0"],
    ["X-Auth-Token", `${userId}:${projectId}`],
    ["X-Server-Management-Url", managementUrl],
    ["Content-Type", "text/plain; charset=UTF-8"],
  ]);
}

/**
 * nova's `RequestContext(user_id, project_id, is_admin=..., remote_address=...)`:
 * no roles (oslo.context's default is an empty list), admin by user name,
 * empty ids become `None`.
 */
function contextFromToken(req: ApiRequest, token: string, useForwardedFor: boolean): AuthContext {
  const colon = token.indexOf(":");
  const userId = colon < 0 ? token : token.slice(0, colon);
  const projectId = (colon < 0 ? "" : token.slice(colon + 1)) || userId;
  const remoteAddress = useForwardedFor
    ? req.header("x-forwarded-for") ?? req.remoteAddr
    : req.remoteAddr;
  return {
    userId: userId || null,
    projectId: projectId || null,
    userName: null,
    projectName: null,
    roles: [],
    isAdmin: userId === "admin",
    systemScope: null,
    authToken: null,
    serviceCatalog: [],
    remoteAddress,
    // For the log lines written with the context (policy denials).
    extra: { requestId: req.requestId, globalRequestId: req.globalRequestId },
  };
}
