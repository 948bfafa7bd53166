/**
 * Test helpers for the client flows: Debian's OpenStack clients (installed
 * when missing), novalet with Keystone auth, and a Keystone region of the
 * test's own whose catalog points at it.
 *
 * Why a region: the clients find compute and image through Keystone's
 * catalog. The shared Keystone's `RegionOne` lists them on 8774 and 9292,
 * which a developer's novalet or another test run may hold, and moving those
 * endpoints (start-keystone.sh with other ports) would change the catalog
 * of the Keystone every other test uses; a private Keystone costs seconds
 * per run and another server. Instead each run adds a region
 * `novalet-clients-<pid>-<n>` with compute, image and identity endpoints
 * (novalet's free ports, the same Keystone) and sets `OS_REGION_NAME` to it;
 * RegionOne is left alone, and the region is deleted at the end (or by a
 * later run once the process that made it is gone).
 *
 * The commands come from the README's "Use it with the OpenStack CLI"
 * section: {@link Cloud.cli} refuses a command that is not there, under
 * the same user.
 *
 * @module
 */

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Novalet, startNovalet } from "../_server.ts";
import { ensureKeystone, type Fixtures, issueToken, SHARED } from "../keystone/_keystone.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const README = `${ROOT}README.md`;
export const SECTION = "## Use it with the OpenStack CLI";
/** Debian's clients, run with Debian's Python (the first `python3` on PATH may be another). */
const PYTHON = "/usr/bin/python3";
const PACKAGES = ["python3-openstackclient", "python3-novaclient", "python3-openstacksdk"];
const EXECUTABLES: Record<string, string> = {
  openstack: "/usr/bin/openstack",
  nova: "/usr/bin/nova",
  [PYTHON]: PYTHON,
};
/** Longest wait for apt-get (a fresh machine downloads the clients first). */
const INSTALL_TIMEOUT_MS = 300_000;
/** Longest run of one command. */
const COMMAND_TIMEOUT_MS = 60_000;
export const REGION_PREFIX = "novalet-clients-";

export type User = "admin" | "demo";

/** One command of the README, with the user whose env file is sourced before it. */
export interface ReadmeCommand {
  user: User;
  line: string;
}

/** The README section: its nova.conf block and its commands in order. */
export interface ReadmeSection {
  config: string;
  commands: ReadmeCommand[];
}

/** What a command printed and how it ended. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Reads the README's CLI section (lines of `sh` blocks, the `ini` block). */
export function readmeSection(text = Deno.readTextFileSync(README)): ReadmeSection {
  const start = text.indexOf(`\n${SECTION}\n`);
  if (start < 0) throw new Error(`README.md has no "${SECTION}" section`);
  const end = text.indexOf("\n## ", start + SECTION.length + 2);
  const body = text.slice(start, end < 0 ? undefined : end);
  const blocks = [...body.matchAll(/```(\w+)\n([\s\S]*?)```/g)];
  const ini = blocks.find((b) => b[1] === "ini");
  if (!ini) throw new Error(`README.md "${SECTION}" has no ini block`);
  const commands: ReadmeCommand[] = [];
  let user: User | null = null;
  for (const [, lang, code] of blocks) {
    if (lang !== "sh") continue;
    for (const raw of code.split("\n")) {
      const line = raw.replace(/\s+# .*$/, "").trim();
      const env = /\/keystone-state\/(\w+)\.env/.exec(line);
      if (env) user = env[1] as User;
      else if (user && /^(openstack|nova|\/usr\/bin\/python3) /.test(line)) {
        commands.push({ user, line });
      }
    }
  }
  return { config: ini[2], commands };
}

/** Throws unless `line` is a command of the README's section, run there as `user`. */
export function assertInReadme(readme: ReadmeCommand[], user: User, line: string): void {
  if (!readme.some((c) => c.user === user && c.line === line)) {
    throw new Error(`not a command of the README's "${SECTION}" (as ${user}): ${line}`);
  }
}

/** Splits a command line as a shell would for these commands: words, quotes, `> file`. */
export function splitCommand(line: string): { argv: string[]; stdoutFile: string | null } {
  const words = [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
  const redirect = words.indexOf(">");
  if (redirect >= 0) {
    if (redirect !== words.length - 2) throw new Error(`unsupported redirection: ${line}`);
    return { argv: words.slice(0, redirect), stdoutFile: words[redirect + 1] };
  }
  return { argv: words, stdoutFile: null };
}

async function output(
  cmd: string,
  args: string[],
  timeoutMs: number,
  env?: Record<string, string>,
) {
  const out = await new Deno.Command(cmd, {
    args,
    env,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { ok: out.success, text };
}

async function clientsPresent(): Promise<boolean> {
  if (!Object.values(EXECUTABLES).every((path) => existsSync(path))) return false;
  const probe = "import openstack, novaclient, openstackclient";
  return (await output(PYTHON, ["-c", probe], 30_000)).ok;
}

let installed: Promise<void> | null = null;

/**
 * Installs Debian's clients unless they are there (as the Keystone helper
 * installs Keystone): apt-get, and `apt-get update` plus a second try only
 * if the first fails.
 */
export function ensureClients(): Promise<void> {
  installed ??= (async () => {
    if (await clientsPresent()) return;
    const env = { DEBIAN_FRONTEND: "noninteractive" };
    const install = ["install", "-y", "--no-install-recommends", ...PACKAGES];
    let run = await output("apt-get", install, INSTALL_TIMEOUT_MS, env);
    if (!run.ok) {
      await output("apt-get", ["update"], INSTALL_TIMEOUT_MS, env);
      run = await output("apt-get", install, INSTALL_TIMEOUT_MS, env);
    }
    if (!run.ok || !(await clientsPresent())) {
      throw new Error(`apt-get install ${PACKAGES.join(" ")} failed:\n${run.text.slice(-3000)}`);
    }
  })();
  return installed;
}

/** Reads a dotenv file of start-keystone.sh (`NAME=value` lines). */
function readEnvFile(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of Deno.readTextFileSync(path).split("\n")) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2].replace(/^"(.*)"$/, "$1");
  }
  return env;
}

/** A call to Keystone's v3 API with an admin token; the parsed body. */
export async function keystone(
  f: Fixtures,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown> | null> {
  const res = await fetch(`${f.auth_url}${path}`, {
    method,
    headers: { "X-Auth-Token": token, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`Keystone ${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Deletes a region and its endpoints. */
async function deleteRegion(f: Fixtures, token: string, region: string): Promise<void> {
  const list = await keystone(f, token, "GET", `/endpoints?region_id=${region}`);
  for (const ep of (list?.endpoints ?? []) as { id: string; region_id: string }[]) {
    if (ep.region_id === region) await keystone(f, token, "DELETE", `/endpoints/${ep.id}`);
  }
  await keystone(f, token, "DELETE", `/regions/${region}`);
}

/** Removes the regions of earlier runs whose process is gone (killed before their cleanup). */
async function removeStaleRegions(f: Fixtures, token: string): Promise<void> {
  const list = await keystone(f, token, "GET", "/regions");
  for (const { id } of (list?.regions ?? []) as { id: string }[]) {
    const pid = id.startsWith(REGION_PREFIX) ? id.slice(REGION_PREFIX.length).split("-")[0] : "";
    if (pid && !existsSync(`/proc/${pid}`)) await deleteRegion(f, token, id).catch(() => {});
  }
}

let regionCount = 0;

/** Adds a region with compute, image and identity endpoints; returns its id. */
async function addRegion(f: Fixtures, token: string, compute: string, image: string) {
  await removeStaleRegions(f, token);
  const region = `${REGION_PREFIX}${Deno.pid}-${++regionCount}`;
  const description = "novalet client tests (tests/clients): removed when they end";
  await keystone(f, token, "POST", "/regions", { region: { id: region, description } });
  const endpoints: [string, string][] = [
    ["compute", `${compute}/v2.1`],
    ["image", image],
    ["identity", f.auth_url],
  ];
  for (const [type, url] of endpoints) {
    const endpoint = {
      service_id: f.services[type].id,
      interface: "public",
      url,
      region_id: region,
    };
    await keystone(f, token, "POST", "/endpoints", { endpoint });
  }
  return region;
}

/** novalet with Keystone auth, its region, and the CLIs pointed at it. */
export interface Cloud {
  readonly novalet: Novalet;
  readonly fixtures: Fixtures;
  readonly region: string;
  /** The working directory of the commands (files they read and write). */
  readonly cwd: string;
  /** The README's commands in order. */
  readonly readme: ReadmeCommand[];
  /**
   * Runs a command of the README as `user` (its env file, the test's
   * region); fails the test when it is not in the README or when it exits
   * non-zero (unless `expectFailure`).
   */
  cli(user: User, line: string, options?: { expectFailure?: boolean }): Promise<Run>;
  /** {@link cli} and its stdout parsed as JSON (`-f json`). */
  json<T = unknown>(user: User, line: string): Promise<T>;
  /** A token of `user` for direct calls to novalet (polling without the CLI's 2 s start-up). */
  token(user: User): Promise<string>;
  /** Stops novalet, removes the region and the working directory. */
  stop(): Promise<void>;
}

/** The executable under test: `NOVALET_EXECUTABLE` (a `bun build --compile` binary), else main.ts. */
export function executableUnderTest(): string | undefined {
  return Deno.env.get("NOVALET_EXECUTABLE") || undefined;
}

/**
 * Test-only settings on top of the README's nova.conf: free ports, the
 * compute API and the image service only, and a fake hypervisor without
 * delays (so that the clients' first status poll already sees the end
 * state: `--wait` and `--poll` sleep 5 s between polls).
 */
function testConfig(readmeConfig: string, f: Fixtures): string {
  return readmeConfig.replaceAll("http://127.0.0.1:15000/v3", f.auth_url) + `
[DEFAULT]
enabled_apis = osapi_compute,image
image_listen_port = 0
[novalet_compute]
spawn_delay_ms = 0
action_delay_ms = 0
`;
}

/** Starts novalet (main.ts or {@link executableUnderTest}) behind a region of its own. */
export async function startCloud(): Promise<Cloud> {
  const [fixtures] = await Promise.all([ensureKeystone(), ensureClients()]);
  const section = readmeSection();
  const executable = executableUnderTest();
  const novalet = await startNovalet({ config: testConfig(section.config, fixtures), executable });
  const running = Deno.readLinkSync(`/proc/${novalet.pid}/exe`);
  if (executable && running !== Deno.realPathSync(executable)) {
    await novalet.stop();
    throw new Error(`NOVALET_EXECUTABLE is ${executable}, but novalet runs as ${running}`);
  }
  const cwd = Deno.makeTempDirSync({ prefix: "novalet-clients-" });
  let region = "";
  try {
    const admin = await issueToken(fixtures, "admin");
    region = await addRegion(fixtures, admin, novalet.url, await novalet.apiUrl("image"));
  } catch (e) {
    await novalet.stop();
    throw e;
  }
  const tokens = new Map<User, Promise<string>>();
  const cloud: Cloud = {
    novalet,
    fixtures,
    region,
    cwd,
    readme: section.commands,
    cli: (user, line, options) => runCommand(cloud, user, line, options?.expectFailure ?? false),
    async json<T>(user: User, line: string): Promise<T> {
      const run = await cloud.cli(user, line);
      try {
        // `--wait` writes its progress ("Complete") before the document.
        return JSON.parse(run.stdout.slice(run.stdout.search(/^[[{]/m))) as T;
      } catch {
        throw new Error(`${line}: stdout is not JSON:\n${run.stdout}\n${run.stderr}`);
      }
    },
    token(user) {
      if (!tokens.has(user)) tokens.set(user, issueToken(fixtures, user));
      return tokens.get(user)!;
    },
    async stop() {
      await novalet.stop();
      const admin = await issueToken(fixtures, "admin");
      await deleteRegion(fixtures, admin, region);
      Deno.removeSync(cwd, { recursive: true });
    },
  };
  return cloud;
}

async function runCommand(
  cloud: Cloud,
  user: User,
  line: string,
  expectFailure: boolean,
): Promise<Run> {
  assertInReadme(cloud.readme, user, line);
  const { argv, stdoutFile } = splitCommand(line);
  const [program, ...args] = argv;
  // The README runs the sdk script from the checkout's root.
  const resolved = args.map((a) => a.startsWith("tests/clients/") ? `${ROOT}${a}` : a);
  const env = {
    ...readEnvFile(`${SHARED.state}/${user}.env`),
    OS_REGION_NAME: cloud.region,
    PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
    HOME: cloud.cwd,
    LANG: "C.UTF-8",
    PYTHONDONTWRITEBYTECODE: "1",
  };
  const out = await new Deno.Command(EXECUTABLES[program], {
    args: resolved,
    cwd: cloud.cwd,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(COMMAND_TIMEOUT_MS),
  }).output();
  const run = {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
  if (stdoutFile) Deno.writeTextFileSync(`${cloud.cwd}/${stdoutFile}`, run.stdout);
  if (out.success === expectFailure) {
    throw new Error(
      `${line} (as ${user}) exited ${out.code}${expectFailure ? ", expected a failure" : ""}\n` +
        `--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`,
    );
  }
  return run;
}

/**
 * Rows of a prettytable (novaclient's output): one object per row, keyed by
 * the header cells. Cells are trimmed; continuation lines are not merged.
 */
export function parseTable(text: string): Record<string, string>[] {
  const lines = text.split("\n").filter((l) => l.startsWith("|"));
  const cells = (l: string) => l.slice(1, l.lastIndexOf("|")).split("|").map((c) => c.trim());
  const [head, ...rows] = lines.map(cells);
  return rows.map((row) => Object.fromEntries(head.map((h, i) => [h, row[i]])));
}

/** A Property/Value table (`nova show`) as an object. */
export function parsePropertyTable(text: string): Record<string, string> {
  return Object.fromEntries(parseTable(text).map((r) => [r.Property, r.Value]));
}

/** Polls `GET /v2.1/servers/{id}` until its status is `status` (bounded to `timeoutMs`). */
export async function waitForServer(
  cloud: Cloud,
  user: User,
  id: string,
  status: string,
  timeoutMs = 15_000,
): Promise<void> {
  const token = await cloud.token(user);
  let last = "";
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    const res = await fetch(`${cloud.novalet.url}/v2.1/servers/${id}`, {
      headers: { "X-Auth-Token": token, Accept: "application/json" },
    });
    last = res.ok ? (await res.json()).server.status : `${res.status} ${await res.text()}`;
    if (last === status) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server ${id} is ${last} after ${timeoutMs} ms, not ${status}`);
}
