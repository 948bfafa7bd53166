/**
 * Time values of the servers API: `timeutils.parse_isotime` +
 * `normalize_time` for the changes-since / changes-before filters (to the
 * stored form, naive UTC `%Y-%m-%dT%H:%M:%S.%f`), and `utils.isotime`.
 *
 * Mirrors oslo_utils/timeutils.py and iso8601.parse_date (which the query
 * schema's `date-time` format already checked).
 *
 * @module
 */

import { utcnow } from "../../store/timestamps.ts";
import { ISO8601, pyRegex } from "../../validation/mod.ts";

/**
 * `normalize_time(parse_isotime(text))` in the stored form, or null when
 * the text is not an ISO 8601 time.
 */
export function parseIsoTime(text: string): string | null {
  const g = pyRegex(ISO8601).exec(text)?.groups;
  if (!g) return null;
  const micros = g.second_fraction ? Math.round(Number(`0.${g.second_fraction}`) * 1e6) : 0;
  let ms = Date.UTC(
    Number(g.year),
    Number(g.month ?? g.monthdash ?? 1) - 1,
    Number(g.day ?? g.daydash ?? 1),
    Number(g.hour ?? 0),
    Number(g.minute ?? 0),
    Number(g.second ?? 0),
  );
  if (g.tz_sign) {
    const offset = (Number(g.tz_hour) * 60 + Number(g.tz_minute ?? 0)) * 60_000;
    ms += g.tz_sign === "+" ? -offset : offset;
  }
  const wholeMs = ms + Math.floor(micros / 1000);
  const date = new Date(wholeMs);
  if (Number.isNaN(date.getTime())) return null;
  return date.toISOString().slice(0, 19) + "." + String(
    (wholeMs % 1000 + 1000) % 1000 * 1000 + micros % 1000,
  ).padStart(6, "0");
}

/** `utils.isotime(at)`: `YYYY-MM-DDThh:mm:ssZ`; nova shows "now" for a missing time. */
export function isotime(at: string | null): string {
  return (at ?? utcnow()).slice(0, 19) + "Z";
}
