/**
 * `last_completed_audit_period` and `strptime` against answers of nova's
 * own functions (nova/utils.py, Python's datetime.strptime).
 */

import { strict as assert } from "node:assert";
import { lastCompletedAuditPeriod } from "../../lib/compute/admin/audit_log_controller.ts";
import { fromMicros, parseStrTime, strptime } from "../../lib/compute/admin/strtime.ts";

// [unit, now, begin, end] as nova's last_completed_audit_period answered.
const NOVA: [string, string, string, string][] = [
  ["month", "2026-01-10T05:20:00", "2025-12-01T00:00:00", "2026-01-01T00:00:00"],
  ["month", "2026-03-15T18:00:00", "2026-02-01T00:00:00", "2026-03-01T00:00:00"],
  ["month@15", "2026-01-10T05:20:00", "2025-11-15T00:00:00", "2025-12-15T00:00:00"],
  ["month@15", "2026-03-15T18:00:00", "2026-02-15T00:00:00", "2026-03-15T00:00:00"],
  ["day", "2026-01-10T05:20:00", "2026-01-09T00:00:00", "2026-01-10T00:00:00"],
  ["day@18", "2026-01-10T05:20:00", "2026-01-08T18:00:00", "2026-01-09T18:00:00"],
  ["day@18", "2026-03-15T18:00:00", "2026-03-13T18:00:00", "2026-03-14T18:00:00"],
  ["hour", "2026-01-10T05:20:00", "2026-01-10T04:00:00", "2026-01-10T05:00:00"],
  ["hour", "2026-03-15T18:00:00", "2026-03-15T16:00:00", "2026-03-15T17:00:00"],
  ["hour@30", "2026-01-10T05:20:00", "2026-01-10T03:30:00", "2026-01-10T04:30:00"],
  ["year", "2026-03-15T18:00:00", "2025-01-01T00:00:00", "2026-01-01T00:00:00"],
  ["year@3", "2026-01-10T05:20:00", "2024-03-01T00:00:00", "2025-03-01T00:00:00"],
  ["year@3", "2026-03-15T18:00:00", "2025-03-01T00:00:00", "2026-03-01T00:00:00"],
];

Deno.test("lastCompletedAuditPeriod() matches nova's periods", () => {
  for (const [unit, now, begin, end] of NOVA) {
    const [b, e] = lastCompletedAuditPeriod(unit, new Date(`${now}Z`));
    assert.deepEqual(
      [b.toISOString().slice(0, 19), e.toISOString().slice(0, 19)],
      [begin, end],
      unit,
    );
  }
});

Deno.test("strptime() accepts what Python's accepts for nova's formats", () => {
  assert.equal(
    fromMicros(strptime("2020-1-2T3:4:5", "%Y-%m-%dT%H:%M:%S")!),
    "2020-01-02T03:04:05.000000",
  );
  assert.equal(fromMicros(parseStrTime("2020-01-02 03:04:05.5")!), "2020-01-02T03:04:05.500000");
  assert.equal(parseStrTime("2020-02-30T00:00:00"), null);
  assert.equal(parseStrTime("2020-01-01T24:00:00"), null);
  assert.equal(parseStrTime("2020-01-01"), null);
  assert.equal(parseStrTime("garbage"), null);
});
