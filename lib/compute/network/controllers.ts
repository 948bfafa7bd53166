/**
 * The network proxy controllers (networks, floating IPs, security groups,
 * interface attachments), by the class names ROUTE_LIST uses.
 *
 * @module
 */

import type { Services } from "../../services.ts";
import type { ControllerSpec } from "../wsgi.ts";
import { interfaceAttachmentController } from "./interfaces_controller.ts";
import {
  floatingIpController,
  floatingIpPoolsController,
  networkController,
  tenantNetworkController,
} from "./networks_controller.ts";
import {
  securityGroupController,
  securityGroupRulesController,
  serverSecurityGroupController,
} from "./security_groups_controller.ts";

/** Controller name → factory on the services. */
export const NETWORK_CONTROLLERS: Readonly<Record<string, (s: Services) => ControllerSpec>> = {
  NetworkController: networkController,
  TenantNetworkController: tenantNetworkController,
  FloatingIPPoolsController: floatingIpPoolsController,
  FloatingIPController: floatingIpController,
  SecurityGroupController: securityGroupController,
  SecurityGroupRulesController: securityGroupRulesController,
  ServerSecurityGroupController: serverSecurityGroupController,
  InterfaceAttachmentController: interfaceAttachmentController,
};
