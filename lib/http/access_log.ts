/**
 * The access-log line eventlet.wsgi writes after each request, in
 * `[wsgi] wsgi_log_format`: a Python `%`-format over eventlet's keys
 * (`client_ip`, `client_port`, `date_time`, `request_line`, `status_code`,
 * `body_length`, `wall_seconds`). The format is compiled once, at start-up,
 * so a bad one stops the server before the first request instead of
 * failing on each (as `log_format % {...}` would in eventlet).
 *
 * @module
 */

import { pyRepr } from "./wsgi_text.ts";

/** The values eventlet formats into the line. */
export interface AccessRecord {
  /** The peer's address; with X-Forwarded-For, `<forwarded>,<peer>`. */
  client_ip: string;
  client_port: number;
  /** `26/Nov/2026 01:17:22`, local time (http.server's log_date_time_string). */
  date_time: string;
  request_line: string;
  /** The status code as text, as eventlet keeps it. */
  status_code: string;
  /** Bytes written for the response: status line, headers and body. */
  body_length: number;
  wall_seconds: number;
}

type Key = keyof AccessRecord;

const KEY_KINDS: Record<Key, "str" | "int" | "float"> = {
  client_ip: "str",
  client_port: "int",
  date_time: "str",
  request_line: "str",
  status_code: "str",
  body_length: "int",
  wall_seconds: "float",
};

/** A compiled format: renders one record. */
export interface AccessFormat {
  (record: AccessRecord): string;
  /** Whether the format uses `date_time` (the server skips computing it otherwise). */
  readonly usesDateTime: boolean;
}

// %(key)flags width .precision type
const SPEC = /%(?:\((\w+)\))?([-#0 +]*)(\d+)?(?:\.(\d+))?([diouxXeEfFgGcrsa%])/y;

/**
 * Compiles a Python `%`-format that takes eventlet's keys.
 *
 * @throws {SyntaxError} for a malformed conversion or a positional one
 * @throws {TypeError} for an unknown key, or a number conversion of a text key
 */
export function compileAccessFormat(format: string): AccessFormat {
  // Literal text as strings, conversions as functions.
  const parts: (string | ((r: AccessRecord) => string))[] = [];
  let usesDateTime = false;
  let pos = 0;
  while (pos < format.length) {
    const pct = format.indexOf("%", pos);
    if (pct < 0) {
      parts.push(format.slice(pos));
      break;
    }
    if (pct > pos) parts.push(format.slice(pos, pct));
    SPEC.lastIndex = pct;
    const m = SPEC.exec(format);
    if (!m) {
      throw new SyntaxError(`Invalid conversion at offset ${pct} of ${JSON.stringify(format)}`);
    }
    pos = SPEC.lastIndex;
    const [, key, flags, width, precision, type] = m;
    if (type === "%") {
      parts.push("%");
      continue;
    }
    if (key === undefined) {
      throw new SyntaxError(`Conversion without a key in ${JSON.stringify(format)}`);
    }
    if (key === "date_time") usesDateTime = true;
    parts.push(conversion(key, flags, width, precision, type));
  }
  const count = parts.length;
  const render = (record: AccessRecord) => {
    let out = "";
    for (let i = 0; i < count; i++) {
      const part = parts[i];
      out += typeof part === "string" ? part : part(record);
    }
    return out;
  };
  return Object.assign(render, { usesDateTime });
}

function conversion(
  key: string,
  flags: string,
  width: string | undefined,
  precision: string | undefined,
  type: string,
): (r: AccessRecord) => string {
  if (!(key in KEY_KINDS)) throw new TypeError(`Unknown key ${JSON.stringify(key)} in log format`);
  const kind = KEY_KINDS[key as Key];
  const numeric = !"srac".includes(type);
  if (numeric && kind === "str") {
    throw new TypeError(`%${type} format of ${key} needs a number, and ${key} is text`);
  }
  const prec = precision === undefined ? undefined : Number(precision);
  const w = width === undefined ? 0 : Number(width);
  const k = key as Key;
  if (kind === "str" && type === "s" && prec === undefined && w === 0) {
    return (r) => r[k] as string; // the common `%(name)s`
  }
  if (kind === "int" && type === "s" && prec === undefined && w === 0) {
    return (r) => String(r[k]); // `%(body_length)s`: ints hold no float to print as `1.0`
  }
  if (type === "f" && flags === "" && w === 0) {
    // `%(wall_seconds).7f`, the default format's: no sign, flag or width to apply.
    const digits = prec ?? 6;
    return (r) => {
      const v = r[k] as number;
      return v > 0 || (v === 0 && !Object.is(v, -0))
        ? fixed(v, digits)
        : sign(v, "") + fixed(-v, digits);
    };
  }
  const toText = kind === "float" ? pyFloatStr : String;
  return (r) => {
    const value = r[k];
    const text = typeof value === "string"
      ? convertText(value, type, prec)
      : numeric
      ? sign(value, flags) + number(Math.abs(value), type, prec)
      : convertText(toText(value), type === "r" ? "s" : type, prec);
    return w === 0 ? text : pad(text, w, flags, numeric);
  };
}

function convertText(value: string, type: string, prec?: number): string {
  const text = type === "r" ? pyRepr(value) : value;
  return prec === undefined ? text : text.slice(0, prec);
}

function sign(v: number, flags: string): string {
  if (v < 0 || Object.is(v, -0)) return "-";
  return flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
}

function number(v: number, type: string, prec?: number): string {
  switch (type) {
    case "d":
    case "i":
    case "u":
      return Math.trunc(v).toString();
    case "o":
      return Math.trunc(v).toString(8);
    case "x":
      return Math.trunc(v).toString(16);
    case "X":
      return Math.trunc(v).toString(16).toUpperCase();
    case "e":
    case "E": {
      const text = pyExponent(v.toExponential(prec ?? 6));
      return type === "E" ? text.toUpperCase() : text;
    }
    case "g":
    case "G": {
      const text = pyGeneral(v, prec ?? 6);
      return type === "G" ? text.toUpperCase() : text;
    }
    default:
      return fixed(v, prec ?? 6);
  }
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const ZEROS = "000000000";

/** `v.toFixed(prec)` for v ≥ 0, faster for the small values logs hold. */
function fixed(v: number, prec: number): string {
  if (prec > 9 || v >= 1e6) return v.toFixed(prec);
  const exact = v * POW10[prec];
  let scaled = Math.round(exact);
  if (scaled - exact === 0.5 && scaled % 2 === 1) scaled--; // Python rounds ties to even
  if (prec === 0) return String(scaled);
  const whole = Math.floor(scaled / POW10[prec]);
  const frac = String(scaled - whole * POW10[prec]);
  return whole + "." + ZEROS.slice(0, prec - frac.length) + frac;
}

/** Python writes exponents with at least two digits: `1e-05`. */
function pyExponent(text: string): string {
  return text.replace(/e([+-])(\d)$/, "e$10$2");
}

/** Python's `%g`. */
function pyGeneral(v: number, prec: number): string {
  const p = prec === 0 ? 1 : prec;
  if (v === 0) return "0";
  const exp = Math.floor(Math.log10(v));
  const text = exp >= -4 && exp < p
    ? v.toFixed(Math.max(0, p - 1 - exp))
    : pyExponent(v.toExponential(p - 1));
  return text.replace(/\.?0+(?=e|$)/, "");
}

/** Python's `str()` of a float (`1.0`, `0.25`, `1e-05`). */
function pyFloatStr(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) return pyExponent(v.toExponential());
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

function pad(text: string, width: number, flags: string, numeric: boolean): string {
  if (text.length >= width) return text;
  if (flags.includes("-")) return text.padEnd(width);
  if (numeric && flags.includes("0")) {
    const signed = text[0] === "-" || text[0] === "+" || text[0] === " ";
    return signed ? text[0] + text.slice(1).padStart(width - 1, "0") : text.padStart(width, "0");
  }
  return text.padStart(width);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** http.server's `log_date_time_string()`: `26/Nov/2026 01:17:22`, local time. */
export function logDateTime(now: number = Date.now()): string {
  const d = new Date(now);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getDate())}/${MONTHS[d.getMonth()]}/${
    String(d.getFullYear()).padStart(4, "0")
  } ` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
