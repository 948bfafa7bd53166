/**
 * The hypervisor driver interface the compute manager drives: what nova's
 * `ComputeDriver` offers, cut to what novalet's actions use, with room for
 * the rest (each optional method is an action a later driver may add).
 *
 * Mirrors nova/virt/driver.py (`ComputeDriver`).
 *
 * @module
 */

import type { ConfigDriveFile } from "./config_drive.ts";

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

/** What `spawn` is handed besides the instance. */
export interface SpawnOptions {
  /** The config drive's files (see lib/metadata/config_drive.ts); absent: no drive. */
  readonly configDrive?: readonly ConfigDriveFile[] | null;
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
  /**
   * `spawn`: creates and boots the guest, with a config drive built from
   * `options.configDrive` (the metadata files) when given.
   */
  spawn(instance: DriverInstance, options?: SpawnOptions): Promise<void>;
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
  /** `pause`, `unpause`, `suspend`, `resume` (absent: NotImplementedError). */
  pause?(instance: DriverInstance): Promise<void>;
  unpause?(instance: DriverInstance): Promise<void>;
  suspend?(instance: DriverInstance): Promise<void>;
  resume?(instance: DriverInstance): Promise<void>;
  /** `rescue` (boots the rescue image) and `unrescue`. */
  rescue?(instance: DriverInstance): Promise<void>;
  unrescue?(instance: DriverInstance): Promise<void>;
  /** `snapshot`: the guest's disk, ready to upload; resolves with its size in bytes. */
  snapshot?(instance: DriverInstance): Promise<number>;
  /** `set_admin_password`. */
  setAdminPassword?(instance: DriverInstance, password: string): Promise<void>;
  /** `trigger_crash_dump` (an NMI to a running guest). @throws {GuestNotRunning} */
  triggerCrashDump?(instance: DriverInstance): Promise<void>;
  /** `migrate_disk_and_power_off` (resize/cold migrate, source side). */
  migrateDiskAndPowerOff?(instance: DriverInstance): Promise<void>;
  /** `finish_migration` (destination side): the guest runs again when `powerOn`. */
  finishMigration?(instance: DriverInstance, powerOn: boolean): Promise<void>;
  /** `finish_revert_migration`: back on the source, running when `powerOn`. */
  finishRevertMigration?(instance: DriverInstance, powerOn: boolean): Promise<void>;
  /** `get_diagnostics` (before 2.48): the driver's own keys. */
  getDiagnostics?(instance: DriverInstance): Record<string, number>;
  /** `get_instance_diagnostics` (2.48). */
  getInstanceDiagnostics?(instance: DriverInstance, macs: readonly string[]): Diagnostics;
  /** `get_vnc_console`, `get_spice_console`, ...: where the guest's console listens. */
  getConsole?(instance: DriverInstance, kind: ConsoleKind): ConsoleEndpoint;
}

/** The remote console protocols. */
export type ConsoleKind = "vnc" | "spice" | "rdp" | "serial" | "mks";

/** `nova.console.type.Console*`: where a console proxy connects to. */
export interface ConsoleEndpoint {
  readonly host: string;
  readonly port: number;
  readonly internal_access_path: string | null;
  readonly tlsPort?: number;
}

/** `nova.objects.Diagnostics` (2.48 shape). */
export interface Diagnostics {
  readonly state: string;
  readonly driver: string;
  readonly hypervisor: string | null;
  readonly hypervisor_os: string | null;
  readonly uptime: number | null;
  readonly config_drive: boolean;
  readonly cpu_details: readonly { id: number; time: number; utilisation: number }[];
  readonly nic_details: readonly Record<string, string | number>[];
  readonly disk_details: readonly Record<string, number>[];
  readonly memory_details: { maximum: number; used: number };
}

/** nova.exception.InstanceNotRunning as a driver raises it. */
export class GuestNotRunning extends Error {
  constructor(readonly uuid: string) {
    super(`Instance ${uuid} is not running.`);
    this.name = "InstanceNotRunning";
  }
}
