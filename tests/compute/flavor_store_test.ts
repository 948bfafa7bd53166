/**
 * The flavor store on a real SQLite file: durability across reopen,
 * all-or-nothing writes, nova's visibility and oslo.db's marker paging.
 */

import { strict as assert } from "node:assert";
import { FlavorConflict, type FlavorCreate } from "../../lib/compute/flavors/api.ts";
import { seedDevstackFlavors } from "../../lib/compute/flavors/seed.ts";
import { FlavorStore } from "../../lib/compute/flavors/store.ts";
import { openStore } from "./_store.ts";

const ADMIN = { isAdmin: true, projectId: "admin" };
const DEMO = { isAdmin: false, projectId: "demoproject" };

function values(
  flavorid: string,
  name: string,
  extra: Partial<FlavorCreate> = {},
): FlavorCreate & { flavorid: string } {
  return {
    name,
    memory_mb: 64,
    vcpus: 1,
    root_gb: 1,
    ephemeral_gb: 0,
    swap: 0,
    rxtx_factor: 1,
    is_public: true,
    description: null,
    ...extra,
    flavorid,
  };
}

Deno.test("FlavorStore: flavors, specs and access survive a reopen", () => {
  const db = openStore();
  const flavors = new FlavorStore(db);
  const f = flavors.create(values("p1", "private", { is_public: false, description: "d" }));
  flavors.setExtraSpecs(f.id, { "hw:cpu_policy": "shared", a: "1" });
  flavors.addProject(f.id, "demoproject");
  db.close();
  const again = new FlavorStore(openStore(db.path));
  const read = again.getByFlavorId("p1", DEMO)!;
  assert.deepEqual(read.extra_specs, { a: "1", "hw:cpu_policy": "shared" });
  assert.equal(read.description, "d");
  assert.deepEqual(again.projects(read.id), ["demoproject"]);
  assert.equal(again.getByFlavorId("p1", { isAdmin: false, projectId: "other" }), null);
  again.db.close();
});

Deno.test("FlavorStore: a refused create writes nothing; delete frees name and id", () => {
  const db = openStore();
  const flavors = new FlavorStore(db);
  flavors.create(values("1", "one"));
  assert.throws(() => flavors.create(values("2", "one")), FlavorConflict);
  assert.throws(() => flavors.create(values("1", "two")), /Flavor with ID 1 already exists\./);
  assert.equal(db.get<{ n: number }>("SELECT COUNT(*) AS n FROM flavors")!.n, 1);
  flavors.destroy("1");
  assert.equal(flavors.getByFlavorId("1", ADMIN), null);
  assert.ok(flavors.create(values("1", "one")).id > 1, "ids are not reused");
  db.close();
});

Deno.test("seedDevstackFlavors: all or nothing, and only on a database that never had flavors", () => {
  const db = openStore();
  db.db.exec(
    "CREATE TRIGGER boom BEFORE INSERT ON flavors WHEN NEW.flavorid = '3' " +
      "BEGIN SELECT RAISE(ABORT, 'boom'); END",
  );
  const flavors = new FlavorStore(db);
  assert.throws(() => seedDevstackFlavors(flavors), /boom/);
  assert.equal(db.get<{ n: number }>("SELECT COUNT(*) AS n FROM flavors")!.n, 0);
  assert.equal(db.get<{ n: number }>("SELECT COUNT(*) AS n FROM flavor_extra_specs")!.n, 0);
  db.db.exec("DROP TRIGGER boom");
  assert.equal(seedDevstackFlavors(flavors), true);
  assert.equal(flavors.list(ADMIN, {}).length, 10);
  for (const f of flavors.list(ADMIN, {})) flavors.destroy(f.flavorid);
  assert.equal(seedDevstackFlavors(flavors), false, "an emptied database is not seeded again");
  db.close();
});

Deno.test("FlavorStore.list: visibility, filters and marker paging like paginate_query", () => {
  const db = openStore();
  const flavors = new FlavorStore(db);
  flavors.create(values("a", "a", { description: "z" }));
  flavors.create(values("b", "b", { memory_mb: 512 }));
  const c = flavors.create(values("c", "c", { is_public: false, description: "m" }));
  flavors.create(values("d", "d"));
  flavors.addProject(c.id, "demoproject");
  const ids = (vis = ADMIN, opts = {}) => flavors.list(vis, opts).map((f) => f.flavorid);
  assert.deepEqual(ids(ADMIN, { filters: { isPublic: true } }), ["a", "b", "d"]);
  assert.deepEqual(ids(DEMO, { filters: { isPublic: true } }), ["a", "b", "c", "d"]);
  assert.deepEqual(ids(ADMIN, { filters: { minMemoryMb: 100 } }), ["b"]);
  assert.deepEqual(ids(ADMIN, { sortKey: "description" }), ["b", "d", "c", "a"]);
  // NOTE(parity): a NULL marker value drops its term, so the page is "id > marker id"
  // in the sort order: d (NULL), then c; a (id 1) is skipped, as oslo.db skips it.
  assert.deepEqual(ids(ADMIN, { sortKey: "description", marker: "b" }), ["d", "c"]);
  assert.deepEqual(ids(ADMIN, { sortDir: "desc", limit: 2 }), ["d", "c"]);
  assert.throws(() => flavors.list(DEMO, { marker: "nope" }), /Marker nope could not be found\./);
  db.close();
});
