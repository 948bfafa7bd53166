/**
 * The fuzzer in CI: 10,000 requests mutated from nova's schemas (seeded,
 * bounded to two minutes) against a fresh novalet; no 5xx, every error in
 * the nova stack's shape, no row left by a refused request, the server up
 * and its database sound afterwards. `deno task fuzz` runs more of them.
 */

import assert from "node:assert/strict";
import { FUZZ_CONFIG } from "../../tools/fuzz.ts";
import { runFuzz } from "../../tools/fuzz/run.ts";
import { startNovalet } from "../_server.ts";

const COUNT = 10_000;
const SEED = 26;

Deno.test("fuzz: 10,000 requests mutated from nova's schemas, none answered 5xx or left rows", async () => {
  const server = await startNovalet({ config: FUZZ_CONFIG });
  try {
    const report = await runFuzz(server, { count: COUNT, seed: SEED, seconds: 120 });
    console.log(`fuzz: ${JSON.stringify({ ...report, problems: report.problems.slice(0, 20) })}`);
    assert.equal(report.sent, COUNT, "every request sent within the time bound");
    assert.deepEqual(report.problems, [], `failed checks (replay: deno task fuzz --seed ${SEED})`);
    assert.ok(report.serverUp, "the server still answers");
    assert.deepEqual(report.database, [], "PRAGMA integrity_check and the invariants");
    assert.deepEqual(report.logErrors, []);
    assert.ok(!Object.keys(report.byStatus).some((s) => s.startsWith("5")));
    assert.ok(report.refusedBySchema > 500, "the schema oracle was exercised");
  } finally {
    await server.stop();
  }
});
