/**
 * InstanceUsageAuditLogController (`/os-instance_usage_audit_log`): the
 * usage audit of the last completed audit period (`[DEFAULT]
 * instance_usage_audit_period`, a month by default) over the compute
 * hosts. novalet's computes run no usage audit task (nova's
 * `[DEFAULT] instance_usage_audit` is off by default), so no host has
 * logged one: every compute host is "not run".
 *
 * Mirrors nova/api/openstack/compute/instance_usage_audit_log.py and
 * nova/utils.py `last_completed_audit_period`.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { Services } from "../../services.ts";
import { type HostsApi, hostsApi } from "../hosts/api.ts";
import type { ControllerSpec } from "../wsgi.ts";
import { authOf } from "./common.ts";
import { strptime, toMicros } from "./strtime.ts";
import { utcnow } from "../../store/timestamps.ts";

const RULE = "os_compute_api:os-instance-usage-audit-log:";

/** Builds the controller. */
export function auditLogController(services: Services): ControllerSpec {
  const api = () => hostsApi(services);
  return {
    name: "InstanceUsageAuditLogController",
    methods: {
      index: {
        expectedErrors: [],
        handler: ({ req }) => {
          api().compute.policy.authorize(authOf(req), `${RULE}list`, {});
          return { instance_usage_audit_logs: auditTaskLogs(api(), null) };
        },
      },
      show: {
        expectedErrors: [400],
        handler: ({ req, params }) => {
          api().compute.policy.authorize(authOf(req), `${RULE}show`, {});
          const fmt = params.id.includes(".") ? "%Y-%m-%d %H:%M:%S.%f" : "%Y-%m-%d %H:%M:%S";
          const before = strptime(params.id, fmt);
          if (before === null) throw new HttpError(400, `Invalid timestamp for date ${params.id}`);
          return { instance_usage_audit_log: auditTaskLogs(api(), new Date(before / 1000)) };
        },
      },
    },
  };
}

/** `_get_audit_task_logs` with no task log recorded. */
function auditTaskLogs(api: HostsApi, before: Date | null) {
  const [begin, end] = lastCompletedAuditPeriod(
    api.compute.conf.DEFAULT.instance_usage_audit_period,
    before ?? new Date(toMicros(utcnow()) / 1000),
  );
  const hosts = [...new Set(api.services({ topic: "compute" }).map((s) => s.host))];
  return {
    period_beginning: pyDatetime(begin),
    period_ending: pyDatetime(end),
    num_hosts: hosts.length,
    num_hosts_done: 0,
    num_hosts_running: 0,
    num_hosts_not_run: hosts.length,
    hosts_not_run: hosts,
    total_instances: 0,
    total_errors: 0,
    overall_status: `${hosts.length === 0 ? "ALL" : `0 of ${hosts.length}`} hosts done. 0 errors.`,
    log: {},
  };
}

/** Python's `str(datetime)`: `2026-10-01 00:00:00` (microseconds only when set). */
function pyDatetime(d: Date): string {
  const iso = d.toISOString();
  const ms = d.getUTCMilliseconds();
  return iso.slice(0, 10) + " " + iso.slice(11, 19) +
    (ms ? `.${String(ms * 1000).padStart(6, "0")}` : "");
}

/**
 * `last_completed_audit_period(unit, before)`: the latest whole period
 * (`hour`, `day`, `month` or `year`, with an optional `@offset`) ending
 * before `now`.
 */
export function lastCompletedAuditPeriod(unitSpec: string, now: Date): [Date, Date] {
  const [unit, rawOffset] = unitSpec.split("@", 2);
  let offset = rawOffset === undefined ? 0 : Number.parseInt(rawOffset, 10);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const at = (year: number, month: number, day: number, hour = 0) =>
    new Date(Date.UTC(year, month, day, hour));
  if (unit === "month") {
    offset ||= 1;
    let end = at(y, m, offset);
    if (end >= now) end = at(y, m - 1, offset);
    return [at(end.getUTCFullYear(), end.getUTCMonth() - 1, offset), end];
  }
  if (unit === "year") {
    offset ||= 1;
    const end = at(y, offset - 1, 1);
    return end >= now
      ? [at(y - 2, offset - 1, 1), at(y - 1, offset - 1, 1)]
      : [at(y - 1, offset - 1, 1), end];
  }
  const stepMs = unit === "day" ? 86_400_000 : 3_600_000;
  let end = unit === "day"
    ? at(y, m, now.getUTCDate(), offset)
    : new Date(Date.UTC(y, m, now.getUTCDate(), now.getUTCHours(), offset));
  if (end >= now) end = new Date(end.getTime() - stepMs);
  return [new Date(end.getTime() - stepMs), end];
}
