/**
 * The controller registry: ROUTE_LIST's controller names mapped to the
 * factories that build them. A name missing here answers 404 on its routes.
 *
 * @module
 */

import type { FactoryContext } from "../app.ts";
import type { Services } from "../services.ts";
import type { ControllerFactory } from "./api_router.ts";
import { GONE_ACTIONS, GONE_CONTROLLERS, goneController } from "./controllers/gone.ts";
import { versionsController } from "./versions.ts";
import { flavorAccessController } from "./flavors/access.ts";
import { flavorsController } from "./flavors/controller.ts";
import { flavorExtraSpecsController } from "./flavors/extra_specs/controller.ts";
import { imageMetadataController } from "./images/metadata_controller.ts";
import { imagesController } from "./images/controller.ts";
import { keypairController } from "./keypairs/controller.ts";
import { SERVERS_CONTROLLERS } from "./servers/mod.ts";
import { ADMIN_CONTROLLERS } from "./admin/mod.ts";
import { limitsController } from "./quotas/limits_controller.ts";
import { quotaClassSetsController } from "./quotas/quota_classes_controller.ts";
import { quotaSetsController } from "./quotas/quota_sets_controller.ts";
import { serverGroupController } from "./server_groups/controller.ts";

/** Every implemented controller, by the class name nova's routes use. */
export function controllerRegistry(): Map<string, ControllerFactory> {
  const registry = new Map<string, ControllerFactory>();
  registry.set("VersionsController", (ctx) => versionsController(ctx.conf.api.compute_link_prefix));
  const withServices = (name: string, make: (s: Services) => ControllerSpecOf) =>
    registry.set(name, (ctx) => make(servicesOf(ctx, name)));
  withServices("FlavorsController", flavorsController);
  withServices("FlavorExtraSpecsController", flavorExtraSpecsController);
  withServices("FlavorAccessController", flavorAccessController);
  withServices("KeypairController", keypairController);
  withServices("ImagesController", imagesController);
  withServices("ImageMetadataController", imageMetadataController);
  withServices("QuotaSetsController", quotaSetsController);
  withServices("QuotaClassSetsController", quotaClassSetsController);
  withServices("LimitsController", limitsController);
  withServices("ServerGroupController", serverGroupController);
  for (const [name, make] of Object.entries(SERVERS_CONTROLLERS)) withServices(name, make);
  for (const [name, make] of Object.entries(ADMIN_CONTROLLERS)) withServices(name, make);
  for (const [name, methods] of Object.entries(GONE_CONTROLLERS)) {
    registry.set(name, () => goneController(name, methods, GONE_ACTIONS[name]));
  }
  return registry;
}

type ControllerSpecOf = ReturnType<ControllerFactory>;

/** The services a controller is built on; a start-up error naming it when there are none. */
function servicesOf(ctx: FactoryContext, controller: string): Services {
  if (!ctx.services) {
    throw new Error(
      `${controller} needs the store and policy services, which this paste context lacks`,
    );
  }
  return ctx.services;
}
