/**
 * The hypervisor driver interface the compute manager drives: what nova's
 * `ComputeDriver` offers, cut to what novalet's actions use, with room for
 * the rest (each optional method is an action a later driver may add).
 *
 * Mirrors nova/virt/driver.py (`ComputeDriver`).
 *
 * @module
 */

/** What the driver is told about the instance it acts on. */
export interface DriverInstance {
  readonly uuid: string;
  readonly hostname: string | null;
  readonly vcpus: number;
  readonly memory_mb: number;
  readonly root_gb: number;
  /** The flavor's extra specs (failure injection reads `novalet:*` keys). */
  readonly extra_specs: Readonly<Record<string, string>>;
}

/** `InstanceInfo`: what `get_info` answers. */
export interface InstanceInfo {
  /** A nova power_state value. */
  readonly state: number;
}

/** nova.exception.InstanceNotFound as a driver raises it (no such guest). */
export class GuestNotFound extends Error {
  constructor(readonly uuid: string) {
    super(`Instance ${uuid} could not be found.`);
    this.name = "InstanceNotFound";
  }
}

/** A hypervisor driver. Methods resolve when the guest has reached the state asked for. */
export interface ComputeDriver {
  /** The node name the driver reports (`get_available_nodes`). */
  readonly nodeName: string;
  /** `spawn`: creates and boots the guest. */
  spawn(instance: DriverInstance): Promise<void>;
  /** `destroy`: powers off and removes the guest (no error when it is gone already). */
  destroy(instance: DriverInstance): Promise<void>;
  /** `reboot`: SOFT or HARD. */
  reboot(instance: DriverInstance, type: "SOFT" | "HARD"): Promise<void>;
  /** `power_off`. */
  powerOff(instance: DriverInstance): Promise<void>;
  /** `power_on`. */
  powerOn(instance: DriverInstance): Promise<void>;
  /** `get_info`: the guest's power state. @throws {GuestNotFound} */
  getInfo(instance: DriverInstance): InstanceInfo;
  /** `get_console_output`. */
  getConsoleOutput(instance: DriverInstance): string;
  /** `pause`, `suspend`, `rescue`, ...: not yet offered. */
  pause?(instance: DriverInstance): Promise<void>;
  unpause?(instance: DriverInstance): Promise<void>;
  suspend?(instance: DriverInstance): Promise<void>;
  resume?(instance: DriverInstance): Promise<void>;
}
