/**
 * Starts the compiled executable and `deno run main.ts` side by side and
 * checks that `GET /` and `GET /v2.1/` answer alike (status, header names,
 * body with the port normalised). Used by .ci/run.
 *
 *   deno run --allow-all tools/compare_binary.ts ./novalet
 *
 * @module
 */

import { rawRequest, startNovalet } from "../tests/_server.ts";

const PATHS = ["/", "/v2.1/"];

function normalise(raw: string, port: number): string {
  return raw
    .replaceAll(`127.0.0.1:${port}`, "127.0.0.1:PORT")
    .replace(/^Date: .*$/gm, "Date: <date>")
    .replace(/req-[0-9a-f-]{36}/g, "req-<id>");
}

async function answers(executable?: string): Promise<string[]> {
  const n = await startNovalet({ executable });
  try {
    const out: string[] = [];
    for (const path of PATHS) {
      const request =
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${n.port}\r\nAccept: application/json\r\n` +
        "Connection: close\r\n\r\n";
      out.push(normalise(await rawRequest(n.port, request), n.port));
    }
    return out;
  } finally {
    await n.stop();
  }
}

const binary = Deno.args[0];
if (!binary) {
  console.error("usage: compare_binary.ts PATH_TO_EXECUTABLE");
  Deno.exit(2);
}
const [fromDeno, fromBinary] = [await answers(), await answers(binary)];
let ok = true;
PATHS.forEach((path, i) => {
  const same = fromDeno[i] === fromBinary[i];
  ok &&= same;
  console.log(`${same ? "same" : "DIFFERENT"}: GET ${path} (${fromBinary[i].split("\r\n")[0]})`);
  if (!same) console.log(`--- deno run\n${fromDeno[i]}\n--- executable\n${fromBinary[i]}`);
});
Deno.exit(ok ? 0 : 1);
