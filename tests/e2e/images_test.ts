/**
 * End to end: nova's image proxy API (`/images`, `/images/{id}/metadata`)
 * answered from novalet's local image table, in nova's view shape
 * (nova/api/openstack/compute/views/images.py); gone from 2.36 (case 257)
 * and 2.39 for metadata.
 */

import { strict as assert } from "node:assert";
import { DEFAULT_IMAGE_ID } from "../../lib/compute/images/api.ts";
import { startNovalet } from "../_server.ts";
import { call, DEMO, faultMessage } from "./_novalet_api.ts";

const IMAGE = `/v2.1/images/${DEFAULT_IMAGE_ID}`;

Deno.test("e2e images: the seeded cirros image through the proxy API", async (t) => {
  const n = await startNovalet({ config: "[glance]\napi_servers = http://glance.example:9292\n" });
  try {
    await t.step("index: id, name and three links", async () => {
      const res = await call(n, "GET", "/v2.1/images");
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, {
        images: [{
          id: DEFAULT_IMAGE_ID,
          name: "cirros-0.6.2-x86_64-disk",
          links: [
            { rel: "self", href: `${n.url}${IMAGE}` },
            { rel: "bookmark", href: `${n.url}/images/${DEFAULT_IMAGE_ID}` },
            {
              rel: "alternate",
              type: "application/vnd.openstack.image",
              href: `http://glance.example:9292/images/${DEFAULT_IMAGE_ID}`,
            },
          ],
        }],
      });
    });
    await t.step("show: nova's detail fields", async () => {
      const res = await call(n, "GET", IMAGE);
      const image = res.json.image;
      assert.deepEqual(Object.keys(image), [
        "id",
        "name",
        "minRam",
        "minDisk",
        "metadata",
        "created",
        "updated",
        "status",
        "progress",
        "OS-EXT-IMG-SIZE:size",
        "links",
      ]);
      assert.deepEqual(
        [image.status, image.progress, image.minRam, image.minDisk, image["OS-EXT-IMG-SIZE:size"]],
        ["ACTIVE", 100, 0, 0, 21430272],
      );
      assert.match(image.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.deepEqual(image.metadata, {});
    });
    await t.step("filters and paging", async () => {
      const names = async (q: string) =>
        (await call(n, "GET", `/v2.1/images/detail${q}`)).json.images.map((i: { name: string }) =>
          i.name
        );
      assert.deepEqual(await names("?status=ACTIVE"), ["cirros-0.6.2-x86_64-disk"]);
      assert.deepEqual(await names("?status=saving"), []);
      assert.deepEqual(await names("?minRam=1"), []);
      assert.deepEqual(await names("?name=cirros-0.6.2-x86_64-disk"), ["cirros-0.6.2-x86_64-disk"]);
      const page = await call(n, "GET", "/v2.1/images/detail?limit=1");
      assert.equal(
        page.json.images_links[0].href,
        `${n.url}/v2.1/images/detail?limit=1&marker=${DEFAULT_IMAGE_ID}`,
      );
      assert.equal(
        faultMessage(await call(n, "GET", "/v2.1/images?limit=x")),
        "Invalid input received: limit must be an integer",
      );
    });
    await t.step("metadata: create, show, update, replace, delete", async () => {
      const meta = `${IMAGE}/metadata`;
      const created = await call(n, "POST", meta, {
        body: { metadata: { os_distro: "cirros", auto_disk_config: "true" } },
      });
      assert.deepEqual(created.json, {
        metadata: { os_distro: "cirros", auto_disk_config: "true" },
      });
      assert.deepEqual((await call(n, "GET", `${meta}/os_distro`)).json, {
        meta: { os_distro: "cirros" },
      });
      assert.equal((await call(n, "GET", IMAGE)).json.image["OS-DCF:diskConfig"], "AUTO");
      const mismatch = await call(n, "PUT", `${meta}/os_distro`, {
        body: { meta: { other: "x" } },
      });
      assert.equal(faultMessage(mismatch), "Request body and URI mismatch");
      assert.deepEqual(
        (await call(n, "PUT", `${meta}/os_distro`, { body: { meta: { os_distro: "c2" } } })).json,
        {
          meta: { os_distro: "c2" },
        },
      );
      assert.deepEqual((await call(n, "PUT", meta, { body: { metadata: { a: "1" } } })).json, {
        metadata: { a: "1" },
      });
      assert.equal((await call(n, "DELETE", `${meta}/a`)).status, 204);
      assert.equal(faultMessage(await call(n, "DELETE", `${meta}/a`)), "Invalid metadata key");
      assert.deepEqual((await call(n, "GET", meta)).json, { metadata: {} });
    });
    await t.step("members may read the public image but not change it", async () => {
      assert.equal((await call(n, "GET", IMAGE, { token: DEMO })).status, 200);
      const res = await call(n, "POST", `${IMAGE}/metadata`, {
        token: DEMO,
        body: { metadata: { a: "b" } },
      });
      assert.deepEqual([res.status, faultMessage(res)], [
        403,
        `Not authorized for image ${DEFAULT_IMAGE_ID}.`,
      ]);
      const del = await call(n, "DELETE", IMAGE, { token: DEMO });
      assert.deepEqual([del.status, faultMessage(del)], [
        403,
        "You are not allowed to delete the image.",
      ]);
    });
    await t.step("gone from 2.36 (case 257); metadata from 2.39", async () => {
      const res = await call(n, "GET", "/v2.1/images", { version: "2.36" });
      assert.deepEqual([res.status, faultMessage(res)], [404, "The resource could not be found."]);
      assert.equal((await call(n, "GET", `${IMAGE}/metadata`, { version: "2.38" })).status, 200);
      assert.equal((await call(n, "GET", `${IMAGE}/metadata`, { version: "2.39" })).status, 404);
    });
    await t.step('unknown image: 404 "Image not found."', async () => {
      const res = await call(n, "GET", "/v2.1/images/00000000-0000-0000-0000-000000000000");
      assert.deepEqual([res.status, faultMessage(res)], [404, "Image not found."]);
    });
    await t.step("delete: 204, then gone", async () => {
      assert.equal((await call(n, "DELETE", IMAGE)).status, 204);
      assert.equal((await call(n, "GET", IMAGE)).status, 404);
      assert.deepEqual((await call(n, "GET", "/v2.1/images")).json, { images: [] });
    });
  } finally {
    await n.stop();
  }
});

Deno.test("e2e images: without [glance] api_servers the alternate link names port 9292", async () => {
  const n = await startNovalet({
    config: "[api]\nglance_link_prefix = https://images.example/glance\n",
  });
  try {
    const res = await call(n, "GET", "/v2.1/images");
    assert.equal(
      res.json.images[0].links[2].href,
      `https://images.example/glance/images/${DEFAULT_IMAGE_ID}`,
    );
    const plain = await startNovalet();
    try {
      const link = (await call(plain, "GET", "/v2.1/images")).json.images[0].links[2].href;
      assert.equal(link, `http://127.0.0.1:9292/images/${DEFAULT_IMAGE_ID}`);
    } finally {
      await plain.stop();
    }
  } finally {
    await n.stop();
  }
});
