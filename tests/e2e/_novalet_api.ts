/**
 * A small compute API client for end-to-end tests of the flavor, keypair
 * and image APIs: noauth2 tokens, microversion header, JSON bodies.
 *
 * @module
 */

import type { Novalet } from "../_server.ts";

/** noauth2 tokens: an admin and a member of another project. */
export const ADMIN = "admin:admin";
export const DEMO = "demo:demoproject";

/** One answer: status, headers, the raw text and the parsed JSON (null when empty). */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // deno-lint-ignore no-explicit-any
  json: any;
}

/** Request options. */
export interface CallOptions {
  token?: string;
  /** `OpenStack-API-Version: compute <version>`. */
  version?: string;
  /** A JSON-able body, or raw text. */
  body?: unknown;
}

/** Sends `method path` to the server and reads the whole answer. */
export async function call(
  n: Novalet,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = {
    Accept: "application/json",
    "X-Auth-Token": options.token ?? ADMIN,
  };
  if (options.version) headers["OpenStack-API-Version"] = `compute ${options.version}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  }
  const res = await fetch(`${n.url}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : null };
}

/** The `message` of a nova fault body (`{"badRequest": {"message": ...}}`). */
export function faultMessage(answer: Answer): string {
  const [fault] = Object.values(answer.json as Record<string, { message: string }>);
  return fault.message;
}
