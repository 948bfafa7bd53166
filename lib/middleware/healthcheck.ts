/**
 * The health check load balancers poll: a request whose path is exactly
 * `[healthcheck] path` is answered here (200 "OK", or 503 while a backend
 * reports the service unavailable); every other request goes on down.
 * Backends: `disable_by_file` (503 "DISABLED BY FILE" while
 * `disable_by_file_path` exists) and `disable_by_files_ports` (the same per
 * listening port). The answer is text, HTML or JSON by the Accept header,
 * with the markup oslo renders; HEAD gets no body.
 *
 * Mirrors oslo_middleware/healthcheck/__init__.py (Healthcheck),
 * disable_by_file.py and pluginbase.py.
 *
 * @module
 */

import { pathExists as statExists } from "../runtime.ts";
import type { AppFactory, FactoryContext, FilterFactory, GlobalConf, LocalConf } from "../app.ts";
import { ConfigError } from "../config/conf.ts";
import { getLogger } from "../log.ts";
import type { ApiRequest } from "../request.ts";
import { ApiResponse, byteLength } from "../response.ts";
import { acceptableOffers } from "../http/accept.ts";
import { PasteOptions } from "./_local_conf.ts";
import { type HealthResult, renderHtml, renderJson, renderText } from "./healthcheck_render.ts";

const LOG = getLogger("oslo_middleware.healthcheck");

type Backend = (req: ApiRequest) => Promise<HealthResult>;

interface Options {
  path: string;
  detailed: boolean;
  backends: Backend[];
}

/** Offers in oslo's order: the first is also the answer when nothing is acceptable. */
const OFFERS = ["text/plain", "text/html", "application/json"];

/**
 * paste.filter_factory for `egg:oslo.middleware#healthcheck`
 * (`oslo_middleware:Healthcheck.factory`). Reads the `[healthcheck]` group
 * (`path`, `detailed`, `backends`, `disable_by_file_path`,
 * `disable_by_file_paths`); paste keys of the same names override it.
 *
 * NOTE(parity): the filter compares `req.path` (SCRIPT_NAME + PATH_INFO),
 * so below the `/v2.1` mount it never matches `/healthcheck` (case 020).
 * Like oslo, it answers any method on that path, not only GET and HEAD.
 *
 * @throws {ConfigError} for a bad `detailed` or `disable_by_file_paths` value
 * @returns the healthcheck filter
 */
export const filterFactory: FilterFactory = (ctx, globalConf, localConf) => {
  const options = resolveOptions(ctx, globalConf, localConf);
  // For a plain path (the usual /healthcheck) the decoded path compares the
  // same as the quoted one, without quoting it on every request.
  const plain = /^[A-Za-z0-9_.\-~\/:@&+$,]*$/.test(options.path);
  return (next) =>
    async function healthcheck(req) {
      const path = plain ? req.scriptName + req.pathInfo : req.path;
      if (path !== options.path) return await next(req);
      return await answer(req, options);
    };
};

/**
 * paste.app_factory for `egg:oslo.middleware#healthcheck`
 * (`Healthcheck.app_factory`): answers every request, whatever its path.
 *
 * @throws {ConfigError} for a bad `detailed` or `disable_by_file_paths` value
 * @returns the healthcheck app
 */
export const appFactory: AppFactory = (ctx, globalConf, localConf) => {
  const options = resolveOptions(ctx, globalConf, localConf);
  return async function healthcheckApp(req) {
    return await answer(req, options);
  };
};

function resolveOptions(
  ctx: FactoryContext,
  globalConf: GlobalConf,
  localConf: LocalConf,
): Options {
  const local = PasteOptions.merged(globalConf, localConf, "healthcheck");
  const group = ctx.conf.healthcheck;
  return {
    path: local.str("path", group.path),
    detailed: local.bool("detailed", group.detailed),
    backends: local.list("backends", group.backends).flatMap((name) =>
      loadBackend(name, local, ctx)
    ),
  };
}

/** stevedore's NamedExtensionManager: an unknown name is skipped with a warning. */
function loadBackend(name: string, local: PasteOptions, ctx: FactoryContext): Backend[] {
  const group = ctx.conf.healthcheck;
  if (name === "disable_by_file") {
    return [disableByFile(local.str("disable_by_file_path", group.disable_by_file_path))];
  }
  if (name === "disable_by_files_ports") {
    return [
      disableByFilesPorts(
        portPaths(local.list("disable_by_file_paths", group.disable_by_file_paths)),
      ),
    ];
  }
  getLogger("stevedore.named").warning(`Could not load ${name}`);
  return [];
}

/** Healthcheck.process_request: run every backend, render by method and Accept. */
async function answer(req: ApiRequest, options: Options): Promise<ApiResponse> {
  const results = await Promise.all(options.backends.map((check) => check(req)));
  const healthy = results.every((r) => r.available);
  if (req.method === "HEAD") {
    // webob's Response drops Content-Type and Content-Length for a 204.
    return healthy ? new ApiResponse(204) : respond(503, "", "text/plain; charset=UTF-8");
  }
  const type = acceptableOffers(req.header("accept"), OFFERS)[0] ?? OFFERS[0];
  const status = healthy ? 200 : 503;
  if (type === "text/html") {
    return respond(status, renderHtml(results, options.detailed), "text/html; charset=UTF-8");
  }
  if (type === "application/json") {
    return respond(status, renderJson(results, options.detailed), "application/json");
  }
  return respond(status, renderText(results), "text/plain; charset=UTF-8");
}

function respond(status: number, body: string, contentType: string): ApiResponse {
  return new ApiResponse(status, [
    ["Content-Type", contentType],
    ["Content-Length", String(byteLength(body))],
  ], body);
}

/** DisableByFileHealthcheck. */
function disableByFile(path: string | null): Backend {
  return async () => {
    if (!path) {
      LOG.warning("DisableByFile healthcheck middleware enabled without disable_by_file_path set");
      return {
        available: true,
        reason: "OK",
        details: "No 'disable_by_file_path' configuration value specified",
      };
    }
    if (await pathExists(path)) {
      return { available: false, reason: "DISABLED BY FILE", details: `Path '${path}' was found` };
    }
    return { available: true, reason: "OK", details: `Path '${path}' was not found` };
  };
}

/** DisableByFilesPortsHealthcheck: the file of the port the request came in on. */
function disableByFilesPorts(files: Map<number, string>): Backend {
  return async (req) => {
    const path = files.get(req.serverPort);
    if (!path) {
      LOG.warning(
        "DisableByFilesPorts healthcheck middleware enabled without disable_by_file_paths " +
          `set for port ${req.serverPort}`,
      );
      return { available: true, reason: "OK", details: null };
    }
    if (await pathExists(path)) {
      return { available: false, reason: "DISABLED BY FILE", details: null };
    }
    return { available: true, reason: "OK", details: null };
  };
}

/**
 * `port:path` pairs of `disable_by_file_paths`.
 *
 * @throws {ConfigError} for an entry without a colon or with a port that is not an integer
 */
function portPaths(entries: readonly string[]): Map<number, string> {
  const files = new Map<number, string>();
  for (const raw of entries) {
    const entry = raw.trim();
    if (!entry) continue;
    const colon = entry.indexOf(":");
    const port = colon < 0 ? "" : entry.slice(0, colon);
    if (!/^\s*[+-]?\d+\s*$/.test(port)) {
      throw new ConfigError(
        `Invalid value for [healthcheck] disable_by_file_paths: ${JSON.stringify(entry)} ` +
          "(expected port:path)",
      );
    }
    files.set(Number(port), entry.slice(colon + 1));
  }
  return files;
}

const unreadable = new Set<string>();

/**
 * Python's `os.path.exists`: any failure to stat means "absent". A path the
 * runtime is not allowed to read (Deno's permission sandbox) is logged as
 * an error, once per path so that polling does not flood the log.
 */
function pathExists(path: string): Promise<boolean> {
  try {
    return Promise.resolve(statExists(path));
  } catch (err) {
    const name = err instanceof Error ? err.name : "";
    if ((name === "NotCapable" || name === "PermissionDenied") && !unreadable.has(path)) {
      unreadable.add(path);
      LOG.error(
        `Cannot check healthcheck file ${path}: reading it is not permitted ` +
          `(${(err as Error).message}); treating it as absent`,
      );
    }
    return Promise.resolve(false);
  }
}
