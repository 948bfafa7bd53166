/**
 * Accept-header negotiation as webob's `AcceptValidHeader.acceptable_offers`
 * does it: each offer takes the quality of the most specific media range
 * that matches it; offers with q=0 drop out; the rest are sorted by quality,
 * ties in offer order. A missing or unparsable header accepts everything.
 *
 * @module
 */

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

const RANGE = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\/([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*((?:;[^,]*)?)$/;

function parseRanges(header: string): MediaRange[] | null {
  const ranges: MediaRange[] = [];
  for (const part of header.split(",")) {
    if (part.trim() === "") continue;
    const m = RANGE.exec(part);
    if (!m) return null;
    let q = 1;
    for (const param of m[3].split(";").slice(1)) {
      const [k, v] = param.split("=").map((s) => s.trim());
      if (k.toLowerCase() === "q") {
        if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(v ?? "")) return null;
        q = Number(v);
      }
    }
    ranges.push({ type: m[1].toLowerCase(), subtype: m[2].toLowerCase(), q });
  }
  return ranges;
}

/** Offers acceptable under `header`, best first. */
export function acceptableOffers(header: string | null, offers: string[]): string[] {
  if (header === null) return [...offers];
  const ranges = parseRanges(header);
  if (ranges === null) return [...offers];
  const scored: [string, number, number][] = [];
  offers.forEach((offer, index) => {
    const [type, subtype] = offer.toLowerCase().split("/");
    let best = -1;
    let specificity = -1;
    for (const r of ranges) {
      const s = r.type === type && r.subtype === subtype
        ? 2
        : r.type === type && r.subtype === "*"
        ? 1
        : r.type === "*" && r.subtype === "*"
        ? 0
        : -1;
      if (s > specificity) {
        specificity = s;
        best = r.q;
      }
    }
    if (best > 0) scored.push([offer, best, index]);
  });
  scored.sort((a, b) => b[1] - a[1] || a[2] - b[2]);
  return scored.map(([offer]) => offer);
}
