/**
 * End to end: the metadata cache. An instance's gathered metadata is kept
 * for `[api] metadata_cache_expiration` seconds (what nova gathered —
 * including the vendor data file as it was — is what it answers from),
 * and dropped as soon as the instance changes through the compute API.
 */

import { strict as assert } from "node:assert";
import { existsSync as pathExists } from "node:fs";
import { activeServer, call, waitGone } from "./_servers.ts";
import { fixedIpOf, mdGetAs, waitForLog, withMetadata } from "./_metadata.ts";

/** A vendor data file and the config that serves it (debug on, X-Forwarded-For believed). */
function vendorFile(extra = ""): {
  path: string;
  config: string;
  write(v: unknown): void;
  [Symbol.dispose](): void;
} {
  const path = Deno.makeTempFileSync({ suffix: ".json" });
  const write = (v: unknown) => Deno.writeTextFileSync(path, JSON.stringify(v));
  write({ v: 1 });
  const config = `[DEFAULT]\ndebug = true\n[api]\nuse_forwarded_for = true\n` +
    `vendordata_jsonfile_path = ${path}\n${extra}`;
  const dispose = () => {
    if (pathExists(path)) Deno.removeSync(path);
  };
  return { path, config, write, [Symbol.dispose]: dispose };
}

async function vendorData(md: string, ip: string): Promise<unknown> {
  const res = await mdGetAs(md, ip, "/openstack/latest/vendor_data.json");
  assert.equal(res.status, 200, res.text);
  return JSON.parse(res.text);
}

function cachedHits(log: string, ip: string): number {
  return log.split("\n").filter((l) => l.includes(`Using cached metadata for ${ip}`)).length;
}

Deno.test("metadata cache: answers come from the cache until the instance changes", async () => {
  using vendor = vendorFile();
  await withMetadata(async ({ n, md }) => {
    const server = await activeServer(n, { name: "cached", metadata: { k: "old" } }, {
      version: "2.1",
    });
    const ip = fixedIpOf(server).addr;
    assert.deepEqual(await vendorData(md, ip), { v: 1 });
    assert.deepEqual(await vendorData(md, ip), { v: 1 });
    const log = await waitForLog(n, /DEBUG nova\.api\.metadata\.handler .*Using cached metadata/);
    assert.equal(cachedHits(log, ip), 1);
    // The file changes: the cached metadata still holds what it read.
    vendor.write({ v: 2 });
    assert.deepEqual(await vendorData(md, ip), { v: 1 });
    // The instance changes through the compute API: gathered again at once.
    const put = await call(n, "PUT", `/servers/${server.id}/metadata`, {
      body: { metadata: { k: "new" } },
    });
    assert.equal(put.status, 200);
    const doc = JSON.parse((await mdGetAs(md, ip, "/openstack/latest/meta_data.json")).text);
    assert.deepEqual(doc.meta, { k: "new" });
    assert.deepEqual(await vendorData(md, ip), { v: 2 });
    // A single metadata item too.
    await call(n, "PUT", `/servers/${server.id}/metadata/k`, { body: { meta: { k: "newer" } } });
    const again = JSON.parse((await mdGetAs(md, ip, "/openstack/latest/meta_data.json")).text);
    assert.deepEqual(again.meta, { k: "newer" });
    assert.equal((await mdGetAs(md, ip, "/latest/meta-data/hostname")).text, "cached.novalocal");
    // Deleted: the cached entry is not served any more.
    assert.equal((await call(n, "DELETE", `/servers/${server.id}`)).status, 204);
    await waitGone(n, server.id);
    assert.equal((await mdGetAs(md, ip, "/latest/meta-data/hostname")).status, 404);
  }, vendor.config);
});

Deno.test("metadata cache: metadata_cache_expiration = 0 caches nothing", async () => {
  using vendor = vendorFile("metadata_cache_expiration = 0\n");
  await withMetadata(async ({ n, md }) => {
    const server = await activeServer(n, { name: "uncached" }, { version: "2.1" });
    const ip = fixedIpOf(server).addr;
    assert.deepEqual(await vendorData(md, ip), { v: 1 });
    vendor.write({ v: 2 });
    assert.deepEqual(await vendorData(md, ip), { v: 2 });
    assert.deepEqual(await vendorData(md, ip), { v: 2 });
    // Three requests logged, none of them answered from the cache.
    await waitForLog(n, /(vendor_data\.json HTTP\/1\.1" status: 200[\s\S]*){3}/);
    assert.equal(cachedHits(n.log(), ip), 0);
  }, vendor.config);
});

Deno.test("metadata cache: an entry expires after metadata_cache_expiration seconds", async () => {
  using vendor = vendorFile("metadata_cache_expiration = 1\n");
  await withMetadata(async ({ n, md }) => {
    const server = await activeServer(n, { name: "expiring" }, { version: "2.1" });
    const ip = fixedIpOf(server).addr;
    assert.deepEqual(await vendorData(md, ip), { v: 1 });
    vendor.write({ v: 2 });
    assert.deepEqual(await vendorData(md, ip), { v: 1 });
    await new Promise((r) => setTimeout(r, 1100));
    assert.deepEqual(await vendorData(md, ip), { v: 2 });
  }, vendor.config);
});

Deno.test("metadata: a vendor data file that is missing or not JSON is nova's 500", async () => {
  using vendor = vendorFile("metadata_cache_expiration = 0\n");
  await withMetadata(async ({ n, md }) => {
    const server = await activeServer(n, { name: "vd" }, { version: "2.1" });
    const ip = fixedIpOf(server).addr;
    Deno.writeTextFileSync(vendor.path, "{not json");
    const broken = await mdGetAs(md, ip, "/latest/meta-data/hostname");
    assert.equal(broken.status, 500);
    assert.equal(
      broken.text,
      "500 Internal Server Error\n\nAn unknown error has occurred. Please try your request again.\n\n   ",
    );
    await waitForLog(n, /WARNING .*vendordata_jsonfile_path\[.*\]: failed to load json/);
    Deno.removeSync(vendor.path);
    assert.equal((await mdGetAs(md, ip, "/latest/meta-data/hostname")).status, 500);
    await waitForLog(n, /WARNING .*vendordata_jsonfile_path\[.*\]: file does not exist/);
  }, vendor.config);
});
