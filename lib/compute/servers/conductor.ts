/**
 * The conductor and scheduler: place a create request's instances on the
 * compute host (all or none, as the scheduler claims per instance and
 * gives up when one does not fit), bury them in ERROR with nova's
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

/** The conductor and scheduler of the one host. */
export class Conductor {
  constructor(readonly svc: ComputeService) {}

  /**
   * `schedule_and_build_instances` (cast): runs in the background. A
   * requested host or node other than this host's leaves no valid host.
   */
  scheduleAndBuild(
    ctx: RequestContext,
    uuids: readonly string[],
    isBfv: boolean,
    destination: { host: string | null; node: string | null },
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
    destination: { host: string | null; node: string | null },
  ): void {
    // A build request deleted meanwhile stops its build.
    const live = uuids.map((u) => this.svc.instances.get(u))
      .filter((i): i is Instance => i !== null && i.task_state === TASK.SCHEDULING && !i.host);
    if (!live.length) return;
    const elsewhere = (destination.host !== null && destination.host !== this.svc.host.name) ||
      (destination.node !== null && destination.node !== this.svc.host.nodeName);
    const failure = elsewhere ? new NoValidHost() : this.#claimAll(live, isBfv);
    if (failure) {
      this.#bury(ctx, live, failure);
      return;
    }
    for (const inst of live) this.svc.manager.buildAndRunInstance(ctx, inst.uuid);
  }

  /** Claims every instance or none; the NoValidHost to record when they do not all fit. */
  #claimAll(live: readonly Instance[], isBfv: boolean): NoValidHost | null {
    const { db, host, instances } = this.svc;
    const request = resourcesFromFlavor(live[0].flavor, isBfv);
    const az = this.svc.conf.DEFAULT.default_availability_zone;
    try {
      db.transaction(() => {
        live.forEach((inst, index) => {
          if (host.claim(inst.uuid, request)) {
            instances.update(inst.uuid, { availability_zone: inst.availability_zone ?? az });
            return;
          }
          throw new NoValidHost(index === 0 ? "" : "There are not enough hosts available.");
        });
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
