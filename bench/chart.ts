/**
 * latency.svg: the latency distributions of a run, hand-written SVG. One
 * panel per scenario, one curve per server (medians of rounds at each
 * percentile); x is the percentile on a log10(1 / (1 - p)) axis (0, 90,
 * 99, 99.9, 99.99 evenly spaced), y the latency on a log axis.
 *
 * @module
 */

import type { Results, TargetRuns } from "./results.ts";
import { type Role, ROLE_NAMES } from "./scenarios.ts";

const COLORS: Record<Role, string> = {
  bare: "#7f7f7f",
  deno: "#1f77b4",
  bun: "#ff7f0e",
  servers: "#9467bd",
  keystone: "#2ca02c",
  nova: "#d62728",
};

const W = 560, H = 330;
const PAD = { left: 58, right: 14, top: 30, bottom: 96 };
const X_MAX = 4; // 99.99th percentile

interface Curve {
  label: string;
  color: string;
  /** stroke-dasharray, or null for a solid line. */
  dash: string | null;
  points: [number, number][];
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function xOf(p: number): number {
  return Math.min(X_MAX, -Math.log10(1 - p / 100));
}

function panel(title: string, curves: Curve[], ox: number, oy: number): string {
  const all = curves.flatMap((c) => c.points.map(([, v]) => v)).filter((v) => v > 0);
  if (!all.length) return "";
  const lo = Math.floor(Math.log10(Math.min(...all)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...all))));
  const pw = W - PAD.left - PAD.right, ph = H - PAD.top - PAD.bottom;
  const sx = (p: number) => ox + PAD.left + (xOf(p) / X_MAX) * pw;
  const sy = (v: number) => oy + PAD.top + ph - ((Math.log10(v) - lo) / (hi - lo)) * ph;
  const out = [
    `<text x="${ox + PAD.left}" y="${oy + 18}" class="t">${esc(title)}</text>`,
    `<rect x="${ox + PAD.left}" y="${oy + PAD.top}" width="${pw}" height="${ph}" class="f"/>`,
  ];
  for (let d = lo; d <= hi; d++) {
    const y = sy(10 ** d);
    const label = 10 ** d >= 1 ? String(10 ** d) : (10 ** d).toFixed(-d);
    out.push(
      `<line x1="${ox + PAD.left}" x2="${ox + PAD.left + pw}" y1="${y}" y2="${y}" class="g"/>`,
      `<text x="${ox + PAD.left - 6}" y="${y + 4}" class="a" text-anchor="end">${label} ms</text>`,
    );
  }
  for (
    const [p, label] of [[0, "0%"], [90, "90%"], [99, "99%"], [99.9, "99.9%"], [
      99.99,
      "99.99%",
    ]] as const
  ) {
    const xx = sx(p);
    out.push(
      `<line x1="${xx}" x2="${xx}" y1="${oy + PAD.top}" y2="${oy + PAD.top + ph}" class="g"/>`,
      `<text x="${xx}" y="${
        oy + PAD.top + ph + 14
      }" class="a" text-anchor="middle">${label}</text>`,
    );
  }
  curves.forEach((c, i) => {
    const pts = c.points.filter(([p, v]) => p < 100 && v > 0)
      .map(([p, v]) => `${sx(p).toFixed(1)},${sy(v).toFixed(1)}`).join(" ");
    out.push(
      `<polyline points="${pts}" fill="none" stroke="${c.color}" stroke-width="2"` +
        `${c.dash ? ` stroke-dasharray="${c.dash}"` : ""}/>`,
    );
    const ly = oy + PAD.top + ph + 30 + i * 13;
    out.push(
      `<line x1="${ox + PAD.left}" x2="${ox + PAD.left + 22}" y1="${ly - 4}" y2="${ly - 4}" ` +
        `stroke="${c.color}" stroke-width="2"${c.dash ? ` stroke-dasharray="${c.dash}"` : ""}/>`,
      `<text x="${ox + PAD.left + 28}" y="${ly}" class="a">${esc(c.label)}</text>`,
    );
  });
  return out.join("\n");
}

/** Milliseconds with three significant digits, without exponents. */
function ms(v: number): string {
  return v >= 100 ? v.toFixed(0) : v.toPrecision(3);
}

function curveOf(t: TargetRuns, withConnections = false): Curve {
  return {
    label: `${ROLE_NAMES[t.role]}${withConnections ? `, ${t.connections} connections` : ""}: ` +
      `${t.median.rps.toFixed(0)} req/s, p99 ${ms(t.median.p99)} ms`,
    color: COLORS[t.role],
    // Many connections dashed; the bare hello world, the floor, dotted.
    dash: t.connections > 64 ? "6 4" : t.role === "bare" ? "2 3" : null,
    points: t.median.curve,
  };
}

/** The chart of a run, or null when it measured no latencies. */
export function latencyChart(r: Results): string | null {
  const panels: { title: string; curves: Curve[] }[] = [];
  const bare = r.throughput.find((t) => t.role === "bare");
  for (const id of new Set(r.throughput.map((t) => t.scenario))) {
    const ts = r.throughput.filter((t) => t.scenario === id);
    const curves = ts.map((t) => curveOf(t));
    // The bare hello world (of GET /) as the floor in every panel.
    if (bare && !ts.includes(bare)) curves.push(curveOf(bare));
    panels.push({ title: ts.find((t) => t.role !== "bare")?.title ?? ts[0].title, curves });
  }
  for (const paced of [false, true]) {
    const ts = r.manyConnections.filter((t) => !!t.paceRps === paced);
    if (!ts.length) continue;
    panels.push({
      title: `GET /v2.1/flavors/detail, 64 and 5,000 conn., ` +
        (paced ? `paced ${ts[0].paceRps} req/s` : "closed loop"),
      curves: ts.map((t) => curveOf(t, true)),
    });
  }
  if (r.creates) {
    const p = r.creates.post;
    panels.push({
      title: `${r.creates.count} × POST /v2.1/servers (${p.connections} in flight)`,
      curves: [{
        label: `novalet (deno run): ${p.rps.toFixed(0)} req/s, p99 ${ms(p.p99)} ms`,
        color: COLORS.servers,
        dash: null,
        points: p.curve,
      }],
    });
  }
  if (!panels.length) return null;
  const cols = 2, rows = Math.ceil(panels.length / cols);
  const body = panels.map((p, i) =>
    panel(p.title, p.curves, (i % cols) * W, 40 + Math.floor(i / cols) * H)
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${cols * W}" height="${40 + rows * H}" ` +
    `viewBox="0 0 ${cols * W} ${40 + rows * H}" font-family="sans-serif">`,
    "<style>.t{font-size:13px;font-weight:bold}.a{font-size:10px;fill:#333}" +
    ".g{stroke:#ddd;stroke-width:1}.f{fill:#fff;stroke:#999}</style>",
    `<rect width="100%" height="100%" fill="#fafafa"/>`,
    `<text x="12" y="24" font-size="15">${
      esc(
        `novalet bench ${r.startedAt.slice(0, 10)}, ${r.machine.cpu} × ${r.machine.cores}: ` +
          `latency (log) by percentile, medians of ${r.settings.rounds} rounds`,
      )
    }</text>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}
