import assert from "node:assert/strict";
import { MIGRATIONS } from "../../lib/store/migrations.ts";
import { Store } from "../../lib/store/db.ts";
import { countChanges, databaseProblems, openStateDb, rowCounter } from "../../tools/db_checks.ts";

Deno.test("databaseProblems() finds orphans and broken snapshots; rowCounter() sees new rows", () => {
  const dir = Deno.makeTempDirSync({ prefix: "novalet-dbcheck-" });
  Store.open(`${dir}/nova.sqlite`, MIGRATIONS).close();
  const db = openStateDb(dir);
  try {
    assert.deepEqual(databaseProblems(db), []);
    const count = rowCounter(db);
    const before = count();
    db.exec(
      `INSERT INTO instances (uuid, created_at, flavor, memory_mb, vcpus, project_id)
         VALUES ('i-1', '2026-01-01', '{"flavorid": "1", "memory_mb": 64, "vcpus": 1}', 128, 1, 'p')`,
    );
    db.exec(
      `INSERT INTO fixed_ips (port_id, network_id, address, ip_int, mac_address, instance_uuid,
         created_at) VALUES ('p1', 'n', '10.0.0.3', 3, 'fa:16:3e:00:00:01', 'gone', '2026-01-01')`,
    );
    db.exec("INSERT INTO tags (resource_id, tag) VALUES ('gone', 't')");
    assert.deepEqual(countChanges(before, count()), ["fixed_ips +1", "instances +1", "tags +1"]);
    const problems = databaseProblems(db).join("\n");
    assert.match(problems, /instance without a valid flavor snapshot: i-1/);
    assert.match(problems, /fixed IP of an instance that is not live: 10\.0\.0\.3 gone/);
    assert.match(problems, /tag of an instance that is not live: gone t/);
  } finally {
    db.close();
    Deno.removeSync(dir, { recursive: true });
  }
});
