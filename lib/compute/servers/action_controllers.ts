/**
 * Every `POST /servers/{id}/action` body key the server actions answer,
 * gathered from their modules (as nova's ServersController merges the
 * `@wsgi.action` methods of its sub-controllers).
 *
 * Mirrors `server_controller` in nova/api/openstack/compute/routes.py.
 *
 * @module
 */

import type { MethodSpec } from "../wsgi.ts";
import { consoleActions } from "./consoles_controller.ts";
import { moveActions } from "./move_controller.ts";
import { networkActions } from "./network_actions.ts";
import { powerActions } from "./power_controller.ts";
import { rebuildActions } from "./rebuild_controller.ts";
import { shelveActions } from "./shelve_controller.ts";
import { snapshotActions } from "./snapshot_controller.ts";
import type { ComputeService } from "./service.ts";

/** The server actions of this area, by body key. */
export function serverActions(svc: ComputeService): Record<string, MethodSpec> {
  return {
    ...powerActions(svc),
    ...snapshotActions(svc),
    ...rebuildActions(svc),
    ...moveActions(svc),
    ...shelveActions(svc),
    ...consoleActions(svc),
    ...networkActions(svc),
  };
}
