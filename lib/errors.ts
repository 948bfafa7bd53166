/**
 * HTTP errors in the two shapes nova answers with:
 *
 * - webob's own error pages (`webob.exc.HTTPNotFound()` returned by a
 *   router or middleware): `{"message", "code", "title"}` JSON, HTML or
 *   plain text, picked from the Accept header;
 * - nova's faults (`nova.api.openstack.wsgi.Fault`): `{"itemNotFound":
 *   {"code": 404, "message": ...}}` with the microversion headers.
 *
 * @module
 */

import type { ApiRequest } from "./request.ts";
import { ApiResponse, byteLength, pyJson } from "./response.ts";
import { acceptableOffers } from "./http/accept.ts";

/** webob.util.status_reasons: the reason phrase for a plain status. */
export const STATUS_REASONS: Record<number, string> = {
  100: "Continue",
  200: "OK",
  201: "Created",
  202: "Accepted",
  203: "Non-Authoritative Information",
  204: "No Content",
  205: "Reset Content",
  206: "Partial Content",
  207: "Multi Status",
  300: "Multiple Choices",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  411: "Length Required",
  412: "Precondition Failed",
  413: "Request Entity Too Large",
  414: "Request URI Too Long",
  415: "Unsupported Media Type",
  416: "Requested Range Not Satisfiable",
  417: "Expectation Failed",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  505: "HTTP Version Not Supported",
};

/** webob.exc: title (used in the status line) and default explanation per code. */
const WEBOB_EXC: Record<number, [string, string]> = {
  202: ["Accepted", "The request is accepted for processing."],
  204: ["No Content", ""],
  300: ["Multiple Choices", "The resource has been moved to"],
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
  409: ["Conflict", "There was a conflict when trying to complete your request."],
  410: ["Gone", "This resource is no longer available. No forwarding address is given."],
  413: ["Request Entity Too Large", "The body of your request was too large for this server."],
  414: ["Request-URI Too Long", "The request URI was too long for this server."],
  415: [
    "Unsupported Media Type",
    "The server could not comply with the request since it is either malformed or otherwise incorrect.",
  ],
  429: ["Too Many Requests", "The client has sent too many requests in a given amount of time"],
  500: [
    "Internal Server Error",
    "The server has either erred or is incapable of performing the requested operation.",
  ],
  501: [
    "Not Implemented",
    "The server has either erred or is incapable of performing the requested operation.",
  ],
  503: [
    "Service Unavailable",
    "The server is currently unavailable. Please try again at a later time.",
  ],
};

/** nova.api.openstack.wsgi.Fault._fault_names; anything else is computeFault. */
export const FAULT_NAMES: Record<number, string> = {
  400: "badRequest",
  401: "unauthorized",
  403: "forbidden",
  404: "itemNotFound",
  405: "badMethod",
  409: "conflictingRequest",
  413: "overLimit",
  415: "badMediaType",
  429: "overLimit",
  501: "notImplemented",
  503: "serviceUnavailable",
};

/** The reason phrase webob.exc puts in the status line for `status`. */
export function excTitle(status: number): string {
  return WEBOB_EXC[status]?.[0] ?? STATUS_REASONS[status] ?? "Unknown";
}

/** The default explanation of webob.exc for `status`. */
export function excExplanation(status: number): string {
  return WEBOB_EXC[status]?.[1] ?? "";
}

/**
 * An HTTP error raised anywhere below the server. Controllers and the compute
 * API throw it; the API layer turns it into a nova fault, and anything that
 * escapes further is rendered by faultwrap.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly explanation: string;
  readonly headers: [string, string][];
  /** faultwrap shows the message only of exceptions marked safe. */
  readonly safe: boolean;

  constructor(
    status: number,
    explanation?: string,
    options: { headers?: [string, string][]; safe?: boolean } = {},
  ) {
    const text = explanation ?? excExplanation(status);
    super(text);
    this.name = "HttpError";
    this.status = status;
    this.explanation = text;
    this.headers = options.headers ?? [];
    this.safe = options.safe ?? true;
  }
}

/**
 * A webob.exc error page (`webob.exc.HTTPNotFound()` returned as a WSGI
 * app): JSON, HTML or plain text by the Accept header; for HEAD an empty
 * `text/html` body.
 */
export function webobError(
  req: ApiRequest,
  status: number,
  options: { explanation?: string; detail?: string; headers?: [string, string][] } = {},
): ApiResponse {
  const title = excTitle(status);
  const statusText = `${status} ${title}`;
  const res = new ApiResponse(status, [], null, title);
  if (req.method === "HEAD") {
    res.headers.add("Content-Type", "text/html; charset=UTF-8");
    res.headers.add("Content-Length", "0");
    for (const [k, v] of options.headers ?? []) res.headers.add(k, v);
    return res;
  }
  const explanation = options.explanation ?? excExplanation(status);
  const detail = options.detail ?? "";
  const template = `${explanation}<br /><br />\n${detail}\n\n`;
  // NOTE(parity): webob reads a missing Accept as an empty one, which accepts nothing: text/plain.
  const match = acceptableOffers(req.header("accept") ?? "", ["text/html", "application/json"])[0];
  let contentType: string;
  let body: string;
  if (match === "application/json") {
    contentType = "application/json";
    body = pyJson({ message: template, code: statusText, title });
  } else if (match === "text/html") {
    contentType = "text/html; charset=UTF-8";
    body =
      `<html>\n <head>\n  <title>${statusText}</title>\n </head>\n <body>\n  <h1>${statusText}</h1>\n  ` +
      `${htmlEscape(explanation)}<br /><br />\n${htmlEscape(detail)}\n\n\n </body>\n</html>`;
  } else {
    contentType = "text/plain; charset=UTF-8";
    body = `${statusText}\n\n${stripTags(template)}`;
  }
  for (const [k, v] of options.headers ?? []) res.headers.add(k, v);
  res.headers.add("Content-Length", String(byteLength(body)));
  res.headers.add("Content-Type", contentType);
  res.body = body;
  return res;
}

/**
 * A nova fault (`wsgi.Fault`): `{name: {code, message}}` JSON with the
 * microversion headers when the request carries a version.
 */
export function faultResponse(
  req: ApiRequest,
  status: number,
  message: string,
  extraHeaders: [string, string][] = [],
): ApiResponse {
  const name = FAULT_NAMES[status] ?? "computeFault";
  const fault: Record<string, unknown> = { code: status, message };
  if (status === 413 || status === 429) {
    const retry = extraHeaders.find(([k]) => k.toLowerCase() === "retry-after");
    if (retry) fault.retryAfter = retry[1];
  }
  const body = pyJson({ [name]: fault });
  const res = new ApiResponse(status, [], body, excTitle(status));
  for (const [k, v] of extraHeaders) res.headers.add(k, v);
  const version = req.apiVersion;
  if (version && !version.isNull()) {
    res.headers.set("OpenStack-API-Version", `compute ${version}`);
    res.headers.set("X-OpenStack-Nova-API-Version", version.toString());
    res.headers.add("Vary", "OpenStack-API-Version");
    res.headers.add("Vary", "X-OpenStack-Nova-API-Version");
  }
  res.headers.add("Content-Type", "application/json; charset=UTF-8");
  res.headers.add("Content-Length", String(byteLength(body)));
  return res;
}

function htmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  )
    .replace(/'/g, "&#x27;");
}

function stripTags(value: string): string {
  return value.replace(/\n/g, " ").replace(/\r/g, "").replace(/<br.*?>/gis, "\n")
    .replace(/<!--|-->/g, "").replace(/<.*?>/gs, "");
}
