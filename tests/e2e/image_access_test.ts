/**
 * End to end: changing images on novalet's image service (json-patch,
 * tags, protected delete) and what each project may see and do
 * (visibility and ownership, glance 25's default rules).
 */

import { strict as assert } from "node:assert";
import {
  ADMIN,
  ALT,
  createImage,
  DEMO,
  errorMessage,
  type ImageNovalet,
  img,
  PATCH_TYPE,
  startImageNovalet,
} from "./_image_api.ts";

function patch(s: ImageNovalet, id: string, ops: unknown[], token = DEMO, type = PATCH_TYPE) {
  return img(s, "PATCH", `/v2/images/${id}`, {
    token,
    json: ops,
    contentType: type,
    headers: { Accept: "application/json" },
  });
}

Deno.test("e2e image service: json-patch, tags, protected delete", async (t) => {
  const s = await startImageNovalet();
  try {
    const image = await createImage(s, { foo: "bar" });
    const id = image.id;
    await t.step("PATCH with application/json: 415 with Accept-Patch", async () => {
      const res = await patch(s, id, [], DEMO, "application/json");
      assert.equal(res.status, 415);
      assert.equal(
        res.headers.get("accept-patch"),
        "application/openstack-images-v2.0-json-patch, application/openstack-images-v2.1-json-patch",
      );
      assert.equal(
        res.json.message,
        "The request media type application/json is not supported by this server.\n<br /><br />\n",
      );
    });
    await t.step(
      "replace, add and remove: name, visibility, protected, tags, min_ram, properties",
      async () => {
        const res = await patch(s, id, [
          { op: "replace", path: "/name", value: "renamed" },
          { op: "replace", path: "/visibility", value: "private" },
          { op: "add", path: "/protected", value: true },
          { op: "add", path: "/tags", value: ["x", "y", "x"] },
          { op: "replace", path: "/min_ram", value: 512 },
          { op: "add", path: "/os_distro", value: "cirros" },
          { op: "remove", path: "/foo" },
        ]);
        assert.equal(res.status, 200);
        assert.equal(res.json.name, "renamed");
        assert.equal(res.json.visibility, "private");
        assert.equal(res.json.protected, true);
        assert.deepEqual(res.json.tags, ["x", "y"]);
        assert.equal(res.json.min_ram, 512);
        assert.equal(res.json.os_distro, "cirros");
        assert.equal(res.json.foo, undefined);
        assert.equal(Object.keys(res.json)[0], "os_distro");
        const shown = await img(s, "GET", `/v2/images/${id}`);
        assert.deepEqual(shown.json, res.json);
      },
    );
    await t.step("the v2.0 media type: draft 4 operations", async () => {
      const res = await patch(
        s,
        id,
        [{ add: "/os_version", value: "6" }],
        DEMO,
        "application/openstack-images-v2.0-json-patch",
      );
      assert.equal(res.status, 200);
      assert.equal(res.json.os_version, "6");
      const twice = await patch(
        s,
        id,
        [{ add: "/os_version", value: "7" }],
        DEMO,
        "application/openstack-images-v2.0-json-patch",
      );
      assert.equal(twice.status, 409);
      assert.equal(
        twice.json.message,
        "There was a conflict when trying to complete your request.<br /><br />\nProperty os_version already present.\n\n",
      );
    });
    await t.step("patch errors in glance's words", async () => {
      const cases: [unknown[], number, string][] = [
        [
          [{ op: "replace", path: "/status", value: "active" }],
          403,
          "Attribute 'status' is read-only.",
        ],
        [
          [{ op: "move", path: "/name" }],
          400,
          "Invalid operation: `move`. It must be one of the following: add, remove, replace.",
        ],
        [[{ op: "add", path: "name", value: "x" }], 400, 'Pointer `name` does not start with "/".'],
        [[{ op: "add", path: "/x" }], 400, 'Operation "add" requires a member named "value".'],
        [
          [{ op: "replace", path: "/visibility", value: "public" }],
          403,
          "You are not authorized to complete publicize_image action.",
        ],
        [
          [{ op: "replace", path: "/min_ram", value: -3 }],
          400,
          "Invalid value '-3' for parameter 'min_ram': Cannot be a negative value",
        ],
        [[{ op: "replace", path: "/disk_format", value: "raw" }], 200, ""],
      ];
      for (const [ops, status, message] of cases) {
        const res = await patch(s, id, ops);
        assert.equal(res.status, status, JSON.stringify(ops));
        if (message) assert.equal(errorMessage(res), message);
      }
      const missing = await patch(s, id, [{ op: "remove", path: "/nope" }]);
      assert.equal(missing.status, 409);
      assert.equal(
        missing.json.message,
        "There was a conflict when trying to complete your request.<br /><br />\nProperty nope does not exist.\n\n",
      );
      const base = await patch(s, id, [{ op: "remove", path: "/name" }]);
      assert.equal(base.status, 403);
      assert.equal(
        base.json.message,
        "Access was denied to this resource.<br /><br />\nProperty name may not be removed.\n\n",
      );
      const notList = await patch(s, id, { op: "add" } as unknown as unknown[]);
      assert.equal(
        errorMessage(notList),
        "Request body must be a JSON array of operation objects.",
      );
    });
    await t.step("tags: PUT and DELETE one tag", async () => {
      assert.equal((await img(s, "PUT", `/v2/images/${id}/tags/new`)).status, 204);
      assert.deepEqual((await img(s, "GET", `/v2/images/${id}`)).json.tags, ["x", "y", "new"]);
      assert.equal((await img(s, "DELETE", `/v2/images/${id}/tags/x`)).status, 204);
      assert.deepEqual((await img(s, "GET", `/v2/images/${id}`)).json.tags, ["y", "new"]);
      const missing = await img(s, "DELETE", `/v2/images/${id}/tags/zzz`, {
        headers: { Accept: "application/json" },
      });
      assert.equal(missing.status, 404);
      assert.equal(errorMessage(missing), "The resource could not be found.");
      const long = await img(s, "PUT", `/v2/images/${id}/tags/${"t".repeat(256)}`);
      assert.equal(long.status, 400);
      const alt = await img(s, "PUT", `/v2/images/${id}/tags/a`, {
        token: ALT,
        headers: { Accept: "application/json" },
      });
      assert.equal(errorMessage(alt), `Image ${id} not found.`);
    });
    await t.step("a protected image cannot be deleted: 403 in glance's words", async () => {
      const res = await img(s, "DELETE", `/v2/images/${id}`, {
        headers: { Accept: "application/json" },
      });
      assert.equal(res.status, 403);
      assert.equal(errorMessage(res), `Image ${id} is protected and cannot be deleted.`);
      assert.equal((await img(s, "GET", `/v2/images/${id}`)).status, 200);
      await patch(s, id, [{ op: "replace", path: "/protected", value: false }]);
      assert.equal((await img(s, "DELETE", `/v2/images/${id}`)).status, 204);
    });
  } finally {
    await s.n.stop();
  }
});

Deno.test("e2e image service: visibility and ownership between projects", async (t) => {
  const s = await startImageNovalet();
  try {
    const priv = await createImage(s, { name: "priv", visibility: "private" });
    const shared = await createImage(s, { name: "shared" });
    const comm = await createImage(s, { name: "comm", visibility: "community" });
    const pub = await createImage(s, { name: "pub", visibility: "public" }, ADMIN);
    const names = async (token: string, query = "") =>
      (await img(s, "GET", `/v2/images?sort=name:asc${query}`, { token })).json.images
        .map((i: { name: string }) => i.name);
    await t.step("lists: demo its own, alt the public ones, admin everything", async () => {
      assert.deepEqual(await names(DEMO), [
        "cirros-0.6.2-x86_64-disk",
        "comm",
        "priv",
        "pub",
        "shared",
      ]);
      assert.deepEqual(await names(ALT), ["cirros-0.6.2-x86_64-disk", "pub"]);
      assert.deepEqual(await names(ALT, "&visibility=community"), ["comm"]);
      // glance lists another project's community images only on request, for admins too.
      assert.deepEqual(await names(ADMIN), ["cirros-0.6.2-x86_64-disk", "priv", "pub", "shared"]);
      assert.deepEqual(await names(ADMIN, "&visibility=all"), [
        "cirros-0.6.2-x86_64-disk",
        "comm",
        "priv",
        "pub",
        "shared",
      ]);
      assert.deepEqual(await names(ADMIN, "&visibility=private"), ["priv"]);
    });
    await t.step("show: another project's private and shared images are not found", async () => {
      for (const image of [priv, shared]) {
        const res = await img(s, "GET", `/v2/images/${image.id}`, {
          token: ALT,
          headers: { Accept: "application/json" },
        });
        assert.equal(res.status, 404);
        assert.equal(errorMessage(res), `No image found with ID ${image.id}`);
        assert.equal((await img(s, "GET", `/v2/images/${image.id}`, { token: ADMIN })).status, 200);
      }
      assert.equal((await img(s, "GET", `/v2/images/${comm.id}`, { token: ALT })).status, 200);
    });
    await t.step("changes: only the owner or an admin", async () => {
      const ops = [{ op: "add", path: "/x", value: "y" }];
      const res = await img(s, "PATCH", `/v2/images/${pub.id}`, {
        token: ALT,
        json: ops,
        contentType: PATCH_TYPE,
        headers: { Accept: "application/json" },
      });
      assert.equal(res.status, 403);
      assert.equal(errorMessage(res), "You do not own this image");
      const del = await img(s, "DELETE", `/v2/images/${comm.id}`, {
        token: ALT,
        headers: { Accept: "application/json" },
      });
      assert.equal(del.status, 403);
      assert.equal(errorMessage(del), "You do not own this image");
      const up = await img(s, "PUT", `/v2/images/${comm.id}/file`, {
        token: ALT,
        body: "x",
        contentType: "application/octet-stream",
        headers: { Accept: "application/json" },
      });
      assert.equal(errorMessage(up), `Not allowed to upload image data for image ${comm.id}`);
      const admin = await img(s, "PATCH", `/v2/images/${priv.id}`, {
        token: ADMIN,
        json: ops,
        contentType: PATCH_TYPE,
      });
      assert.equal(admin.status, 200);
      const owner = await img(s, "PATCH", `/v2/images/${priv.id}`, {
        json: [{ op: "replace", path: "/owner", value: "altproject" }],
        contentType: PATCH_TYPE,
        headers: { Accept: "application/json" },
      });
      assert.equal(owner.status, 403);
      assert.equal(
        owner.json.message,
        "Access was denied to this resource.<br /><br />\nOwner can't be updated by non admin.\n\n",
      );
    });
    await t.step("an admin may publicize and give an image away", async () => {
      const res = await img(s, "PATCH", `/v2/images/${priv.id}`, {
        token: ADMIN,
        json: [{ op: "replace", path: "/visibility", value: "public" }, {
          op: "replace",
          path: "/owner",
          value: "altproject",
        }],
        contentType: PATCH_TYPE,
      });
      assert.equal(res.status, 200);
      assert.equal(res.json.owner, "altproject");
      assert.deepEqual(await names(ALT), ["cirros-0.6.2-x86_64-disk", "priv", "pub"]);
    });
  } finally {
    await s.n.stop();
  }
});
