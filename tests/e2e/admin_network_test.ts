/**
 * End to end: the network proxies answered from the built-in flat network
 * — os-networks, os-tenant-networks (410 for nova-network's actions),
 * floating IPs and pools, security groups and their rules, a server's
 * groups, and os-interface (list, show, attach, detach).
 */

import { strict as assert } from "node:assert";
import { activeServer, ALT, call, DEMO, NETWORK, waitForServer, withServers } from "./_servers.ts";

Deno.test("os-networks and os-tenant-networks: the flat network, gone actions, 2.36 removal", async () => {
  await withServers(async (n) => {
    const admin = await call(n, "GET", "/os-networks");
    assert.equal(admin.body.networks.length, 1);
    assert.equal(admin.body.networks[0].id, NETWORK);
    assert.equal(admin.body.networks[0].label, "private");
    assert.equal(Object.keys(admin.body.networks[0]).length, 32);
    const member = await call(n, "GET", `/os-networks/${NETWORK}`, { token: DEMO });
    assert.deepEqual(Object.keys(member.body.network), [
      "id",
      "cidr",
      "netmask",
      "gateway",
      "broadcast",
      "dns1",
      "dns2",
      "cidr_v6",
      "gateway_v6",
      "label",
      "netmask_v6",
    ]);
    const missing = await call(n, "GET", "/os-networks/nope");
    assert.deepEqual(missing.body, { itemNotFound: { code: 404, message: "Network not found" } });
    for (
      const [method, path, body] of [
        ["POST", "/os-networks", {}],
        ["POST", "/os-networks/add", {}],
        ["DELETE", `/os-networks/${NETWORK}`, undefined],
        ["POST", `/os-networks/${NETWORK}/action`, { disassociate: null }],
        ["POST", "/os-tenant-networks", {}],
        ["DELETE", `/os-tenant-networks/${NETWORK}`, undefined],
      ] as const
    ) {
      const res = await call(n, method, path, { body });
      assert.equal(res.status, 410, `${method} ${path}`);
      assert.equal(res.body.computeFault.code, 410);
    }
    const tenant = await call(n, "GET", "/os-tenant-networks", { token: DEMO });
    assert.deepEqual(tenant.body, { networks: [{ id: NETWORK, cidr: "None", label: "private" }] });
    assert.equal((await call(n, "GET", "/os-networks", { version: "2.36" })).status, 404);
  });
});

Deno.test("floating IPs: no external network, no pools, nothing to allocate", async () => {
  await withServers(async (n) => {
    assert.deepEqual((await call(n, "GET", "/os-floating-ip-pools")).body, {
      floating_ip_pools: [],
    });
    assert.deepEqual((await call(n, "GET", "/os-floating-ips")).body, { floating_ips: [] });
    const allocate = await call(n, "POST", "/os-floating-ips", { body: { pool: "public" } });
    assert.deepEqual(allocate.body, {
      itemNotFound: { code: 404, message: "Floating IP pool not found." },
    });
    const show = await call(n, "GET", "/os-floating-ips/abc");
    assert.equal(show.body.itemNotFound.message, "Floating IP not found for ID abc");
    assert.equal((await call(n, "DELETE", "/os-floating-ips/abc")).status, 404);
  });
});

Deno.test("security groups: the default group, create, rules, update, delete", async () => {
  await withServers(async (n) => {
    const list = await call(n, "GET", "/os-security-groups", { token: DEMO });
    const [def] = list.body.security_groups;
    assert.equal(def.name, "default");
    assert.equal(def.tenant_id, "demoproject");
    assert.equal(def.rules.length, 2);
    assert.deepEqual(def.rules[0].group, { name: "default", tenant_id: "demoproject" });
    const created = await call(n, "POST", "/os-security-groups", {
      token: DEMO,
      body: { security_group: { name: "web", description: "http" } },
    });
    const web = created.body.security_group;
    assert.deepEqual(web.rules, []);
    const rule = await call(n, "POST", "/os-security-group-rules", {
      token: DEMO,
      body: {
        security_group_rule: {
          parent_group_id: web.id,
          ip_protocol: "tcp",
          from_port: 80,
          to_port: 80,
          cidr: "10.0.0.0/8",
        },
      },
    });
    assert.equal(rule.status, 200);
    assert.deepEqual(rule.body.security_group_rule.ip_range, { cidr: "10.0.0.0/8" });
    const again = await call(n, "POST", "/os-security-group-rules", {
      token: DEMO,
      body: {
        security_group_rule: {
          parent_group_id: web.id,
          ip_protocol: "tcp",
          from_port: 80,
          to_port: 80,
          cidr: "10.0.0.0/8",
        },
      },
    });
    assert.equal(again.body.badRequest.message, `This rule already exists in group ${web.id}`);
    const badPorts = await call(n, "POST", "/os-security-group-rules", {
      token: DEMO,
      body: {
        security_group_rule: {
          parent_group_id: web.id,
          ip_protocol: "tcp",
          from_port: 90,
          to_port: 80,
        },
      },
    });
    assert.equal(
      badPorts.body.badRequest.message,
      "Invalid port range 90:80. Former value cannot be greater than the later",
    );
    const shown = await call(n, "GET", `/os-security-groups/${web.id}`, { token: DEMO });
    assert.equal(shown.body.security_group.rules.length, 1);
    const renamed = await call(n, "PUT", `/os-security-groups/${web.id}`, {
      token: DEMO,
      body: { security_group: { name: "www", description: "" } },
    });
    assert.equal(renamed.body.security_group.name, "www");
    const delRule = await call(
      n,
      "DELETE",
      `/os-security-group-rules/${rule.body.security_group_rule.id}`,
      {
        token: DEMO,
      },
    );
    assert.equal(delRule.status, 202);
    assert.equal(
      (await call(n, "DELETE", `/os-security-groups/${web.id}`, { token: DEMO })).status,
      202,
    );
    const gone = await call(n, "GET", `/os-security-groups/${web.id}`, { token: DEMO });
    assert.match(
      gone.body.itemNotFound.message,
      new RegExp(`^Security group ${web.id} does not exist`),
    );
    const badId = await call(n, "GET", "/os-security-groups/x");
    assert.equal(badId.body.badRequest.message, "Security group id should be uuid");
    const noName = await call(n, "POST", "/os-security-groups", { body: { security_group: {} } });
    assert.equal(noName.body.badRequest.message, "name is not a string or unicode");
    const empty = await call(n, "POST", "/os-security-groups", { body: {} });
    assert.equal(empty.body.badRequest.message, "The request body can't be empty");
    const keep = await call(n, "DELETE", `/os-security-groups/${def.id}`, { token: DEMO });
    assert.match(
      keep.body.badRequest.message,
      /^Insufficient rights for removing default security group\./,
    );
  });
});

Deno.test("os-interface: a server's ports, attach on the flat network, detach", async () => {
  await withServers(async (n) => {
    const server = await activeServer(n);
    const base = `/servers/${server.id}/os-interface`;
    const list = (await call(n, "GET", base)).body.interfaceAttachments;
    assert.equal(list.length, 1);
    assert.equal(list[0].net_id, NETWORK);
    assert.equal(list[0].port_state, "ACTIVE");
    assert.equal(list[0].fixed_ips[0].ip_address, server.addresses.private[0].addr);
    const v270 = await call(n, "GET", base, { version: "2.70" });
    assert.equal(v270.body.interfaceAttachments[0].tag, null);
    const one = await call(n, "GET", `${base}/${list[0].port_id}`);
    assert.deepEqual(one.body.interfaceAttachment, list[0]);
    const other = await call(n, "GET", `${base}/nope`);
    assert.equal(other.body.itemNotFound.message, "Port id nope could not be found.");
    const attached = await call(n, "POST", base, {
      body: { interfaceAttachment: { net_id: NETWORK, fixed_ips: [{ ip_address: "10.0.9.9" }] } },
    });
    assert.equal(attached.status, 200);
    assert.equal(attached.body.interfaceAttachment.fixed_ips[0].ip_address, "10.0.9.9");
    const inUse = await call(n, "POST", base, {
      body: { interfaceAttachment: { net_id: NETWORK, fixed_ips: [{ ip_address: "10.0.9.9" }] } },
    });
    assert.equal(
      inUse.body.conflictingRequest.message,
      `Fixed IP address 10.0.9.9 is already in use on instance ${server.id}.`,
    );
    const both = await call(n, "POST", base, {
      body: { interfaceAttachment: { net_id: NETWORK, port_id: list[0].port_id } },
    });
    assert.equal(both.body.badRequest.message, "Must not input both network_id and port_id");
    const wrongNet = await call(n, "POST", base, {
      body: { interfaceAttachment: { net_id: "9d5a6a1b-2f43-4b8e-9a76-1c5e5f0e0b1d" } },
    });
    assert.equal(
      wrongNet.body.itemNotFound.message,
      "Network 9d5a6a1b-2f43-4b8e-9a76-1c5e5f0e0b1d could not be found.",
    );
    const detach = await call(n, "DELETE", `${base}/${attached.body.interfaceAttachment.port_id}`);
    assert.equal(detach.status, 202);
    const after = await waitForServer(n, server.id, (s) => s.addresses.private.length === 1);
    assert.equal(after.addresses.private.length, 1);
    assert.equal((await call(n, "GET", base, { token: ALT })).status, 404);
    const groups = await call(n, "GET", `/servers/${server.id}/os-security-groups`);
    assert.deepEqual(groups.body.security_groups.map((g: { name: string }) => g.name), ["default"]);
  });
});
