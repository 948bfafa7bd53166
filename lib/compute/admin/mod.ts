/**
 * The admin and inventory controllers (with the network and volume
 * proxies), by the class names ROUTE_LIST uses.
 *
 * @module
 */

import type { Services } from "../../services.ts";
import { NETWORK_CONTROLLERS } from "../network/controllers.ts";
import { VOLUME_CONTROLLERS } from "../volumes/mod.ts";
import type { ControllerSpec } from "../wsgi.ts";
import { aggregatesController } from "./aggregates_controller.ts";
import { availabilityZoneController } from "./availability_zone_controller.ts";
import { hostsController } from "./hosts_controller.ts";
import { hypervisorsController } from "./hypervisors_controller.ts";
import { servicesController } from "./services_controller.ts";
import { auditLogController } from "./audit_log_controller.ts";
import { externalEventsController } from "./external_events_controller.ts";
import { migrationsController } from "./migrations_controller.ts";
import {
  baremetalNodesController,
  consoleAuthTokensController,
  extensionsController,
  serverTopologyController,
} from "./misc_controllers.ts";
import { serverMigrationsController } from "./server_migrations_controller.ts";
import { simpleTenantUsageController } from "./simple_tenant_usage.ts";

/** Controller name → factory on the services. */
export const ADMIN_CONTROLLERS: Readonly<Record<string, (s: Services) => ControllerSpec>> = {
  ServiceController: servicesController,
  HypervisorsController: hypervisorsController,
  AvailabilityZoneController: availabilityZoneController,
  AggregateController: aggregatesController,
  HostController: hostsController,
  SimpleTenantUsageController: simpleTenantUsageController,
  MigrationsController: migrationsController,
  ServerMigrationsController: serverMigrationsController,
  InstanceUsageAuditLogController: auditLogController,
  ServerExternalEventsController: externalEventsController,
  ExtensionInfoController: extensionsController,
  BareMetalNodeController: baremetalNodesController,
  ServerTopologyController: serverTopologyController,
  ConsoleAuthTokensController: consoleAuthTokensController,
  ...NETWORK_CONTROLLERS,
  ...VOLUME_CONTROLLERS,
};
