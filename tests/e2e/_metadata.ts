/**
 * Helpers of the metadata API end-to-end tests: a novalet serving both
 * the compute API and the metadata API, requests to the metadata
 * listener (by fetch, or over a socket bound to a chosen source address
 * so that the server sees an instance's fixed IP as the client), the
 * proxy's signature, and the fake hypervisor's config drives.
 *
 * @module
 */

import net from "node:net";
import { DatabaseSync } from "node:sqlite";
import { hmacSha256Hex } from "../../lib/hash.ts";
import type { Novalet } from "../_server.ts";
import { startServersNovalet } from "./_servers.ts";

/** A novalet with the metadata API on and the URL of its metadata listener. */
export interface MetadataNovalet {
  readonly n: Novalet;
  readonly md: string;
}

/** A metadata answer: status, headers and the body's exact bytes. */
export interface MdAnswer {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
  text: string;
}

/** Starts novalet with `enabled_apis = osapi_compute,metadata` (plus `config`). */
export async function startMetadataNovalet(config = ""): Promise<MetadataNovalet> {
  const n = await startServersNovalet(
    `[DEFAULT]\nenabled_apis = osapi_compute,metadata\nmetadata_listen = 127.0.0.1\n` +
      `metadata_listen_port = 0\n${config}`,
  );
  try {
    return { n, md: await n.apiUrl("metadata") };
  } catch (err) {
    await n.stop();
    throw err;
  }
}

/** Runs `fn` against a fresh metadata novalet, stopping it afterwards. */
export async function withMetadata(
  fn: (m: MetadataNovalet) => Promise<void>,
  config = "",
): Promise<void> {
  const m = await startMetadataNovalet(config);
  try {
    await fn(m);
  } finally {
    await m.n.stop();
  }
}

/** One request to the metadata listener (no Accept header unless given: webob's plain text). */
export async function mdRequest(
  md: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array } = {},
): Promise<MdAnswer> {
  const headers = new Headers(init.headers);
  if (!headers.has("accept")) headers.set("accept", "text/plain");
  const res = await fetch(`${md}${path}`, {
    method: init.method ?? "GET",
    headers,
    body: init.body as BodyInit | undefined,
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, text: new TextDecoder().decode(bytes) };
}

/** GET `path` as the instance whose fixed IP is `ip` (X-Forwarded-For, with use_forwarded_for). */
export function mdGetAs(md: string, ip: string, path: string): Promise<MdAnswer> {
  return mdRequest(md, path, { headers: { "X-Forwarded-For": ip } });
}

/** X-Instance-ID-Signature: HMAC-SHA256 of the instance id under the shared secret. */
export function sign(secret: string, instanceId: string): string {
  return hmacSha256Hex(secret, instanceId);
}

/**
 * GET `path` over a TCP connection whose source address is `localAddress`
 * (a 127.x address on the loopback interface), as an instance on that
 * address would: the server sees it as REMOTE_ADDR.
 */
export function mdGetFrom(md: string, localAddress: string, path: string): Promise<MdAnswer> {
  const url = new URL(md);
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    const socket = net.connect(
      { host: url.hostname, port: Number(url.port), localAddress },
      () =>
        socket.end(
          `GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`,
        ),
    );
    socket.on("data", (chunk: Uint8Array) => chunks.push(new Uint8Array(chunk)));
    socket.on("error", reject);
    socket.on("end", () => resolve(parseResponse(concat(chunks))));
  });
}

function parseResponse(raw: Uint8Array): MdAnswer {
  const text = new TextDecoder("latin1").decode(raw);
  const end = text.indexOf("\r\n\r\n");
  const [statusLine, ...lines] = text.slice(0, end).split("\r\n");
  const headers = new Headers(lines.map((l) => {
    const i = l.indexOf(":");
    return [l.slice(0, i), l.slice(i + 1).trim()] as [string, string];
  }));
  const bytes = raw.slice(end + 4);
  return {
    status: Number(statusLine.split(" ")[1]),
    headers,
    bytes,
    text: new TextDecoder().decode(bytes),
  };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The fake hypervisor's config drive of `uuid`: path → bytes (read from the state database). */
export function configDriveOf(n: Novalet, uuid: string): Map<string, Uint8Array> {
  const db = new DatabaseSync(`${n.stateDir}/nova.sqlite`, { readOnly: true });
  try {
    const rows = db.prepare(
      "SELECT path, data FROM fake_config_drives WHERE instance_uuid = ? ORDER BY rowid",
    ).all(uuid) as { path: string; data: Uint8Array }[];
    return new Map(rows.map((r) => [r.path, new Uint8Array(r.data)]));
  } finally {
    db.close();
  }
}

/** The first fixed IP and MAC of a server view (`addresses`, 2.1). */
// deno-lint-ignore no-explicit-any
export function fixedIpOf(server: any): { addr: string; mac: string } {
  const first = (Object.values(server.addresses)[0] as Record<string, string>[])[0];
  return { addr: first.addr, mac: first["OS-EXT-IPS-MAC:mac_addr"] };
}

/** Bytes as base64 (for user_data). */
export function b64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Waits (up to 5 s) until the server's log matches `pattern` (its lines are written in bursts). */
export async function waitForLog(n: Novalet, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const log = n.log();
    if (pattern.test(log)) return log;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`the log never matched ${pattern}:\n${n.log()}`);
}
