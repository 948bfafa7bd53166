/**
 * The local image table on a real SQLite file: the default image is
 * stored once by the migration, deletes are soft and stay, visibility.
 */

import { strict as assert } from "node:assert";
import { DEFAULT_IMAGE_ID, ImageApi } from "../../lib/compute/images/api.ts";
import { ImageStore } from "../../lib/compute/images/store.ts";
import { openStore } from "./_store.ts";

Deno.test("ImageStore: the cirros image is there once; a delete survives a reopen", () => {
  const db = openStore();
  const api = new ImageApi(new ImageStore(db));
  const image = api.get(DEFAULT_IMAGE_ID)!;
  assert.deepEqual(
    [
      image.name,
      image.status,
      image.min_ram,
      image.min_disk,
      image.disk_format,
      image.container_format,
    ],
    ["cirros-0.6.2-x86_64-disk", "active", 0, 0, "qcow2", "bare"],
  );
  assert.equal(image.is_public, true);
  assert.equal(api.store.delete(DEFAULT_IMAGE_ID), true);
  assert.equal(api.store.delete(DEFAULT_IMAGE_ID), false);
  db.close();
  const again = new ImageApi(new ImageStore(openStore(db.path)));
  assert.equal(again.get(DEFAULT_IMAGE_ID), null);
  assert.deepEqual(again.list(), []);
  again.store.db.close();
});

Deno.test("ImageStore: private images are seen by their project and admins only", () => {
  const db = openStore();
  db.run(
    "INSERT INTO images (id, name, status, visibility, owner, created_at) VALUES (?, ?, 'active', 'private', ?, ?)",
    "11111111-1111-1111-1111-111111111111",
    "mine",
    "p1",
    "2026-01-01T00:00:00.000000",
  );
  const api = new ImageApi(new ImageStore(db));
  const names = (viewer: { isAdmin: boolean; projectId: string }) =>
    api.list({ viewer }).map((i) => i.name);
  assert.deepEqual(names({ isAdmin: false, projectId: "p1" }), [
    "cirros-0.6.2-x86_64-disk",
    "mine",
  ]);
  assert.deepEqual(names({ isAdmin: false, projectId: "p2" }), ["cirros-0.6.2-x86_64-disk"]);
  assert.equal(
    api.get("11111111-1111-1111-1111-111111111111", { isAdmin: false, projectId: "p2" }),
    null,
  );
  assert.equal(api.list({ viewer: { isAdmin: true, projectId: "x" } }).length, 2);
  db.close();
});
