/**
 * JSON and query strings the way glance writes them: `json.dumps(...,
 * ensure_ascii=False)` for image views (non-ASCII text as is, `", "` and
 * `": "` separators) and `urllib.parse.urlencode` for the `first`/`next`
 * links of an image list.
 *
 * Mirrors glance/api/v2/images.py `ResponseSerializer.show`/`index`.
 *
 * @module
 */

/** `json.dumps(data, ensure_ascii=False)`: ints, strings, booleans, null, lists and dicts. */
export function glanceJson(data: unknown): string {
  if (data === null || data === undefined) return "null";
  switch (typeof data) {
    case "string":
      // NOTE(parity): Python escapes only control characters, quotes and backslashes here.
      return JSON.stringify(data);
    case "number":
      return Number.isFinite(data) ? String(data) : "null";
    case "boolean":
      return data ? "true" : "false";
    case "object":
      if (Array.isArray(data)) return `[${data.map(glanceJson).join(", ")}]`;
      return `{${
        Object.entries(data as Record<string, unknown>)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${JSON.stringify(k)}: ${glanceJson(v)}`)
          .join(", ")
      }}`;
    default:
      return "null";
  }
}

const UNRESERVED = /[A-Za-z0-9_.\-~]/;
const ENCODER = new TextEncoder();

/** `urllib.parse.quote_plus(s)`: UTF-8 percent-encoding, space as `+`. */
export function quotePlus(s: string): string {
  let out = "";
  for (const ch of s) {
    if (ch === " ") out += "+";
    else if (UNRESERVED.test(ch)) out += ch;
    else {
      for (const b of ENCODER.encode(ch)) {
        out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
      }
    }
  }
  return out;
}

/** `urllib.parse.urlencode(pairs)`. */
export function urlencode(pairs: Iterable<[string, string]>): string {
  return Array.from(pairs, ([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`).join("&");
}
