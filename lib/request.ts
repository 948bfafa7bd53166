/**
 * The request object that flows down a paste pipeline: what a WSGI environ
 * holds in nova (method, SCRIPT_NAME/PATH_INFO, headers, url scheme, the
 * request id, the auth context, the microversion), as typed fields.
 *
 * Mirrors the parts of webob.Request that nova's middleware reads.
 *
 * @module
 */

import type { ApiVersion } from "./compute/api_version.ts";

/** Thrown by a body reader when the body is larger than the limit given. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body is larger than ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/** Reads a request body once; the server supplies it, tests use {@link bodyFrom}. */
export interface BodyReader {
  /** The declared Content-Length, or `null` when absent (chunked or no body). */
  readonly contentLength: number | null;
  /** True when the body is sent with Transfer-Encoding: chunked. */
  readonly chunked: boolean;
  /**
   * Reads the whole body. Rejects with {@link BodyTooLargeError} as soon as
   * more than `limit` bytes arrive, without buffering past the limit.
   */
  read(limit?: number): Promise<Uint8Array>;
  /**
   * Reads the body piece by piece, without holding it whole (uploads). A
   * chunk is valid until the next one is asked for (copy it to keep it):
   * the reader reuses its buffers. Throws {@link BodyTooLargeError} before
   * reading when Content-Length is over `limit`, else as soon as more than
   * `limit` bytes arrive. A body is read once: by `read` or by `stream`.
   * Optional: use {@link bodyChunks}, which falls back to `read`.
   */
  stream?(limit?: number): AsyncIterable<Uint8Array>;
}

/** The body's chunks: its `stream` when it has one, else its `read` in one chunk. */
export async function* bodyChunks(
  body: BodyReader,
  limit?: number,
): AsyncGenerator<Uint8Array, void, undefined> {
  if (body.stream) {
    yield* body.stream(limit);
    return;
  }
  const bytes = await body.read(limit);
  if (bytes.length > 0) yield bytes;
}

const EMPTY = new Uint8Array(0);

/** A body reader over bytes already in memory. */
export function bodyFrom(
  data: Uint8Array | string | null,
  options: { chunked?: boolean } = {},
): BodyReader {
  const bytes = data === null
    ? EMPTY
    : typeof data === "string"
    ? new TextEncoder().encode(data)
    : data;
  const chunked = options.chunked ?? false;
  return {
    contentLength: data === null || chunked ? null : bytes.length,
    chunked,
    read(limit?: number) {
      if (limit !== undefined && bytes.length > limit) {
        return Promise.reject(new BodyTooLargeError(limit));
      }
      return Promise.resolve(bytes);
    },
    async *stream(limit?: number) {
      if (limit !== undefined && bytes.length > limit) throw new BodyTooLargeError(limit);
      if (bytes.length > 0) yield bytes;
    },
  };
}

/** What authentication (noauth2 or keystonecontext) puts on the request: nova's RequestContext. */
export interface AuthContext {
  userId: string | null;
  projectId: string | null;
  userName?: string | null;
  projectName?: string | null;
  userDomainId?: string | null;
  projectDomainId?: string | null;
  domainId?: string | null;
  roles: string[];
  isAdmin: boolean;
  systemScope?: string | null;
  isAdminProject?: boolean;
  authToken?: string | null;
  serviceCatalog?: unknown[];
  remoteAddress: string;
  /** Extra fields some filters need (service roles, user auth plugin data). */
  extra?: Record<string, unknown>;
}

/** The fields a server or test must supply to build a request. */
export interface RequestInit {
  method: string;
  /** The decoded path (WSGI PATH_INFO before any urlmap split). */
  path: string;
  /** The raw query string, without `?`. */
  query?: string;
  headers?: Iterable<[string, string]>;
  scheme?: "http" | "https";
  /** Host and port the server listens on (SERVER_NAME / SERVER_PORT). */
  serverName?: string;
  serverPort?: number;
  remoteAddr?: string;
  httpVersion?: string;
  body?: BodyReader;
}

/** One HTTP request on its way down the pipeline. */
export class ApiRequest {
  method: string;
  /** WSGI SCRIPT_NAME: the part of the path already consumed by urlmap. */
  scriptName = "";
  /** WSGI PATH_INFO: the rest of the path. */
  pathInfo: string;
  query: string;
  /** Request headers, names lower-cased; repeated headers joined with ",". */
  readonly headers: Map<string, string>;
  /** wsgi.url_scheme (rewritten by http_proxy_to_wsgi). */
  scheme: "http" | "https";
  serverName: string;
  serverPort: number;
  remoteAddr: string;
  readonly httpVersion: string;
  body: BodyReader;

  /** oslo RequestId's local id (`req-<uuid>`), set by compute_req_id. */
  requestId: string | null = null;
  /** A valid inbound X-OpenStack-Request-Id (global request id). */
  globalRequestId: string | null = null;
  /** nova.context. */
  context: AuthContext | null = null;
  /** The microversion the request asked for; null before the API layer parses it. */
  apiVersion: ApiVersion | null = null;
  /** openstack.legacy_v2: set by legacy_v2_compatible. */
  legacyV2 = false;
  /** nova.best_content_type, set by urlmap. */
  bestContentType: string | null = null;
  /**
   * Set by the server for requests it serves (WSGI's `eventlet.input`): its
   * access log covers them, so request_log stays quiet as under eventlet.
   */
  eventletInput = false;
  #environ: Map<string, unknown> | null = null;

  /** Free-form per-request values (keystone token data, profiler info); made on first use. */
  get environ(): Map<string, unknown> {
    return this.#environ ??= new Map();
  }

  constructor(init: RequestInit) {
    this.method = init.method.toUpperCase();
    this.pathInfo = init.path;
    this.query = init.query ?? "";
    this.headers = new Map();
    for (const [k, v] of init.headers ?? []) {
      const key = k.toLowerCase();
      const prev = this.headers.get(key);
      this.headers.set(key, prev === undefined ? v : `${prev},${v}`);
    }
    this.scheme = init.scheme ?? "http";
    this.serverName = init.serverName ?? "127.0.0.1";
    this.serverPort = init.serverPort ?? (this.scheme === "https" ? 443 : 80);
    this.remoteAddr = init.remoteAddr ?? "127.0.0.1";
    this.httpVersion = init.httpVersion ?? "HTTP/1.1";
    this.body = init.body ?? bodyFrom(null);
  }

  /** A request header (case-insensitive), or `null`. */
  header(name: string): string | null {
    return this.headers.get(name.toLowerCase()) ?? null;
  }

  /** webob's `req.host`: the Host header, else SERVER_NAME:PORT. */
  get host(): string {
    const host = this.headers.get("host");
    if (host) return host;
    const defaultPort = this.scheme === "https" ? 443 : 80;
    return this.serverPort === defaultPort
      ? this.serverName
      : `${this.serverName}:${this.serverPort}`;
  }

  /** webob's `req.host_url`: scheme and host, with a default port left out. */
  get hostUrl(): string {
    let host = this.host;
    const colon = host.lastIndexOf(":");
    if (colon > 0 && !host.endsWith("]")) {
      const port = host.slice(colon + 1);
      if (
        (this.scheme === "http" && port === "80") || (this.scheme === "https" && port === "443")
      ) {
        host = host.slice(0, colon);
      }
    }
    return `${this.scheme}://${host}`;
  }

  /** webob's `req.application_url`: host_url + SCRIPT_NAME. */
  get applicationUrl(): string {
    return this.hostUrl + quotePath(this.scriptName);
  }

  /** webob's `req.path_url`: application_url + PATH_INFO. */
  get pathUrl(): string {
    return this.applicationUrl + quotePath(this.pathInfo);
  }

  /** webob's `req.url`: the full URL with the query string. */
  get url(): string {
    return this.query ? `${this.pathUrl}?${this.query}` : this.pathUrl;
  }

  /** webob's `req.path`: SCRIPT_NAME + PATH_INFO, quoted. */
  get path(): string {
    return quotePath(this.scriptName) + quotePath(this.pathInfo);
  }

  /** webob's `req.path_qs`. */
  get pathQs(): string {
    return this.query ? `${this.path}?${this.query}` : this.path;
  }
}

// webob quotes paths with urllib's quote(safe="/:@&+$,") semantics.
const PATH_UNSAFE = /[^A-Za-z0-9_.\-~\/:@&+$,]/;
const PATH_UNSAFE_ALL = new RegExp(PATH_UNSAFE.source, "gu");

/** Percent-encodes a decoded path the way webob rebuilds URLs. */
export function quotePath(path: string): string {
  if (!PATH_UNSAFE.test(path)) return path;
  return path.replace(PATH_UNSAFE_ALL, (c) => {
    const bytes = new TextEncoder().encode(c);
    return Array.from(bytes, (b) => "%" + b.toString(16).toUpperCase().padStart(2, "0")).join("");
  });
}
