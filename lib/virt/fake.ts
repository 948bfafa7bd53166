/**
 * The fake hypervisor: guests are rows of `fake_domains` (so they outlive
 * a restart of novalet, as a real hypervisor's guests outlive a restart of
 * nova-compute), and every operation takes a short, configurable time.
 *
 * Failure injection: a flavor extra spec `novalet:fail_spawn=true` makes
 * `spawn` fail, so that the build ends in ERROR as nova's does when the
 * hypervisor cannot boot a guest.
 *
 * Power states follow libvirt where nova's fake leaves them alone: a
 * paused guest is PAUSED, a suspended one (managed save) and one resized
 * away or shelved is SHUTDOWN, a rescued one RUNNING.
 *
 * Mirrors nova/virt/fake.py (`FakeDriver`).
 *
 * @module
 */

import type { Store } from "../store/db.ts";
import { utcnow } from "../store/timestamps.ts";
import {
  type ComputeDriver,
  type ConsoleEndpoint,
  type ConsoleKind,
  type Diagnostics,
  type DriverInstance,
  GuestNotFound,
  GuestNotRunning,
  type InstanceInfo,
  type SpawnOptions,
} from "./driver.ts";
import {
  type ConfigDriveFile,
  readConfigDrive,
  removeConfigDrive,
  writeConfigDrive,
} from "./config_drive.ts";

const RUNNING = 1;
const PAUSED = 3;
const SHUTDOWN = 4;
/** nova/compute/power_state.py `STATE_MAP`. */
const STATE_NAMES: Readonly<Record<number, string>> = {
  0: "pending",
  1: "running",
  3: "paused",
  4: "shutdown",
  6: "crashed",
  7: "suspended",
};
/** The size of the disk a snapshot uploads (the cirros image's). */
const SNAPSHOT_BYTES = 21430272;
/** nova's fake `get_*_console` endpoints. */
const CONSOLES: Readonly<Record<ConsoleKind, ConsoleEndpoint>> = {
  vnc: { host: "fakevncconsole.com", port: 6969, internal_access_path: "FAKE" },
  spice: { host: "fakespiceconsole.com", port: 6969, internal_access_path: "FAKE", tlsPort: 6970 },
  rdp: { host: "fakerdpconsole.com", port: 6969, internal_access_path: "FAKE" },
  serial: { host: "fakerdpconsole.com", port: 6969, internal_access_path: "FAKE" },
  mks: { host: "fakemksconsole.com", port: 6969, internal_access_path: "FAKE" },
};
const TRUE_STRINGS = new Set(["1", "t", "true", "on", "y", "yes"]);

/** A pause that ends early (rejecting nothing) when the service stops. */
export type Sleep = (ms: number) => Promise<void>;

/** Options of the fake driver. */
export interface FakeDriverOptions {
  readonly nodeName: string;
  readonly spawnDelayMs: number;
  readonly actionDelayMs: number;
  readonly sleep: Sleep;
}

/** nova's FakeDriver on the store. */
export class FakeDriver implements ComputeDriver {
  readonly nodeName: string;

  constructor(readonly db: Store, readonly options: FakeDriverOptions) {
    this.nodeName = options.nodeName;
  }

  async spawn(instance: DriverInstance, options: SpawnOptions = {}): Promise<void> {
    await this.options.sleep(this.options.spawnDelayMs);
    const flag = instance.extra_specs["novalet:fail_spawn"];
    if (flag !== undefined && TRUE_STRINGS.has(flag.trim().toLowerCase())) {
      throw new Error(
        "Spawn failed: the flavor's extra spec novalet:fail_spawn asks the fake driver to fail",
      );
    }
    this.db.run(
      `INSERT INTO fake_domains (uuid, power_state, created_at) VALUES (?, ?, ?)
       ON CONFLICT (uuid) DO UPDATE SET power_state = excluded.power_state`,
      instance.uuid,
      RUNNING,
      utcnow(),
    );
    // The drive's files, kept as they would be written to disk.config.
    if (options.configDrive) writeConfigDrive(this.db, instance.uuid, options.configDrive);
  }

  async destroy(instance: DriverInstance): Promise<void> {
    await this.options.sleep(this.options.actionDelayMs);
    this.db.run("DELETE FROM fake_domains WHERE uuid = ?", instance.uuid);
    removeConfigDrive(this.db, instance.uuid);
  }

  /** The files of the guest's config drive (none without one). */
  configDrive(instance: DriverInstance): ConfigDriveFile[] {
    return readConfigDrive(this.db, instance.uuid);
  }

  /** A hard reboot of a guest the hypervisor lost boots it again, as libvirt's does. */
  async reboot(instance: DriverInstance, type: "SOFT" | "HARD"): Promise<void> {
    const known = this.db.get("SELECT 1 FROM fake_domains WHERE uuid = ?", instance.uuid);
    if (!known && type === "HARD") return await this.spawn(instance);
    await this.options.sleep(this.options.actionDelayMs);
    this.#setState(instance, RUNNING);
  }

  async powerOff(instance: DriverInstance): Promise<void> {
    await this.options.sleep(this.options.actionDelayMs);
    this.#setState(instance, SHUTDOWN);
  }

  async powerOn(instance: DriverInstance): Promise<void> {
    await this.options.sleep(this.options.actionDelayMs);
    this.#setState(instance, RUNNING);
  }

  getInfo(instance: DriverInstance): InstanceInfo {
    const row = this.db.get<{ power_state: number }>(
      "SELECT power_state FROM fake_domains WHERE uuid = ?",
      instance.uuid,
    );
    if (!row) throw new GuestNotFound(instance.uuid);
    return { state: row.power_state };
  }

  /** nova's fake log; like libvirt's, only of a guest that exists. @throws {GuestNotFound} */
  getConsoleOutput(instance: DriverInstance): string {
    this.getInfo(instance);
    return "FAKE CONSOLE OUTPUT\nANOTHER\nLAST LINE";
  }

  pause(instance: DriverInstance): Promise<void> {
    return this.#transition(instance, PAUSED);
  }

  unpause(instance: DriverInstance): Promise<void> {
    return this.#transition(instance, RUNNING);
  }

  /** libvirt's managed save: the domain is shut off until resumed. */
  suspend(instance: DriverInstance): Promise<void> {
    return this.#transition(instance, SHUTDOWN);
  }

  resume(instance: DriverInstance): Promise<void> {
    return this.#transition(instance, RUNNING);
  }

  /** The guest boots the rescue image (running). */
  rescue(instance: DriverInstance): Promise<void> {
    return this.#transition(instance, RUNNING);
  }

  unrescue(instance: DriverInstance): Promise<void> {
    return this.#transition(instance, RUNNING);
  }

  async snapshot(instance: DriverInstance): Promise<number> {
    await this.options.sleep(this.options.actionDelayMs);
    this.getInfo(instance);
    return SNAPSHOT_BYTES;
  }

  async setAdminPassword(instance: DriverInstance, _password: string): Promise<void> {
    await this.options.sleep(this.options.actionDelayMs);
    this.getInfo(instance);
  }

  /** An NMI reaches only a running guest (libvirt: `InstanceNotRunning`). */
  async triggerCrashDump(instance: DriverInstance): Promise<void> {
    await this.options.sleep(this.options.actionDelayMs);
    if (this.getInfo(instance).state !== RUNNING) throw new GuestNotRunning(instance.uuid);
  }

  migrateDiskAndPowerOff(instance: DriverInstance): Promise<void> {
    return this.#transition(instance, SHUTDOWN);
  }

  finishMigration(instance: DriverInstance, powerOn: boolean): Promise<void> {
    return this.#transition(instance, powerOn ? RUNNING : SHUTDOWN);
  }

  finishRevertMigration(instance: DriverInstance, powerOn: boolean): Promise<void> {
    return this.#transition(instance, powerOn ? RUNNING : SHUTDOWN);
  }

  /** nova's fake `get_diagnostics`. */
  getDiagnostics(_instance: DriverInstance): Record<string, number> {
    return {
      cpu0_time: 17300000000,
      memory: 524288,
      vda_errors: -1,
      vda_read: 262144,
      vda_read_req: 112,
      vda_write: 5778432,
      vda_write_req: 488,
      vnet1_rx: 2070139,
      vnet1_rx_drop: 0,
      vnet1_rx_errors: 0,
      vnet1_rx_packets: 26701,
      vnet1_tx: 140208,
      vnet1_tx_drop: 0,
      vnet1_tx_errors: 0,
      vnet1_tx_packets: 662,
    };
  }

  /** nova's fake `get_instance_diagnostics`, with the guest's state, uptime, vCPUs and NICs. */
  getInstanceDiagnostics(instance: DriverInstance, macs: readonly string[]): Diagnostics {
    const row = this.db.get<{ power_state: number; created_at: string }>(
      "SELECT power_state, created_at FROM fake_domains WHERE uuid = ?",
      instance.uuid,
    );
    if (!row) throw new GuestNotFound(instance.uuid);
    const uptime = Math.max(0, Math.floor((Date.now() - Date.parse(`${row.created_at}Z`)) / 1000));
    return {
      state: STATE_NAMES[row.power_state] ?? "pending",
      driver: "fake",
      hypervisor: "fake",
      hypervisor_os: "ubuntu",
      uptime,
      config_drive: false,
      cpu_details: Array.from({ length: instance.vcpus }, (_, id) => ({
        id,
        time: 17300000000,
        utilisation: 15,
      })),
      nic_details: macs.map((mac) => ({
        mac_address: mac,
        rx_octets: 2070139,
        rx_errors: 100,
        rx_drop: 200,
        rx_packets: 26701,
        rx_rate: 300,
        tx_octets: 140208,
        tx_errors: 400,
        tx_drop: 500,
        tx_packets: 662,
        tx_rate: 600,
      })),
      disk_details: [{
        read_bytes: 262144,
        read_requests: 112,
        write_bytes: 5778432,
        write_requests: 488,
        errors_count: 1,
      }],
      memory_details: { maximum: instance.memory_mb * 1024, used: 0 },
    };
  }

  /** nova's fake console endpoints. */
  getConsole(_instance: DriverInstance, kind: ConsoleKind): ConsoleEndpoint {
    return CONSOLES[kind];
  }

  async #transition(instance: DriverInstance, state: number): Promise<void> {
    await this.options.sleep(this.options.actionDelayMs);
    this.#setState(instance, state);
  }

  #setState(instance: DriverInstance, state: number): void {
    const { changes } = this.db.run(
      "UPDATE fake_domains SET power_state = ? WHERE uuid = ?",
      state,
      instance.uuid,
    );
    if (changes === 0) throw new GuestNotFound(instance.uuid);
  }
}
