/**
 * unshelve, all halves. A SHELVED server (still on its host) is powered on
 * again; a SHELVED_OFFLOADED one is scheduled again (2.77 availability
 * zone, 2.91 host and unpinning) and spawned from its snapshot
 * (`get_image_info`, `schedule_instances`, spawning), which is then
 * deleted; no host leaves it offloaded, a lost snapshot leaves it ERROR.
 *
 * Mirrors nova/compute/api.py `unshelve` (`_check_offloaded`,
 * `_validate_unshelve_az`, `_ensure_host_in_az`),
 * nova/conductor/manager.py `unshelve_instance` and
 * nova/compute/manager.py `unshelve_instance`, `start_instance` (its
 * shelved branch).
 *
 * @module
 */

import { utcnow } from "../../store/timestamps.ts";
import { availableZones } from "../hosts/api.ts";
import { AggregateStore } from "../hosts/aggregates_store.ts";
import { hostAvailabilityZone } from "../hosts/zones.ts";
import { deleteImage } from "../images/snapshots.ts";
import { selectDestinations } from "../scheduler/scheduler.ts";
import { ACTION } from "./actions.ts";
import { beginTask, recordFault, runComputeTask, withEvent } from "./compute_task.ts";
import type { RequestContext } from "./context.ts";
import { NotFound, NoValidHost } from "./errors.ts";
import {
  InvalidRequest,
  UnshelveHostNotInAZ,
  UnshelveInstanceInvalidState,
} from "./errors_actions.ts";
import { resourcesFromFlavor } from "./host.ts";
import type { Instance } from "./instance.ts";
import { requireComputeHost } from "./move_hosts.ts";
import { powerStateOf } from "./power_actions.ts";
import type { ComputeService } from "./service.ts";
import { isVolumeBacked } from "./snapshot.ts";
import { checkInstanceLock, checkInstanceState } from "./state_checks.ts";
import { POWER, TASK, VM } from "./states.ts";

/** `remove_shelved_keys_from_system_metadata`. */
const SHELVED_KEYS = { shelved_at: null, shelved_image_id: null, shelved_host: null };

/** What unshelve may name (2.77 zone, 2.91 host); undefined: not given. */
export interface UnshelveRequest {
  readonly availabilityZone?: string | null;
  readonly host?: string | null;
}

/**
 * `unshelve`.
 *
 * @throws {InstanceIsLocked} / {InstanceInvalidState} / {UnshelveInstanceInvalidState}
 * @throws {InvalidRequest} (unknown zone) / {ComputeHostNotFound} / {UnshelveHostNotInAZ}
 */
export function unshelve(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  r: UnshelveRequest,
  authorizeHost: () => void,
): void {
  checkInstanceLock(inst, ctx.auth.isAdmin);
  checkInstanceState(inst, { vmState: [VM.SHELVED, VM.SHELVED_OFFLOADED] }, "unshelve");
  const azPassed = r.availabilityZone !== undefined;
  if ((azPassed || r.host) && inst.vm_state !== VM.SHELVED_OFFLOADED) {
    throw new UnshelveInstanceInvalidState(inst.uuid, inst.vm_state);
  }
  if (azPassed && r.availabilityZone && !availableZones(svc).includes(r.availabilityZone)) {
    throw new InvalidRequest("The requested availability zone is not available");
  }
  // NOTE(parity): novalet keeps no RequestSpec, so a server is pinned to a
  // zone only when the unshelve names one.
  const zone = azPassed ? r.availabilityZone ?? null : null;
  if (r.host) {
    authorizeHost();
    requireComputeHost(svc, r.host);
    const hostZone = hostAvailabilityZone(new AggregateStore(svc.db), svc.conf, r.host);
    if (zone !== null && hostZone !== zone) throw new UnshelveHostNotInAZ(r.host, zone);
  }
  beginTask(svc, ctx, inst, ACTION.UNSHELVE, { task_state: TASK.UNSHELVING });
  svc.worker.run(inst.uuid, async () => {
    const current = svc.instances.get(inst.uuid);
    if (!current || current.task_state !== TASK.UNSHELVING) return;
    if (current.vm_state === VM.SHELVED) await startShelved(svc, ctx, current);
    else await unshelveOffloaded(svc, ctx, current, zone, r.host ?? null);
  });
}

/** The conductor's SHELVED branch: `start_instance`, which also drops the snapshot. */
async function startShelved(svc: ComputeService, ctx: RequestContext, inst: Instance) {
  svc.db.transaction(() =>
    svc.instances.update(inst.uuid, { task_state: TASK.POWERING_ON }, [TASK.UNSHELVING])
  );
  await runComputeTask(svc, {
    requestId: ctx.requestId,
    uuid: inst.uuid,
    event: "compute_start_instance",
    expected: [TASK.POWERING_ON],
    run: async (current) => {
      await svc.driver.powerOn(svc.manager.driverInstance(current));
      svc.db.transaction(() => {
        const imageId = current.system_metadata.shelved_image_id;
        if (imageId) deleteImage(svc.images, imageId);
        svc.instances.setSystemMetadata(current.uuid, SHELVED_KEYS);
        svc.instances.update(current.uuid, {
          power_state: powerStateOf(svc, current) || POWER.RUNNING,
          vm_state: VM.ACTIVE,
          task_state: null,
        }, [TASK.POWERING_ON]);
      });
    },
  });
}

/** The conductor's SHELVED_OFFLOADED branch: the image, a host, then the spawn there. */
async function unshelveOffloaded(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  zone: string | null,
  host: string | null,
): Promise<void> {
  const imageId = inst.system_metadata.shelved_image_id;
  if (imageId && !(await imageOk(svc, ctx, inst, imageId))) return;
  let placed;
  try {
    placed = await withEvent(
      svc,
      ctx.requestId,
      inst,
      "schedule_instances",
      () =>
        Promise.resolve(svc.db.transaction(() =>
          selectDestinations(svc, {
            instanceUuids: [inst.uuid],
            resources: resourcesFromFlavor(inst.flavor, isVolumeBacked(svc, inst)),
            availabilityZone: zone,
            forcedHost: host,
          })[0]
        )),
    );
  } catch (err) {
    if (!(err instanceof NoValidHost)) throw err;
    svc.db.transaction(() => svc.instances.update(inst.uuid, { task_state: null }));
    return;
  }
  await runComputeTask(svc, {
    requestId: ctx.requestId,
    uuid: inst.uuid,
    event: "compute_unshelve_instance",
    expected: [TASK.UNSHELVING],
    host: placed.host,
    run: async (current) => {
      svc.db.transaction(() =>
        svc.instances.update(current.uuid, {
          task_state: TASK.SPAWNING,
          host: placed.host,
          node: placed.node,
          launched_on: placed.host,
          availability_zone: placed.availabilityZone,
        })
      );
      await svc.driver.spawn(svc.manager.driverInstance(current));
      svc.db.transaction(() => {
        if (imageId) deleteImage(svc.images, imageId);
        svc.instances.setSystemMetadata(current.uuid, SHELVED_KEYS);
        svc.instances.update(current.uuid, {
          power_state: powerStateOf(svc, current),
          vm_state: VM.ACTIVE,
          task_state: null,
          launched_at: utcnow(),
        }, [TASK.SPAWNING]);
      });
    },
  });
}

/** The `get_image_info` step: a snapshot gone leaves the server in ERROR. */
async function imageOk(svc: ComputeService, ctx: RequestContext, inst: Instance, imageId: string) {
  try {
    await withEvent(svc, ctx.requestId, inst, "get_image_info", () => {
      if (!svc.images.get(imageId)) throw new ImageGone(imageId);
      return Promise.resolve();
    });
    return true;
  } catch (err) {
    if (!(err instanceof ImageGone)) throw err;
    svc.db.transaction(() => {
      svc.instances.update(inst.uuid, { vm_state: VM.ERROR });
      recordFault(
        svc,
        inst,
        err,
        [],
        `Unshelve attempted but the image ${imageId} cannot be found.`,
      );
    });
    return false;
  }
}

/** nova.exception.ImageNotFound as the conductor meets it. */
class ImageGone extends NotFound {
  constructor(imageId: string) {
    super(`Image ${imageId} could not be found.`);
  }
}
