/**
 * End to end: os-aggregates (create, 2.41 uuid, list, show, update,
 * set_metadata, add_host / remove_host with nova's zone rules and texts,
 * delete, 2.81 image pre-caching) and os-availability-zone (summary and
 * the admins' detail with hosts and services).
 */

import { strict as assert } from "node:assert";
import { call, DEMO, withServers } from "./_servers.ts";

const HOSTS = "[novalet_compute]\nhosts = c1, c2\n";

Deno.test("os-aggregates: create, show, update, metadata and delete", async () => {
  await withServers(async (n) => {
    const spaced = await call(n, "POST", "/os-aggregates", {
      body: { aggregate: { name: " agg1 " } },
    });
    assert.equal(spaced.status, 400);
    const created = await call(n, "POST", "/os-aggregates", {
      body: { aggregate: { name: "agg1", availability_zone: "az1" } },
    });
    assert.equal(created.status, 200);
    const agg = created.body.aggregate;
    assert.deepEqual(Object.keys(agg), [
      "id",
      "name",
      "created_at",
      "updated_at",
      "deleted_at",
      "deleted",
      "availability_zone",
    ]);
    assert.equal(agg.name, "agg1");
    const v241 = await call(n, "POST", "/os-aggregates", {
      version: "2.41",
      body: { aggregate: { name: "agg2" } },
    });
    assert.match(v241.body.aggregate.uuid, /^[0-9a-f-]{36}$/);
    const dup = await call(n, "POST", "/os-aggregates", { body: { aggregate: { name: "agg1" } } });
    assert.equal(dup.body.conflictingRequest.message, "Aggregate agg1 already exists.");
    const shown = (await call(n, "GET", `/os-aggregates/${agg.id}`)).body.aggregate;
    assert.deepEqual(shown.metadata, { availability_zone: "az1" });
    assert.deepEqual(shown.hosts, []);
    const renamed = await call(n, "PUT", `/os-aggregates/${agg.id}`, {
      body: { aggregate: { name: "agg1b" } },
    });
    assert.equal(renamed.body.aggregate.name, "agg1b");
    assert.notEqual(renamed.body.aggregate.updated_at, null);
    const taken = await call(n, "PUT", `/os-aggregates/${agg.id}`, {
      body: { aggregate: { name: "agg2" } },
    });
    assert.equal(taken.status, 409);
    const emptyAz = await call(n, "PUT", `/os-aggregates/${agg.id}`, {
      body: { aggregate: { availability_zone: null } },
    });
    assert.equal(
      emptyAz.body.badRequest.message,
      `Cannot update aggregate ${agg.id}. Reason: Aggregate agg1b does not support empty named availability zone.`,
    );
    const meta = await call(n, "POST", `/os-aggregates/${agg.id}/action`, {
      body: { set_metadata: { metadata: { ssd: "true", availability_zone: "az1" } } },
    });
    assert.deepEqual(meta.body.aggregate.metadata, { availability_zone: "az1", ssd: "true" });
    const unset = await call(n, "POST", `/os-aggregates/${agg.id}/action`, {
      body: { set_metadata: { metadata: { ssd: null } } },
    });
    assert.deepEqual(unset.body.aggregate.metadata, { availability_zone: "az1" });
    assert.equal(
      (await call(n, "GET", "/os-aggregates/x")).body.badRequest.message,
      "Invalid input received: id must be an integer",
    );
    assert.equal(
      (await call(n, "GET", "/os-aggregates/99")).body.itemNotFound.message,
      "Aggregate 99 could not be found.",
    );
    assert.equal((await call(n, "DELETE", `/os-aggregates/${agg.id}`)).status, 200);
    assert.equal((await call(n, "GET", "/os-aggregates")).body.aggregates.length, 1);
    assert.equal((await call(n, "GET", "/os-aggregates", { token: DEMO })).status, 403);
  }, HOSTS);
});

Deno.test("os-aggregates: hosts join one zone only; a non-empty aggregate stays", async () => {
  await withServers(async (n) => {
    const make = async (name: string, az?: string) =>
      (await call(n, "POST", "/os-aggregates", {
        body: { aggregate: az ? { name, availability_zone: az } : { name } },
      })).body.aggregate.id;
    const a = await make("a", "az1");
    const b = await make("b", "az2");
    const add = (id: number, host: string) =>
      call(n, "POST", `/os-aggregates/${id}/action`, { body: { add_host: { host } } });
    const remove = (id: number, host: string) =>
      call(n, "POST", `/os-aggregates/${id}/action`, { body: { remove_host: { host } } });
    assert.deepEqual((await add(a, "c1")).body.aggregate.hosts, ["c1"]);
    assert.equal(
      (await add(a, "c1")).body.conflictingRequest.message,
      `Aggregate ${a} already has host c1.`,
    );
    const clash = await add(b, "c1");
    assert.equal(
      clash.body.conflictingRequest.message,
      `Cannot add host to aggregate ${b}. Reason: One or more hosts already in availability zone(s) ['az1'].`,
    );
    assert.equal(
      (await add(a, "nope")).body.itemNotFound.message,
      "Compute host nope could not be found.",
    );
    assert.equal(
      (await call(n, "DELETE", `/os-aggregates/${a}`)).body.badRequest.message,
      `Cannot remove host from aggregate ${a}. Reason: Host aggregate is not empty.`,
    );
    assert.equal(
      (await remove(a, "c2")).body.itemNotFound.message,
      `Cannot remove host c2 in aggregate ${a}`,
    );
    assert.deepEqual((await remove(a, "c1")).body.aggregate.hosts, []);
    const images = await call(n, "POST", `/os-aggregates/${a}/images`, {
      version: "2.81",
      body: { cache: [{ id: "5c5e1b6f-3b5e-4a39-9d6a-6a2f4b0e7c01" }] },
    });
    assert.equal(images.status, 202);
    const dup = await call(n, "POST", `/os-aggregates/${a}/images`, {
      version: "2.81",
      body: {
        cache: [
          { id: "5c5e1b6f-3b5e-4a39-9d6a-6a2f4b0e7c01" },
          { id: "5c5e1b6f-3b5e-4a39-9d6a-6a2f4b0e7c01" },
        ],
      },
    });
    assert.equal(dup.body.badRequest.message, "Duplicate images in request");
    const old = await call(n, "POST", `/os-aggregates/${a}/images`, { body: { cache: [] } });
    assert.equal(old.status, 404);
  }, HOSTS);
});

Deno.test("os-availability-zone: zones of enabled services, and the detail for admins", async () => {
  await withServers(async (n) => {
    const agg = await call(n, "POST", "/os-aggregates", {
      body: { aggregate: { name: "a", availability_zone: "az1" } },
    });
    await call(n, "POST", `/os-aggregates/${agg.body.aggregate.id}/action`, {
      body: { add_host: { host: "c2" } },
    });
    const list = await call(n, "GET", "/os-availability-zone", { token: DEMO });
    assert.deepEqual(list.body, {
      availabilityZoneInfo: [
        { zoneName: "az1", zoneState: { available: true }, hosts: null },
        { zoneName: "nova", zoneState: { available: true }, hosts: null },
      ],
    });
    const detail = (await call(n, "GET", "/os-availability-zone/detail")).body.availabilityZoneInfo;
    assert.deepEqual(detail.map((z: { zoneName: string }) => z.zoneName), [
      "az1",
      "internal",
      "nova",
    ]);
    const internal = detail[1].hosts.novalet;
    assert.deepEqual(Object.keys(internal), ["nova-scheduler", "nova-conductor"]);
    assert.equal(internal["nova-scheduler"].available, true);
    assert.equal(internal["nova-scheduler"].active, true);
    assert.deepEqual(Object.keys(detail[2].hosts), ["c1"]);
    const services = (await call(n, "GET", "/os-services?host=c1")).body.services;
    await call(n, "PUT", "/os-services/disable", { body: { host: "c1", binary: "nova-compute" } });
    assert.equal(services.length, 1);
    const after = (await call(n, "GET", "/os-availability-zone")).body.availabilityZoneInfo;
    assert.deepEqual(after.at(-1), {
      zoneName: "nova",
      zoneState: { available: false },
      hosts: null,
    });
    const denied = await call(n, "GET", "/os-availability-zone/detail", { token: DEMO });
    assert.equal(denied.status, 403);
  }, HOSTS);
});
