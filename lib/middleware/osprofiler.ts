/**
 * Request tracing with OSProfiler: a request that carries trace info
 * (`X-Trace-Info`, base64 JSON) signed with one of the configured keys
 * (`X-Trace-HMAC`, HMAC-SHA1 hex of the base64 text) is traced; anything
 * else, including a bad signature, passes untouched. Nothing is added to the
 * response. Off unless `[profiler] enabled` (or the paste key `enabled`).
 *
 * Mirrors nova/profiler.py (WsgiMiddleware) and osprofiler/web.py
 * (WsgiMiddleware) with osprofiler/_utils.py (`signed_unpack`).
 *
 * @module
 */

import { constantTimeEqual, hmacSha1Hex } from "../hash.ts";
import type { FilterFactory } from "../app.ts";
import type { ApiRequest } from "../request.ts";
import { PasteOptions } from "./_local_conf.ts";

/** `req.environ` key under which a valid trace is kept for the code below. */
export const ENV_TRACE = "osprofiler.trace";

/** What osprofiler's `profiler.init(**trace_info)` and its "wsgi" trace point hold. */
export interface TraceInfo {
  readonly baseId: string;
  readonly parentId: string | null;
  /** The key that signed the request: osprofiler signs the trace headers it sends on with it. */
  readonly hmacKey: string;
  /** The id of this request's "wsgi" trace point. */
  readonly traceId: string;
  readonly name: "wsgi";
  readonly info: {
    readonly request: { path: string; query: string; method: string; scheme: string };
  };
}

/**
 * paste.filter_factory for `nova.profiler:WsgiMiddleware.factory`. Reads
 * `[profiler] enabled` and `hmac_keys`; without `[profiler] enabled` the
 * paste keys `enabled` and `hmac_keys` decide, as osprofiler's own
 * middleware does. Sets `req.environ["osprofiler.trace"]` for a valid trace.
 *
 * NOTE(parity): osprofiler takes a paste `enabled` by Python truth (any
 * non-empty text, `false` included); here it is parsed as a boolean.
 *
 * @throws {ConfigError} for a paste `enabled` that is not a boolean
 * @returns the osprofiler filter (the next app itself when tracing is off)
 */
export const filterFactory: FilterFactory = (ctx, _globalConf, localConf) => {
  const profiler = ctx.conf.profiler;
  const local = new PasteOptions(localConf, "osprofiler");
  const enabled = profiler.enabled || local.bool("enabled", false);
  const globalKeys = profiler.enabled ? splitKeys(profiler.hmac_keys) : [];
  const hmacKeys = globalKeys.length > 0 ? globalKeys : splitKeys(local.str("hmac_keys", null));
  return (next) => {
    if (!enabled) return next;
    return async function osprofiler(req) {
      const trace = readTrace(req, hmacKeys);
      if (trace !== null) req.environ.set(ENV_TRACE, trace);
      return await next(req);
    };
  };
};

/** osprofiler's `utils.split`: comma-separated, stripped, empty items dropped. */
function splitKeys(text: string | null): string[] {
  return (text ?? "").split(",").map((k) => k.trim()).filter((k) => k !== "");
}

/** `signed_unpack` + `_trace_is_valid`, then the trace point of this request. */
export function readTrace(req: ApiRequest, hmacKeys: readonly string[]): TraceInfo | null {
  const data = req.header("x-trace-info");
  const signature = req.header("x-trace-hmac");
  if (data === null || signature === null) return null;
  const contents = signedUnpack(data, signature, hmacKeys);
  if (contents === null || !traceIsValid(contents.fields)) return null;
  return {
    baseId: String(contents.fields.base_id),
    parentId: contents.fields.parent_id === undefined ? null : String(contents.fields.parent_id),
    hmacKey: contents.hmacKey,
    traceId: crypto.randomUUID(),
    name: "wsgi",
    info: {
      request: { path: req.path, query: req.query, method: req.method, scheme: req.scheme },
    },
  };
}

/**
 * The decoded trace info when `signature` is the HMAC-SHA1 of `data` under
 * one of `hmacKeys` (compared in constant time); null otherwise.
 */
export function signedUnpack(
  data: string,
  signature: string,
  hmacKeys: readonly string[],
): { fields: Record<string, unknown>; hmacKey: string } | null {
  const given = signature.trim();
  if (hmacKeys.length === 0 || given === "") return null;
  for (const key of hmacKeys) {
    const expected = hmacSha1Hex(key, data);
    if (!constantTimeEqual(given, expected)) continue;
    const fields = decodeJson(data);
    return fields === null ? null : { fields, hmacKey: key };
  }
  return null;
}

/** `json.loads(base64.urlsafe_b64decode(data))`, which must give an object. */
function decodeJson(data: string): Record<string, unknown> | null {
  // Python's non-strict base64 skips characters outside the alphabet, then wants full quanta.
  const text = data.replace(/-/g, "+").replace(/_/g, "/").replace(/[^A-Za-z0-9+/=]/g, "");
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  try {
    const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? value as Record<string, unknown>
      : null;
  } catch {
    return null;
  }
}

/** `_trace_is_valid`: `base_id` required, `parent_id` optional, nothing else. */
function traceIsValid(fields: Record<string, unknown>): boolean {
  if (!("base_id" in fields)) return false;
  return Object.keys(fields).every((k) => k === "base_id" || k === "parent_id" || k === "hmac_key");
}
