/**
 * The command line of `deno task bench`: filters (substrings of scenario and
 * phase ids) and options; see bench/README.md.
 *
 * @module
 */

import type { Tool } from "./load.ts";

/** What the command line asked for. */
export interface Options {
  filter: string[];
  rounds: number;
  seconds: number;
  connections: number;
  threads: number;
  tool: Tool | null;
  starts: number;
  creates: number;
  bun: boolean;
  quietWait: number;
  out: string | null;
  write: boolean;
  help: boolean;
}

/** Reads `deno task bench`'s arguments. */
export function parseOptions(args: string[]): Options {
  const o: Options = {
    filter: [],
    rounds: 5,
    seconds: 5,
    connections: 64,
    threads: 2,
    tool: null,
    starts: 5,
    creates: 500,
    bun: true,
    quietWait: 0,
    out: null,
    write: true,
    help: false,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const num = () => Number(args[++i]);
    if (a === "--rounds") o.rounds = num();
    else if (a === "--seconds") o.seconds = num();
    else if (a === "--connections") o.connections = num();
    else if (a === "--threads") o.threads = num();
    else if (a === "--starts") o.starts = num();
    else if (a === "--creates") o.creates = num();
    else if (a === "--quiet-wait") o.quietWait = num();
    else if (a === "--tool") o.tool = args[++i] as Tool;
    else if (a === "--out") o.out = args[++i];
    else if (a === "--no-bun") o.bun = false;
    else if (a === "--no-write") o.write = false;
    else if (a === "--help" || a === "-h") o.help = true;
    else if (a === "--") continue; // `deno task bench -- --rounds 5` passes the separator on
    else if (a.startsWith("--")) throw new Error(`unknown option ${a}`);
    else o.filter.push(a);
  }
  if (o.tool !== null && o.tool !== "wrk" && o.tool !== "loadgen") {
    throw new Error(`--tool is wrk or loadgen, not ${o.tool}`);
  }
  return o;
}

/** Whether a scenario or phase id is selected (no filter selects everything). */
export function selects(o: Options, id: string): boolean {
  return !o.filter.length || o.filter.some((f) => id.includes(f));
}
