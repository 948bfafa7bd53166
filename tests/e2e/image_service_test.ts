/**
 * End to end: novalet's image service (a Glance v2 subset on its own
 * listener) through every route, with glance 25's status codes, headers
 * and bodies (recorded from a real glance-api where noted).
 */

import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { DEFAULT_IMAGE_ID } from "../../lib/compute/images/api.ts";
import { createImage, DEMO, errorMessage, img, startImageNovalet, upload } from "./_image_api.ts";

const IMAGE_KEYS = [
  "name",
  "disk_format",
  "container_format",
  "visibility",
  "size",
  "virtual_size",
  "status",
  "checksum",
  "protected",
  "min_ram",
  "min_disk",
  "owner",
  "os_hidden",
  "os_hash_algo",
  "os_hash_value",
  "id",
  "created_at",
  "updated_at",
  "tags",
  "self",
  "file",
  "schema",
];

Deno.test("e2e image service: versions, schemas, create, show, list", async (t) => {
  const s = await startImageNovalet();
  try {
    await t.step("GET / answers 300 with glance's versions, without a token", async () => {
      const res = await img(s, "GET", "/", { token: null });
      assert.equal(res.status, 300);
      assert.equal(res.headers.get("content-type"), "application/json");
      assert.equal(res.json.versions.length, 10);
      assert.deepEqual(res.json.versions[0], {
        id: "v2.15",
        status: "CURRENT",
        links: [{ rel: "self", href: `${s.image}/v2/` }],
      });
      assert.equal(res.json.versions[9].id, "v2.0");
      assert.equal(res.headers.get("x-openstack-request-id"), null);
    });
    await t.step("GET /versions answers 200; an unknown version 300", async () => {
      assert.equal((await img(s, "GET", "/versions", { token: null })).status, 200);
      assert.equal((await img(s, "GET", "/v3/images")).status, 300);
    });
    await t.step("the schemas, as glance serves them", async () => {
      const image = await img(s, "GET", "/v2/schemas/image");
      assert.equal(image.status, 200);
      assert.equal(image.json.name, "image");
      assert.deepEqual(image.json.additionalProperties, { type: "string" });
      assert.deepEqual(image.json.properties.visibility.enum, [
        "community",
        "public",
        "private",
        "shared",
      ]);
      assert.ok(image.json.properties.os_distro, "custom properties of schema-image.json");
      assert.equal(image.headers.get("content-length"), "5491");
      const images = await img(s, "GET", "/v2/schemas/images");
      assert.deepEqual(images.json.properties.images.items, image.json);
      assert.deepEqual(images.json.links.map((l: { rel: string }) => l.rel), [
        "first",
        "next",
        "describedby",
      ]);
      const post = await img(s, "POST", "/v2/schemas/image", { headers: { Accept: "text/html" } });
      assert.equal(post.status, 405);
      assert.equal(post.headers.get("allow"), "GET");
      assert.match(post.text, /The method POST is not allowed for this resource\./);
    });
    let id = "";
    await t.step("POST /v2/images: 201, queued, Location, request id", async () => {
      const res = await img(s, "POST", "/v2/images", {
        json: {
          name: "cirros",
          disk_format: "qcow2",
          container_format: "bare",
          foo: "bar",
          tags: ["a", "b"],
        },
      });
      assert.equal(res.status, 201);
      id = res.json.id;
      assert.deepEqual(Object.keys(res.json), ["foo", ...IMAGE_KEYS]);
      assert.equal(res.json.status, "queued");
      assert.equal(res.json.visibility, "shared");
      assert.equal(res.json.owner, "demoproject");
      assert.equal(res.json.size, null);
      assert.deepEqual(res.json.tags, ["a", "b"]);
      assert.equal(res.json.self, `/v2/images/${id}`);
      assert.match(res.json.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(res.headers.get("location"), `${s.image}/v2/images/${id}`);
      assert.match(res.headers.get("x-openstack-request-id")!, /^req-[0-9a-f-]{36}$/);
    });
    await t.step("the client's X-Openstack-Request-ID is kept", async () => {
      const res = await img(s, "GET", `/v2/images/${id}`, {
        headers: { "X-Openstack-Request-ID": "req-11111111-2222-3333-4444-555555555555" },
      });
      assert.equal(res.status, 200);
      assert.equal(
        res.headers.get("x-openstack-request-id"),
        "req-11111111-2222-3333-4444-555555555555",
      );
      assert.equal(res.json.name, "cirros");
    });
    await t.step("create errors: read-only, reserved, schema, visibility, owner", async () => {
      const cases: [Record<string, unknown>, number, string][] = [
        [{ status: "active" }, 403, "Attribute 'status' is read-only."],
        [{ self: "x" }, 403, "Attribute 'self' is read-only."],
        [
          { visibility: "public" },
          403,
          "You are not authorized to complete publicize_image action.",
        ],
        [{ owner: "other" }, 403, "You are not permitted to create images owned by 'other'."],
        [
          { min_ram: -1 },
          400,
          "Invalid value '-1' for parameter 'min_ram': Cannot be a negative value",
        ],
        [{ id }, 409, `Image ID ${id} already exists!`],
        [
          { name: 5 },
          400,
          "Provided object does not match schema 'image': 5 is not of type 'null', 'string'",
        ],
      ];
      for (const [body, status, message] of cases) {
        const res = await img(s, "POST", "/v2/images", {
          json: body,
          headers: { Accept: "application/json" },
        });
        assert.equal(res.status, status, JSON.stringify(body));
        assert.equal(errorMessage(res), message);
        assert.deepEqual(Object.keys(res.json), ["message", "code", "title"]);
      }
      const reserved = await img(s, "POST", "/v2/images", {
        json: { deleted: "x" },
        headers: { Accept: "application/json" },
      });
      assert.equal(reserved.status, 403);
      assert.equal(
        reserved.json.message,
        "Access was denied to this resource.<br /><br />\nAttribute 'deleted' is reserved.\n\n",
      );
      const empty = await img(s, "POST", "/v2/images", { contentType: "application/json" });
      assert.equal(empty.status, 400);
      assert.match(empty.text, /Body expected in request\./);
      const bad = await img(s, "POST", "/v2/images", {
        body: "{x",
        contentType: "application/json",
      });
      assert.equal(bad.status, 400);
      assert.match(bad.text, /Malformed JSON in request body\./);
    });
    await t.step("errors are webob pages: HTML for */*, plain text without Accept", async () => {
      const html = await img(s, "GET", "/v2/images/nope", { headers: { Accept: "*/*" } });
      assert.equal(html.status, 404);
      assert.equal(html.headers.get("content-type"), "text/html; charset=UTF-8");
      assert.equal(
        html.text,
        "<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n" +
          "  No image found with ID nope<br /><br />\n\n\n\n </body>\n</html>",
      );
      const plain = await img(s, "GET", "/v2/images/nope", { headers: { Accept: "text/plain" } });
      assert.equal(plain.text, "404 Not Found\n\nNo image found with ID nope\n\n   ");
    });
    await t.step("a DELETE with a body is refused", async () => {
      const res = await img(s, "DELETE", `/v2/images/${id}`, { json: {} });
      assert.equal(res.status, 400);
      assert.match(res.text, /A body is not expected with this request\./);
    });
    await t.step("list: filters, sorting, paging links", async () => {
      for (const name of ["p1", "p2", "p3"]) await createImage(s, { name, os_distro: "x" });
      const all = await img(s, "GET", "/v2/images");
      assert.equal(all.status, 200);
      assert.deepEqual(Object.keys(all.json), ["images", "first", "schema"]);
      assert.equal(all.json.first, "/v2/images");
      assert.equal(all.json.schema, "/v2/schemas/images");
      assert.equal(all.json.images.length, 5);
      assert.ok(all.json.images.some((i: { id: string }) => i.id === DEFAULT_IMAGE_ID));
      const page = await img(s, "GET", "/v2/images?sort=name:asc&os_distro=x&limit=2");
      assert.deepEqual(page.json.images.map((i: { name: string }) => i.name), ["p1", "p2"]);
      assert.equal(page.json.first, "/v2/images?sort=name%3Aasc&os_distro=x&limit=2");
      const p2 = page.json.images[1].id;
      assert.equal(page.json.next, `/v2/images?sort=name%3Aasc&os_distro=x&limit=2&marker=${p2}`);
      const next = await img(s, "GET", page.json.next);
      assert.deepEqual(next.json.images.map((i: { name: string }) => i.name), ["p3"]);
      assert.equal(next.json.next, undefined);
      const old = await img(s, "GET", "/v2/images?sort_key=name&sort_dir=desc&name=in:p1,p3");
      assert.deepEqual(old.json.images.map((i: { name: string }) => i.name), ["p3", "p1"]);
      const tagged = await img(s, "GET", "/v2/images?tag=a&tag=b&status=queued&owner=demoproject");
      assert.deepEqual(tagged.json.images.map((i: { id: string }) => i.id), [id]);
      const pub = await img(s, "GET", "/v2/images?visibility=public");
      assert.deepEqual(pub.json.images.map((i: { id: string }) => i.id), [DEFAULT_IMAGE_ID]);
    });
    await t.step("list errors", async () => {
      const cases: [string, string][] = [
        ["limit=x", "limit param must be an integer"],
        ["limit=-1", "limit param must be positive"],
        [
          "sort_key=bad",
          "Invalid sort key: bad. It must be one of the following: name, status, container_format, disk_format, size, id, created_at, updated_at.",
        ],
        ["sort_dir=up", "Invalid sort direction: up"],
        ["sort=name&sort_key=name", "Old and new sorting syntax cannot be combined"],
        ["visibility=bad", "Invalid visibility value: bad"],
        ["marker=nope", "No image found with ID nope"],
        ["member_status=x", "Invalid status: x"],
        ["name=foo:bar", "Unable to filter by unknown operator 'foo'."],
        ["size_min=a", "Unable to filter on a range with a non-numeric value."],
      ];
      for (const [query, message] of cases) {
        const res = await img(s, "GET", `/v2/images?${query}`, {
          headers: { Accept: "application/json" },
        });
        assert.equal(res.status, 400, query);
        assert.equal(errorMessage(res), message);
      }
    });
    await t.step("unknown paths 404; another method on a known path 405 with Allow", async () => {
      assert.equal((await img(s, "GET", "/v2/nothing")).status, 404);
      const res = await img(s, "POST", `/v2/images/${id}`);
      assert.equal(res.status, 405);
      assert.equal(res.headers.get("allow"), "GET, PATCH, DELETE");
      assert.equal(
        (await img(s, "POST", `/v2/images/${id}/file`)).headers.get("allow"),
        "GET, PUT",
      );
    });
  } finally {
    await s.n.stop();
  }
});

Deno.test("e2e image service: upload, download, status machine", async (t) => {
  const s = await startImageNovalet();
  try {
    const data = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
    const md5 = createHash("md5").update(data).digest("hex");
    const sha512 = createHash("sha512").update(data).digest("hex");
    const image = await createImage(s);
    const id = image.id;
    await t.step("a queued image has no data: 204", async () => {
      const res = await img(s, "GET", `/v2/images/${id}/file`);
      assert.equal(res.status, 204);
      assert.equal(res.text, "");
      assert.equal((await img(s, "GET", `/v2/images/${DEFAULT_IMAGE_ID}/file`)).status, 204);
    });
    await t.step("upload needs application/octet-stream: 415", async () => {
      const res = await img(s, "PUT", `/v2/images/${id}/file`, {
        body: data,
        contentType: "text/plain",
      });
      assert.equal(res.status, 415);
      assert.match(
        res.text,
        /The request media type text\/plain is not supported by this server\./,
      );
    });
    await t.step("upload: 204, then active with size, md5 and sha512", async () => {
      const res = await upload(s, id, data);
      assert.equal(res.status, 204);
      assert.equal(res.headers.get("content-type"), "text/html; charset=UTF-8");
      const shown = (await img(s, "GET", `/v2/images/${id}`)).json;
      assert.equal(shown.status, "active");
      assert.equal(shown.size, data.length);
      assert.equal(shown.checksum, md5);
      assert.equal(shown.os_hash_algo, "sha512");
      assert.equal(shown.os_hash_value, sha512);
      assert.deepEqual(Deno.readFileSync(`${s.n.stateDir}/images/${id}`), data);
    });
    await t.step("download: byte for byte, with Content-MD5 and Content-Length", async () => {
      const res = await fetch(`${s.image}/v2/images/${id}/file`, {
        headers: { "X-Auth-Token": DEMO },
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "application/octet-stream");
      assert.equal(res.headers.get("content-md5"), md5);
      assert.equal(res.headers.get("content-length"), String(data.length));
      assert.deepEqual(new Uint8Array(await res.arrayBuffer()), data);
    });
    await t.step("a second upload: 409 from active", async () => {
      const res = await upload(s, id, data);
      assert.equal(res.status, 409);
      assert.match(res.text, /Image status transition from active to saving is not allowed/);
    });
    await t.step("no formats: 400, and the image stays queued", async () => {
      const bare = await createImage(s, { disk_format: null, container_format: null });
      const res = await upload(s, bare.id, new Uint8Array(10));
      assert.equal(res.status, 400);
      assert.match(
        res.text,
        /Properties disk_format, container_format must be set prior to saving data\./,
      );
      assert.equal((await img(s, "GET", `/v2/images/${bare.id}`)).json.status, "queued");
    });
    await t.step("delete: 204, the file goes, the image is gone", async () => {
      const res = await img(s, "DELETE", `/v2/images/${id}`);
      assert.equal(res.status, 204);
      assert.throws(() => Deno.statSync(`${s.n.stateDir}/images/${id}`), Deno.errors.NotFound);
      const gone = await img(s, "GET", `/v2/images/${id}`);
      assert.equal(gone.status, 404);
      const again = await img(s, "DELETE", `/v2/images/${id}`, {
        headers: { Accept: "application/json" },
      });
      assert.equal(errorMessage(again), `Failed to find image ${id} to delete`);
    });
  } finally {
    await s.n.stop();
  }
});
