/**
 * nova's `wsgi.Resource`: what happens between the router and a controller
 * method. In order: the microversion (400/406), the Content-Type (415), the
 * method or action lookup (404 / "There is no such action"), the JSON body
 * ("Malformed request body"), the project id in the URL, the call itself
 * with nova's exception mapping and `expected_errors`, and the response with
 * the microversion headers.
 *
 * Controllers are data: a {@link ControllerSpec} names each method's
 * handlers per version range, its status code and expected errors.
 *
 * Mirrors nova/api/openstack/wsgi.py.
 *
 * @module
 */

import type { App } from "../app.ts";
import { faultResponse, HttpError } from "../errors.ts";
import { getLogger } from "../log.ts";
import { parseJsonBody } from "../http/json_body.ts";
import type { ApiRequest } from "../request.ts";
import { ApiResponse, pyJson } from "../response.ts";
import { ApiVersion, MIN_VERSION, negotiateVersion } from "./api_version.ts";
import { InstanceInvalidState, InstanceNotReady, NovaException } from "./servers/errors.ts";

const LOG = getLogger("nova.api.openstack.wsgi");

const SUPPORTED_CONTENT_TYPES = ["application/json", "application/vnd.openstack.compute+json"];
const ROUTES_METHODS = new Set(["create", "delete", "show", "update", "action"]);

/** What a handler gets: the request, the URL variables and the parsed body. */
export interface HandlerArgs {
  readonly req: ApiRequest;
  readonly params: Readonly<Record<string, string>>;
  /** The JSON body for POST/PUT (`null` when none was sent), else `undefined`. */
  readonly body: unknown;
}

/** A handler's result: a JSON-able object, nothing, a {@link Reply}, or a finished response. */
export type HandlerResult = Record<string, unknown> | null | undefined | Reply | ApiResponse;

export type Handler = (args: HandlerArgs) => HandlerResult | Promise<HandlerResult>;

/** nova's `ResponseObject`: a body with an explicit status or extra headers. */
export class Reply {
  constructor(
    readonly obj: unknown,
    readonly status?: number,
    readonly headers: [string, string][] = [],
  ) {}
}

/** One implementation of a method for a microversion range (`@api_version`). */
export interface VersionedHandler {
  readonly min?: string;
  readonly max?: string;
  readonly handler: Handler;
  /** `@wsgi.response(code)` for this version, overriding the method's. */
  readonly status?: number;
}

/** A controller method or action. */
export interface MethodSpec {
  /** A single handler, or versioned ones (first whose range matches wins). */
  readonly handler: Handler | readonly VersionedHandler[];
  /** `@wsgi.response(code)`; 200 when unset. */
  readonly status?: number;
  /**
   * `@wsgi.expected_errors(...)`, as nova declares it. nova turns other
   * HttpErrors into its 500 "Unexpected API Error"; novalet lets them
   * through (see {@link mapError}), so this documents nova's intent.
   */
  readonly expectedErrors?: readonly number[];
}

/** A controller: its methods by action name, and the `@wsgi.action` handlers. */
export interface ControllerSpec {
  readonly name: string;
  /** The root versions document is outside microversion control (`support_api_request_version = False`). */
  readonly unversioned?: boolean;
  readonly methods: Readonly<Record<string, MethodSpec>>;
  /** Body-keyed actions for `POST .../action`, merged from sub-controllers as nova does. */
  readonly actions?: Readonly<Record<string, MethodSpec>>;
}

/** Builds the WSGI app for one (controller, action) route target. */
export function resource(
  controller: ControllerSpec,
  action: string,
): (req: ApiRequest, params: Record<string, string>) => Promise<ApiResponse> {
  return (req, params) => callResource(controller, action, req, params);
}

async function callResource(
  controller: ControllerSpec,
  action: string,
  req: ApiRequest,
  params: Record<string, string>,
): Promise<ApiResponse> {
  if (!controller.unversioned) {
    try {
      const negotiated = negotiateVersion((name) => req.header(name));
      req.apiVersion = negotiated.version;
      if (negotiated.error) return fault(req, negotiated.error);
    } catch (err) {
      if (err instanceof HttpError) return fault(req, err);
      throw err;
    }
  }
  if (!contentTypeSupported(req)) return fault(req, new HttpError(415, "Unsupported Content-Type"));
  const rawBody = hasBody(req) ? await readBody(req) : NO_BODY;
  const lookup = findMethod(controller, action, rawBody);
  if (lookup instanceof HttpError) return fault(req, lookup);
  let body: unknown;
  try {
    body = parseBody(req, rawBody);
  } catch (err) {
    if (err instanceof HttpError) return fault(req, err);
    throw err;
  }
  const projectId = params.project_id;
  const rest = projectId === undefined ? params : withoutProjectId(params);
  const ctx = req.context;
  if (ctx && projectId && projectId !== ctx.projectId) {
    return fault(
      req,
      new HttpError(
        400,
        `Malformed request URL: URL's project_id '${projectId}' doesn't match Context's project_id '${ctx.projectId}'`,
      ),
    );
  }
  const answer = dispatch(req, lookup, { req, params: rest, body });
  // Most handlers answer synchronously: no extra turn of the event loop for them.
  return answer instanceof Promise ? await answer : answer;
}

function withoutProjectId(params: Record<string, string>): Record<string, string> {
  const { project_id: _, ...rest } = params;
  return rest;
}

function contentTypeSupported(req: ApiRequest): boolean {
  const header = req.header("content-type");
  if (header === null) return true;
  // NOTE(parity): webob's content_type keeps case and surrounding spaces.
  const type = header.split(";", 1)[0];
  if (type === "" || type === "text/plain") return true;
  return SUPPORTED_CONTENT_TYPES.includes(type);
}

const NO_BODY = new Uint8Array(0);

function hasBody(req: ApiRequest): boolean {
  const length = req.body.contentLength;
  return length === null ? req.body.chunked : length > 0;
}

function readBody(req: ApiRequest): Promise<Uint8Array> {
  return req.body.read();
}

function findMethod(
  controller: ControllerSpec,
  action: string,
  rawBody: Uint8Array,
): MethodSpec | HttpError {
  const method = controller.methods[action];
  if (method) return method;
  if (!controller.actions || !ROUTES_METHODS.has(action)) return new HttpError(404);
  let name = action;
  if (action === "action") {
    const peeked = actionPeek(rawBody);
    if (peeked instanceof HttpError) return peeked;
    name = peeked;
  }
  return controller.actions[name] ?? new HttpError(400, `There is no such action: ${name}`);
}

/** nova's `action_peek`: the single key of the action body. */
function actionPeek(rawBody: Uint8Array): string | HttpError {
  let decoded: unknown;
  try {
    decoded = parseJsonBody(decodeUtf8(rawBody));
  } catch {
    return new HttpError(400, "Malformed request body");
  }
  if (decoded === null || typeof decoded !== "object") return new HttpError(404);
  if (Array.isArray(decoded)) {
    // NOTE(parity): a one-item list reaches `.keys()` and fails with an
    // AttributeError, which nova answers as 404; other lengths are malformed.
    return decoded.length === 1 ? new HttpError(404) : new HttpError(400, "Malformed request body");
  }
  const keys = Object.keys(decoded);
  if (keys.length !== 1) return new HttpError(400, "Malformed request body");
  return keys[0];
}

function parseBody(req: ApiRequest, rawBody: Uint8Array): unknown {
  // Only POST and PUT carry a body nova reads (plain compares: cheaper than a Set).
  if (req.method !== "POST" && req.method !== "PUT") return undefined;
  // NOTE(parity): nova reads a body only when Content-Length > 0, so a
  // chunked body is treated as no body at all.
  const length = req.body.contentLength;
  if (length === null || length === 0) return null;
  try {
    return parseJsonBody(decodeUtf8(rawBody));
  } catch {
    throw new HttpError(400, "Malformed request body");
  }
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function decodeUtf8(bytes: Uint8Array): string {
  return UTF8.decode(bytes);
}

/** Runs the handler; the answer is a promise only when the handler's is. */
function dispatch(
  req: ApiRequest,
  spec: MethodSpec,
  args: HandlerArgs,
): ApiResponse | Promise<ApiResponse> {
  const chosen = chooseHandler(spec, req.apiVersion ?? MIN_VERSION);
  if (!chosen) return fault(req, new HttpError(404));
  const status = chosen.status ?? spec.status ?? 200;
  let result: HandlerResult | Promise<HandlerResult>;
  try {
    result = chosen.handler(args);
  } catch (err) {
    return fault(req, mapError(err));
  }
  if (!(result instanceof Promise)) return respond(req, result, status);
  return result.then(
    (value) => respond(req, value, status),
    (err) => fault(req, mapError(err)),
  );
}

function chooseHandler(
  spec: MethodSpec,
  version: ApiVersion,
): { handler: Handler; status?: number } | null {
  if (typeof spec.handler === "function") return { handler: spec.handler };
  for (const v of spec.handler) {
    const min = v.min ? ApiVersion.of(v.min) : ApiVersion.NULL;
    const max = v.max ? ApiVersion.of(v.max) : ApiVersion.NULL;
    if (version.matches(min, max)) return v;
  }
  return null;
}

/**
 * `expected_errors` plus `ResourceExceptionHandler`: what reaches the client.
 *
 * nova answers 500 "Unexpected API Error" for an HTTP error its decorator
 * does not list, and for a NovaException its controller does not catch;
 * novalet answers them as a correct nova would: the HTTP error as raised,
 * the exception with its own 4xx code (`ResourceExceptionHandler`'s
 * treatment of `Invalid`), a state error as the 409 of
 * `raise_http_conflict_for_instance_invalid_state`. The 500 is left for
 * real bugs (anything else), logged with its stack, its text never shown.
 */
function mapError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof NovaException && err.code < 500) {
    const stateError = err instanceof InstanceInvalidState || err instanceof InstanceNotReady;
    return new HttpError(stateError ? 409 : err.code, err.message);
  }
  LOG.exception("Unexpected exception in API method", err);
  return new HttpError(
    500,
    "Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the " +
      `Nova API log if possible.${novaClassLine(err)}`,
  );
}

/**
 * nova's `\n<class '...'>` line, for a nova exception only: what a bug of
 * novalet's own throws (a TypeError, ...) is not the client's business.
 */
function novaClassLine(err: unknown): string {
  if (!(err instanceof NovaException)) return "";
  const name = err.constructor.name;
  return `\n<class '${name.includes(".") ? name : `nova.exception.${name}`}'>`;
}

function respond(req: ApiRequest, result: HandlerResult, defaultStatus: number): ApiResponse {
  let res: ApiResponse;
  if (result instanceof ApiResponse) {
    res = result;
  } else {
    const reply = result instanceof Reply ? result : new Reply(result ?? null);
    const body = reply.obj === null || reply.obj === undefined ? "" : pyJson(reply.obj);
    res = new ApiResponse(reply.status ?? defaultStatus, [[
      "Content-Length",
      String(body.length), // pyJson writes ASCII only: characters are bytes
    ]], body);
    for (const [k, v] of reply.headers) res.headers.set(k, v);
    res.headers.set("Content-Type", "application/json");
  }
  addVersionHeaders(req, res);
  return res;
}

/** The microversion headers nova adds to every versioned answer. */
export function addVersionHeaders(req: ApiRequest, res: ApiResponse): void {
  const version = req.apiVersion;
  if (!version || version.isNull()) return;
  res.headers.set("OpenStack-API-Version", `compute ${version}`);
  res.headers.set("X-OpenStack-Nova-API-Version", version.toString());
  res.headers.add("Vary", "OpenStack-API-Version");
  res.headers.add("Vary", "X-OpenStack-Nova-API-Version");
}

function fault(req: ApiRequest, err: HttpError): ApiResponse {
  return faultResponse(req, err.status, err.explanation, err.headers);
}

/** An App serving one controller method regardless of routing (versions documents). */
export function resourceApp(controller: ControllerSpec, action: (req: ApiRequest) => string): App {
  return (req) => callResource(controller, action(req), req, {});
}
