/**
 * What a compute host reports as used (`usage()`, read by the scheduler
 * and every claim) is the sum of the allocations on its node, however
 * they change: claims, a claim replaced, a consumer renamed (a move's
 * migration record), releases, and a migration of an existing database.
 */

import { strict as assert } from "node:assert";
import { Conf } from "../../lib/config/conf.ts";
import { ComputeHost } from "../../lib/compute/servers/host.ts";
import { Store } from "../../lib/store/db.ts";
import { MIGRATIONS } from "../../lib/store/migrations.ts";
import { openStore } from "./_store.ts";

const conf = Conf.load([{ name: "t.conf", text: "" }]);
const spec = (name: string) => ({ name, vcpus: 100, memory_mb: 100000, local_gb: 1000 });

function summed(db: Store, node: string) {
  const row = db.get<{ v: number | null; m: number | null; d: number | null }>(
    "SELECT SUM(vcpus) AS v, SUM(memory_mb) AS m, SUM(disk_gb) AS d FROM allocations WHERE node = ?",
    node,
  );
  return { vcpus: row?.v ?? 0, memory_mb: row?.m ?? 0, disk_gb: row?.d ?? 0 };
}

Deno.test("usage() follows claims, replaced claims, renamed consumers and releases", () => {
  const db = openStore();
  const [a, b] = [new ComputeHost(db, conf, spec("a")), new ComputeHost(db, conf, spec("b"))];
  const check = () => {
    for (const h of [a, b]) assert.deepEqual(h.usage(), summed(db, h.nodeName));
  };
  assert.deepEqual(a.usage(), { vcpus: 0, memory_mb: 0, disk_gb: 0 });
  assert.ok(a.claim("s1", { vcpus: 1, memory_mb: 512, disk_gb: 1 }));
  assert.ok(a.claim("s2", { vcpus: 2, memory_mb: 2048, disk_gb: 20 }));
  assert.deepEqual(a.usage(), { vcpus: 3, memory_mb: 2560, disk_gb: 21 });
  // A resize on the same host replaces what s2 held; a move takes s1 to b.
  assert.ok(a.claim("s2", { vcpus: 4, memory_mb: 4096, disk_gb: 40 }));
  assert.ok(b.claim("s1", { vcpus: 1, memory_mb: 512, disk_gb: 1 }));
  check();
  assert.deepEqual(a.usage(), { vcpus: 4, memory_mb: 4096, disk_gb: 40 });
  db.run("UPDATE allocations SET consumer_id = 'migration-1' WHERE consumer_id = 's2'");
  check();
  a.release("migration-1");
  b.release("s1");
  check();
  assert.deepEqual(a.usage(), { vcpus: 0, memory_mb: 0, disk_gb: 0 });
  db.close();
});

Deno.test("a database migrated with allocations in it starts from their sums", () => {
  const path = `${Deno.makeTempDirSync({ prefix: "novalet-store-" })}/nova.sqlite`;
  const before = MIGRATIONS.findIndex((m) => m.id === "servers-007-node-usage");
  const old = Store.open(path, MIGRATIONS.slice(0, before));
  old.run(
    `INSERT INTO allocations (consumer_id, node, vcpus, memory_mb, disk_gb, created_at)
     VALUES ('s1', 'a', 2, 1024, 10, 'now'), ('s2', 'a', 1, 512, 5, 'now')`,
  );
  old.close();
  const db = openStore(path);
  assert.deepEqual(new ComputeHost(db, conf, spec("a")).usage(), {
    vcpus: 3,
    memory_mb: 1536,
    disk_gb: 15,
  });
  db.close();
});
