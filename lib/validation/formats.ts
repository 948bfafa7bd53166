/**
 * The `format` checkers nova's validator knows: nova's own
 * (nova/api/validation/validators.py) and those jsonschema 4.10 registers
 * on `FormatChecker` (jsonschema/_format.py) that are importable on nova's
 * host. A format not listed here is not checked, as in jsonschema.
 *
 * A checker answers `true`/`false`, or an `InvalidName` reason (nova's
 * name checkers raise `exception.InvalidName`, whose message becomes the
 * whole 400 text), or throws a `PyException` where Python raises.
 *
 * @module
 */

import { PyException } from "./errors.ts";
import { isPyRegex, pyRegex } from "./pyregex.ts";
import { isPyDict, pyTypeName } from "./repr.ts";
import { pyInt } from "./pynum.ts";
import {
  VALID_AZ_NAME_LEADING_TRAILING_SPACES_REGEX,
  VALID_AZ_NAME_REGEX,
  VALID_NAME_LEADING_TRAILING_SPACES_REGEX,
  VALID_NAME_REGEX,
  type ValidationRegex,
} from "./name_regex.ts";

/** A failed name check: `exception.InvalidName(reason=...)`. */
export interface InvalidName {
  readonly invalidName: string;
}

/** The answer of a format checker. */
export type FormatResult = boolean | InvalidName;

/** A format checker function. */
export type FormatCheck = (instance: unknown) => FormatResult;

/** `exception.InvalidName.msg_fmt`. */
export function invalidNameMessage(reason: string): string {
  return `An invalid 'name' value was provided. The name must be: ${reason}`;
}

function nameCheck(rx: ValidationRegex): FormatCheck {
  return (instance) => {
    // re.search on a non-string raises TypeError, which nova turns into InvalidName.
    if (typeof instance === "string" && pyRegex(rx.regex).test(instance)) return true;
    return { invalidName: rx.reason };
  };
}

const DIGITS = "0123456789";
const ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** `_validate_keypair_name`: only `safeChars`, else InvalidName. */
function keypairNameCheck(safeChars: string): FormatCheck {
  const reason = `Only expected characters: [${safeChars}]`;
  return (instance) => {
    if (typeof instance === "string") {
      for (const ch of instance) if (!safeChars.includes(ch)) return { invalidName: reason };
      return true;
    }
    if (Array.isArray(instance)) {
      // "".join(x for x in list if x in safe_chars): `in` needs str operands.
      const bad = instance.find((x) => typeof x !== "string");
      if (bad !== undefined) {
        throw new PyException(
          "TypeError",
          `'in <string>' requires string as left operand, not ${pyTypeName(bad)}`,
        );
      }
      return { invalidName: reason };
    }
    // A dict iterates its (string) keys; the joined text never equals the dict.
    if (isPyDict(instance)) return { invalidName: reason };
    throw new PyException("TypeError", `'${pyTypeName(instance)}' object is not iterable`);
  };
}

/** `oslo_utils.uuidutils.is_uuid_like`. */
export function isUuidLike(value: unknown): boolean {
  if (typeof value !== "string") return false;
  const hex = value.replaceAll("urn:", "").replaceAll("uuid:", "").replace(/^[{}]+|[{}]+$/g, "")
    .replaceAll("-", "");
  return /^[0-9a-fA-F]{32}$/.test(hex);
}

// iso8601.ISO8601_REGEX (iso8601 1.0.2), matched with re.match.
export const ISO8601 = "(?x)\\A(?:" +
  "(?P<year>[0-9]{4})(((-(?P<monthdash>[0-9]{1,2}))|(?P<month>[0-9]{2})(?!$))" +
  "(((-(?P<daydash>[0-9]{1,2}))|(?P<day>[0-9]{2}))(((?P<separator>[ T])(?P<hour>[0-9]{2})" +
  "(:{0,1}(?P<minute>[0-9]{2})){0,1}(:{0,1}(?P<second>[0-9]{1,2})" +
  "([.,](?P<second_fraction>[0-9]+)){0,1}){0,1}(?P<timezone>Z|((?P<tz_sign>[-+])" +
  "(?P<tz_hour>[0-9]{2}):{0,1}(?P<tz_minute>[0-9]{2}){0,1})){0,1}){0,1})){0,1}){0,1}$)";

/** `timeutils.parse_isotime` succeeds (`iso8601.parse_date` and the datetime it builds). */
export function isIsoTime(value: unknown): boolean {
  if (typeof value !== "string") return false;
  const g = pyRegex(ISO8601).exec(value)?.groups;
  if (!g) return false;
  const year = Number(g.year);
  const month = Number(g.month ?? g.monthdash ?? 1);
  const day = Number(g.day ?? g.daydash ?? 1);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return false;
  }
  if (Number(g.hour ?? 0) > 23 || Number(g.minute ?? 0) > 59 || Number(g.second ?? 0) > 59) {
    return false;
  }
  // datetime.timezone needs an offset strictly within one day.
  return Number(g.tz_hour ?? 0) * 60 + Number(g.tz_minute ?? 0) < 1440;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const B64 = /[A-Za-z0-9+/]/;

/**
 * nova's `_validate_base64_format`: `base64.b64decode` without validation,
 * which skips characters outside the alphabet and stops at complete padding.
 *
 * A non-ASCII string raises UnicodeDecodeError, as in nova, where it
 * escapes the validator (a 500); the schema's format check takes it as
 * not base64 (a 400, see schema.ts `checkFormat`).
 */
export function isBase64(value: unknown): boolean {
  if (typeof value !== "string") return false;
  checkAscii(value);
  let quad = 0;
  let pads = 0;
  for (const ch of value) {
    if (ch === "=") {
      if (quad >= 2 && quad + ++pads >= 4) return true;
      continue;
    }
    if (!B64.test(ch)) continue;
    pads = 0;
    quad = (quad + 1) % 4;
  }
  return quad === 0;
}

function checkAscii(value: string): void {
  // deno-lint-ignore no-control-regex
  const at = value.search(/[^\x00-\x7f]/);
  if (at < 0) return;
  const lone = value.match(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
  );
  if (lone) {
    const pos = [...value.slice(0, lone.index)].length;
    const hex = lone[0].charCodeAt(0).toString(16);
    throw new PyException(
      "UnicodeEncodeError",
      `'utf-8' codec can't encode character '\\u${hex}' in position ${pos}: surrogates not allowed`,
    );
  }
  const bytes = new TextEncoder().encode(value);
  const pos = bytes.findIndex((b) => b > 0x7f);
  throw new PyException(
    "UnicodeDecodeError",
    `'ascii' codec can't decode byte 0x${bytes[pos].toString(16)} in position ${pos}: ` +
      "ordinal not in range(128)",
  );
}

/** `ipaddress.IPv4Address(s)` parses (`_ip_int_from_string`). */
export function isIPv4(s: string): boolean {
  if (!s || s.includes("/")) return false;
  const octets = s.split(".");
  return octets.length === 4 && octets.every(isOctet);
}

function isOctet(o: string): boolean {
  if (!/^[0-9]{1,3}$/.test(o)) return false;
  if (o !== "0" && o[0] === "0") return false;
  return Number(o) <= 255;
}

/** `ipaddress.IPv6Address(s)` parses; `allowScope` keeps a `%scope` suffix. */
export function isIPv6(s: string, allowScope = false): boolean {
  if (s.includes("/")) return false;
  const pct = s.indexOf("%");
  if (pct >= 0) {
    const scope = s.slice(pct + 1);
    if (!scope || scope.includes("%") || !allowScope) return false;
    s = s.slice(0, pct);
  }
  if (!s) return false;
  const parts = s.split(":");
  if (parts.length < 3) return false;
  if (parts[parts.length - 1].includes(".")) {
    if (!isIPv4(parts.pop() as string)) return false;
    parts.push("0", "0");
  }
  if (parts.length > 9) return false;
  return hextetsOk(parts);
}

function hextetsOk(parts: string[]): boolean {
  let skip = -1;
  for (let i = 1; i < parts.length - 1; i++) {
    if (parts[i]) continue;
    if (skip >= 0) return false;
    skip = i;
  }
  let hi = parts.length;
  let lo = 0;
  if (skip >= 0) {
    hi = skip;
    lo = parts.length - skip - 1;
    if (!parts[0] && --hi) return false;
    if (!parts[parts.length - 1] && --lo) return false;
    if (8 - (hi + lo) < 1) return false;
  } else if (parts.length !== 8 || !parts[0] || !parts[parts.length - 1]) return false;
  const used = parts.slice(0, hi).concat(lo ? parts.slice(-lo) : []);
  return used.every((h) => /^[0-9a-fA-F]{1,4}$/.test(h));
}

/**
 * nova's `_validate_cidr_format`: `netaddr.IPNetwork` (0.8) accepts it, it
 * has a `/` and no whitespace. netaddr takes partial IPv4 networks
 * (`10/8`) and netmask or hostmask prefixes (`10.0.0.0/255.0.0.0`).
 */
export function isCidr(value: unknown): boolean {
  if (typeof value !== "string") {
    throw new PyException(
      "TypeError",
      `unexpected type <class '${pyTypeName(value)}'> for addr arg`,
    );
  }
  if (!value.includes("/") || pyRegex("\\s").test(value)) return false;
  const [addr, prefix] = [value.slice(0, value.indexOf("/")), value.slice(value.indexOf("/") + 1)];
  if (isIPv4(addr) || isPartialIPv4(addr)) return prefixOk(prefix, 32, isIPv4);
  return isIPv6(addr) && prefixOk(prefix, 128, (m) => isIPv6(m));
}

/** `_ipv4.expand_partial_address`: one to four `int()` tokens, each a valid octet. */
function isPartialIPv4(addr: string): boolean {
  if (addr.includes(":")) return false;
  const tokens = addr.split(".").map((t) => pyInt(t));
  if (tokens.length > 4 || tokens.some((t) => t === null)) return false;
  return isIPv4(tokens.concat(Array(4 - tokens.length).fill(0)).map(String).join("."));
}

function prefixOk(prefix: string, width: number, isAddr: (s: string) => boolean): boolean {
  const n = pyInt(prefix);
  if (n !== null) return n >= 0 && n <= width;
  if (width !== 32 || !isAddr(prefix)) return false;
  // A netmask (ones then zeros) or a hostmask (zeros then ones).
  const bits = prefix.split(".").map((o) => Number(o).toString(2).padStart(8, "0")).join("");
  return /^1*0*$/.test(bits) || /^0*1*$/.test(bits);
}

/**
 * nova's `_validate_uri` (rfc3986: scheme and host required, every part valid).
 *
 * NOTE(parity): an RFC 3986 grammar check, not rfc3986's exact code paths.
 */
export function isUri(value: unknown): boolean {
  if (typeof value !== "string") {
    // rfc3986 runs a regex over it: re raises TypeError, nova answers 400 with its text.
    throw new PyException(
      "TypeError",
      `expected string or bytes-like object, got '${pyTypeName(value)}'`,
    );
  }
  const m =
    /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:([^@/?#]*)@)?(\[[^\]]*\]|[^:/?#]*)(?::([0-9]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/
      .exec(value);
  if (!m || !m[3]) return false;
  const pchar = /^(?:[A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2})*$/;
  return [m[2] ?? "", m[5], m[6] ?? "", m[7] ?? ""].every((part) => pchar.test(part)) &&
    /^(?:[A-Za-z0-9._~!$&'()*+,;=-]|%[0-9A-Fa-f]{2})*$|^\[/.test(m[3]);
}

function isDate(s: string): boolean {
  const m = /^([0-9]{4})-?([0-9]{2})-?([0-9]{2})$/.exec(s);
  if (!m || (s.length === 10) !== s.includes("-")) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

const TIME = /^(?:2[0-3]|[01][0-9]|[0-9]):(?:[0-5][0-9]|[0-9]):(?:[0-5][0-9]|[0-9])$/;

/** Format name to checker, as `validators.FormatChecker().checkers` has them. */
export const FORMAT_CHECKERS: Readonly<Record<string, FormatCheck>> = {
  "az_name": nameCheck(VALID_AZ_NAME_REGEX),
  "az_name_with_leading_trailing_spaces": nameCheck(VALID_AZ_NAME_LEADING_TRAILING_SPACES_REGEX),
  "base64": isBase64,
  "cidr": isCidr,
  // NOTE(parity): jsonschema's `date` is `date.fromisoformat`; only the
  // calendar forms YYYY-MM-DD and YYYYMMDD are accepted here.
  "date": (v) => typeof v !== "string" || isDate(v),
  "date-time": isIsoTime,
  "email": (v) => typeof v !== "string" || v.includes("@"),
  "idn-email": (v) => typeof v !== "string" || v.includes("@"),
  "ipv4": (v) => typeof v !== "string" || isIPv4(v),
  "ipv6": (v) => typeof v !== "string" || isIPv6(v),
  "keypair_name_20": keypairNameCheck("_- " + DIGITS + ASCII_LETTERS),
  "keypair_name_292": keypairNameCheck("@._- " + DIGITS + ASCII_LETTERS),
  "name": nameCheck(VALID_NAME_REGEX),
  "name_with_leading_trailing_spaces": nameCheck(VALID_NAME_LEADING_TRAILING_SPACES_REGEX),
  "regex": (v) => typeof v === "string" && v !== "" && isPyRegex(v),
  // jsonschema's draft-3 `time`: datetime.strptime("%H:%M:%S") (seconds 60 and 61 pass
  // the pattern but not datetime()).
  "time": (v) => typeof v !== "string" || TIME.test(v),
  "uri": isUri,
  "uuid": isUuidLike,
};
