/**
 * The conductor: place a create request's instances on the compute hosts
 * through the scheduler (all or none, as the scheduler claims per instance
 * and gives up when one does not fit), bury them in ERROR with nova's
 * "No valid host was found. " fault when they do not fit, and end a build
 * the host could not finish (no other host to reschedule to).
 *
 * Mirrors nova/conductor/manager.py `schedule_and_build_instances`,
 * `_bury_in_cell0`, `build_instances` (the reschedule without alternates)
 * and nova/scheduler/manager.py `select_destinations`.
 *
 * @module
 */

import { getLogger } from "../../log.ts";
import type { RequestContext } from "./context.ts";
import { MaxRetriesExceeded, NoValidHost } from "./errors.ts";
import { faultFromError, type Frame } from "./faults.ts";
import { selectDestinations } from "../scheduler/scheduler.ts";
import { groupConstraintOf } from "../scheduler/groups.ts";
import { resourcesFromFlavor } from "./host.ts";
import type { Instance } from "./instance.ts";
import type { ComputeService } from "./service.ts";
import { TASK, VM } from "./states.ts";

const LOG = getLogger("nova.conductor.manager");
const CONDUCTOR = "nova/conductor/manager.py";
const SCHEDULE_FRAMES: readonly Frame[] = [
  [
    CONDUCTOR,
    1580,
    "schedule_and_build_instances",
    "host_lists = self._schedule_instances(context, request_specs[0],",
  ],
  [CONDUCTOR, 940, "_schedule_instances", "host_lists = self.query_client.select_destinations("],
  [
    "nova/scheduler/manager.py",
    209,
    "select_destinations",
    'raise exception.NoValidHost(reason="")',
  ],
];
const RESCHEDULE_FRAMES: readonly Frame[] = [
  [CONDUCTOR, 703, "build_instances", "raise exception.MaxRetriesExceeded(reason=msg)"],
];
const SCHEDULE_EVENT = "conductor_schedule_and_build_instances";

/**
 * Where a build must go: `az:host:node` (forced past the filters) or 2.74's
 * requested destination (the filters still run).
 */
interface Destination {
  host: string | null;
  node: string | null;
  requestedDestination?: boolean;
}

/** The conductor: schedules builds (see lib/compute/scheduler/) and buries what finds no host. */
export class Conductor {
  constructor(readonly svc: ComputeService) {}

  /**
   * `schedule_and_build_instances` (cast): runs in the background. A
   * forced host or node skips the filters, a requested one (2.74) does not;
   * unknown or failing: no valid host.
   */
  scheduleAndBuild(
    ctx: RequestContext,
    uuids: readonly string[],
    isBfv: boolean,
    destination: Destination,
  ): void {
    this.svc.worker.run(`schedule:${uuids[0]}`, () => {
      this.#schedule(ctx, uuids, isBfv, destination);
      return Promise.resolve();
    });
  }

  #schedule(
    ctx: RequestContext,
    uuids: readonly string[],
    isBfv: boolean,
    destination: Destination,
  ): void {
    // A build request deleted meanwhile stops its build.
    const live = uuids.map((u) => this.svc.instances.get(u))
      .filter((i): i is Instance => i !== null && i.task_state === TASK.SCHEDULING && !i.host);
    if (!live.length) return;
    const failure = this.#placeAll(live, isBfv, destination);
    if (failure) {
      this.#bury(ctx, live, failure);
      return;
    }
    for (const inst of live) this.svc.manager.buildAndRunInstance(ctx, inst.uuid);
  }

  /**
   * Asks the scheduler for a host per instance (claiming their resources)
   * and gives each instance its host's zone; the NoValidHost to record
   * when they do not all fit.
   */
  #placeAll(
    live: readonly Instance[],
    isBfv: boolean,
    destination: Destination,
  ): NoValidHost | null {
    try {
      this.svc.db.transaction(() => {
        const selections = selectDestinations(this.svc, {
          instanceUuids: live.map((i) => i.uuid),
          resources: resourcesFromFlavor(live[0].flavor, isBfv),
          availabilityZone: live[0].availability_zone,
          forcedHost: destination.host,
          forcedNode: destination.node,
          requestedDestination: destination.requestedDestination ?? false,
          group: groupConstraintOf(this.svc, live[0].uuid),
        });
        for (const s of selections) {
          this.svc.instances.update(s.instanceUuid, { availability_zone: s.availabilityZone });
        }
      });
      return null;
    } catch (err) {
      if (err instanceof NoValidHost) return err;
      throw err;
    }
  }

  /** `_bury_in_cell0`: ERROR, a failed schedule event, the fault. */
  #bury(ctx: RequestContext, live: readonly Instance[], err: NoValidHost): void {
    LOG.warning(`Failed to compute_task_build_instances: ${err.message}`);
    const fault = faultFromError(err, this.svc.host.name, SCHEDULE_FRAMES);
    const { db, instances, actions } = this.svc;
    db.transaction(() => {
      for (const inst of live) {
        instances.update(inst.uuid, { vm_state: VM.ERROR, task_state: null });
        actions.eventStart(ctx.requestId, inst.uuid, SCHEDULE_EVENT, this.svc.host.name);
        actions.eventFinish(ctx.requestId, inst.uuid, SCHEDULE_EVENT, {
          message: err.message,
          traceback: fault.details,
        });
        instances.addFault(inst.uuid, fault);
      }
    });
  }

  /**
   * `build_instances` for a reschedule with no alternate host left: the
   * instance ends in ERROR with MaxRetriesExceeded (inside the caller's
   * transaction).
   */
  rescheduleFailed(uuid: string): void {
    const err = new MaxRetriesExceeded(
      `Exhausted all hosts available for retrying build failures for instance ${uuid}.`,
    );
    LOG.warning(`Failed to compute_task_build_instances: ${err.message}`);
    this.svc.instances.update(uuid, { vm_state: VM.ERROR, task_state: null });
    this.svc.instances.addFault(uuid, faultFromError(err, this.svc.host.name, RESCHEDULE_FRAMES));
  }
}
