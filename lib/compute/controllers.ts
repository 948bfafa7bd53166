/**
 * The controller registry: ROUTE_LIST's controller names mapped to the
 * factories that build them. A name missing here answers 404 on its routes.
 *
 * @module
 */

import type { ControllerFactory } from "./api_router.ts";
import { GONE_ACTIONS, GONE_CONTROLLERS, goneController } from "./controllers/gone.ts";
import { versionsController } from "./versions.ts";

/** Every implemented controller, by the class name nova's routes use. */
export function controllerRegistry(): Map<string, ControllerFactory> {
  const registry = new Map<string, ControllerFactory>();
  registry.set("VersionsController", (ctx) => versionsController(ctx.conf.api.compute_link_prefix));
  for (const [name, methods] of Object.entries(GONE_CONTROLLERS)) {
    registry.set(name, () => goneController(name, methods, GONE_ACTIONS[name]));
  }
  return registry;
}
