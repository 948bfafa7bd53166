/**
 * glance's request context: from the identity headers auth_token set
 * (`X-Identity-Status: Confirmed`), or from the context noauth2 made; 401
 * without either. Roles are lower-cased and `is_admin` is glance's
 * `context_is_admin` rule. The request id is the one the client sent in
 * `X-Openstack-Request-ID` (64 characters at most), else a new one, and
 * every answer after this filter carries it.
 *
 * Mirrors glance/api/middleware/context.py (`ContextMiddleware`,
 * `BaseContextMiddleware.process_response`) and glance/context.py.
 *
 * @module
 */

import type { App, FilterFactory } from "../app.ts";
import { webobError } from "../errors.ts";
import { contextFromHeaders } from "../middleware/keystonecontext.ts";
import type { ApiRequest, AuthContext } from "../request.ts";
import type { ImagePolicy } from "./policy.ts";
import { imageService } from "./service.ts";

/** glance's `[DEFAULT] max_request_id_length`. */
const MAX_REQUEST_ID_LENGTH = 64;

/** noauth2's context as glance's: its admin gets the admin role glance's rules look for. */
function fromNoauth(context: AuthContext, policy: ImagePolicy): AuthContext {
  const roles = context.roles.map((r) => r.toLowerCase());
  if (context.isAdmin && !roles.includes("admin")) roles.push("admin");
  const glance = { ...context, roles };
  return { ...glance, isAdmin: context.isAdmin || policy.isAdmin(glance) };
}

/**
 * `_get_authenticated_context`: the context of the identity headers.
 *
 * @throws {SyntaxError} for an X-Service-Catalog that is not JSON
 */
function fromHeaders(req: ApiRequest, policy: ImagePolicy): AuthContext {
  let catalog: unknown = null;
  const header = req.header("x-service-catalog");
  if (header !== null) catalog = JSON.parse(header);
  const context = contextFromHeaders(req, { remoteAddress: req.remoteAddr, serviceCatalog: null });
  context.roles = context.roles.map((r) => r.toLowerCase());
  context.serviceCatalog = Array.isArray(catalog) ? catalog : [];
  context.isAdmin = policy.isAdmin(context);
  return context;
}

function withRequestId(next: App): App {
  return async function requestId(req) {
    const res = await next(req);
    const id = req.requestId!;
    res.headers.set("x-openstack-request-id", id.startsWith("req-") ? id : `req-${id}`);
    return res;
  };
}

/** The filter for `glance.api.middleware.context:ContextMiddleware.factory`. */
export const contextFilterFactory: FilterFactory = (ctx) => {
  if (!ctx.services) throw new Error("The image context filter needs the services");
  const { policy } = imageService(ctx.services);
  return (next) => {
    const answer = withRequestId(next);
    return async function imageContext(req) {
      if (req.context) {
        req.context = fromNoauth(req.context, policy);
      } else if (req.header("x-identity-status") === "Confirmed") {
        try {
          req.context = fromHeaders(req, policy);
        } catch {
          return webobError(req, 500, { detail: "Invalid service catalog json." });
        }
      } else {
        return webobError(req, 401);
      }
      const inbound = req.header("x-openstack-request-id");
      if (inbound && inbound.length > MAX_REQUEST_ID_LENGTH) {
        return webobError(req, 431, {
          explanation:
            "The server is unwilling to process the request because its header fields are too large.",
        });
      }
      req.requestId = inbound || `req-${crypto.randomUUID()}`;
      return await answer(req);
    };
  };
};
