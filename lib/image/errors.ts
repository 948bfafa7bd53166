/**
 * glance's errors: webob.exc exceptions raised by its controllers and
 * rendered by webob as HTML, JSON or plain text by the Accept header.
 * glance raises them two ways, which webob renders differently:
 * `HTTPNotFound(explanation=msg)` replaces the default explanation, while
 * `HTTPConflict(msg)` keeps it and adds `msg` as the detail. 405 and 415
 * have templates of their own (the method, the request's media type).
 *
 * Mirrors webob/exc.py `WSGIHTTPException.generate_response` as glance's
 * `wsgi.Resource` returns them.
 *
 * @module
 */

import { excTitle, webobError } from "../errors.ts";
import { acceptableOffers } from "../http/accept.ts";
import type { ApiRequest } from "../request.ts";
import { ApiResponse, byteLength, pyJson } from "../response.ts";

/** What a glance controller raises: a webob.exc error. */
export class GlanceHttpError extends Error {
  /**
   * @param status the HTTP status
   * @param options `explanation` (glance's `explanation=msg`), `detail`
   *   (a positional `msg`), extra `headers` (Allow, Accept-Patch)
   */
  constructor(
    readonly status: number,
    readonly options: { explanation?: string; detail?: string; headers?: [string, string][] } = {},
  ) {
    super(options.explanation ?? options.detail ?? excTitle(status));
    this.name = "GlanceHttpError";
  }
}

/** `webob.exc.HTTPX(explanation=msg)`. */
export function explained(status: number, explanation: string): GlanceHttpError {
  return new GlanceHttpError(status, { explanation });
}

/** `webob.exc.HTTPX(msg)`: webob's explanation, then `msg` as the detail. */
export function detailed(status: number, detail: string): GlanceHttpError {
  return new GlanceHttpError(status, { detail });
}

/** The webob error page for a {@link GlanceHttpError}. */
export function errorResponse(req: ApiRequest, err: GlanceHttpError): ApiResponse {
  const { explanation, detail, headers } = err.options;
  if (err.status === 405) {
    const method = req.method;
    return templated(
      req,
      405,
      headers,
      (esc) => `The method ${esc(method)} is not allowed for this resource. <br /><br />\n`,
    );
  }
  if (err.status === 415) {
    const type = req.header("content-type") ?? "";
    return templated(
      req,
      415,
      headers,
      (esc) =>
        `The request media type ${esc(type)} is not supported by this server.\n<br /><br />\n`,
    );
  }
  return webobError(req, err.status, { explanation, detail, headers });
}

type Escape = (s: string) => string;

/** A webob page from a custom body template (webob's `body_template_obj`, `${detail}` empty). */
function templated(
  req: ApiRequest,
  status: number,
  headers: [string, string][] = [],
  template: (esc: Escape) => string,
): ApiResponse {
  if (req.method === "HEAD") return webobError(req, status, { headers });
  const title = excTitle(status);
  const statusText = `${status} ${title}`;
  const match = acceptableOffers(req.header("accept") ?? "", ["text/html", "application/json"])[0];
  let contentType: string;
  let body: string;
  if (match === "application/json") {
    contentType = "application/json";
    body = pyJson({ message: template((s) => s), code: statusText, title });
  } else if (match === "text/html") {
    contentType = "text/html; charset=UTF-8";
    body = `<html>\n <head>\n  <title>${statusText}</title>\n </head>\n <body>\n  ` +
      `<h1>${statusText}</h1>\n  ${template(htmlEscape)}\n </body>\n</html>`;
  } else {
    contentType = "text/plain; charset=UTF-8";
    const text = template((s) => s).replace(/\n/g, " ").replace(/<br.*?>/g, "\n");
    body = `${statusText}\n\n${text.replace(/<.*?>/g, "")}`;
  }
  const res = new ApiResponse(status, [...headers], body, title);
  res.headers.add("Content-Length", String(byteLength(body)));
  res.headers.add("Content-Type", contentType);
  return res;
}

/** webob's `html_escape` (`html.escape(s, quote=True)`). */
function htmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
}
