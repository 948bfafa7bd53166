/**
 * The compute manager: the nova-compute side of each action, run in the
 * background one at a time per instance. Each step is one transaction;
 * each action records its event (`compute_<method>`), and a failure leaves
 * a fault and the instance where nova leaves it.
 *
 * Mirrors nova/compute/manager.py `ComputeManager`:
 * `_do_build_and_run_instance`, `terminate_instance`, `reboot_instance`,
 * `stop_instance`, `start_instance`.
 *
 * @module
 */

import { getLogger } from "../../log.ts";
import { utcnow } from "../../store/timestamps.ts";
import { type DriverInstance, GuestNotFound } from "../../virt/driver.ts";
import { buildConfigDrive } from "../../metadata/config_drive.ts";
import { FixedIpAllocationFailed } from "../network/flat.ts";
import type { RequestContext } from "./context.ts";
import { BuildAbortException, InstanceNotFound, NovaException } from "./errors.ts";
import { faultFromError, type Frame } from "./faults.ts";
import type { ComputeHost } from "./host.ts";
import type { Instance } from "./instance.ts";
import { UnexpectedTaskState } from "./instance_store.ts";
import type { ComputeService } from "./service.ts";
import { POWER, TASK, VM } from "./states.ts";
import { WorkerStopped } from "./worker.ts";

const LOG = getLogger("nova.compute.manager");
const MANAGER = "nova/compute/manager.py";
const BUILD_FRAMES: readonly Frame[] = [
  [
    MANAGER,
    2330,
    "_do_build_and_run_instance",
    "self._build_and_run_instance(context, instance, image,",
  ],
  [MANAGER, 2557, "_build_and_run_instance", "with self._build_resources(context, instance,"],
];
const ACTION_FRAMES: Readonly<Record<string, readonly Frame[]>> = {
  stop_instance: [[
    MANAGER,
    3284,
    "do_stop_instance",
    "self._power_off_instance(instance, clean_shutdown)",
  ]],
  start_instance: [[MANAGER, 3340, "start_instance", "self._power_on(context, instance)"]],
  reboot_instance: [[MANAGER, 4140, "reboot_instance", "self.driver.reboot(context, instance,"]],
};

/** nova-compute for the one host. */
export class ComputeManager {
  constructor(readonly svc: ComputeService) {}

  /** The guest description the driver gets. */
  driverInstance(inst: Instance): DriverInstance {
    return {
      uuid: inst.uuid,
      hostname: inst.hostname,
      vcpus: inst.flavor.vcpus,
      memory_mb: inst.flavor.memory_mb,
      root_gb: inst.flavor.root_gb,
      extra_specs: inst.flavor.extra_specs ?? {},
    };
  }

  /** `build_and_run_instance` (cast): the instance is claimed on this host already. */
  buildAndRunInstance(ctx: RequestContext, uuid: string): void {
    this.svc.worker.run(uuid, () => this.#build(ctx.requestId, uuid));
  }

  async #build(requestId: string, uuid: string): Promise<void> {
    const { db, instances, actions } = this.svc;
    // The host the scheduler chose (where the allocation is).
    const host = this.svc.hosts.allocationHost(uuid) ?? this.svc.host;
    const event = "compute__do_build_and_run_instance";
    try {
      db.transaction(() => {
        actions.eventStart(requestId, uuid, event, host.name);
        instances.update(uuid, { vm_state: VM.BUILDING, task_state: null }, [
          TASK.SCHEDULING,
          null,
        ]);
      });
      const inst = instances.require(uuid);
      this.#prepareResources(inst, host);
      // The config drive holds the metadata, so it is built once the ports exist.
      const injection = this.svc.injections.get(uuid) ?? null;
      this.svc.injections.delete(uuid);
      const configDrive = buildConfigDrive(this.svc, uuid, injection);
      await this.svc.driver.spawn(this.driverInstance(inst), { configDrive });
      db.transaction(() => {
        instances.update(uuid, {
          power_state: this.#powerState(inst),
          vm_state: VM.ACTIVE,
          task_state: null,
          launched_at: utcnow(),
          // `configdrive.update_instance`: a forced or image-required drive shows as asked for.
          ...(configDrive && !inst.config_drive ? { config_drive: "True" } : {}),
        }, [TASK.SPAWNING]);
        actions.eventFinish(requestId, uuid, event);
      });
    } catch (err) {
      if (err instanceof WorkerStopped) throw err;
      this.#buildFailed(requestId, uuid, err as Error);
    }
  }

  /** `_build_resources`: networks, block devices, then spawning. */
  #prepareResources(inst: Instance, host: ComputeHost): void {
    const { db, instances, network } = this.svc;
    db.transaction(() => {
      try {
        network.allocate(inst.uuid, inst.requested_networks);
      } catch (err) {
        if (!(err instanceof FixedIpAllocationFailed)) throw err;
        LOG.error(`Instance failed network setup: ${err.message}`);
        throw new BuildAbortException(
          inst.uuid,
          "Failed to allocate the network(s), not rescheduling.",
        );
      }
      instances.update(inst.uuid, {
        task_state: TASK.SPAWNING,
        host: host.name,
        node: host.nodeName,
        launched_on: host.name,
        root_device_name: inst.root_device_name ?? "/dev/vda",
      });
    });
    // NOTE(parity): there is no volume service; a volume novalet would have
    // to create or attach fails here as nova's does when cinder cannot.
    if (
      db.get(
        "SELECT 1 FROM block_device_mapping WHERE instance_uuid = ? AND destination_type = 'volume' AND deleted = 0",
        inst.uuid,
      )
    ) {
      throw new BuildAbortException(inst.uuid, "Failure prepping block device.");
    }
  }

  /** What a failed build leaves: rescheduled (and out of hosts) or aborted. */
  #buildFailed(requestId: string, uuid: string, err: Error): void {
    const { db, instances, actions } = this.svc;
    if (err instanceof UnexpectedTaskState || err instanceof InstanceNotFound) {
      // Deleted meanwhile: the delete finishes the clean-up.
      LOG.debug(`Instance disappeared during build. (${uuid})`);
      db.transaction(() => {
        this.svc.network.release(uuid);
        this.svc.host.release(uuid);
        actions.eventFinish(requestId, uuid, "compute__do_build_and_run_instance");
      });
      return;
    }
    const hostName = this.#hostOf(uuid);
    db.transaction(() => {
      this.svc.network.release(uuid);
      this.svc.host.release(uuid);
      if (err instanceof BuildAbortException) {
        instances.addFault(uuid, faultFromError(err, hostName, BUILD_FRAMES));
        instances.update(uuid, { vm_state: VM.ERROR, task_state: null, host: null, node: null });
      } else {
        LOG.error(`Build of instance ${uuid} was re-scheduled: ${err.message}`);
        instances.update(uuid, { task_state: TASK.SCHEDULING, host: null, node: null });
        this.svc.conductor.rescheduleFailed(uuid);
      }
      // NOTE(parity): `_do_build_and_run_instance` swallows the failure, so
      // its event ends as a success.
      actions.eventFinish(requestId, uuid, "compute__do_build_and_run_instance");
    });
  }

  /** The compute host an instance is on (where its allocation is), else this process's. */
  #hostOf(uuid: string): string {
    return this.svc.instances.get(uuid)?.host ?? this.svc.hosts.allocationHost(uuid)?.name ??
      this.svc.host.name;
  }

  #powerState(inst: Instance): number {
    try {
      return this.svc.driver.getInfo(this.driverInstance(inst)).state;
    } catch {
      return POWER.NOSTATE;
    }
  }

  /** `terminate_instance`: destroy the guest, free ports and resources, soft-delete the row. */
  terminateInstance(ctx: RequestContext, uuid: string): void {
    this.svc.worker.run(uuid, async () => {
      const inst = this.svc.instances.get(uuid);
      if (!inst) return;
      const event = "compute_terminate_instance";
      this.svc.db.transaction(() =>
        this.svc.actions.eventStart(ctx.requestId, uuid, event, inst.host ?? this.svc.host.name)
      );
      await this.svc.driver.destroy(this.driverInstance(inst));
      this.svc.db.transaction(() => {
        this.svc.network.release(uuid);
        this.svc.host.release(uuid);
        this.svc.instances.update(uuid, {
          vm_state: VM.DELETED,
          task_state: null,
          power_state: POWER.NOSTATE,
          terminated_at: utcnow(),
        });
        this.svc.instances.destroy(uuid);
        this.svc.actions.eventFinish(ctx.requestId, uuid, event);
      });
    });
  }

  /** `stop_instance`. */
  stopInstance(ctx: RequestContext, uuid: string): void {
    this.#powerAction(ctx.requestId, uuid, "stop_instance", TASK.POWERING_OFF, async (inst) => {
      await this.svc.driver.powerOff(this.driverInstance(inst));
      return { vm_state: VM.STOPPED };
    });
  }

  /** `start_instance`. */
  startInstance(ctx: RequestContext, uuid: string): void {
    this.#powerAction(ctx.requestId, uuid, "start_instance", TASK.POWERING_ON, async (inst) => {
      await this.svc.driver.powerOn(this.driverInstance(inst));
      return { vm_state: VM.ACTIVE };
    });
  }

  /** `reboot_instance`: pending, started, then the driver's reboot. */
  rebootInstance(ctx: RequestContext, uuid: string, type: "SOFT" | "HARD"): void {
    const soft = type === "SOFT";
    const expected = soft
      ? [TASK.REBOOTING, TASK.REBOOT_PENDING]
      : [TASK.REBOOTING_HARD, TASK.REBOOT_PENDING_HARD];
    this.#powerAction(ctx.requestId, uuid, "reboot_instance", expected, async (inst) => {
      this.svc.db.transaction(() =>
        this.svc.instances.update(uuid, {
          task_state: soft ? TASK.REBOOT_STARTED : TASK.REBOOT_STARTED_HARD,
        })
      );
      await this.svc.driver.reboot(this.driverInstance(inst), type);
      return { vm_state: VM.ACTIVE };
    }, { vm_state: VM.ERROR });
  }

  /**
   * One power action: event start, the driver call, then the new power
   * state and vm_state with no task (or, on failure, a fault and the task
   * reverted, plus `onError` updates).
   */
  #powerAction(
    requestId: string,
    uuid: string,
    method: string,
    expected: string | readonly string[],
    act: (inst: Instance) => Promise<{ vm_state: string }>,
    onError: Record<string, string> = {},
  ): void {
    const expectedStates = typeof expected === "string" ? [expected] : expected;
    this.svc.worker.run(uuid, async () => {
      const { db, instances, actions } = this.svc;
      const inst = instances.get(uuid);
      if (!inst || !expectedStates.includes(inst.task_state ?? "")) return;
      const event = `compute_${method}`;
      db.transaction(() => actions.eventStart(requestId, uuid, event, this.#hostOf(uuid)));
      try {
        const { vm_state } = await act(inst);
        db.transaction(() => {
          instances.update(uuid, {
            power_state: this.#powerState(inst),
            vm_state,
            task_state: null,
          });
          actions.eventFinish(requestId, uuid, event);
        });
      } catch (err) {
        if (err instanceof WorkerStopped) throw err;
        this.#actionFailed(requestId, uuid, method, err as Error, onError);
      }
    });
  }

  /** `wrap_instance_fault` + `reverts_task_state` + the event's failure. */
  #actionFailed(
    requestId: string,
    uuid: string,
    method: string,
    raised: Error,
    onError: Record<string, string>,
  ): void {
    // The driver's "no such guest" is nova's InstanceNotFound (code 404).
    const err = raised instanceof GuestNotFound ? new InstanceNotFound(uuid) : raised;
    const fault = faultFromError(err, this.#hostOf(uuid), ACTION_FRAMES[method] ?? []);
    LOG.error(`${method} failed for ${uuid}: ${err.message}`);
    this.svc.db.transaction(() => {
      if (!this.svc.instances.get(uuid)) return;
      this.svc.instances.addFault(uuid, fault);
      this.svc.instances.update(uuid, { task_state: null, ...onError });
      this.svc.actions.eventFinish(requestId, uuid, `compute_${method}`, {
        message: err instanceof NovaException ? err.message : err.constructor.name,
        traceback: fault.details,
      });
    });
  }
}
