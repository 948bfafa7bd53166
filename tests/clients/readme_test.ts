/**
 * The README's "Use it with the OpenStack CLI" section and the client tests
 * agree: every command written there is run by a test (as a string literal
 * of a tests/clients test file), and the tests run nothing else (the
 * helper's check, tested here). Also the helper's parsers.
 */

import assert from "node:assert/strict";
import {
  assertInReadme,
  parsePropertyTable,
  parseTable,
  readmeSection,
  splitCommand,
} from "./_clients.ts";

const DIR = new URL("./", import.meta.url);

function testSources(): string {
  return [...Deno.readDirSync(DIR)]
    .filter((e) => e.name.endsWith("_test.ts") && e.name !== "readme_test.ts")
    .map((e) => Deno.readTextFileSync(new URL(e.name, DIR)))
    .join("\n");
}

Deno.test("every command of the README's CLI section is run by a client test", () => {
  const { commands, config } = readmeSection();
  assert.ok(commands.length >= 30, `${commands.length} commands`);
  const sources = testSources();
  const missing = commands.filter((c) => !sources.includes(JSON.stringify(c.line)));
  assert.deepEqual(missing, [], "README commands no test runs");
  assert.match(config, /^auth_strategy = keystone$/m);
  // The admin sets up, a member of demo uses it, the admin deletes the flavor at the end.
  const switches = commands.map((c) => c.user).filter((u, i, all) => u !== all[i - 1]);
  assert.deepEqual(switches, ["admin", "demo", "admin"]);
});

Deno.test("readmeSection: users follow the sourced env file, comments are dropped", () => {
  const text = [
    "# novalet",
    "## Use it with the OpenStack CLI",
    "```ini",
    "[api]",
    "auth_strategy = keystone",
    "```",
    "```sh",
    "set -a; . /tmp/keystone-state/admin.env; set +a",
    "openstack flavor list -f json",
    "```",
    "```sh",
    "set -a; . /tmp/keystone-state/demo.env; set +a",
    "# a comment line",
    "openstack server stop web1    # then wait for SHUTOFF",
    "nova list",
    "echo not a client",
    "```",
    "## Developing",
    "```sh",
    "openstack server list",
    "```",
  ].join("\n");
  const section = readmeSection(text);
  assert.equal(section.config, "[api]\nauth_strategy = keystone\n");
  assert.deepEqual(section.commands, [
    { user: "admin", line: "openstack flavor list -f json" },
    { user: "demo", line: "openstack server stop web1" },
    { user: "demo", line: "nova list" },
  ]);
  assertInReadme(section.commands, "demo", "nova list");
  assert.throws(
    () => assertInReadme(section.commands, "admin", "nova list"),
    /not a command of the README's "## Use it with the OpenStack CLI" \(as admin\): nova list/,
  );
  assert.throws(() => readmeSection("# nothing here\n"), /has no "## Use it with/);
});

Deno.test("splitCommand: words, quotes and a stdout redirection", () => {
  assert.deepEqual(splitCommand("openstack keypair create mykey > mykey.pem"), {
    argv: ["openstack", "keypair", "create", "mykey"],
    stdoutFile: "mykey.pem",
  });
  assert.deepEqual(splitCommand(`openstack flavor set --description "a b" 'c d'`), {
    argv: ["openstack", "flavor", "set", "--description", "a b", "c d"],
    stdoutFile: null,
  });
  assert.throws(() => splitCommand("nova list > a b"), /unsupported redirection/);
});

Deno.test("parseTable and parsePropertyTable read novaclient's tables", () => {
  const list = [
    "+--------------------------------------+------+--------+",
    "| ID                                   | Name | Status |",
    "+--------------------------------------+------+--------+",
    "| 6dad8ee3-9cd9-41ba-9f24-1ac899dc5bd5 | vm2  | ACTIVE |",
    "| 4abc9436-34ce-41f4-b416-7d0b07cf06ef | web1 | BUILD  |",
    "+--------------------------------------+------+--------+",
  ].join("\n");
  assert.deepEqual(parseTable(list), [
    { ID: "6dad8ee3-9cd9-41ba-9f24-1ac899dc5bd5", Name: "vm2", Status: "ACTIVE" },
    { ID: "4abc9436-34ce-41f4-b416-7d0b07cf06ef", Name: "web1", Status: "BUILD" },
  ]);
  const show = [
    "+----------+--------+",
    "| Property | Value  |",
    "+----------+--------+",
    "| name     | vm2    |",
    "| metadata | {}     |",
    "+----------+--------+",
    "Server building... 100% complete",
    "Finished",
  ].join("\n");
  assert.deepEqual(parsePropertyTable(show), { name: "vm2", metadata: "{}" });
});
