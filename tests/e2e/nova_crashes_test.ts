/**
 * Where nova 26 crashes or answers 500 on a client's input or an ordinary
 * state (an exception its controller does not expect, a Python TypeError
 * or AttributeError, an error code `expected_errors` does not list),
 * novalet answers as a correct nova would: the 4xx nova's controller
 * raises for the same error elsewhere, with nova's wording.
 */

import { strict as assert } from "node:assert";
import { startNovalet } from "../_server.ts";
import { act } from "./_actions.ts";
import { img, startImageNovalet } from "./_image_api.ts";
import {
  activeServer,
  call,
  DEMO,
  IMAGE,
  NETWORK,
  waitForServer,
  withServers,
} from "./_servers.ts";

/** A fault's `{name: {code, message}}` as `[code, message]`. */
// deno-lint-ignore no-explicit-any
function fault(body: any): [number, string] {
  const inner = Object.values(body ?? {})[0] as { code: number; message: string };
  return [inner.code, inner.message];
}

/**
 * A launched server of DEMO's on no host in vm_state error: shelved and
 * offloaded (which takes it off its host), then reset to error by an admin.
 */
async function hostlessServer(n: Parameters<typeof call>[0]): Promise<string> {
  const { id } = await activeServer(n, {}, { token: DEMO });
  assert.equal((await act(n, id, { shelve: null }, { token: DEMO })).status, 202);
  await waitForServer(n, id, (s) => s.status === "SHELVED_OFFLOADED", { token: DEMO });
  assert.equal((await act(n, id, { "os-resetState": { state: "error" } })).status, 202);
  return id;
}

Deno.test("a server on no host: actions that need one are 409s naming vm_state, nothing changes", async () => {
  await withServers(async (n) => {
    const id = await hostlessServer(n);
    const conflict = (action: string) =>
      `Cannot '${action}' instance ${id} while it is in vm_state error`;
    const reboot = await act(n, id, { reboot: { type: "HARD" } }, { token: DEMO });
    assert.deepEqual(fault(reboot.body), [409, conflict("reboot")]);
    const shown = await call(n, "GET", `/servers/${id}`);
    assert.equal(shown.body.server["OS-EXT-STS:task_state"], null, "no task left behind");
    const rebuild = await act(n, id, { rebuild: { imageRef: IMAGE } }, { token: DEMO });
    assert.deepEqual(fault(rebuild.body), [409, conflict("rebuild")]);
    const rescue = await act(n, id, { rescue: null }, { token: DEMO });
    assert.deepEqual(fault(rescue.body), [409, conflict("rescue")]);
    const fixed = await act(n, id, { addFixedIp: { networkId: NETWORK } }, { token: DEMO });
    assert.deepEqual(fault(fixed.body), [409, conflict("add_fixed_ip")]);
    const inject = await act(n, id, { injectNetworkInfo: null });
    assert.deepEqual(fault(inject.body), [409, conflict("inject_network_info")]);
    const actions = await call(n, "GET", `/servers/${id}/os-instance-actions`);
    assert.deepEqual(
      actions.body.instanceActions.map((a: { action: string }) => a.action),
      ["resetState", "shelve", "create"],
      "no action recorded for the refused ones",
    );
  });
});

Deno.test("a locked server: addFixedIp and removeFixedIp are 409 'is locked'", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    assert.equal((await act(n, id, { lock: null })).status, 202);
    const add = await act(n, id, { addFixedIp: { networkId: NETWORK } }, { token: DEMO });
    assert.deepEqual(fault(add.body), [409, `Instance ${id} is locked`]);
    const remove = await act(n, id, { removeFixedIp: { address: "10.0.0.3" } }, { token: DEMO });
    assert.deepEqual(fault(remove.body), [409, `Instance ${id} is locked`]);
  });
});

Deno.test("a server being deleted: forceDelete and the consoles are 409s naming task_state", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    assert.equal((await call(n, "DELETE", `/servers/${id}`, { token: DEMO })).status, 204);
    const conflict = (action: string) =>
      `Cannot '${action}' instance ${id} while it is in task_state deleting`;
    const force = await act(n, id, { forceDelete: null });
    assert.deepEqual(fault(force.body), [409, conflict("forceDelete")]);
    const spice = await act(n, id, { "os-getSPICEConsole": { type: "spice-html5" } });
    assert.deepEqual(fault(spice.body), [409, conflict("get_spice_console")]);
    const remote = await call(n, "POST", `/servers/${id}/remote-consoles`, {
      version: "2.6",
      body: { remote_console: { protocol: "vnc", type: "novnc" } },
    });
    assert.deepEqual(fault(remote.body), [409, conflict("get_vnc_console")]);
  }, "[novalet_compute]\naction_delay_ms = 3000\n");
});

Deno.test("bodies nova's validator or controller crashes on are 400s in nova's words", async () => {
  await withServers(async (n) => {
    const cases: [string, string, unknown, string][] = [
      [
        "PUT",
        "/os-quota-sets/demoproject",
        { quota_set: "abc" },
        "Invalid input for field/attribute quota_set. Value: abc. 'abc' is not of type 'object'",
      ],
      [
        "PUT",
        "/os-quota-sets/demoproject",
        { quota_set: 5 },
        "Invalid input for field/attribute quota_set. Value: 5. 5 is not of type 'object'",
      ],
      [
        "PUT",
        "/os-quota-class-sets/default",
        { quota_class_set: ["a"] },
        "Invalid input for field/attribute quota_class_set. Value: ['a']. " +
        "['a'] is not of type 'object'",
      ],
      [
        "POST",
        "/os-aggregates",
        { aggregate: { name: "a" }, type: 1 },
        "Additional properties are not allowed ('type' was unexpected)",
      ],
      [
        "POST",
        "/servers",
        { server: { name: "s", imageRef: IMAGE, flavorRef: "1", user_data: "é" } },
        "Invalid input for field/attribute user_data. Value: é. 'é' is not a 'base64'",
      ],
    ];
    for (const [method, path, body, message] of cases) {
      const res = await call(n, method, path, { body });
      assert.deepEqual(fault(res.body), [400, message], `${method} ${path}`);
    }
    const rxtx = await rawCall(n, "POST", "/flavors", {
      text: '{"flavor": {"name": "f", "ram": 64, "vcpus": 1, "disk": 1, "rxtx_factor": 1e999}}',
    });
    assert.deepEqual(fault(rxtx), [
      400,
      "Invalid input for field/attribute rxtx_factor. Value: inf. " +
      "inf is greater than the maximum of 3.40282e+38",
    ]);
    for (const regex of ["a{4294967296}", "(?au)x"]) {
      const res = await call(n, "GET", `/servers?name=${encodeURIComponent(regex)}`);
      assert.deepEqual(fault(res.body), [
        400,
        `Invalid input for query parameters name. Value: ${regex}. '${regex}' is not a 'regex'`,
      ]);
    }
  });
});

/** A call with a JSON text that JSON.stringify cannot write (1e999). */
async function rawCall(
  n: Parameters<typeof call>[0],
  method: string,
  path: string,
  o: { text: string },
): Promise<unknown> {
  const res = await fetch(`${n.url}/v2.1${path}`, {
    method,
    headers: { "X-Auth-Token": "admin:admin", "Content-Type": "application/json" },
    body: o.text,
  });
  return await res.json();
}

Deno.test("interface attach: an address outside the network is a 400, not nova's 500", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    const res = await call(n, "POST", `/servers/${id}/os-interface`, {
      token: DEMO,
      body: { interfaceAttachment: { net_id: NETWORK, fixed_ips: [{ ip_address: "192.0.2.7" }] } },
    });
    assert.deepEqual(fault(res.body), [
      400,
      `Invalid input received: Fixed IP 192.0.2.7 is not a valid ip address for network ${NETWORK}.`,
    ]);
  });
});

Deno.test("image service: a list body and a min_ram past the database are 400s", async () => {
  const s = await startImageNovalet();
  try {
    const headers = { Accept: "application/json" };
    const list = await img(s, "POST", "/v2/images", { json: ["a"], headers });
    assert.equal(list.status, 400);
    assert.match(
      list.text,
      /Provided object does not match schema 'image': \['a'\] is not of type 'object'/,
    );
    const readOnly = await img(s, "POST", "/v2/images", { json: ["file"], headers });
    assert.equal(readOnly.status, 403, "glance's read-only check still comes first");
    const huge = await img(s, "POST", "/v2/images", {
      body: '{"name": "x", "min_ram": 18446744073709551616}',
      contentType: "application/json",
      headers,
    });
    assert.equal(huge.status, 400);
    assert.match(huge.text, /Invalid value '18446744073709551616' for parameter 'min_ram'/);
  } finally {
    await s.n.stop();
  }
});

Deno.test("x509 key pair generation needs no openssl command (no --allow-run)", async () => {
  const n = await startNovalet({
    config: "[api]\nauth_strategy = noauth2\n",
    permissions: ["--allow-net=127.0.0.1", "--allow-read", "--allow-write", "--allow-env"],
  });
  try {
    const res = await call(n, "POST", "/os-keypairs", {
      version: "2.2",
      body: { keypair: { name: "win", type: "x509" } },
    });
    assert.equal(res.status, 201, res.text);
    assert.match(res.body.keypair.public_key, /^-----BEGIN CERTIFICATE-----\n/);
    assert.ok(res.body.keypair.private_key.length > 2000, "a PKCS#12 bundle, base64");
  } finally {
    await n.stop();
  }
});
