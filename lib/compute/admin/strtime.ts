/**
 * Naive UTC datetimes as microseconds since the epoch: the stored
 * `%Y-%m-%dT%H:%M:%S.%f` form both ways, and Python's `strptime` with the
 * formats the usage and audit log APIs accept.
 *
 * Mirrors Python's `datetime.strptime` (`%Y` four digits, `%m %d %H %M %S`
 * one or two, `%f` one to six) and oslo's `timeutils.parse_strtime`.
 *
 * @module
 */

const STRPTIME: Record<string, RegExp> = {
  "%Y-%m-%dT%H:%M:%S": /^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2}):(\d{1,2})$/,
  "%Y-%m-%dT%H:%M:%S.%f": /^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2}):(\d{1,2})\.(\d{1,6})$/,
  "%Y-%m-%d %H:%M:%S.%f": /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})\.(\d{1,6})$/,
  "%Y-%m-%d %H:%M:%S": /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})$/,
};

/** The simple tenant usage formats, tried in nova's order. */
export const USAGE_FORMATS = [
  "%Y-%m-%dT%H:%M:%S",
  "%Y-%m-%dT%H:%M:%S.%f",
  "%Y-%m-%d %H:%M:%S.%f",
];

/** `strptime(text, fmt)` as microseconds, or null where Python raises ValueError. */
export function strptime(text: string, fmt: string): number | null {
  const m = STRPTIME[fmt]?.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const frac = m[7] ? Number(m[7].padEnd(6, "0")) : 0;
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 61) return null;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59)));
  date.setUTCFullYear(y);
  if (date.getUTCDate() !== d || s > 59) return null;
  return date.getTime() * 1000 + frac;
}

/** The first of `formats` that parses `text`, or null. */
export function parseStrTime(text: string, formats: readonly string[] = USAGE_FORMATS) {
  for (const fmt of formats) {
    const micros = strptime(text, fmt);
    if (micros !== null) return micros;
  }
  return null;
}

/** Stored form (`2026-11-26T01:17:22.584585`, fraction optional) → microseconds. */
export function toMicros(stored: string): number {
  const [whole, frac = ""] = stored.replace("Z", "").split(".");
  return Date.parse(`${whole}Z`) * 1000 + Number(frac.padEnd(6, "0").slice(0, 6));
}

/** Microseconds → the stored form. */
export function fromMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const rest = micros - ms * 1000;
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}${String(rest).padStart(3, "0")}`;
}
