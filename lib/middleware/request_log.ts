/**
 * One INFO line per request, written after the answer (or the failure)
 * below this filter:
 *
 *   127.0.0.1 "GET /v2.1/flavors?limit=1" status: 200 len: 15 microversion: 2.1 time: 0.012345
 *
 * Mirrors nova/api/openstack/requestlog.py (RequestLog).
 *
 * @module
 */

import type { App, FilterFactory } from "../app.ts";
import { getLogger, identityOf, type LogContext } from "../log.ts";
import type { ApiRequest } from "../request.ts";
import { type ApiResponse, byteLength } from "../response.ts";

const LOG = getLogger("nova.api.openstack.requestlog");

/**
 * The environ key an eventlet-style server sets on the requests it serves
 * (it writes its own access line; see {@link filterFactory}).
 */
export const ENV_EVENTLET_INPUT = "eventlet.input";

/**
 * paste.filter_factory for `nova.api.openstack.requestlog:RequestLog.factory`.
 * Reads `[api] use_forwarded_for`; reads `req.environ["eventlet.input"]`.
 *
 * NOTE(parity): like nova, the line is skipped when the request carries
 * `eventlet.input` (nova's `_should_emit`): the server's own access log
 * already has it. Our server sets that key, so with the stock setup this
 * filter stays quiet, as nova-api's does.
 *
 * @returns the request_log filter
 */
export const filterFactory: FilterFactory = (ctx) => {
  const useForwardedFor = ctx.conf.api.use_forwarded_for;
  return (next) =>
    function requestLog(req) {
      // Under our server the access log covers the request: no wrapper at all.
      if (req.eventletInput) return next(req);
      return logged(next, req, useForwardedFor);
    };
};

async function logged(next: App, req: ApiRequest, useForwardedFor: boolean): Promise<ApiResponse> {
  const start = performance.now();
  let res: ApiResponse | null = null;
  try {
    res = await next(req);
    return res;
  } finally {
    if (shouldEmit(req)) {
      LOG.info(formatLine(req, res, start, useForwardedFor), logContext(req));
    }
  }
}

function shouldEmit(req: ApiRequest): boolean {
  const input = req.environ.get(ENV_EVENTLET_INPUT);
  return input === undefined || input === null;
}

/** nova's `_log_format`; a failure below is logged as status 500, len 0. */
function formatLine(
  req: ApiRequest,
  res: ApiResponse | null,
  start: number,
  useForwardedFor: boolean,
): string {
  const remote = useForwardedFor ? req.header("x-forwarded-for") ?? req.remoteAddr : req.remoteAddr;
  const uri = req.scriptName + req.pathInfo + (req.query ? `?${req.query}` : "");
  const status = res ? String(res.status) : "500";
  const len = res ? res.headers.get("Content-Length") ?? String(byteLength(res.body)) : "0";
  const version = req.apiVersion && !req.apiVersion.isNull() ? req.apiVersion.toString() : "-";
  const seconds = (performance.now() - start) / 1000;
  return `${remote} "${req.method} ${uri}" status: ${status} len: ${len} ` +
    `microversion: ${version} time: ${seconds.toFixed(6)}`;
}

/**
 * The request fields oslo.log shows for a request: only once an auth filter
 * has built nova's RequestContext (before that oslo.log writes `[-]`).
 */
export function logContext(req: ApiRequest): LogContext | null {
  if (req.context === null) return null;
  return {
    requestId: req.requestId,
    globalRequestId: req.globalRequestId,
    ...identityOf(req.context),
  };
}
