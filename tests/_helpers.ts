/**
 * Small builders shared by in-process tests.
 *
 * @module
 */

import { Conf } from "../lib/config/conf.ts";
import { ApiRequest, bodyFrom } from "../lib/request.ts";
import type { ApiResponse } from "../lib/response.ts";

/** A Conf from nova.conf text (nothing else applied). */
export function confFrom(text = ""): Conf {
  return Conf.load([{ name: "test.conf", text }]);
}

/** Builds a request as the server would: path and query split, optional JSON body. */
export function makeRequest(
  method: string,
  target: string,
  options: {
    headers?: Record<string, string> | [string, string][];
    body?: string | null;
    chunked?: boolean;
  } = {},
): ApiRequest {
  const q = target.indexOf("?");
  const path = q < 0 ? target : target.slice(0, q);
  const headers = Array.isArray(options.headers)
    ? options.headers
    : Object.entries(options.headers ?? {});
  const hasHost = headers.some(([k]) => k.toLowerCase() === "host");
  return new ApiRequest({
    method,
    path: decodeURIComponent(path),
    query: q < 0 ? "" : target.slice(q + 1),
    headers: hasHost ? headers : [["Host", "127.0.0.1:8774"], ...headers],
    serverName: "127.0.0.1",
    serverPort: 8774,
    body: options.body === undefined
      ? undefined
      : bodyFrom(options.body, { chunked: options.chunked }),
  });
}

/** The response body parsed as JSON. */
export function jsonOf(res: ApiResponse): unknown {
  return JSON.parse(res.text());
}

/** Header pairs as `name: value` lines, for compact order assertions. */
export function headerLines(res: ApiResponse): string[] {
  return res.headers.entries().map(([k, v]) => `${k}: ${v}`);
}
