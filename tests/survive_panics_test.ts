/**
 * A bug outside any request (a promise rejected with no handler, a timer
 * callback that throws) is reported and the process keeps running, as
 * eventlet logs a dead greenthread and serves on; without the guard the
 * runtime would end the whole server.
 */

import { strict as assert } from "node:assert";

const RUNTIME = new URL("../lib/runtime.ts", import.meta.url).href;

async function runScript(script: string): Promise<{ code: number; out: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { code: out.code, out: text };
}

const PANICS = `
Promise.reject(new Error("rejected in the background"));
setTimeout(() => { throw new TypeError("thrown in a timer"); }, 10);
await new Promise((r) => setTimeout(r, 100));
console.log("still running");
`;

Deno.test("survivePanics(): unhandled rejections and throwing callbacks are reported, the process runs on", async () => {
  const guarded = await runScript(
    `import { survivePanics } from "${RUNTIME}";\n` +
      `survivePanics((err) => console.log("reported:", err.message));\n${PANICS}`,
  );
  assert.equal(guarded.code, 0, guarded.out);
  assert.match(guarded.out, /reported: rejected in the background/);
  assert.match(guarded.out, /reported: thrown in a timer/);
  assert.match(guarded.out, /still running/);
  const bare = await runScript(PANICS);
  assert.notEqual(bare.code, 0, "without the guard the runtime ends the process");
  assert.doesNotMatch(bare.out, /still running/);
});
