/**
 * Query strings the way nova reads them: webob's `req.GET` (webob 1.8
 * `parse_qsl_text`), `dict_of_lists()`, and the stripping of unknown
 * parameters after validation (`_strip_additional_query_parameters` in
 * nova/api/validation/__init__.py).
 *
 * @module
 */

import { pyRegex } from "./pyregex.ts";
import { isPyDict } from "./repr.ts";

/** Query parameters as nova validates them: each name with all its values, in first-seen order. */
export type QueryDict = Record<string, string[]>;

/** The query string is not UTF-8 once percent-decoded (webob raises UnicodeDecodeError). */
export class QueryDecodeError extends Error {
  constructor() {
    super("Query string is not UTF-8 encoded");
    this.name = "QueryDecodeError";
  }
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });
const ENCODER = new TextEncoder();

/**
 * webob's `parse_qsl_text`: pairs split on `&` and `;`, `+` is a space,
 * `%XX` decoded leniently (a bad escape stays as it is), a name without `=`
 * gets an empty value, then strict UTF-8.
 *
 * @throws {QueryDecodeError} when a name or value is not UTF-8
 */
export function parseQueryString(raw: string): [string, string][] {
  const out: [string, string][] = [];
  for (const part of raw.replaceAll("+", " ").split(/[&;]/)) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? "" : part.slice(eq + 1);
    out.push([decodePart(name), decodePart(value)]);
  }
  return out;
}

/** One name or value: percent-decoded, then UTF-8 (plain ASCII text is its own result). */
function decodePart(s: string): string {
  // deno-lint-ignore no-control-regex
  return /^[\x00-\x24\x26-\x7f]*$/.test(s) ? s : decodeText(unquote(s));
}

/** webob.compat.unquote on the latin-1 bytes of `s`. */
function unquote(s: string): Uint8Array {
  const bytes: number[] = [];
  const pieces = s.split("%");
  pushText(bytes, pieces[0]);
  for (const item of pieces.slice(1)) {
    const code = hexByte(item.slice(0, 2));
    if (code === null) {
      bytes.push(0x25);
      pushText(bytes, item);
    } else {
      bytes.push(code);
      pushText(bytes, item.slice(2));
    }
  }
  return new Uint8Array(bytes);
}

/** `int(text, 16)` for at most two characters, when it is a byte value. */
function hexByte(text: string): number | null {
  const m = /^[ \t\n\r\f\v]*\+?([0-9a-fA-F]{1,2})[ \t\n\r\f\v]*$/.exec(text);
  return m ? parseInt(m[1], 16) : null;
}

function pushText(bytes: number[], text: string): void {
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (cp <= 0xff) bytes.push(cp);
    else bytes.push(...ENCODER.encode(ch));
  }
}

function decodeText(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new QueryDecodeError();
  }
}

/** webob `MultiDict.dict_of_lists()`. */
export function dictOfLists(pairs: Iterable<[string, string]>): QueryDict {
  const out: QueryDict = {};
  for (const [name, value] of pairs) {
    if (Object.hasOwn(out, name)) out[name].push(value);
    else Object.defineProperty(out, name, { value: [value], enumerable: true, writable: true });
  }
  return out;
}

/**
 * `_strip_additional_query_parameters`: drops the parameters the schema
 * neither lists in `properties` nor matches (`re.match`) in
 * `patternProperties`.
 *
 * NOTE(parity): nova reads the misspelt key 'addtionalProperties', so it
 * strips whatever `additionalProperties` says.
 */
export function stripAdditionalQueryParameters(
  schema: { readonly [k: string]: unknown },
  query: QueryDict,
): QueryDict {
  const props = isPyDict(schema.properties) ? schema.properties : {};
  const patterns = isPyDict(schema.patternProperties)
    ? Object.keys(schema.patternProperties).map(matchRegex)
    : [];
  const out: QueryDict = {};
  for (const name in query) {
    if (!Object.hasOwn(props, name) && !patterns.some((p) => p.test(name))) continue;
    Object.defineProperty(out, name, { value: query[name], enumerable: true, writable: true });
  }
  return out;
}

/** A RegExp with `re.match` semantics (anchored at the start) for a Python pattern. */
function matchRegex(pattern: string): RegExp {
  const flags = /^(?:\(\?[aiLmsux]+\))*/.exec(pattern)?.[0] ?? "";
  return pyRegex(`${flags}\\A(?:${pattern.slice(flags.length)})`);
}
