/**
 * Shared pieces of the filter tests: a nova.conf from text, requests, a
 * trivial downstream app that records what it saw, and header lists.
 *
 * @module
 */

import type { App, FactoryContext, FilterFactory, LocalConf } from "../../lib/app.ts";
import { Conf } from "../../lib/config/conf.ts";
import { ApiRequest, type RequestInit } from "../../lib/request.ts";
import { ApiResponse, jsonResponse } from "../../lib/response.ts";

/** A factory context over nova.conf text. */
export function context(text = ""): FactoryContext {
  return { conf: Conf.load([{ name: "t", text }]) };
}

/** The capture client's headers, sent first unless the test gives its own. */
const CAPTURE_HEADERS: [string, string][] = [
  ["Host", "127.0.0.1:18774"],
  ["User-Agent", "nova-ref-capture/1.0"],
  ["Accept", "application/json"],
];

/** A request as the recorded cases send it: capture headers first, then `headers`. */
export function request(
  method: string,
  path: string,
  headers: [string, string][] = [],
  extra: Partial<RequestInit> = {},
): ApiRequest {
  const given = new Set(headers.map(([k]) => k.toLowerCase()));
  const defaults = CAPTURE_HEADERS.filter(([k]) => !given.has(k.toLowerCase()));
  return new ApiRequest({
    method,
    path,
    headers: [...defaults, ...headers],
    serverPort: 18774,
    ...extra,
  });
}

/** A request as urlmap hands it to a pipeline mounted at `scriptName`. */
export function mounted(req: ApiRequest, scriptName: string): ApiRequest {
  req.scriptName = scriptName;
  req.pathInfo = req.pathInfo.slice(scriptName.length);
  return req;
}

/** What the downstream app saw. */
export interface Seen {
  requests: ApiRequest[];
}

/** A downstream app answering `respond()` (default: a 200 JSON body) and recording its calls. */
export function downstream(respond: (req: ApiRequest) => ApiResponse | Promise<ApiResponse> = ok): {
  app: App;
  seen: Seen;
} {
  const seen: Seen = { requests: [] };
  const app: App = async (req) => {
    seen.requests.push(req);
    return await respond(req);
  };
  return { app, seen };
}

/** A 200 with `{"ok": true}` in nova's success header order. */
export function ok(): ApiResponse {
  return jsonResponse(200, { ok: true });
}

/** A downstream app that throws `err`. */
export function throwing(err: unknown): App {
  return () => Promise.reject(err);
}

/** Builds the filter from a factory and wraps `app`. */
export function wrap(
  factory: FilterFactory,
  app: App,
  options: { conf?: string; local?: LocalConf } = {},
): App {
  return factory(context(options.conf), {}, options.local ?? {})(app);
}

/** The response headers as plain pairs, in order. */
export function pairs(res: ApiResponse): [string, string][] {
  return res.headers.entries().map(([k, v]) => [k, v]);
}

/** The header names as the server writes them (eventlet title-cases each word). */
export function wireNames(res: ApiResponse): string[] {
  return res.headers.entries().map(([k]) =>
    k.split("-").map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join("-")
  );
}

/** nova's success headers for a versioned answer (case 006's order, before the request ids). */
export function versionedOk(body = '{"ok": true}'): ApiResponse {
  return new ApiResponse(200, [
    ["Content-Length", String(body.length)],
    ["Content-Type", "application/json"],
    ["OpenStack-API-Version", "compute 2.1"],
    ["X-OpenStack-Nova-API-Version", "2.1"],
    ["Vary", "OpenStack-API-Version"],
    ["Vary", "X-OpenStack-Nova-API-Version"],
  ], body);
}
