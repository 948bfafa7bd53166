/**
 * End to end: os-services — the services of a two-host cloud, filters,
 * 2.11 forced_down, 2.53 uuids and PUT, the actions before 2.53, nova's
 * 400/404/409 texts, delete, the heartbeat (up/down from
 * `[DEFAULT] service_down_time`), and the policy (members get 403).
 */

import { strict as assert } from "node:assert";
import { activeServer, call, createServer, DEMO, waitForServer, withServers } from "./_servers.ts";

const TWO_HOSTS = "[novalet_compute]\nhosts = c1, c2\nspawn_delay_ms = 5\n";

Deno.test("os-services: list with zones, states, filters and microversion shapes", async () => {
  await withServers(async (n) => {
    const list = await call(n, "GET", "/os-services");
    assert.equal(list.status, 200);
    const rows = list.body.services.map((s: Record<string, unknown>) => [s.binary, s.host, s.zone]);
    assert.deepEqual(rows, [
      ["nova-scheduler", "novalet", "internal"],
      ["nova-conductor", "novalet", "internal"],
      ["nova-compute", "c1", "nova"],
      ["nova-compute", "c2", "nova"],
    ]);
    const c1 = list.body.services[2];
    assert.deepEqual(Object.keys(c1), [
      "binary",
      "host",
      "id",
      "zone",
      "status",
      "state",
      "updated_at",
      "disabled_reason",
    ]);
    assert.equal(typeof c1.id, "number");
    assert.equal(c1.state, "up");
    assert.equal(c1.status, "enabled");
    assert.match(c1.updated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    const computes = await call(n, "GET", "/os-services?binary=nova-compute&host=c2");
    assert.deepEqual(computes.body.services.map((s: { host: string }) => s.host), ["c2"]);
    const v211 = await call(n, "GET", "/os-services", { version: "2.11" });
    assert.equal(v211.body.services[0].forced_down, false);
    const v253 = await call(n, "GET", "/os-services", { version: "2.53" });
    assert.match(v253.body.services[0].id, /^[0-9a-f-]{36}$/);
    const strict = await call(n, "GET", "/os-services?foo=1", { version: "2.75" });
    assert.equal(strict.status, 400);
    const demo = await call(n, "GET", "/os-services", { token: DEMO });
    assert.deepEqual(demo.body, {
      forbidden: {
        code: 403,
        message: "Policy doesn't allow os_compute_api:os-services:list to be performed.",
      },
    });
  }, TWO_HOSTS);
});

Deno.test("os-services: enable, disable with a reason and force-down before 2.53", async () => {
  await withServers(async (n) => {
    const body = { host: "c1", binary: "nova-compute", disabled_reason: "tests" };
    const off = await call(n, "PUT", "/os-services/disable-log-reason", { body });
    assert.deepEqual(off.body, {
      service: { host: "c1", binary: "nova-compute", status: "disabled", disabled_reason: "tests" },
    });
    const shown = (await call(n, "GET", "/os-services?host=c1")).body.services[0];
    assert.equal(shown.status, "disabled");
    assert.equal(shown.disabled_reason, "tests");
    const on = await call(n, "PUT", "/os-services/enable", {
      body: { host: "c1", binary: "nova-compute" },
    });
    assert.deepEqual(on.body, {
      service: { host: "c1", binary: "nova-compute", status: "enabled" },
    });
    const noReason = await call(n, "PUT", "/os-services/disable-log-reason", {
      body: { host: "c1", binary: "nova-compute" },
    });
    assert.equal(noReason.body.badRequest.message, "Missing disabled reason field");
    const sched = await call(n, "PUT", "/os-services/disable", {
      body: { host: "novalet", binary: "nova-scheduler" },
    });
    assert.equal(
      sched.body.badRequest.message,
      "Updating a nova-scheduler service is not supported. Only nova-compute services can be updated.",
    );
    const unknown = await call(n, "PUT", "/os-services/disable", {
      body: { host: "c9", binary: "nova-compute" },
    });
    assert.deepEqual(unknown.body, {
      itemNotFound: { code: 404, message: "Host 'c9' is not mapped to any cell" },
    });
    const action = await call(n, "PUT", "/os-services/reboot", {
      body: { host: "c1", binary: "nova-compute" },
    });
    assert.deepEqual(action.body, { itemNotFound: { code: 404, message: "Unknown action" } });
    assert.equal(
      (await call(n, "PUT", "/os-services/force-down", {
        body: { host: "c1", binary: "nova-compute", forced_down: true },
      })).status,
      400,
    );
    const down = await call(n, "PUT", "/os-services/force-down", {
      version: "2.11",
      body: { host: "c1", binary: "nova-compute", forced_down: true },
    });
    assert.deepEqual(down.body, {
      service: { host: "c1", binary: "nova-compute", forced_down: true },
    });
    const state = (await call(n, "GET", "/os-services?host=c1", { version: "2.11" })).body;
    assert.equal(state.services[0].state, "down");
    assert.equal(state.services[0].forced_down, true);
  }, TWO_HOSTS);
});

Deno.test("os-services: 2.53 update by uuid and its refusals", async () => {
  await withServers(async (n) => {
    const list = (await call(n, "GET", "/os-services", { version: "2.53" })).body.services;
    const sched = list.find((s: { binary: string }) => s.binary === "nova-scheduler");
    const c2 = list.find((s: { host: string }) => s.host === "c2");
    const put = (id: string, body: unknown) =>
      call(n, "PUT", `/os-services/${id}`, { version: "2.53", body });
    const off = await put(c2.id, { status: "disabled", disabled_reason: "r" });
    assert.equal(off.body.service.id, c2.id);
    assert.equal(off.body.service.disabled_reason, "r");
    assert.equal(off.body.service.forced_down, false);
    const nothing = await put(c2.id, {});
    assert.equal(
      nothing.body.badRequest.message,
      "No updates were requested. Fields 'status' or 'forced_down' should be specified.",
    );
    const both = await put(c2.id, { status: "enabled", disabled_reason: "x" });
    assert.equal(
      both.body.badRequest.message,
      "Specifying 'disabled_reason' with status 'enabled' is invalid.",
    );
    assert.equal(
      (await put("nope", { status: "enabled" })).body.badRequest.message,
      "Invalid uuid nope",
    );
    const missing = await put("9d5a6a1b-2f43-4b8e-9a76-1c5e5f0e0b1d", { status: "enabled" });
    assert.equal(
      missing.body.itemNotFound.message,
      "Service 9d5a6a1b-2f43-4b8e-9a76-1c5e5f0e0b1d could not be found.",
    );
    assert.equal((await put(sched.id, { status: "disabled" })).status, 400);
  }, TWO_HOSTS);
});

Deno.test("os-services: delete refuses a compute host with servers, then removes it", async () => {
  await withServers(async (n) => {
    const server = await activeServer(n);
    const host = server["OS-EXT-SRV-ATTR:host"];
    const services = (await call(n, "GET", "/os-services")).body.services;
    const record = services.find((s: { host: string }) => s.host === host);
    const busy = await call(n, "DELETE", `/os-services/${record.id}`);
    assert.deepEqual(busy.body, {
      conflictingRequest: {
        code: 409,
        message:
          "Unable to delete compute service that is hosting instances. Migrate or delete the instances first.",
      },
    });
    const other = services.find((s: { host: string; binary: string }) =>
      s.binary === "nova-compute" && s.host !== host
    );
    const agg = await call(n, "POST", "/os-aggregates", { body: { aggregate: { name: "a" } } });
    await call(n, "POST", `/os-aggregates/${agg.body.aggregate.id}/action`, {
      body: { add_host: { host: other.host } },
    });
    const gone = await call(n, "DELETE", `/os-services/${other.id}`);
    assert.equal(gone.status, 204);
    assert.equal(gone.text, "");
    const hosts = (await call(n, "GET", "/os-hypervisors")).body.hypervisors
      .map((h: { hypervisor_hostname: string }) => h.hypervisor_hostname);
    assert.deepEqual(hosts, [host]);
    const aggregate = await call(n, "GET", `/os-aggregates/${agg.body.aggregate.id}`);
    assert.deepEqual(aggregate.body.aggregate.hosts, []);
    assert.equal(
      (await call(n, "DELETE", `/os-services/${other.id}`)).body.itemNotFound.message,
      `Service ${other.id} not found.`,
    );
    assert.equal(
      (await call(n, "DELETE", "/os-services/x")).body.badRequest.message,
      "Invalid input received: id must be an integer",
    );
    assert.equal(
      (await call(n, "DELETE", "/os-services/x", { version: "2.53" })).body.badRequest.message,
      "Invalid uuid x",
    );
    assert.equal(
      (await call(n, "DELETE", `/os-services/${record.id}`, { token: DEMO })).status,
      403,
    );
  }, TWO_HOSTS);
});

Deno.test("os-services: without heartbeats a service goes down after service_down_time", async () => {
  await withServers(async (n) => {
    const up = (await call(n, "GET", "/os-services?binary=nova-compute")).body.services;
    assert.equal(up[0].state, "up");
    await new Promise((r) => setTimeout(r, 2200));
    const down = (await call(n, "GET", "/os-services?binary=nova-compute")).body.services;
    assert.deepEqual(down.map((s: { state: string }) => s.state), ["down"]);
    const hyp = (await call(n, "GET", "/os-hypervisors")).body.hypervisors;
    assert.equal(hyp[0].state, "down");
    const res = await createServer(n);
    const failed = await waitForServer(n, res.body.server.id, (s) => s.status === "ERROR");
    assert.equal(failed.fault.message, "No valid host was found. ");
  }, "[DEFAULT]\nreport_interval = 0\nservice_down_time = 1\n");
});
