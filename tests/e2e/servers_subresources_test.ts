/**
 * End to end: a server's metadata, tags (2.26) and ips, with nova's
 * texts for 400s, 404s and 409s.
 */

import { strict as assert } from "node:assert";
import { activeServer, ALT, call, createServer, DEMO, withServers } from "./_servers.ts";

Deno.test("server metadata: list, merge, replace, show, set one, delete", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, { metadata: { a: "1" } });
    const path = `/servers/${id}/metadata`;
    assert.deepEqual((await call(n, "GET", path)).body, { metadata: { a: "1" } });
    const merged = await call(n, "POST", path, { body: { metadata: { b: "2" } } });
    assert.equal(merged.status, 200);
    assert.deepEqual(merged.body, { metadata: { a: "1", b: "2" } });
    const replaced = await call(n, "PUT", path, { body: { metadata: { c: "3" } } });
    assert.deepEqual(replaced.body, { metadata: { c: "3" } });
    assert.deepEqual((await call(n, "GET", `${path}/c`)).body, { meta: { c: "3" } });
    const missing = await call(n, "GET", `${path}/zz`);
    assert.deepEqual(missing.body, {
      itemNotFound: { code: 404, message: "Metadata item was not found" },
    });
    const one = await call(n, "PUT", `${path}/d`, { body: { meta: { d: "4" } } });
    assert.deepEqual(one.body, { meta: { d: "4" } });
    const mismatch = await call(n, "PUT", `${path}/e`, { body: { meta: { d: "4" } } });
    assert.deepEqual(mismatch.body, {
      badRequest: { code: 400, message: "Request body and URI mismatch" },
    });
    const two = await call(n, "PUT", `${path}/d`, { body: { meta: { d: "4", e: "5" } } });
    assert.equal(two.status, 400);
    const del = await call(n, "DELETE", `${path}/d`);
    assert.equal(del.status, 204);
    assert.deepEqual((await call(n, "GET", path)).body, { metadata: { c: "3" } });
    const shown = (await call(n, "GET", `/servers/${id}`)).body.server;
    assert.deepEqual(shown.metadata, { c: "3" });
    assert.equal((await call(n, "GET", path, { token: ALT })).status, 404);
    const building = await createServer(n, {});
    const conflict = await call(n, "POST", `/servers/${building.body.server.id}/metadata`, {
      body: { metadata: { x: "y" } },
    });
    assert.deepEqual(conflict.body, {
      conflictingRequest: {
        code: 409,
        message:
          `Cannot 'update metadata' instance ${building.body.server.id} while it is in vm_state building`,
      },
    });
  }, "[novalet_compute]\nspawn_delay_ms = 100\n");
});

Deno.test("server tags: 2.26 list, replace, add, check, delete, limits", async () => {
  await withServers(async (n) => {
    const { id } = await activeServer(n, {}, { token: DEMO });
    const o = { token: DEMO, version: "2.26" };
    const path = `/servers/${id}/tags`;
    assert.equal((await call(n, "GET", path, { token: DEMO })).status, 404, "no tags before 2.26");
    assert.deepEqual((await call(n, "GET", path, o)).body, { tags: [] });
    const replaced = await call(n, "PUT", path, { ...o, body: { tags: ["b", "a", "a"] } });
    assert.deepEqual(replaced.body, { tags: ["a", "b"] });
    const added = await call(n, "PUT", `${path}/c`, o);
    assert.equal(added.status, 201);
    assert.equal(added.headers.get("location"), `${n.url}/v2.1/servers/${id}/tags/c`);
    assert.equal((await call(n, "PUT", `${path}/c`, o)).status, 204);
    assert.equal((await call(n, "GET", `${path}/c`, o)).status, 204);
    const absent = await call(n, "GET", `${path}/zz`, o);
    assert.equal(absent.body.itemNotFound.message, `Server ${id} has no tag 'zz'`);
    const invalid = await call(n, "PUT", `${path}/a,b`, o);
    assert.equal(
      invalid.body.badRequest.message,
      "Tag 'a,b' is invalid. It must be a non empty string without characters '/' and ','. " +
        "Validation error message: 'a,b' does not match '^[^,/]*$'",
    );
    const tooMany = await call(n, "PUT", path, {
      ...o,
      body: { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) },
    });
    assert.equal(tooMany.status, 400);
    const tooLong = await call(n, "PUT", path, { ...o, body: { tags: ["x".repeat(61)] } });
    assert.equal(tooLong.status, 400);
    await call(n, "PUT", path, {
      ...o,
      body: { tags: Array.from({ length: 50 }, (_, i) => `t${i}`) },
    });
    const over = await call(n, "PUT", `${path}/one-more`, o);
    assert.equal(
      over.body.badRequest.message,
      "The number of tags exceeded the per-server limit 50",
    );
    assert.equal((await call(n, "DELETE", `${path}/t1`, o)).status, 204);
    assert.equal((await call(n, "DELETE", `${path}/t1`, o)).status, 404);
    assert.equal((await call(n, "DELETE", path, o)).status, 204);
    assert.deepEqual((await call(n, "GET", path, o)).body, { tags: [] });
    const alt = await call(n, "GET", path, { token: ALT, version: "2.26" });
    assert.equal(alt.status, 403, "nova checks tag policies against the server's project");
    const unknown = "9d5a6a1b-2f43-4b8e-9a76-1c5e5f0e0b1d";
    const none = await call(n, "GET", `/servers/${unknown}/tags`, o);
    assert.equal(none.body.itemNotFound.message, `Instance ${unknown} has no mapping to a cell.`);
  });
});

Deno.test("server ips: all networks and one, without extended attributes", async () => {
  await withServers(async (n) => {
    const server = await activeServer(n);
    const addr = server.addresses.private[0].addr;
    const all = await call(n, "GET", `/servers/${server.id}/ips`);
    assert.deepEqual(all.body, { addresses: { private: [{ version: 4, addr }] } });
    const one = await call(n, "GET", `/servers/${server.id}/ips/private`);
    assert.deepEqual(one.body, { private: [{ version: 4, addr }] });
    const other = await call(n, "GET", `/servers/${server.id}/ips/public`);
    assert.deepEqual(other.body, {
      itemNotFound: { code: 404, message: "Instance is not a member of specified network" },
    });
    assert.equal((await call(n, "GET", `/servers/${server.id}/ips`, { token: ALT })).status, 404);
  });
});
