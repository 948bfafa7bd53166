/**
 * The fake hypervisor: guests are rows of `fake_domains` (so they outlive
 * a restart of novalet, as a real hypervisor's guests outlive a restart of
 * nova-compute), and every operation takes a short, configurable time.
 *
 * Failure injection: a flavor extra spec `novalet:fail_spawn=true` makes
 * `spawn` fail, so that the build ends in ERROR as nova's does when the
 * hypervisor cannot boot a guest.
 *
 * Mirrors nova/virt/fake.py (`FakeDriver`).
 *
 * @module
 */

import type { Store } from "../store/db.ts";
import { utcnow } from "../store/timestamps.ts";
import {
  type ComputeDriver,
  type DriverInstance,
  GuestNotFound,
  type InstanceInfo,
} from "./driver.ts";

const RUNNING = 1;
const SHUTDOWN = 4;
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

  async spawn(instance: DriverInstance): Promise<void> {
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
  }

  async destroy(instance: DriverInstance): Promise<void> {
    await this.options.sleep(this.options.actionDelayMs);
    this.db.run("DELETE FROM fake_domains WHERE uuid = ?", instance.uuid);
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

  getConsoleOutput(_instance: DriverInstance): string {
    return "FAKE CONSOLE OUTPUT\nANOTHER\nLAST LINE";
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
