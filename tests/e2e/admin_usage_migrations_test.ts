/**
 * End to end: os-simple-tenant-usage (hours from launched_at/terminated_at
 * within start/end, detailed, 2.40 paging, nova's 400s), os-migrations
 * (filters, 2.23 type and links, 2.59 uuids/paging/changes-since, 2.66
 * changes-before, 2.80 user and project) with migration records written
 * into the server's database, server migrations (2.22-2.24 answers on a
 * server that is not live-migrating) and the usage audit log.
 */

import { strict as assert } from "node:assert";
import { DatabaseSync } from "node:sqlite";
import type { Novalet } from "../_server.ts";
import { activeServer, call, DEMO, waitGone, withServers } from "./_servers.ts";

const iso = (d: Date) => d.toISOString().slice(0, 19);

Deno.test("os-simple-tenant-usage: hours, totals and server usages per project", async () => {
  await withServers(async (n) => {
    const a = await activeServer(n, { name: "a" });
    const b = await activeServer(n, { name: "b" });
    await call(n, "DELETE", `/servers/${b.id}`);
    await waitGone(n, b.id);
    const start = iso(new Date(Date.now() - 3600_000));
    const end = iso(new Date(Date.now() + 3600_000));
    const res = await call(
      n,
      "GET",
      `/os-simple-tenant-usage?start=${start}&end=${end}&detailed=1`,
    );
    assert.equal(res.status, 200);
    const [usage] = res.body.tenant_usages;
    assert.equal(usage.tenant_id, "admin");
    assert.equal(usage.start, `${start}.000000`);
    const servers = usage.server_usages;
    assert.deepEqual(servers.map((s: { name: string }) => s.name).sort(), ["a", "b"]);
    const ended = servers.find((s: { name: string }) => s.name === "b");
    assert.equal(ended.state, "terminated");
    assert.match(ended.ended_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    const running = servers.find((s: { instance_id: string }) => s.instance_id === a.id);
    assert.equal(running.state, "active");
    assert.equal(running.flavor, "m1.tiny");
    assert.equal(running.memory_mb, 512);
    assert.ok(running.hours > 0 && running.hours < 0.01, String(running.hours));
    assert.ok(Math.abs(usage.total_memory_mb_usage - 512 * usage.total_hours) < 1e-9);
    const brief = await call(n, "GET", `/os-simple-tenant-usage?start=${start}&end=${end}`);
    assert.equal(brief.body.tenant_usages[0].server_usages, undefined);
    const mine = await call(n, "GET", `/os-simple-tenant-usage/admin?start=${start}`);
    assert.equal(mine.body.tenant_usage.server_usages.length, 2);
    const other = await call(n, "GET", "/os-simple-tenant-usage/demoproject", { token: DEMO });
    assert.deepEqual(other.body, { tenant_usage: {} });
    const denied = await call(n, "GET", "/os-simple-tenant-usage/admin", { token: DEMO });
    assert.equal(denied.status, 403);
    const page = await call(n, "GET", `/os-simple-tenant-usage?start=${start}&limit=1`, {
      version: "2.40",
    });
    assert.match(page.body.tenant_usages_links[0].href, /marker=[0-9a-f-]{36}/);
  });
});

Deno.test("os-simple-tenant-usage: nova's 400s for bad times and markers", async () => {
  await withServers(async (n) => {
    const garbage = await call(n, "GET", "/os-simple-tenant-usage?start=garbage");
    assert.equal(
      garbage.body.badRequest.message,
      "Invalid datetime string: Datetime is in invalid format",
    );
    const reversed = await call(
      n,
      "GET",
      "/os-simple-tenant-usage?start=2020-02-01T00:00:00&end=2020-01-01T00:00:00",
    );
    assert.equal(
      reversed.body.badRequest.message,
      "Invalid start time. The start time cannot occur after the end time.",
    );
    const fraction = await call(n, "GET", "/os-simple-tenant-usage?start=2020-01-01%2000:00:00.5");
    assert.equal(fraction.status, 200);
    const marker = await call(n, "GET", "/os-simple-tenant-usage?marker=nope", { version: "2.40" });
    assert.equal(marker.body.badRequest.message, "Marker nope could not be found.");
    const extra = await call(n, "GET", "/os-simple-tenant-usage?foo=1", { version: "2.75" });
    assert.equal(extra.status, 400);
  });
});

/** Writes migration records straight into the running server's database. */
function addMigrations(n: Novalet, serverId: string): string[] {
  const db = new DatabaseSync(`${n.stateDir}/nova.sqlite`);
  const rows: [string, string, string, string][] = [
    ["2026-01-01T00:00:01.000000", "migration", "finished", "2026-01-01T00:00:05.000000"],
    ["2026-01-01T00:00:02.000000", "live-migration", "running", "2026-01-01T00:00:06.000000"],
    ["2026-01-01T00:00:03.000000", "resize", "confirmed", "2026-01-02T00:00:00.000000"],
  ];
  const uuids = rows.map(([created, type, status, updated]) => {
    const uuid = crypto.randomUUID();
    db.prepare(
      `INSERT INTO migrations (uuid, created_at, updated_at, source_compute, dest_compute,
         source_node, dest_node, instance_uuid, status, migration_type, user_id, project_id,
         old_instance_type_id, new_instance_type_id)
       VALUES (?, ?, ?, 'c1', 'c2', 'c1', 'c2', ?, ?, ?, 'admin', 'admin', 1, 2)`,
    ).run(uuid, created, updated, serverId, status, type);
    return uuid;
  });
  db.close();
  return uuids;
}

Deno.test("os-migrations: filters, links, paging and fields per microversion", async () => {
  await withServers(async (n) => {
    const server = await activeServer(n);
    const [first, live, resize] = addMigrations(n, server.id);
    const v21 = (await call(n, "GET", "/os-migrations")).body.migrations;
    assert.equal(v21.length, 3);
    assert.equal(v21[0].migration_type, undefined);
    assert.equal(v21[0].uuid, undefined);
    assert.equal(v21[0].instance_uuid, server.id);
    const v223 = (await call(n, "GET", "/os-migrations", { version: "2.23" })).body.migrations;
    const liveView = v223.find((m: { migration_type: string }) =>
      m.migration_type === "live-migration"
    );
    assert.match(liveView.links[0].href, new RegExp(`/servers/${server.id}/migrations/\\d+$`));
    assert.equal(v223.filter((m: { links?: unknown }) => m.links).length, 1);
    const filtered = await call(n, "GET", "/os-migrations?status=confirmed&host=c2");
    assert.deepEqual(filtered.body.migrations.map((m: { status: string }) => m.status), [
      "confirmed",
    ]);
    const v259 = (await call(n, "GET", "/os-migrations?limit=2", { version: "2.59" })).body;
    assert.deepEqual(v259.migrations.map((m: { uuid: string }) => m.uuid), [resize, live]);
    assert.match(v259.migrations_links[0].href, new RegExp(`marker=${live}`));
    const next = await call(n, "GET", `/os-migrations?marker=${live}`, { version: "2.59" });
    assert.deepEqual(next.body.migrations.map((m: { uuid: string }) => m.uuid), [first]);
    const since = await call(n, "GET", "/os-migrations?changes-since=2026-01-01T12:00:00Z", {
      version: "2.59",
    });
    assert.deepEqual(since.body.migrations.map((m: { uuid: string }) => m.uuid), [resize]);
    const before = await call(
      n,
      "GET",
      "/os-migrations?changes-since=2026-01-03T00:00:00Z&changes-before=2026-01-01T00:00:00Z",
      { version: "2.66" },
    );
    assert.equal(
      before.body.badRequest.message,
      "The value of changes-since must be less than or equal to changes-before.",
    );
    const v280 = (await call(n, "GET", "/os-migrations?user_id=admin", { version: "2.80" })).body;
    assert.equal(v280.migrations[0].project_id, "admin");
    const badMarker = await call(n, "GET", "/os-migrations?marker=nope", { version: "2.59" });
    assert.equal(badMarker.body.badRequest.message, "Marker nope could not be found.");
    assert.equal((await call(n, "GET", "/os-migrations?x=1", { version: "2.59" })).status, 400);
    assert.equal((await call(n, "GET", "/os-migrations", { token: DEMO })).status, 403);
  });
});

Deno.test("server migrations: in-progress live migrations, show texts, abort and force_complete", async () => {
  await withServers(async (n) => {
    const server = await activeServer(n);
    const base = `/servers/${server.id}/migrations`;
    assert.equal((await call(n, "GET", base)).status, 404);
    const list = await call(n, "GET", base, { version: "2.23" });
    assert.deepEqual(list.body, { migrations: [] });
    addMigrations(n, server.id);
    const running = (await call(n, "GET", base, { version: "2.80" })).body.migrations;
    assert.equal(running.length, 1);
    assert.equal(running[0].server_uuid, server.id);
    assert.equal(running[0].user_id, "admin");
    const shown = await call(n, "GET", `${base}/${running[0].id}`, { version: "2.23" });
    assert.equal(shown.body.migration.status, "running");
    const notLive = await call(n, "GET", `${base}/1`, { version: "2.23" });
    assert.equal(
      notLive.body.itemNotFound.message,
      `Migration 1 for server ${server.id} is not live-migration.`,
    );
    const missing = await call(n, "GET", `${base}/99`, { version: "2.23" });
    assert.equal(
      missing.body.itemNotFound.message,
      `In-progress live migration 99 is not found for server ${server.id}.`,
    );
    const abort = await call(n, "DELETE", `${base}/${running[0].id}`, { version: "2.24" });
    assert.deepEqual(abort.body, {
      conflictingRequest: {
        code: 409,
        message: `Instance ${server.id} is in an invalid state for 'abort live migration'`,
      },
    });
    const force = await call(n, "POST", `${base}/${running[0].id}/action`, {
      version: "2.22",
      body: { force_complete: null },
    });
    assert.equal(
      force.body.conflictingRequest.message,
      `Instance ${server.id} is in an invalid state for 'force_complete'`,
    );
  });
});

Deno.test("os-instance_usage_audit_log: the last period with no audit run", async () => {
  await withServers(async (n) => {
    const index = await call(n, "GET", "/os-instance_usage_audit_log");
    const log = index.body.instance_usage_audit_logs;
    assert.equal(log.num_hosts, 1);
    assert.deepEqual(log.hosts_not_run, ["novalet"]);
    assert.equal(log.overall_status, "0 of 1 hosts done. 0 errors.");
    const show = await call(n, "GET", "/os-instance_usage_audit_log/2020-03-15%2010:00:00");
    assert.equal(show.body.instance_usage_audit_log.period_beginning, "2020-02-01 00:00:00");
    assert.equal(show.body.instance_usage_audit_log.period_ending, "2020-03-01 00:00:00");
    const bad = await call(n, "GET", "/os-instance_usage_audit_log/yesterday");
    assert.equal(bad.body.badRequest.message, "Invalid timestamp for date yesterday");
    const hyphens = await call(n, "GET", "/os-instance-usage-audit-log");
    assert.equal(hyphens.status, 404);
    assert.equal(
      (await call(n, "GET", "/os-instance_usage_audit_log", { token: DEMO })).status,
      403,
    );
  });
});
