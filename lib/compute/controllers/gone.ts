/**
 * Controllers of APIs nova has removed: every method answers 410 Gone
 * (nova/api/openstack/compute/cells.py, fping.py, agents.py, ...).
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ControllerSpec, MethodSpec } from "../wsgi.ts";

const GONE: MethodSpec = {
  expectedErrors: [410],
  handler: () => {
    throw new HttpError(410);
  },
};

/** A controller whose every listed method (and `@wsgi.action`) is gone. */
export function goneController(
  name: string,
  methods: readonly string[],
  actions: readonly string[] = [],
): ControllerSpec {
  return {
    name,
    methods: Object.fromEntries(methods.map((m) => [m, GONE])),
    actions: actions.length ? Object.fromEntries(actions.map((a) => [a, GONE])) : undefined,
  };
}

/** Removed controllers with body-keyed actions (`POST .../action`). */
export const GONE_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  FixedIPController: ["reserve", "unreserve"],
};

/** Removed controllers and the methods their routes use (nova 26). */
export const GONE_CONTROLLERS: Readonly<Record<string, readonly string[]>> = {
  AgentController: ["index", "create", "update", "delete"],
  CellsController: [
    "index",
    "detail",
    "info",
    "capacities",
    "show",
    "delete",
    "create",
    "update",
    "sync_instances",
  ],
  CertificatesController: ["create", "show"],
  CloudpipeController: ["index", "create", "update"],
  ConsolesController: ["index", "create", "show", "delete"],
  FixedIPController: ["show"],
  FloatingIPDNSDomainController: ["index", "update", "delete"],
  FloatingIPDNSEntryController: ["show", "update", "delete"],
  FloatingIPBulkController: ["index", "create", "show", "update"],
  FpingController: ["index", "show"],
  SecurityGroupDefaultRulesController: ["index", "create", "show", "delete"],
  ServerVirtualInterfaceController: ["index"],
};
