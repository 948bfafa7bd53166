import { strict as assert } from "node:assert";
import { compileTemplate, Router } from "../lib/router.ts";

Deno.test("router: `{id}` matches one segment and the template is anchored", () => {
  const r = new Router<string>();
  r.add(["GET"], "/servers/{id}", "show");
  assert.deepEqual(r.match("GET", "/servers/abc")?.params, { id: "abc" });
  assert.equal(r.match("GET", "/servers/abc/"), null, "no trailing-slash tolerance");
  assert.equal(r.match("GET", "/servers/a/b"), null);
  assert.equal(r.match("GET", "/xservers/abc"), null);
});

Deno.test("router: first registered route wins", () => {
  const r = new Router<string>();
  r.add(["GET"], "/servers/detail", "detail");
  r.add(["GET"], "/servers/{id}", "show");
  assert.equal(r.match("GET", "/servers/detail")?.target, "detail");
  assert.equal(r.match("GET", "/servers/x")?.target, "show");
});

Deno.test("router: a method mismatch falls through to later routes, then to no match (404, not 405)", () => {
  const r = new Router<string>();
  r.add(["GET"], "/flavors", "index");
  r.add(["POST"], "/flavors", "create");
  r.add(["DELETE"], "/{anything}", "catch-all");
  assert.equal(r.match("POST", "/flavors")?.target, "create");
  assert.equal(r.match("DELETE", "/flavors")?.target, "catch-all");
  assert.equal(r.match("PATCH", "/flavors"), null);
});

Deno.test("router: `{name:regex}` supplies its own pattern (ProjectMapper's project_id)", () => {
  const r = new Router<string>();
  r.add(["GET"], "/{project_id:[0-9a-f-]+}/flavors", "project");
  r.add(["GET"], "/flavors", "plain");
  assert.deepEqual(r.match("GET", "/3f2a6b7c/flavors")?.params, { project_id: "3f2a6b7c" });
  assert.equal(r.match("GET", "/admin/flavors"), null, "non-hex project ids never route");
  assert.equal(r.match("GET", "/flavors")?.target, "plain");
});

Deno.test("router: routes cannot be added after the first match", () => {
  const r = new Router<string>();
  r.add(null, "/a", "a");
  r.match("GET", "/a");
  assert.throws(() => r.add(null, "/b", "b"), TypeError);
});

Deno.test("compileTemplate() escapes literals and rejects bad variables", () => {
  assert.equal(compileTemplate("/os-extra_specs/{id}").regex.test("/os-extra_specs/hw:cpu"), true);
  assert.equal(compileTemplate("/a.b").regex.test("/axb"), false);
  assert.throws(() => compileTemplate("/x/{1bad}"), TypeError);
  assert.throws(() => compileTemplate("/x/{open"), TypeError);
});

Deno.test("router: the segment index keeps registration order across indexed and unindexed routes", () => {
  const r = new Router<string>();
  r.add(["GET"], "/{project_id:[0-9a-f-]+}/servers", "project-servers");
  r.add(["GET"], "/servers/detail", "detail");
  r.add(["GET"], "/{anything}/detail", "catch-second");
  r.add(["GET"], "/servers/{id}", "show");
  r.add(["GET"], "/", "root");
  r.add(["GET"], "/abc/servers", "literal-after");
  assert.equal(r.match("GET", "/servers/detail")?.target, "detail");
  assert.equal(r.match("GET", "/flavors/detail")?.target, "catch-second");
  assert.equal(r.match("GET", "/servers/x")?.target, "show");
  assert.equal(r.match("GET", "/abc/servers")?.target, "project-servers", "first registered wins");
  assert.equal(r.match("GET", "/")?.target, "root");
  assert.equal(r.match("GET", "/nope"), null);
});

Deno.test("router: nova's ROUTE_LIST matches the same target with and without the index", async () => {
  const { ROUTE_LIST } = await import("../lib/compute/routes.ts");
  const indexed = new Router<string>();
  const linear: { methods: string; regex: RegExp; target: string }[] = [];
  for (const [path, methods] of ROUTE_LIST) {
    if (typeof methods === "string") continue;
    for (const [method, [name, action]] of Object.entries(methods)) {
      for (const template of [`/{project_id:[0-9a-f-]+}${path}`, path]) {
        indexed.add([method], template, `${name}.${action}`);
        linear.push({
          methods: method,
          regex: compileTemplate(template).regex,
          target: `${name}.${action}`,
        });
      }
    }
  }
  const paths = [
    "/servers",
    "/servers/detail",
    "/servers/1/action",
    "/abc123/flavors/detail",
    "/flavors/x/os-extra_specs/k",
    "/os-keypairs/k",
    "/dead/servers/1/metadata/m",
    "/os-hypervisors/statistics",
    "/",
    "/extensions/x",
    "/images/i/metadata",
  ];
  for (const path of paths) {
    for (const method of ["GET", "POST", "PUT", "DELETE"]) {
      const expected = linear.find((r) => r.methods === method && r.regex.test(path))?.target ??
        null;
      assert.equal(indexed.match(method, path)?.target ?? null, expected, `${method} ${path}`);
    }
  }
});
