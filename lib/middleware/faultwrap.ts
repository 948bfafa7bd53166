/**
 * The last line of defence of the API pipelines: anything thrown below
 * becomes a nova fault (`{"computeFault": {"code": 500, "message": ...}}`),
 * logged with its stack; the client never sees the stack, and sees the
 * error's own message only when the error is marked safe.
 *
 * Mirrors nova/api/openstack/__init__.py (FaultWrapper) and
 * nova/api/wsgi.py (the Request it builds, which applies
 * `[wsgi] secure_proxy_ssl_header`).
 *
 * @module
 */

import type { FilterFactory } from "../app.ts";
import { faultResponse, HttpError, webobError } from "../errors.ts";
import { getLogger } from "../log.ts";
import { type ApiRequest, BodyTooLargeError } from "../request.ts";
import type { ApiResponse } from "../response.ts";
import { logContext } from "./request_log.ts";

const LOG = getLogger("nova.api.openstack");

/**
 * webob.exc's HTTPError classes by code (nova's `status_to_type`), with the
 * title and default explanation of each; any other code becomes a 500.
 */
const HTTP_ERRORS: Record<number, readonly [string, string]> = {
  400: [
    "Bad Request",
    "The server could not comply with the request since it is either malformed or otherwise incorrect.",
  ],
  401: [
    "Unauthorized",
    "This server could not verify that you are authorized to access the document you requested. " +
    "Either you supplied the wrong credentials (e.g., bad password), or your browser does not " +
    "understand how to supply the credentials required.",
  ],
  402: ["Payment Required", "Access was denied for financial reasons."],
  403: ["Forbidden", "Access was denied to this resource."],
  404: ["Not Found", "The resource could not be found."],
  405: [
    "Method Not Allowed",
    "The server could not comply with the request since it is either malformed or otherwise incorrect.",
  ],
  406: [
    "Not Acceptable",
    "The server could not comply with the request since it is either malformed or otherwise incorrect.",
  ],
  407: ["Proxy Authentication Required", "Authentication with a local proxy is needed."],
  408: [
    "Request Timeout",
    "The server has waited too long for the request to be sent by the client.",
  ],
  409: ["Conflict", "There was a conflict when trying to complete your request."],
  410: ["Gone", "This resource is no longer available. No forwarding address is given."],
  411: ["Length Required", "Content-Length header required."],
  412: ["Precondition Failed", "Request precondition failed."],
  413: ["Request Entity Too Large", "The body of your request was too large for this server."],
  414: ["Request-URI Too Long", "The request URI was too long for this server."],
  415: [
    "Unsupported Media Type",
    "The server could not comply with the request since it is either malformed or otherwise incorrect.",
  ],
  416: ["Request Range Not Satisfiable", "The Range requested is not available."],
  417: ["Expectation Failed", "Expectation failed."],
  422: ["Unprocessable Entity", "Unable to process the contained instructions"],
  423: ["Locked", "The resource is locked"],
  424: [
    "Failed Dependency",
    "The method could not be performed because the requested action dependended on another " +
    "action and that action failed",
  ],
  428: ["Precondition Required", "This request is required to be conditional"],
  429: ["Too Many Requests", "The client has sent too many requests in a given amount of time"],
  431: ["Request Header Fields Too Large", "The request header fields were too large"],
  451: ["Unavailable For Legal Reasons", "The resource is not available due to legal reasons."],
  500: [
    "Internal Server Error",
    "The server has either erred or is incapable of performing the requested operation.",
  ],
  501: [
    "Not Implemented",
    "The server has either erred or is incapable of performing the requested operation.",
  ],
  502: ["Bad Gateway", "Bad gateway."],
  503: [
    "Service Unavailable",
    "The server is currently unavailable. Please try again at a later time.",
  ],
  504: ["Gateway Timeout", "The gateway has timed out."],
  505: ["HTTP Version Not Supported", "The HTTP version is not supported."],
  507: ["Insufficient Storage", "There was not enough space to save the resource"],
  511: ["Network Authentication Required", "Network authentication is required"],
};

/**
 * paste.filter_factory for `nova.api.openstack:FaultWrapper.factory`.
 * Reads `[wsgi] secure_proxy_ssl_header`; may rewrite `req.scheme`.
 *
 * @returns the faultwrap filter
 */
export const filterFactory: FilterFactory = (ctx) => {
  const sslHeader = headerOfEnvironKey(ctx.conf.wsgi.secure_proxy_ssl_header);
  return (next) =>
    function faultwrap(req) {
      // Not async: a synchronous throw and a rejection both become the fault.
      try {
        if (sslHeader !== null) applySecureProxySslHeader(req, sslHeader);
        return next(req).catch((err) => errorResponse(req, err));
      } catch (err) {
        return new Promise((resolve) => resolve(errorResponse(req, err)));
      }
    };
};

/**
 * nova's `wsgi.Request.__init__`: the scheme named by the header
 * `[wsgi] secure_proxy_ssl_header` (an environ key such as
 * `HTTP_X_FORWARDED_PROTO`) replaces `wsgi.url_scheme`.
 *
 * NOTE(parity): only `http` and `https` are taken; nova copies any value
 * into the URLs it writes.
 */
export function applySecureProxySslHeader(req: ApiRequest, headerName: string): void {
  const value = req.header(headerName)?.toLowerCase();
  if (value === "http" || value === "https") req.scheme = value;
}

/** `HTTP_X_FORWARDED_PROTO` → `x-forwarded-proto`; null for unset or non-header keys. */
export function headerOfEnvironKey(key: string | null): string | null {
  if (!key?.startsWith("HTTP_")) return null;
  return key.slice(5).toLowerCase().replaceAll("_", "-");
}

/** FaultWrapper._error: log with the stack, answer a fault without it. */
function errorResponse(req: ApiRequest, err: unknown): ApiResponse {
  if (err instanceof BodyTooLargeError) return bodyTooLarge(req, err);
  const inner = describe(err);
  const ctx = logContext(req);
  LOG.exception(`Caught error: ${inner.message}`, err, ctx);
  LOG.info(`${req.url} returned with HTTP ${inner.status}`, ctx);
  const known = HTTP_ERRORS[inner.status];
  const status = known ? inner.status : 500;
  const [title, explanation] = known ?? HTTP_ERRORS[500];
  const message = inner.safe ? `${inner.className}: ${inner.message}` : explanation;
  const res = faultResponse(req, status, message, inner.headers);
  res.reason = title;
  return res;
}

/**
 * A body read that went over the limit: what oslo's LimitingReader raises
 * (`HTTPRequestEntityTooLarge`), rendered as webob's page as sizelimit's 413.
 */
function bodyTooLarge(req: ApiRequest, err: BodyTooLargeError): ApiResponse {
  const explanation = `Request is too large. Larger than ${err.limit}.`;
  LOG.info(explanation, logContext(req));
  return webobError(req, 413, { explanation });
}

interface InnerError {
  status: number;
  safe: boolean;
  message: string;
  className: string;
  headers: [string, string][];
}

/**
 * `getattr(inner, 'code', 500)`, `getattr(inner, 'safe', False)`, headers and
 * class name of what was thrown. An {@link HttpError} says all of it; other
 * errors may carry a numeric `code` and `safe` as nova's exceptions do.
 */
function describe(err: unknown): InnerError {
  if (err instanceof HttpError) {
    return {
      status: err.status,
      safe: err.safe,
      message: err.message,
      className: className(err),
      headers: err.headers.filter(([k]) => !BODY_HEADERS.has(k.toLowerCase())),
    };
  }
  const fields = (typeof err === "object" && err !== null ? err : {}) as Record<string, unknown>;
  return {
    status: typeof fields.code === "number" ? fields.code : 500,
    safe: fields.safe === true,
    message: err instanceof Error ? err.message : String(err),
    className: err instanceof Error ? className(err) : typeof err,
    headers: [],
  };
}

// The fault sets these itself (webob's content_type and text setters replace them).
const BODY_HEADERS = new Set(["content-type", "content-length"]);

/** Python's `inner.__class__.__name__`: an explicit `name`, else the constructor's. */
function className(err: Error): string {
  if (err.name && err.name !== "Error" && err.name !== "HttpError") return err.name;
  return err.constructor.name;
}
