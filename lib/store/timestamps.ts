/**
 * Timestamps as nova stores and shows them: `timeutils.utcnow()` (naive
 * UTC, microseconds), written by oslo.serialization's `to_primitive` as
 * `%Y-%m-%dT%H:%M:%S.%f` (always six fraction digits, no zone).
 *
 * @module
 */

/** `timeutils.utcnow()` in nova's JSON form: `2026-11-26T01:17:22.584585`. */
export function utcnow(): string {
  const now = new Date();
  // Date has milliseconds; the high-resolution clock supplies the microseconds.
  const micros = Math.floor((performance.timeOrigin + performance.now()) * 1000) % 1000;
  return now.toISOString().slice(0, 23) + String(micros).padStart(3, "0");
}
