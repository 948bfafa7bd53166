/**
 * APIRouterV21: the compute API's route table, built once from ROUTE_LIST
 * on a ProjectMapper (each path with and without a `{project_id}` prefix),
 * dispatching to nova's Resource logic. No match (unknown path, or a known
 * path with another method) is webob's 404, as in nova.
 *
 * Mirrors nova/api/openstack/compute/routes.py and nova/api/wsgi.py Router.
 *
 * @module
 */

import type { App, AppFactory, FactoryContext } from "../app.ts";
import { webobError } from "../errors.ts";
import type { ApiRequest } from "../request.ts";
import { ApiResponse } from "../response.ts";
import { Router } from "../router.ts";
import { ROUTE_LIST } from "./routes.ts";
import { onWarmup } from "../warmup.ts";
import { type ControllerSpec, resource } from "./wsgi.ts";

/** Builds a controller from the configuration (and whatever services it needs). */
export type ControllerFactory = (ctx: FactoryContext) => ControllerSpec;

type Target = ((req: ApiRequest, params: Record<string, string>) => Promise<ApiResponse>) | null;

const PROJECT_ID_TOKEN = "{project_id:[0-9a-f-]+}";

/**
 * Builds the router app. Controllers missing from `controllers` still get
 * their routes (so that no request falls through to a later route) and
 * answer 404 like an unknown path.
 */
export function apiRouter(
  ctx: FactoryContext,
  controllers: ReadonlyMap<string, ControllerFactory>,
): App {
  const built = new Map<string, ControllerSpec>();
  const controllerFor = (name: string): ControllerSpec | null => {
    if (!built.has(name)) {
      const factory = controllers.get(name);
      if (!factory) return null;
      built.set(name, factory(ctx));
    }
    return built.get(name)!;
  };
  const router = new Router<Target>();
  for (const [path, methods] of ROUTE_LIST) {
    if (typeof methods === "string") {
      router.addRedirect(path, methods, null);
      continue;
    }
    for (const [method, [name, action]] of Object.entries(methods)) {
      const controller = controllerFor(name);
      const target: Target = controller ? resource(controller, action) : null;
      router.add([method], `/${PROJECT_ID_TOKEN}${path}`, target);
      router.add([method], path, target);
    }
  }
  return function apiRouterV21(req) {
    const match = router.match(req.method, req.pathInfo);
    if (match?.redirect !== undefined) return Promise.resolve(redirect(req, match.redirect));
    if (!match || !match.target) return Promise.resolve(webobError(req, 404));
    return match.target(req, { ...match.params });
  };
}

/** Routes' redirect answer: 302 to the target below the app's URL. */
function redirect(req: ApiRequest, to: string): ApiResponse {
  const location = req.applicationUrl + to;
  return new ApiResponse(
    302,
    [
      ["Content-Type", "text/plain; charset=utf8"],
      ["Location", location],
      ["Content-Length", "0"],
    ],
    "",
    "Found",
  );
}

/** `nova.api.openstack.compute:APIRouterV21.factory`, given the controller registry. */
export function apiRouterFactory(controllers: ReadonlyMap<string, ControllerFactory>): AppFactory {
  return (ctx) => apiRouter(ctx, controllers);
}

/**
 * `nova.api.openstack.compute:APIRouterV21.factory` with the controllers
 * loaded after start-up: their modules (validation, schemas, views) and
 * the compute service's recovery are not needed to answer `GET /`, so
 * they load right after the listeners are up (`onWarmup`), or on the first
 * API request if that comes sooner.
 */
export function lazyApiRouterFactory(
  load: () => Promise<ReadonlyMap<string, ControllerFactory>>,
): AppFactory {
  return (ctx) => {
    let router: Promise<App> | null = null;
    const build = () => router ??= load().then((controllers) => apiRouter(ctx, controllers));
    onWarmup(build);
    return async function apiRouterV21(req) {
      return await (await build())(req);
    };
  };
}
