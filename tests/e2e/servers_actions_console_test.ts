/**
 * End to end: os-getConsoleOutput, the old get-console actions (2.1-2.5),
 * remote-consoles (2.6, mks 2.8) with their tokens (os-console-auth-tokens),
 * diagnostics (before and from 2.48), os-server-password, and the
 * network actions (security groups, floating IPs, multinic).
 */

import { strict as assert } from "node:assert";
import { act } from "./_actions.ts";
import { activeServer, call, DEMO, waitForServer, withServers } from "./_servers.ts";

Deno.test("os-getConsoleOutput: the log, its tail, -1 drops the first line; 409 without a host", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    const all = await act(n, id, { "os-getConsoleOutput": {} }, { token: DEMO });
    assert.equal(all.status, 200);
    assert.deepEqual(all.body, { output: "FAKE CONSOLE OUTPUT\nANOTHER\nLAST LINE" });
    const two = await act(n, id, { "os-getConsoleOutput": { length: "2" } }, { token: DEMO });
    assert.equal(two.body.output, "ANOTHER\nLAST LINE");
    const minus = await act(n, id, { "os-getConsoleOutput": { length: -1 } }, { token: DEMO });
    assert.equal(minus.body.output, "ANOTHER\nLAST LINE");
    const zero = await act(n, id, { "os-getConsoleOutput": { length: 0 } }, { token: DEMO });
    assert.equal(zero.body.output, "");
    const bad = await act(n, id, { "os-getConsoleOutput": { length: -2 } }, { token: DEMO });
    assert.equal(bad.status, 400);
    await act(n, id, { shelve: null }, { token: DEMO });
    await waitForServer(n, id, (s) => s.status === "SHELVED_OFFLOADED");
    const offloaded = await act(n, id, { "os-getConsoleOutput": {} }, { token: DEMO });
    assert.deepEqual(offloaded.body, {
      conflictingRequest: { code: 409, message: `Instance ${id} is not ready` },
    });
    const stopped = await activeServer(n, { name: "s" });
    await act(n, stopped.id, { "os-stop": null });
    await waitForServer(n, stopped.id, (s) => s.status === "SHUTOFF");
    const log = await act(n, stopped.id, { "os-getConsoleOutput": { length: 1 } });
    assert.deepEqual(log.body, { output: "LAST LINE" }, "a stopped guest keeps its log");
  });
});

Deno.test("os-getVNCConsole (2.1-2.5): a noVNC URL with a token; xvpvnc is a 400; others off", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    const vnc = await act(n, id, { "os-getVNCConsole": { type: "novnc" } }, { token: DEMO });
    assert.equal(vnc.status, 200);
    assert.equal(vnc.body.console.type, "novnc");
    const match = /^http:\/\/127\.0\.0\.1:6080\/vnc_auto\.html\?path=%3Ftoken%3D([0-9a-f-]{36})$/
      .exec(vnc.body.console.url);
    assert.ok(match, vnc.body.console.url);
    const token = await call(n, "GET", `/os-console-auth-tokens/${match[1]}`, { version: "2.31" });
    assert.deepEqual(token.body, {
      console: {
        instance_uuid: id,
        host: "fakevncconsole.com",
        port: 6969,
        internal_access_path: "FAKE",
      },
    });
    const xvp = await act(n, id, { "os-getVNCConsole": { type: "xvpvnc" } }, { token: DEMO });
    // nova answers 500 (ConsoleTypeInvalid_Remote, unexpected); a correct nova, 400.
    assert.deepEqual(xvp.body, {
      badRequest: { code: 400, message: "Invalid console type xvpvnc" },
    });
    const spice = await act(n, id, { "os-getSPICEConsole": { type: "spice-html5" } }, {
      token: DEMO,
    });
    assert.deepEqual(spice.body, {
      badRequest: { code: 400, message: "Unavailable console type spice-html5." },
    });
    const v26 = await act(n, id, { "os-getVNCConsole": { type: "novnc" } }, { version: "2.6" });
    assert.equal(v26.status, 404);
  });
});

Deno.test("remote-consoles: 2.6+, protocol and type checks, mks from 2.8, serial when enabled", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    const path = `/servers/${id}/remote-consoles`;
    const old = await call(n, "POST", path, {
      version: "2.5",
      body: { remote_console: { protocol: "vnc", type: "novnc" } },
    });
    assert.equal(old.status, 404);
    const vnc = await call(n, "POST", path, {
      token: DEMO,
      version: "2.6",
      body: { remote_console: { protocol: "vnc", type: "novnc" } },
    });
    assert.equal(vnc.status, 200);
    assert.deepEqual(Object.keys(vnc.body.remote_console), ["protocol", "type", "url"]);
    const wrongType = await call(n, "POST", path, {
      version: "2.6",
      body: { remote_console: { protocol: "vnc", type: "spice-html5" } },
    });
    assert.equal(wrongType.body.badRequest.message, "Invalid console type spice-html5");
    const mks26 = await call(n, "POST", path, {
      version: "2.6",
      body: { remote_console: { protocol: "mks", type: "webmks" } },
    });
    assert.equal(mks26.status, 400);
    const mks28 = await call(n, "POST", path, {
      version: "2.8",
      body: { remote_console: { protocol: "mks", type: "webmks" } },
    });
    assert.equal(mks28.body.badRequest.message, "Unavailable console type webmks.");
    const serial = await call(n, "POST", path, {
      version: "2.8",
      body: { remote_console: { protocol: "serial", type: "serial" } },
    });
    assert.equal(serial.status, 200);
    assert.match(
      serial.body.remote_console.url,
      /^ws:\/\/127\.0\.0\.1:6083\/\?token=[0-9a-f-]{36}$/,
    );
  }, "[serial_console]\nenabled = true\n");
});

Deno.test("diagnostics: the driver's keys before 2.48, nova's shape from 2.48, running only", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n);
    const old = await call(n, "GET", `/servers/${id}/diagnostics`);
    assert.equal(old.status, 200);
    assert.equal(old.body.cpu0_time, 17300000000);
    const v248 = await call(n, "GET", `/servers/${id}/diagnostics`, { version: "2.48" });
    assert.deepEqual(Object.keys(v248.body), [
      "state",
      "driver",
      "hypervisor",
      "hypervisor_os",
      "uptime",
      "config_drive",
      "num_cpus",
      "num_nics",
      "num_disks",
      "disk_details",
      "cpu_details",
      "nic_details",
      "memory_details",
    ]);
    assert.equal(v248.body.state, "running");
    assert.equal(v248.body.num_nics, 1);
    assert.match(v248.body.nic_details[0].mac_address, /^fa:16:3e:/);
    const member = await call(n, "GET", `/servers/${id}/diagnostics`, { token: DEMO });
    assert.equal(member.status, 404);
    await act(n, id, { "os-stop": null });
    await waitForServer(n, id, (s) => s.status === "SHUTOFF");
    const stopped = await call(n, "GET", `/servers/${id}/diagnostics`);
    assert.equal(
      stopped.body.conflictingRequest.message,
      `Cannot 'get_diagnostics' instance ${id} while it is in power state shutdown`,
    );
  });
});

Deno.test("os-server-password: empty until set, DELETE is 204", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    const shown = await call(n, "GET", `/servers/${id}/os-server-password`, { token: DEMO });
    assert.deepEqual(shown.body, { password: "" });
    const cleared = await call(n, "DELETE", `/servers/${id}/os-server-password`, { token: DEMO });
    assert.equal(cleared.status, 204);
    assert.equal(cleared.text, "");
    const other = await call(n, "GET", `/servers/${id}/os-server-password`, { token: "x:other" });
    assert.equal(other.status, 404);
  });
});

Deno.test("security groups: the project's groups, not found elsewhere, removal", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    const unknown = await act(n, id, { addSecurityGroup: { name: "web" } }, { token: DEMO });
    assert.deepEqual(unknown.body, {
      itemNotFound: {
        code: 404,
        message: "Security group web is not found for project demoproject",
      },
    });
    const empty = await act(n, id, { addSecurityGroup: { name: " " } }, { token: DEMO });
    assert.equal(empty.body.badRequest.message, "Security group name cannot be empty");
    const noName = await act(n, id, { addSecurityGroup: {} }, { token: DEMO });
    assert.equal(noName.body.badRequest.message, "Security group not specified");
    const noDict = await act(n, id, { addSecurityGroup: null }, { token: DEMO });
    assert.equal(noDict.body.badRequest.message, "Missing parameter dict");
    const removed = await act(n, id, { removeSecurityGroup: { name: "default" } }, {
      token: DEMO,
    });
    assert.equal(removed.status, 202);
    const without = (await call(n, "GET", `/servers/${id}`, { token: DEMO })).body.server;
    assert.equal(without.security_groups, undefined);
    const again = await act(n, id, { removeSecurityGroup: { name: "default" } }, {
      token: DEMO,
    });
    assert.equal(
      again.body.itemNotFound.message,
      `Security group default not associated with the instance ${id}`,
    );
    assert.equal(
      (await act(n, id, { addSecurityGroup: { name: "default" } }, { token: DEMO })).status,
      202,
    );
    const withIt = (await call(n, "GET", `/servers/${id}`, { token: DEMO })).body.server;
    assert.deepEqual(withIt.security_groups, [{ name: "default" }]);
    const made = await call(n, "POST", "/os-security-groups", {
      token: DEMO,
      body: { security_group: { name: "web", description: "w" } },
    });
    assert.equal(made.status, 200, made.text);
    assert.equal(
      (await act(n, id, { addSecurityGroup: { name: "web" } }, { token: DEMO })).status,
      202,
    );
    const both = (await call(n, "GET", `/servers/${id}`, { token: DEMO })).body.server;
    assert.deepEqual(both.security_groups, [{ name: "default" }, { name: "web" }]);
    const altGroup = await act(n, id, { addSecurityGroup: { name: "web" } });
    assert.equal(
      altGroup.body.itemNotFound.message,
      "Security group web is not found for project admin",
      "the group is looked up in the caller's project",
    );
  });
});

Deno.test("floating IPs and multinic: 2.1-2.43 only; no such floating IP", async () => {
  await withServers(async (n) => {
    const { id, addresses } = await activeServer(n);
    const add = await act(n, id, { addFloatingIp: { address: "172.24.4.10" } });
    assert.deepEqual(add.body, { itemNotFound: { code: 404, message: "floating IP not found" } });
    const wrongFixed = await act(n, id, {
      addFloatingIp: { address: "172.24.4.10", fixed_address: "10.9.9.9" },
    });
    assert.equal(
      wrongFixed.body.badRequest.message,
      "Specified fixed address not assigned to instance",
    );
    const remove = await act(n, id, { removeFloatingIp: { address: "172.24.4.10" } });
    assert.equal(
      remove.body.itemNotFound.message,
      "Floating IP not found for address 172.24.4.10.",
    );
    const v244 = await act(n, id, { addFloatingIp: { address: "172.24.4.10" } }, {
      version: "2.44",
    });
    assert.equal(v244.status, 404);
    const fixed = await act(n, id, { addFixedIp: { networkId: "x" } });
    assert.equal(fixed.status, 202);
    const removeFixed = await act(n, id, {
      removeFixedIp: { address: addresses.private[0].addr },
    });
    assert.equal(removeFixed.status, 202);
    const bad = await act(n, id, { addFixedIp: {} });
    assert.equal(bad.status, 400);
  });
});
