/**
 * `deno task fuzz`: starts a novalet on a fresh state dir and fuzzes its
 * compute API (tools/fuzz/run.ts): requests mutated from nova's schemas,
 * seeded and bounded in count and time. Prints the answers by status and
 * every failed check; exits 1 when a check failed.
 *
 *   deno task fuzz [--count 100000] [--seed N] [--seconds 600]
 *
 * @module
 */

import { startNovalet } from "../tests/_server.ts";
import { runFuzz } from "./fuzz/run.ts";

/**
 * The config of a fuzzed novalet: noauth2, devstack's flavors, a fake
 * hypervisor without delays (an accepted request's work ends sooner), and
 * room for 50 servers before the quota refuses more.
 */
export const FUZZ_CONFIG = "[api]\nauth_strategy = noauth2\n[novalet]\nseed_flavors = true\n" +
  "[novalet_compute]\nspawn_delay_ms = 0\naction_delay_ms = 0\n" +
  "[quota]\ninstances = 50\ncores = 100\n";

function option(name: string, fallback: number): number {
  const at = Deno.args.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(Deno.args[at + 1]);
  if (!Number.isFinite(value)) throw new TypeError(`--${name} needs a number`);
  return value;
}

if (import.meta.main) {
  const count = option("count", 100_000);
  const seed = option("seed", Date.now() % 1_000_000);
  const seconds = option("seconds", 600);
  const server = await startNovalet({ config: FUZZ_CONFIG });
  console.log(`fuzzing ${server.url}: seed ${seed}, at most ${count} requests in ${seconds} s`);
  try {
    const report = await runFuzz(server, {
      count,
      seed,
      seconds,
      progress: (sent) => {
        if (sent % 10_000 === 0) console.log(`  ${sent} sent`);
      },
    });
    console.log(JSON.stringify({ ...report, problems: undefined }, null, 2));
    for (const p of report.problems) console.log(`problem: ${p}`);
    const failed = report.problemCount > 0 || report.database.length > 0 ||
      report.logErrors.length > 0 || !report.serverUp;
    console.log(failed ? `FAILED (replay with --seed ${seed})` : "ok");
    await server.stop();
    Deno.exit(failed ? 1 : 0);
  } catch (err) {
    await server.stop();
    throw err;
  }
}
