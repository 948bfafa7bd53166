/**
 * IPsController: `/servers/{server_id}/ips` (all networks) and
 * `/ips/{network}` (one network's addresses, 404 "Instance is not a member
 * of specified network" otherwise), without the OS-EXT-IPS attributes.
 *
 * Mirrors nova/api/openstack/compute/ips.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ControllerSpec, HandlerArgs } from "../wsgi.ts";
import { authorize, ctxOf, getInstance } from "./controller_common.ts";
import type { Instance } from "./instance.ts";
import type { ComputeService } from "./service.ts";
import { addressesOf } from "./view_parts.ts";

const RULE = "os_compute_api:ips:";

/** Builds the controller. */
export function ipsController(svc: ComputeService): ControllerSpec {
  const load = ({ req, params }: HandlerArgs, action: string): Instance => {
    const ctx = ctxOf(req);
    const inst = getInstance(svc, ctx, params.server_id);
    authorize(svc, ctx, RULE + action, inst);
    return inst;
  };
  const networks = (inst: Instance) => addressesOf(inst, false, (p) => svc.network.labelOf(p));
  return {
    name: "IPsController",
    methods: {
      index: {
        expectedErrors: [404],
        handler: (a) => ({ addresses: networks(load(a, "index")) }),
      },
      show: {
        expectedErrors: [404],
        handler: (a) => {
          const all = networks(load(a, "show"));
          if (!Object.hasOwn(all, a.params.id)) {
            throw new HttpError(404, "Instance is not a member of specified network");
          }
          return { [a.params.id]: all[a.params.id] };
        },
      },
    },
  };
}
