/**
 * Service records (`services` table): what each nova service writes when
 * it starts (host, binary, topic) and its heartbeat (`report_count`,
 * `last_seen_up` every `[DEFAULT] report_interval` seconds), with the
 * operator's switches (disabled + reason, forced_down). A service is up
 * when it is not forced down and its last heartbeat is at most
 * `[DEFAULT] service_down_time` seconds old.
 *
 * Mirrors nova/objects/service.py, nova/db/main/api.py `service_*`,
 * nova/service.py (`_create_service_ref`) and
 * nova/servicegroup/drivers/db.py (`is_up`, `_report_state`).
 *
 * @module
 */

import type { Conf } from "../../config/conf.ts";
import type { Store } from "../../store/db.ts";
import { utcnow } from "../../store/timestamps.ts";

/** A `services` row. */
export interface ServiceRecord {
  id: number;
  uuid: string;
  host: string;
  binary: string;
  topic: string | null;
  report_count: number;
  disabled: boolean;
  disabled_reason: string | null;
  last_seen_up: string | null;
  forced_down: boolean;
  created_at: string;
  updated_at: string | null;
}

/** The API services nova leaves out of the services and hosts listings. */
export const API_SERVICES = ["nova-osapi_compute", "nova-metadata"];

/** The fields an operator may change. */
export interface ServiceUpdate {
  disabled?: boolean;
  disabled_reason?: string | null;
  forced_down?: boolean;
}

/** Service records of one store and the heartbeat of those this process runs. */
export class ServiceRecords {
  readonly #mine = new Set<number>();
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(readonly db: Store, readonly conf: Conf) {}

  /** `Service.get_by_host_and_binary` or `_create_service_ref` (report_count 0). */
  register(host: string, binary: string, topic: string | null): ServiceRecord {
    let row = this.byHostAndBinary(host, binary);
    if (!row) {
      const { lastInsertRowid } = this.db.run(
        `INSERT INTO services (uuid, host, "binary", topic, report_count, created_at)
         VALUES (?, ?, ?, ?, 0, ?)`,
        crypto.randomUUID(),
        host,
        binary,
        topic,
        utcnow(),
      );
      row = this.get(lastInsertRowid)!;
    }
    if (topic !== null) this.#mine.add(row.id);
    return row;
  }

  /** Reports the state of this process's services now and every report_interval. */
  startHeartbeat(): void {
    this.reportState();
    const seconds = this.conf.DEFAULT.report_interval;
    if (seconds > 0 && this.#timer === null) {
      this.#timer = setInterval(() => this.reportState(), seconds * 1000);
    }
  }

  /** Stops the heartbeat. */
  stopHeartbeat(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  /**
   * `_report_state`: report_count + 1, which sets last_seen_up. A record
   * deleted through the API stays deleted (nova logs that the row is gone).
   */
  reportState(): void {
    if (!this.#mine.size) return;
    const now = utcnow();
    const ids = [...this.#mine];
    this.db.run(
      `UPDATE services SET report_count = report_count + 1, last_seen_up = ?, updated_at = ?
       WHERE deleted = 0 AND id IN (${ids.map(() => "?").join(", ")})`,
      now,
      now,
      ...ids,
    );
  }

  /** `servicegroup.API.service_is_up`. */
  isUp(svc: ServiceRecord): boolean {
    if (svc.forced_down) return false;
    const last = Date.parse(`${svc.last_seen_up ?? svc.created_at}Z`);
    return Math.abs(Date.now() - last) / 1000 <= this.conf.DEFAULT.service_down_time;
  }

  /** Every live service record, in id order (`service_get_all`). */
  list(filters: { disabled?: boolean; topic?: string } = {}): ServiceRecord[] {
    const where = ["deleted = 0"];
    const params: (string | number)[] = [];
    if (filters.disabled !== undefined) {
      where.push("disabled = ?");
      params.push(filters.disabled ? 1 : 0);
    }
    if (filters.topic !== undefined) {
      where.push("topic = ?");
      params.push(filters.topic);
    }
    return this.db.all(`SELECT * FROM services WHERE ${where.join(" AND ")} ORDER BY id`, ...params)
      .map(recordOf);
  }

  /** One live record by id, or null. */
  get(id: number): ServiceRecord | null {
    const row = this.db.get("SELECT * FROM services WHERE id = ? AND deleted = 0", id);
    return row ? recordOf(row) : null;
  }

  /** One live record by uuid, or null. */
  getByUuid(uuid: string): ServiceRecord | null {
    const row = this.db.get("SELECT * FROM services WHERE uuid = ? AND deleted = 0", uuid);
    return row ? recordOf(row) : null;
  }

  /** `Service.get_by_host_and_binary`, or null. */
  byHostAndBinary(host: string, binary: string): ServiceRecord | null {
    const row = this.db.get(
      `SELECT * FROM services WHERE host = ? AND "binary" = ? AND deleted = 0`,
      host,
      binary,
    );
    return row ? recordOf(row) : null;
  }

  /** `Service.get_by_compute_host`: the host's compute service, or null. */
  computeService(host: string): ServiceRecord | null {
    const row = this.db.get(
      "SELECT * FROM services WHERE host = ? AND topic = 'compute' AND deleted = 0",
      host,
    );
    return row ? recordOf(row) : null;
  }

  /** `service.save()` of the given fields (updated_at set). */
  update(id: number, values: ServiceUpdate): void {
    const keys = Object.keys(values) as (keyof ServiceUpdate)[];
    const params = keys.map((k) => {
      const v = values[k];
      return typeof v === "boolean" ? (v ? 1 : 0) : v ?? null;
    });
    this.db.run(
      `UPDATE services SET ${[...keys.map((k) => `${k} = ?`), "updated_at = ?"].join(", ")}
       WHERE id = ?`,
      ...params,
      utcnow(),
      id,
    );
  }

  /** `service.destroy()`: the soft delete, and the host's compute nodes with it. */
  destroy(svc: ServiceRecord): void {
    const now = utcnow();
    this.db.run("UPDATE services SET deleted = id, deleted_at = ? WHERE id = ?", now, svc.id);
    if (svc.binary === "nova-compute") {
      this.db.run("DELETE FROM compute_nodes WHERE host = ?", svc.host);
    }
  }
}

function recordOf(row: Record<string, unknown>): ServiceRecord {
  return {
    id: row.id as number,
    uuid: row.uuid as string,
    host: row.host as string,
    binary: row.binary as string,
    topic: row.topic as string | null,
    report_count: row.report_count as number,
    disabled: Boolean(row.disabled),
    disabled_reason: row.disabled_reason as string | null,
    last_seen_up: row.last_seen_up as string | null,
    forced_down: Boolean(row.forced_down),
    created_at: row.created_at as string,
    updated_at: row.updated_at as string | null,
  };
}
