/**
 * Whether an error answer has one of the shapes the nova 26 stack gives
 * its errors: a nova fault (`{"badRequest": {"code": 400, "message":
 * ...}}`), a webob error page (JSON, HTML or plain text by Accept, empty
 * for HEAD), eventlet's bare answers (`HTTP/1.0 400 Bad Request`, the 414)
 * or http.server's error page. Any answer must also be free of stack
 * traces and SQL.
 *
 * @module
 */

import { FAULT_NAMES } from "../../lib/errors.ts";
import { bodyText, header, type RawResponse } from "../raw_http.ts";

const LEAKS =
  /Traceback|at file:\/\/|at async |\.ts:\d+|SQLITE|sqlite|SELECT .* FROM|node:internal/;

/** What is wrong with an answer's shape, or null. `head`: the request was a HEAD. */
export function shapeProblem(res: RawResponse, head: boolean): string | null {
  const text = bodyText(res);
  if (LEAKS.test(text)) return `leaks internals: ${text.slice(0, 200)}`;
  if (res.status < 400) return null;
  if (res.status >= 500) return `${res.status} ${text.slice(0, 300)}`;
  if (res.version === "") {
    return text.includes("<title>Error response</title>") ? null : "an answer without status line";
  }
  if (res.version === "HTTP/1.0") return eventletBare(res);
  const type = header(res, "Content-Type");
  if (head) return res.body.length === 0 ? null : "a body in the answer to HEAD";
  switch (type) {
    case "application/json; charset=UTF-8":
      return novaFault(res, text);
    case "application/json":
      return webobJson(res, text);
    case "text/html; charset=UTF-8":
      return text.startsWith("<html>") && text.includes(`<h1>${res.status} ${res.reason}</h1>`)
        ? null
        : `not webob's HTML page: ${text.slice(0, 200)}`;
    case "text/plain; charset=UTF-8":
      return text.startsWith(`${res.status} ${res.reason}\n\n`)
        ? null
        : `not webob's plain page: ${text.slice(0, 200)}`;
    case "text/html;charset=utf-8":
      return text.includes("<title>Error response</title>") ? null : "not http.server's page";
    default:
      return `a ${res.status} with Content-Type ${type}: ${text.slice(0, 200)}`;
  }
}

function eventletBare(res: RawResponse): string | null {
  const length = header(res, "Content-length") ?? header(res, "Content-Length");
  if (header(res, "Connection") !== "close" || length !== "0") return "not eventlet's bare answer";
  return [400, 414].includes(res.status) ? null : `eventlet answered ${res.status}`;
}

function novaFault(res: RawResponse, text: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `a fault that is not JSON: ${text.slice(0, 200)}`;
  }
  const name = FAULT_NAMES[res.status] ?? "computeFault";
  const fault = (body as Record<string, Record<string, unknown>>)?.[name];
  if (
    !fault || Object.keys(body as object).length !== 1 || fault.code !== res.status ||
    typeof fault.message !== "string"
  ) return `not a nova fault ${name}: ${text.slice(0, 200)}`;
  return null;
}

function webobJson(res: RawResponse, text: string): string | null {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    return `a webob page that is not JSON: ${text.slice(0, 200)}`;
  }
  const keys = Object.keys(body).sort().join(",");
  if (
    keys !== "code,message,title" || body.code !== `${res.status} ${res.reason}` ||
    typeof body.message !== "string"
  ) return `not webob's JSON page: ${text.slice(0, 200)}`;
  return null;
}
