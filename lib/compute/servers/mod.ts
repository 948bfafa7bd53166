/**
 * The servers area's controllers, each built on the process's compute
 * service (made, and recovered with init_host, on first use).
 *
 * @module
 */

import type { Services } from "../../services.ts";
import type { ControllerSpec } from "../wsgi.ts";
import { serversController } from "./controller.ts";
import { instanceActionsController } from "./instance_actions_controller.ts";
import { ipsController } from "./ips_controller.ts";
import { serverMetadataController } from "./metadata_controller.ts";
import { computeService } from "./service.ts";
import { serverTagsController } from "./tags_controller.ts";
import { remoteConsolesController } from "./consoles_controller.ts";
import {
  serverDiagnosticsController,
  serverPasswordController,
} from "./server_info_controllers.ts";

/** Controller name (as ROUTE_LIST names it) → factory on the services. */
export const SERVERS_CONTROLLERS: Readonly<Record<string, (s: Services) => ControllerSpec>> = {
  ServersController: (s) => serversController(computeService(s)),
  ServerMetadataController: (s) => serverMetadataController(computeService(s)),
  ServerTagsController: (s) => serverTagsController(computeService(s)),
  IPsController: (s) => ipsController(computeService(s)),
  InstanceActionsController: (s) => instanceActionsController(computeService(s)),
  RemoteConsolesController: (s) => remoteConsolesController(computeService(s)),
  ServerDiagnosticsController: (s) => serverDiagnosticsController(computeService(s)),
  ServerPasswordController: (s) => serverPasswordController(computeService(s)),
};

export { computeService } from "./service.ts";
export type { ComputeService } from "./service.ts";
