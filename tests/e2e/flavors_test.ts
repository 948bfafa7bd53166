/**
 * End to end: the flavor APIs of the real novalet (flavors, os-extra_specs,
 * os-flavor-access, flavor actions) against nova 26's recorded answers
 * (cases 043-100, 266) and nova's code for what the cases do not show.
 */

import { strict as assert } from "node:assert";
import { startNovalet } from "../_server.ts";
import { ADMIN, call, DEMO, faultMessage } from "./_novalet_api.ts";

const NO_SEED = "[novalet]\nseed_flavors = false\n";
const SMALL = { name: "ref.small", ram: 512, vcpus: 1, disk: 10, id: "ref-small" };
const PRIVATE = {
  name: "ref.private",
  ram: 2048,
  vcpus: 2,
  disk: 20,
  "OS-FLV-EXT-DATA:ephemeral": 5,
  swap: 512,
  rxtx_factor: 2.0,
  "os-flavor-access:is_public": false,
  id: "ref-private",
};

Deno.test("e2e flavors: devstack's flavors are seeded by the embedded defaults", async () => {
  const n = await startNovalet();
  try {
    const list = await call(n, "GET", "/v2.1/flavors");
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.json.flavors.map((f: { id: string }) => f.id),
      ["1", "2", "3", "4", "5", "c1", "d1", "d2", "d3", "d4"],
    );
    const tiny = await call(n, "GET", "/v2.1/flavors/1", { version: "2.61" });
    assert.equal(tiny.json.flavor.name, "m1.tiny");
    assert.equal(tiny.json.flavor.ram, 512);
    assert.equal(tiny.json.flavor.disk, 1);
    assert.deepEqual(tiny.json.flavor.extra_specs, { "hw_rng:allowed": "True" });
    const cirros = await call(n, "GET", "/v2.1/flavors/c1");
    assert.deepEqual([cirros.json.flavor.name, cirros.json.flavor.ram], ["cirros256", 256]);
  } finally {
    await n.stop();
  }
});

Deno.test("e2e flavors: a deleted seeded flavor stays deleted across restarts", async () => {
  const n = await startNovalet();
  const stateDir = n.stateDir;
  try {
    assert.equal((await call(n, "DELETE", "/v2.1/flavors/1")).status, 202);
  } finally {
    await n.stop();
  }
  const again = await startNovalet({ stateDir });
  try {
    assert.equal((await call(again, "GET", "/v2.1/flavors/1")).status, 404);
    assert.equal((await call(again, "GET", "/v2.1/flavors/2")).status, 200);
  } finally {
    await again.stop();
  }
});

Deno.test("e2e flavors: create, show and list as nova 26 answers them", async (t) => {
  const n = await startNovalet({ config: NO_SEED });
  try {
    await t.step("no flavors without seeding", async () => {
      assert.deepEqual((await call(n, "GET", "/v2.1/flavors")).json, { flavors: [] });
    });
    await t.step('create (case 043): 200, swap "", rxtx_factor 1.0, links', async () => {
      const res = await call(n, "POST", "/v2.1/flavors", { body: { flavor: SMALL } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("openstack-api-version"), "compute 2.1");
      assert.match(res.text, /"swap": "", "OS-FLV-EXT-DATA:ephemeral": 0/);
      assert.match(res.text, /"rxtx_factor": 1\.0, "links"/);
      assert.deepEqual(res.json.flavor.links, [
        { rel: "self", href: `${n.url}/v2.1/flavors/ref-small` },
        { rel: "bookmark", href: `${n.url}/flavors/ref-small` },
      ]);
    });
    await t.step("private flavor (case 044) keeps swap, ephemeral and rxtx", async () => {
      const res = await call(n, "POST", "/v2.1/flavors", { body: { flavor: PRIVATE } });
      assert.equal(res.status, 200);
      assert.match(res.text, /"swap": 512, "OS-FLV-EXT-DATA:ephemeral": 5/);
      assert.match(res.text, /"rxtx_factor": 2\.0/);
      assert.equal(res.json.flavor["os-flavor-access:is_public"], false);
    });
    await t.step('ids: generated uuid, int 42 as "42", 0 gets a uuid too', async () => {
      const auto = await call(n, "POST", "/v2.1/flavors", {
        body: { flavor: { name: "auto", ram: 256, vcpus: 1, disk: 0 } },
      });
      assert.match(
        auto.json.flavor.id,
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
      const int = await call(n, "POST", "/v2.1/flavors", {
        body: { flavor: { name: "ref.intid", ram: 128, vcpus: 1, disk: 1, id: 42 } },
      });
      assert.equal(int.json.flavor.id, "42");
      const zero = await call(n, "POST", "/v2.1/flavors", {
        body: { flavor: { name: "zero", ram: 128, vcpus: 1, disk: 1, id: 0 } },
      });
      assert.notEqual(zero.json.flavor.id, "0");
      for (const id of [auto.json.flavor.id, zero.json.flavor.id]) {
        assert.equal((await call(n, "DELETE", `/v2.1/flavors/${id}`)).status, 202);
      }
    });
    await t.step("numeric strings are accepted and answered as ints (case 053)", async () => {
      const res = await call(n, "POST", "/v2.1/flavors", {
        body: {
          flavor: { name: "ref.strram", ram: "64", vcpus: "1", disk: "1", id: "ref-strram" },
        },
      });
      assert.equal(res.status, 200);
      assert.deepEqual([res.json.flavor.ram, res.json.flavor.vcpus], [64, 1]);
    });
    await t.step("description from 2.55 (case 049), refused at 2.1 (case 059)", async () => {
      const body = {
        flavor: {
          name: "ref.desc",
          ram: 1024,
          vcpus: 1,
          disk: 5,
          id: "ref-desc",
          description: "d",
        },
      };
      const old = await call(n, "POST", "/v2.1/flavors", { body });
      assert.equal(old.status, 400);
      assert.match(
        faultMessage(old),
        /Additional properties are not allowed \('description' was unexpected\)/,
      );
      const res = await call(n, "POST", "/v2.1/flavors", { body, version: "2.55" });
      assert.equal(res.status, 200);
      assert.equal(res.json.flavor.description, "d");
    });
    await t.step("validation texts (cases 051, 052, 054, 057, 060, 061)", async () => {
      const bad = async (flavor: unknown) =>
        faultMessage(await call(n, "POST", "/v2.1/flavors", { body: { flavor } }));
      assert.equal(
        await bad({ name: "x", ram: -1, vcpus: 1, disk: 1 }),
        "Invalid input for field/attribute ram. Value: -1. -1 is less than the minimum of 1",
      );
      assert.equal(
        await bad({ name: "x", ram: "abc", vcpus: 1, disk: 1 }),
        "Invalid input for field/attribute ram. Value: abc. 'abc' does not match '^[0-9]+$'",
      );
      assert.equal(
        await bad({ ram: 64, vcpus: 1, disk: 1 }),
        "Invalid input for field/attribute flavor. Value: {'ram': 64, 'vcpus': 1, 'disk': 1}. " +
          "'name' is a required property",
      );
      assert.equal(
        await bad({ name: " lead", ram: 64, vcpus: 1, disk: 1 }),
        "An invalid 'name' value was provided. The name must be: printable characters. " +
          "Can not start or end with whitespace.",
      );
      assert.equal(
        await bad({ name: "x", ram: 64, vcpus: 1, disk: 1, id: "bad id!" }),
        "Invalid input for field/attribute id. Value: bad id!. " +
          "'bad id!' does not match '^(?! )[a-zA-Z0-9. _-]+(?<! )$'",
      );
      const root = await call(n, "POST", "/v2.1/flavors", { body: { flavour: {} } });
      assert.equal(faultMessage(root), "'flavor' is a required property");
    });
    await t.step("duplicate name or id: 409 with nova's texts (cases 062, 063)", async () => {
      const name = await call(n, "POST", "/v2.1/flavors", {
        body: { flavor: { ...SMALL, id: undefined } },
      });
      assert.equal(name.status, 409);
      assert.equal(faultMessage(name), "Flavor with name ref.small already exists.");
      const id = await call(n, "POST", "/v2.1/flavors", {
        body: { flavor: { ...SMALL, name: "other" } },
      });
      assert.equal(faultMessage(id), "Flavor with ID ref-small already exists.");
    });
    await t.step(
      "list order by flavorid; private ones only with is_public (cases 064, 074)",
      async () => {
        const ids = async (query: string, token = ADMIN) =>
          (await call(n, "GET", `/v2.1/flavors${query}`, { token })).json.flavors.map((
            f: { id: string },
          ) => f.id);
        assert.deepEqual(await ids(""), ["42", "ref-desc", "ref-small", "ref-strram"]);
        assert.deepEqual(await ids("?is_public=None"), [
          "42",
          "ref-desc",
          "ref-private",
          "ref-small",
          "ref-strram",
        ]);
        assert.deepEqual(await ids("?is_public=false"), ["ref-private"]);
        assert.deepEqual(await ids("?is_public=false", DEMO), [
          "42",
          "ref-desc",
          "ref-small",
          "ref-strram",
        ]);
        const bad = await call(n, "GET", "/v2.1/flavors?is_public=bogus");
        assert.equal(faultMessage(bad), "Invalid is_public filter [bogus]");
      },
    );
    await t.step("filters and paging (cases 068-073)", async () => {
      const ids = async (query: string) =>
        (await call(n, "GET", `/v2.1/flavors${query}`)).json.flavors.map((f: { id: string }) =>
          f.id
        );
      assert.deepEqual(await ids("?minRam=1024"), ["ref-desc"]);
      assert.deepEqual(await ids("?minDisk=5"), ["ref-desc", "ref-small"]);
      assert.deepEqual(await ids("?sort_key=memory_mb&sort_dir=desc"), [
        "ref-desc",
        "ref-small",
        "42",
        "ref-strram",
      ]);
      assert.deepEqual(await ids("?marker=ref-desc"), ["ref-small", "ref-strram"]);
      const page = await call(n, "GET", "/v2.1/flavors?limit=1");
      assert.deepEqual(page.json.flavors_links, [
        { rel: "next", href: `${n.url}/v2.1/flavors?limit=1&marker=42` },
      ]);
      const detail = await call(n, "GET", "/v2.1/flavors/detail?limit=2&sort_dir=asc");
      assert.equal(
        detail.json.flavors_links[0].href,
        `${n.url}/v2.1/flavors/detail?limit=2&sort_dir=asc&marker=ref-desc`,
      );
      assert.equal(
        faultMessage(await call(n, "GET", "/v2.1/flavors?minRam=abc")),
        "Invalid minRam filter [abc]",
      );
      assert.equal(
        faultMessage(await call(n, "GET", "/v2.1/flavors?marker=nope")),
        "marker [nope] not found",
      );
      assert.equal(
        faultMessage(await call(n, "GET", "/v2.1/flavors?limit=-1")),
        "Invalid input for query parameters limit. Value: -1. '-1' does not match '^[0-9]*$'",
      );
      assert.match(
        faultMessage(await call(n, "GET", "/v2.1/flavors?sort_key=bogus")),
        /'bogus' is not one of \['created_at'/,
      );
      assert.equal((await call(n, "GET", "/v2.1/flavors?bogus=1")).status, 200);
      assert.equal(
        (await call(n, "GET", "/v2.1/flavors?bogus=1", { version: "2.75" })).status,
        400,
      );
    });
    await t.step("show per microversion (cases 076-078)", async () => {
      const v21 = await call(n, "GET", "/v2.1/flavors/ref-small");
      assert.equal(v21.json.flavor.swap, "");
      assert.equal("description" in v21.json.flavor, false);
      const v275 = await call(n, "GET", "/v2.1/flavors/ref-small", { version: "2.75" });
      assert.equal(v275.json.flavor.swap, 0);
      assert.equal(v275.json.flavor.description, null);
      assert.deepEqual(v275.json.flavor.extra_specs, {});
      const missing = await call(n, "GET", "/v2.1/flavors/nonexistent");
      assert.equal(missing.status, 404);
      assert.equal(faultMessage(missing), "Flavor nonexistent could not be found.");
    });
    await t.step("update description at 2.55 (case 097); 404 at 2.1 (case 098)", async () => {
      const body = { flavor: { description: "updated" } };
      const res = await call(n, "PUT", "/v2.1/flavors/ref-desc", { body, version: "2.55" });
      assert.equal(res.status, 200);
      assert.equal(res.json.flavor.description, "updated");
      const old = await call(n, "PUT", "/v2.1/flavors/ref-desc", { body });
      assert.equal(old.status, 404);
      assert.equal(faultMessage(old), "The resource could not be found.");
    });
    await t.step("members may not manage flavors (cases 042, 100)", async () => {
      const create = await call(n, "POST", "/v2.1/flavors", {
        token: DEMO,
        body: { flavor: { ...SMALL, id: "d", name: "d" } },
      });
      assert.equal(create.status, 403);
      assert.equal(
        faultMessage(create),
        "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.",
      );
      const del = await call(n, "DELETE", "/v2.1/flavors/ref-small", { token: DEMO });
      assert.equal(
        faultMessage(del),
        "Policy doesn't allow os_compute_api:os-flavor-manage:delete to be performed.",
      );
    });
    await t.step("delete: 202 with an empty body, then 404 (cases 047, 048, 099)", async () => {
      const del = await call(n, "DELETE", "/v2.1/flavors/ref-strram");
      assert.equal(del.status, 202);
      assert.equal(del.text, "");
      assert.equal(del.headers.get("content-type"), "application/json");
      assert.equal((await call(n, "GET", "/v2.1/flavors/ref-strram")).status, 404);
      assert.equal(
        faultMessage(await call(n, "DELETE", "/v2.1/flavors/ref-strram")),
        "Flavor ref-strram could not be found.",
      );
      const again = await call(n, "POST", "/v2.1/flavors", {
        body: { flavor: { name: "ref.strram", ram: 64, vcpus: 1, disk: 1, id: "ref-strram" } },
      });
      assert.equal(again.status, 200, "a deleted flavor's name and id are free again");
    });
  } finally {
    await n.stop();
  }
});

Deno.test("e2e flavors: extra specs and access lists (cases 079-096)", async (t) => {
  const n = await startNovalet({ config: NO_SEED });
  try {
    await call(n, "POST", "/v2.1/flavors", { body: { flavor: SMALL } });
    await call(n, "POST", "/v2.1/flavors", { body: { flavor: PRIVATE } });
    const specs = "/v2.1/flavors/ref-small/os-extra_specs";
    await t.step("create answers the body as sent; numbers are stored as strings", async () => {
      const body = {
        extra_specs: { "hw:cpu_policy": "dedicated", "custom:thing": "x", "hw:numa_nodes": 2 },
      };
      const res = await call(n, "POST", specs, { body });
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, body);
      assert.deepEqual((await call(n, "GET", specs)).json, {
        extra_specs: { "custom:thing": "x", "hw:cpu_policy": "dedicated", "hw:numa_nodes": "2" },
      });
    });
    await t.step("2.86 validates known keys; older versions do not", async () => {
      const post = (extra_specs: unknown, version = "2.86") =>
        call(n, "POST", specs, { body: { extra_specs }, version });
      assert.equal(
        faultMessage(await post({ "hw:cpu_policy": "bogus" })),
        "Validation failed; 'bogus' is not one of: dedicated, shared, mixed.",
      );
      assert.equal(
        faultMessage(await post({ "hw:numa_nodes": "0" })),
        "Validation failed; '0' is less than the min value of '1'.",
      );
      assert.equal(
        faultMessage(await post({ "os:monitors": 9 })),
        "Validation failed; '9' is greater than the max value of '8'.",
      );
      assert.equal(
        faultMessage(await post({ "hw:boot_menu": "maybe" })),
        "Validation failed; 'maybe' is not a valid boolean-like value.",
      );
      assert.equal(
        faultMessage(await post({ "hw:bogus": "1" })),
        "Validation failed; extra spec 'hw:bogus' does not appear to be a valid extra spec.",
      );
      assert.equal(
        faultMessage(await post({ "hw:mem_page_size": "huge" })),
        "Validation failed; 'huge' is not of the format '(large|small|any|\\d+([kKMGT]i?)?(b|bit|B)?)'.",
      );
      assert.equal(
        (await post({ "trait:HW_CPU_X86_AVX2": "required", "resources1:VCPU": "2" })).status,
        200,
      );
      assert.equal((await post({ "unknown:anything": "goes", "nonamespace": "x" })).status, 200);
      assert.equal((await post({ "hw:cpu_policy": "bogus" }, "2.85")).status, 200);
      await post({ "hw:cpu_policy": "dedicated" });
    });
    await t.step("bad bodies (case 081)", async () => {
      const res = await call(n, "POST", specs, { body: { extra_specs: "not-a-dict" } });
      assert.equal(
        faultMessage(res),
        "Invalid input for field/attribute extra_specs. Value: not-a-dict. 'not-a-dict' is not of type 'object'",
      );
    });
    await t.step("show, update, mismatch, delete (cases 083-088)", async () => {
      assert.deepEqual((await call(n, "GET", `${specs}/hw:cpu_policy`)).json, {
        "hw:cpu_policy": "dedicated",
      });
      const missing = await call(n, "GET", `${specs}/nope:nope`);
      assert.equal(
        faultMessage(missing),
        "Flavor ref-small has no extra specs with key nope:nope.",
      );
      const put = await call(n, "PUT", `${specs}/hw:cpu_policy`, {
        body: { "hw:cpu_policy": "shared" },
      });
      assert.deepEqual(put.json, { "hw:cpu_policy": "shared" });
      const mismatch = await call(n, "PUT", `${specs}/hw:cpu_policy`, {
        body: { "hw:mem_page_size": "large" },
      });
      assert.equal(faultMessage(mismatch), "Request body and URI mismatch");
      const del = await call(n, "DELETE", `${specs}/custom:thing`);
      assert.deepEqual([del.status, del.text], [200, ""]);
      assert.equal((await call(n, "DELETE", `${specs}/custom:thing`)).status, 404);
      const noFlavor = await call(n, "GET", "/v2.1/flavors/nonexistent/os-extra_specs");
      assert.equal(faultMessage(noFlavor), "Flavor nonexistent could not be found.");
      const latest = await call(n, "GET", "/v2.1/flavors/ref-small", { version: "latest" });
      assert.equal(latest.json.flavor.extra_specs["hw:cpu_policy"], "shared");
    });
    await t.step("members read but do not write extra specs", async () => {
      assert.equal((await call(n, "GET", specs, { token: DEMO })).status, 200);
      const res = await call(n, "POST", specs, { token: DEMO, body: { extra_specs: { a: "b" } } });
      assert.equal(
        faultMessage(res),
        "Policy doesn't allow os_compute_api:os-flavor-extra-specs:create to be performed.",
      );
    });
    await t.step("access list: private empty, public 404 (cases 089, 090)", async () => {
      assert.deepEqual((await call(n, "GET", "/v2.1/flavors/ref-private/os-flavor-access")).json, {
        flavor_access: [],
      });
      const pub = await call(n, "GET", "/v2.1/flavors/ref-small/os-flavor-access");
      assert.equal(faultMessage(pub), "Access list not available for public flavors.");
    });
    await t.step("add, duplicate, visible to the project, remove (cases 091-095)", async () => {
      const action = "/v2.1/flavors/ref-private/action";
      assert.equal(
        (await call(n, "GET", "/v2.1/flavors/ref-private", { token: DEMO })).status,
        404,
      );
      const add = await call(n, "POST", action, {
        body: { addTenantAccess: { tenant: "demoproject" } },
      });
      assert.deepEqual(add.json, {
        flavor_access: [{ flavor_id: "ref-private", tenant_id: "demoproject" }],
      });
      const dup = await call(n, "POST", action, {
        body: { addTenantAccess: { tenant: "demoproject" } },
      });
      assert.equal(dup.status, 409);
      assert.equal(
        faultMessage(dup),
        "Flavor access already exists for flavor 2 and project demoproject combination.",
      );
      assert.equal(
        (await call(n, "GET", "/v2.1/flavors/ref-private", { token: DEMO })).status,
        200,
      );
      const demoList = await call(n, "GET", "/v2.1/flavors", { token: DEMO });
      assert.ok(demoList.json.flavors.some((f: { id: string }) => f.id === "ref-private"));
      const remove = await call(n, "POST", action, {
        body: { removeTenantAccess: { tenant: "demoproject" } },
      });
      assert.deepEqual(remove.json, { flavor_access: [] });
      const again = await call(n, "POST", action, {
        body: { removeTenantAccess: { tenant: "demoproject" } },
      });
      assert.equal(faultMessage(again), "Flavor access not found for 2 / demoproject combination.");
      const unknown = await call(n, "POST", action, { body: { bogusAction: {} } });
      assert.equal(faultMessage(unknown), "There is no such action: bogusAction");
    });
    await t.step("from 2.7 a public flavor takes no access entries", async () => {
      const body = { addTenantAccess: { tenant: "demoproject" } };
      const res = await call(n, "POST", "/v2.1/flavors/ref-small/action", { body, version: "2.7" });
      assert.equal(res.status, 409);
      assert.equal(faultMessage(res), "Can not add access to a public flavor.");
    });
  } finally {
    await n.stop();
  }
});
