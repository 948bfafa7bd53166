/**
 * Helpers of the image service end-to-end tests: a novalet serving the
 * compute API and the image API (noauth2, devstack's flavors), and calls to
 * the image API as admin, demo or alt.
 *
 * @module
 */

import { type Novalet, startNovalet } from "../_server.ts";

export const ADMIN = "admin:admin";
export const DEMO = "demo:demoproject";
export const ALT = "alt:altproject";
export const PATCH_TYPE = "application/openstack-images-v2.1-json-patch";

/** A novalet with its image API's URL. */
export interface ImageNovalet {
  readonly n: Novalet;
  /** `http://127.0.0.1:PORT` of the image API. */
  readonly image: string;
}

/** Starts novalet with the compute and image APIs (plus `config`). */
export async function startImageNovalet(config = "", stateDir?: string): Promise<ImageNovalet> {
  const n = await startNovalet({
    stateDir,
    config: "[DEFAULT]\nenabled_apis = osapi_compute,image\nimage_listen = 127.0.0.1\n" +
      "image_listen_port = 0\n[api]\nauth_strategy = noauth2\n[novalet]\nseed_flavors = true\n" +
      config,
  });
  try {
    return { n, image: await n.apiUrl("image") };
  } catch (err) {
    await n.stop();
    throw err;
  }
}

/** An answer of the image API. */
export interface ImageAnswer {
  status: number;
  headers: Headers;
  text: string;
  // deno-lint-ignore no-explicit-any
  json: any;
}

/** Options of one image API call. */
export interface ImageCall {
  token?: string | null;
  /** JSON body (sent as application/json unless `contentType` says otherwise). */
  json?: unknown;
  body?: BodyInit;
  contentType?: string;
  headers?: Record<string, string>;
}

/** One call to the image API. */
export async function img(
  s: ImageNovalet,
  method: string,
  path: string,
  o: ImageCall = {},
): Promise<ImageAnswer> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.token !== null) headers["X-Auth-Token"] = o.token ?? DEMO;
  let body = o.body;
  if (o.json !== undefined) {
    body = JSON.stringify(o.json);
    headers["Content-Type"] = o.contentType ?? "application/json";
  } else if (o.contentType) headers["Content-Type"] = o.contentType;
  const res = await fetch(`${s.image}${path}`, { method, headers, body });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, text, json };
}

/** Creates an image (201 expected) and returns its view. */
export async function createImage(
  s: ImageNovalet,
  fields: Record<string, unknown> = {},
  token = DEMO,
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const res = await img(s, "POST", "/v2/images", {
    token,
    json: { name: "test", disk_format: "qcow2", container_format: "bare", ...fields },
  });
  if (res.status !== 201) throw new Error(`create: ${res.status} ${res.text}`);
  return res.json;
}

/** Uploads `data` as the image's file; returns the answer. */
export function upload(
  s: ImageNovalet,
  id: string,
  data: BodyInit,
  token = DEMO,
): Promise<ImageAnswer> {
  return img(s, "PUT", `/v2/images/${id}/file`, {
    token,
    body: data,
    contentType: "application/octet-stream",
  });
}

/** Text of a webob error page as JSON: its message without the trailing breaks. */
export function errorMessage(res: ImageAnswer): string {
  return String(res.json?.message ?? "").replace(/<br \/><br \/>\n*$/, "");
}

/** A process's resident memory (VmRSS or VmHWM, KiB) from /proc. */
export function memoryKiB(pid: number, field: "VmRSS" | "VmHWM" = "VmRSS"): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]);
}
