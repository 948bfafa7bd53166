/**
 * The three bodies of the healthcheck answer, byte for byte what oslo's
 * jinja templates and `json.dumps(indent=4, sort_keys=True)` produce.
 *
 * Mirrors oslo_middleware/healthcheck/__init__.py (`PLAIN_RESPONSE_TEMPLATE`,
 * `HTML_RESPONSE_TEMPLATE`, `_make_*_response`).
 *
 * @module
 */

import { systemInfo } from "../runtime.ts";
import { pyJson } from "../response.ts";

/** pluginbase.HealthcheckResult. */
export interface HealthResult {
  readonly available: boolean;
  readonly reason: string;
  readonly details: string | null;
}

/** `reflection.get_class_name(result, fully_qualified=False)`. */
const RESULT_CLASS = "HealthcheckResult";

/** The reasons, one a line (the plain template, stripped). */
export function renderText(results: readonly HealthResult[]): string {
  return results.map((r) => "\n" + r.reason).join("").trim();
}

/** `_make_json_response`: pretty JSON, keys sorted. */
export function renderJson(results: readonly HealthResult[], detailed: boolean): string {
  if (!detailed) {
    return prettyJson({ detailed: false, reasons: results.map((r) => r.reason) });
  }
  const server = serverStatus();
  return prettyJson({
    detailed: true,
    python_version: server.version,
    now: server.now,
    platform: server.platform,
    gc: { counts: GC_NUMBERS, threshold: GC_NUMBERS },
    reasons: results.map((r) => ({
      reason: r.reason,
      details: r.details ?? "",
      class: RESULT_CLASS,
    })),
    greenthreads: [],
    threads: [],
  });
}

/** `_make_html_response`: the HTML template, stripped. */
export function renderHtml(results: readonly HealthResult[], detailed: boolean): string {
  const shown = results.filter((r) => r.reason);
  const rows = shown.map((r) => detailed ? detailedRow(r) : plainRow(r)).join("");
  const header = detailed
    ? "<TR>\n<TH>\nKind\n</TH>\n<TH>\nReason\n</TH>\n<TH>\nDetails\n</TH>\n\n</TR>"
    : "<TR>\n\n<TH>\nReason\n</TH>\n</TR>";
  return "<HTML>\n<HEAD><TITLE>Healthcheck Status</TITLE></HEAD>\n<BODY>\n" +
    (detailed ? serverSection() : "\n") +
    `<H2>Result of ${results.length} checks:</H2>\n` +
    '<TABLE bgcolor="#ffffff" border="1">\n<TBODY>\n' +
    `${header}\n${rows}\n</TBODY>\n</TABLE>\n<HR></HR>\n` +
    // With details, the (empty: no thread stacks are shown) thread sections.
    (detailed ? "\n\n" : "\n") +
    "</BODY>\n</HTML>";
}

function plainRow(r: HealthResult): string {
  return `<TR>\n\n    <TD>${escape(r.reason)}</TD>\n\n</TR>`;
}

function detailedRow(r: HealthResult): string {
  return `<TR>\n<TD>${RESULT_CLASS}</TD>\n    <TD>${escape(r.reason)}</TD>\n` +
    `<TD>${escape(r.details ?? "")}</TD>\n</TR>`;
}

function serverSection(): string {
  const server = serverStatus();
  const gc = `(${GC_NUMBERS.join(", ")})`;
  return "<H1>Server status</H1>\n" +
    `<B>Server hostname:</B><PRE>${escape(server.hostname)}</PRE>\n` +
    `<B>Current time:</B><PRE>${escape(server.now)}</PRE>\n` +
    `<B>Python version:</B><PRE>${escape(server.version)}</PRE>\n` +
    `<B>Platform:</B><PRE>${escape(server.platform)}</PRE>\n` +
    "<HR></HR>\n<H2>Garbage collector:</H2>\n" +
    `<B>Counts:</B><PRE>${gc}</PRE>\n<B>Thresholds:</B><PRE>${gc}</PRE>\n<HR></HR>\n`;
}

/**
 * NOTE(parity): the detailed output keeps oslo's keys, filled with what this
 * runtime can tell: the runtime for `python_version`, no garbage collector
 * numbers, and no thread stacks (oslo lists every thread's stack).
 */
const GC_NUMBERS = [0, 0, 0] as const;

function serverStatus(): { hostname: string; now: string; version: string; platform: string } {
  const runtime = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent;
  const { hostname, platform } = systemInfo();
  return { hostname, now: pyUtcNow(new Date()), version: runtime ?? "unknown", platform };
}

/** `str(timeutils.utcnow())`: `2026-11-26 02:25:20.105000`, no fraction when it is zero. */
export function pyUtcNow(date: Date): string {
  const iso = date.toISOString();
  const base = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  const ms = date.getUTCMilliseconds();
  return ms === 0 ? base : `${base}.${String(ms * 1000).padStart(6, "0")}`;
}

/** jinja's `|e` (markupsafe.escape). */
function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&#34;").replace(/'/g, "&#39;");
}

/** Python's `json.dumps(value, indent=4, sort_keys=True)`. */
export function prettyJson(value: unknown, depth = 0): string {
  const pad = "    ".repeat(depth + 1);
  const end = "    ".repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((v) => pad + prettyJson(v, depth + 1));
    return `[\n${items.join(",\n")}\n${end}]`;
  }
  if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return "{}";
    const obj = value as Record<string, unknown>;
    const items = keys.map((k) => `${pad}${pyJson(k)}: ${prettyJson(obj[k], depth + 1)}`);
    return `{\n${items.join(",\n")}\n${end}}`;
  }
  return pyJson(value);
}
