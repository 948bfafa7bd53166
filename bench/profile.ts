/**
 * Summarizes a V8 CPU profile (`deno run --cpu-prof`, `.cpuprofile`): the
 * functions with the most self time, and the most inclusive time (a
 * function counted once per sample however deep it recurses).
 *
 *     deno run --allow-read bench/profile.ts PROFILE.cpuprofile [TOP_SELF] [TOP_INCLUSIVE]
 *
 * To profile novalet under load: start it with `deno run --cpu-prof
 * --cpu-prof-dir=DIR ... main.ts`, load it (wrk), stop it with SIGTERM (the
 * profile is written at exit).
 *
 * @module
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** `name file:line`, the file relative to the checkout. */
function label(n: ProfileNode): string {
  const root = new URL("..", import.meta.url).href;
  const url = n.callFrame.url.replace(root, "").replace(/^file:\/\//, "");
  return `${n.callFrame.functionName || "(anonymous)"} ${url}:${n.callFrame.lineNumber + 1}`;
}

/** Self and inclusive microseconds per function label. */
export function summarize(
  p: Profile,
): { total: number; self: Map<string, number>; inclusive: Map<string, number> } {
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const perNode = new Map<number, number>();
  p.samples.forEach((id, i) => perNode.set(id, (perNode.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const self = new Map<string, number>(), inclusive = new Map<string, number>();
  let total = 0;
  for (const [id, us] of perNode) {
    total += us;
    const own = label(nodes.get(id)!);
    self.set(own, (self.get(own) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(nodes.get(at)!);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
  }
  return { total, self, inclusive };
}

function top(m: Map<string, number>, total: number, n: number): string {
  return [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, us]) =>
    `${(us / 1000).toFixed(0).padStart(8)} ms ${
      ((100 * us) / total).toFixed(1).padStart(5)
    }%  ${name}`
  ).join("\n");
}

if (import.meta.main) {
  const [path, selfCount = "25", inclusiveCount = "40"] = Deno.args;
  if (!path) {
    console.error("usage: bench/profile.ts PROFILE.cpuprofile [TOP_SELF] [TOP_INCLUSIVE]");
    Deno.exit(2);
  }
  const { total, self, inclusive } = summarize(JSON.parse(Deno.readTextFileSync(path)));
  console.log(`${(total / 1000).toFixed(0)} ms sampled\n\nself time:`);
  console.log(top(self, total, Number(selfCount)));
  console.log("\ninclusive time:");
  console.log(top(inclusive, total, Number(inclusiveCount)));
}
