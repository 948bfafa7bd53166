/**
 * Conformance run: starts novalet the way the reference nova-api was
 * started (noauth2, stock api-paste.ini, CORS origin http://example.com,
 * proxy header parsing on, empty database), replays the 269 recorded
 * requests with ../shared/reference/nova26/capture.py and compares the
 * answers with normalize.py --diff.
 *
 *   deno task conformance [--only SUBSTR] [--strict] [--keep DIR] [--quiet]
 *
 * Prints the differing cases and a final `conformance: N same, N differ` line.
 *
 * @module
 */

import { existsSync } from "node:fs";

const ROOT = new URL("..", import.meta.url).pathname;
const REFERENCE = `${ROOT}../shared/reference/nova26`;
const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

function flag(name: string): boolean {
  return Deno.args.includes(name);
}

function option(name: string): string | null {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] ?? null : null;
}

/** A free 5-digit port, like the reference's 18774, so that link lengths match. */
function freePort(): number {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 40000);
    try {
      Deno.listen({ hostname: "127.0.0.1", port }).close();
      return port;
    } catch { /* taken, try another */ }
  }
  throw new Error("no free port found");
}

function writeConfig(dir: string, port: number): string {
  const path = `${dir}/nova.conf`;
  Deno.writeTextFileSync(
    path,
    `[DEFAULT]
state_path = ${dir}/state
osapi_compute_listen = 127.0.0.1
osapi_compute_listen_port = ${port}
enabled_apis = osapi_compute
log_file = ${dir}/novalet.log

[api]
auth_strategy = noauth2

[wsgi]
api_paste_config = ${ROOT}tests/testdata/nova26-api-paste.ini

[cors]
allowed_origin = http://example.com

[oslo_middleware]
enable_proxy_headers_parsing = True

[novalet]
# The reference nova started with no flavors.
seed_flavors = False

[novalet_compute]
# The reference nova ran nova-api alone: no compute host (nor scheduler, conductor).
hosts =
`,
  );
  return path;
}

async function waitUntilUp(port: number, child: Deno.ChildProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  let exited = false;
  child.status.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, {
        headers: { Accept: "application/json" },
      });
      await res.body?.cancel();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(exited ? "novalet exited during start-up" : "novalet did not answer within 20 s");
}

async function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  const result = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const out = new TextDecoder().decode(result.stdout) + new TextDecoder().decode(result.stderr);
  return { code: result.code, out };
}

async function main(): Promise<number> {
  const dir = option("--keep") ?? Deno.makeTempDirSync({ prefix: "novalet-conformance-" });
  Deno.mkdirSync(dir, { recursive: true });
  const port = freePort();
  const conf = writeConfig(dir, port);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", `${ROOT}main.ts`, "--config-file", conf],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  try {
    await waitUntilUp(port, child);
    const captureArgs = [
      `${REFERENCE}/capture.py`,
      "--base-url",
      `http://127.0.0.1:${port}`,
      "--out",
      `${dir}/cases`,
    ];
    const only = option("--only");
    if (only) captureArgs.push("--only", only);
    const capture = await run(PYTHON, captureArgs);
    if (capture.code !== 0) console.error(capture.out);
  } finally {
    child.kill("SIGTERM");
    const stderr = new TextDecoder().decode((await child.output()).stderr);
    if (stderr.trim()) console.error(stderr.trim().split("\n").slice(-5).join("\n"));
  }
  const diffArgs = [`${REFERENCE}/normalize.py`, "--diff", `${REFERENCE}/cases`, `${dir}/cases`];
  if (flag("--strict")) diffArgs.splice(1, 0, "--strict");
  const diff = await run(PYTHON, diffArgs);
  const lines = diff.out.split("\n");
  if (!flag("--quiet")) console.log(diff.out.trimEnd());
  const summary = /same=(\d+) differ=(\d+) missing=(\d+)/.exec(diff.out);
  if (!summary) {
    console.error("normalize.py printed no summary");
    return 1;
  }
  const differing = lines.filter((l) => l.startsWith("DIFFERS")).map((l) => l.slice(9).trim());
  if (flag("--quiet")) console.log(differing.map((d) => `DIFFERS ${d}`).join("\n"));
  console.log(
    `conformance: ${summary[1]} same, ${summary[2]} differ, ${
      summary[3]
    } missing (captures in ${dir})`,
  );
  return 0;
}

Deno.exit(await main());
