import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import type { App, FactoryContext, Filter } from "../lib/app.ts";
import {
  PasteConfig,
  PasteLookupError,
  type PasteRegistry,
  type RegistryEntry,
} from "../lib/paste.ts";
import { ApiResponse } from "../lib/response.ts";
import { confFrom, makeRequest } from "./_helpers.ts";

const ctx: FactoryContext = { conf: confFrom() };

/** An app that answers with its name and the confs it got, to see what paste passed. */
function echoApp(name: string): RegistryEntry {
  return {
    kind: "app",
    factory: (_ctx, global, local) => (req) =>
      Promise.resolve(
        new ApiResponse(
          200,
          [],
          JSON.stringify({ name, global, local, trail: req.environ.get("trail") ?? [] }),
        ),
      ),
  };
}

/** A filter that records its name on the request, so order can be checked. */
function markFilter(name: string): RegistryEntry {
  return {
    kind: "filter",
    factory: (_ctx, _global, local): Filter => (next: App) => (req) => {
      const trail = (req.environ.get("trail") as string[] | undefined) ?? [];
      req.environ.set("trail", [...trail, local.label ?? name]);
      return next(req);
    },
  };
}

function registry(extra: [string, RegistryEntry][] = []): PasteRegistry {
  return new Map<string, RegistryEntry>([
    ["test:App.factory", echoApp("app")],
    ["egg:Test#app", echoApp("egg-app")],
    ["test:First.factory", markFilter("first")],
    ["test:Second.factory", markFilter("second")],
    ["egg:Test#first", markFilter("egg-first")],
    ...extra,
  ]);
}

async function call(
  app: App,
  path = "/",
): Promise<
  { name: string; global: Record<string, string>; local: Record<string, string>; trail: string[] }
> {
  const res = await app(makeRequest("GET", path));
  return JSON.parse(res.text());
}

Deno.test("paste: a pipeline applies filters outermost first and ends in its app", async () => {
  const ini = `
[pipeline:main]
pipeline = first second myapp

[filter:first]
paste.filter_factory = test:First.factory

[filter:second]
paste.filter_factory = test:Second.factory

[app:myapp]
paste.app_factory = test:App.factory
`;
  const app = new PasteConfig(ini, "/etc/x/api-paste.ini", registry()).loadApp("main", ctx);
  const out = await call(app);
  assert.deepEqual(out.trail, ["first", "second"]);
  assert.equal(out.name, "app");
});

Deno.test("paste: local keys reach the factory, [DEFAULT] becomes global conf with %(here)s", async () => {
  const ini = `
[DEFAULT]
debug = true
where = %(here)s/data

[app:main]
paste.app_factory = test:App.factory
color = blue
debug = ignored because global
`;
  const app = new PasteConfig(ini, "/etc/x/api-paste.ini", registry()).loadApp("main", ctx);
  const out = await call(app);
  assert.deepEqual(out.local, { color: "blue" });
  assert.equal(out.global.debug, "true");
  assert.equal(out.global.where, "/etc/x/data");
  assert.equal(out.global.here, "/etc/x");
  assert.equal(out.global.__file__, "/etc/x/api-paste.ini");
});

Deno.test("paste: `use` of a section merges local keys over the target's, `set` and `get` use globals", async () => {
  const ini = `
[DEFAULT]
shared = from-default

[app:base]
paste.app_factory = test:App.factory
color = blue
size = 1

[app:main]
use = base
size = 2
set extra = added
get copied = shared
`;
  const app = new PasteConfig(ini, "/x/p.ini", registry()).loadApp("main", ctx);
  const out = await call(app);
  assert.deepEqual(out.local, { color: "blue", size: "2", copied: "from-default" });
  assert.equal(out.global.extra, "added");
});

Deno.test("paste: `use = egg:...` and `call:`-style names resolve through the registry", async () => {
  const ini = `
[pipeline:main]
pipeline = f app1

[filter:f]
use = egg:Test#first
label = labelled

[app:app1]
use = egg:Test#app
`;
  const app = new PasteConfig(ini, "/x/p.ini", registry()).loadApp("main", ctx);
  const out = await call(app);
  assert.equal(out.name, "egg-app");
  assert.deepEqual(out.trail, ["labelled"]);
});

Deno.test("paste: `use = config:other.ini#name` loads a section of another file", async () => {
  const files: Record<string, string> = {
    "/x/other.ini": "[app:remote]\npaste.app_factory = test:App.factory\nfrom = other\n",
  };
  const ini = "[app:main]\nuse = config:other.ini#remote\n";
  const app = new PasteConfig(ini, "/x/p.ini", registry(), (p) => files[p]).loadApp("main", ctx);
  const out = await call(app);
  assert.deepEqual(out.local, { from: "other" });
});

Deno.test("paste: a composite factory gets a loader for other sections", async () => {
  const composite: RegistryEntry = {
    kind: "composite",
    factory: (_ctx, loader, global, local) => {
      const target = loader.getApp(local.target, global);
      const filter = loader.getFilter(local.wrap, global);
      return filter(target);
    },
  };
  const ini = `
[composite:main]
use = call:test.composite:factory
target = inner
wrap = first

[app:inner]
paste.app_factory = test:App.factory

[filter:first]
paste.filter_factory = test:First.factory
`;
  const app = new PasteConfig(
    ini,
    "/x/p.ini",
    registry([["call:test.composite:factory", composite]]),
  )
    .loadApp("main", ctx);
  const out = await call(app);
  assert.deepEqual(out.trail, ["first"]);
});

Deno.test("paste: an unknown section is an error naming it and the file", () => {
  const ini =
    "[pipeline:main]\npipeline = missing app1\n[app:app1]\npaste.app_factory = test:App.factory\n";
  assert.throws(
    () => new PasteConfig(ini, "/x/p.ini", registry()).loadApp("main", ctx),
    (err: Error) =>
      err instanceof PasteLookupError && /\[filter:missing\]/.test(err.message) &&
      /\/x\/p\.ini/.test(err.message),
  );
});

Deno.test("paste: an unknown factory name is an error naming the section", () => {
  const ini = "[app:main]\npaste.app_factory = no.such:Thing.factory\n";
  assert.throws(
    () => new PasteConfig(ini, "/x/p.ini", registry()).loadApp("main", ctx),
    /Unknown factory "no\.such:Thing\.factory" in \[app:main\]/,
  );
});

Deno.test("paste: a cycle of `use` references is an error listing the sections", () => {
  const ini = "[app:a]\nuse = b\n[app:b]\nuse = a\n";
  assert.throws(
    () => new PasteConfig(ini, "/x/p.ini", registry()).loadApp("a", ctx),
    /Cycle in \/x\/p\.ini: \[app:a\] -> \[app:b\] -> \[app:a\]/,
  );
});

Deno.test("paste: a pipeline ending in a filter is an error that says so", () => {
  const ini = "[pipeline:main]\npipeline = first second\n" +
    "[filter:first]\npaste.filter_factory = test:First.factory\n" +
    "[filter:second]\npaste.filter_factory = test:Second.factory\n";
  assert.throws(
    () => new PasteConfig(ini, "/x/p.ini", registry()).loadApp("main", ctx),
    /\[filter:second\] is a filter: a pipeline must end in an app/,
  );
});

Deno.test("paste: a pipeline section with extra keys is rejected", () => {
  const ini =
    "[pipeline:main]\npipeline = app1\ncolor = red\n[app:app1]\npaste.app_factory = test:App.factory\n";
  assert.throws(
    () => new PasteConfig(ini, "/x/p.ini", registry()).loadApp("main", ctx),
    /extra \(disallowed\) settings: color/,
  );
});

Deno.test("paste: a filter factory used as an app is rejected", () => {
  const ini = "[app:main]\npaste.app_factory = test:First.factory\n";
  assert.throws(
    () => new PasteConfig(ini, "/x/p.ini", registry()).loadApp("main", ctx),
    /is a filter factory, not paste\.app_factory/,
  );
});

Deno.test("paste: nova 26's stock api-paste.ini resolves every app it defines", () => {
  const text = readFileSync(new URL("./testdata/nova26-api-paste.ini", import.meta.url), "utf8");
  // Names only: resolution must find every section and factory name of the stock file.
  const names = [
    "call:nova.api.openstack.urlmap:urlmap_factory",
    "call:nova.api.auth:pipeline_factory_v21",
    "egg:Paste#urlmap",
  ];
  const reg = new Map<string, RegistryEntry>(
    names.map((n) => [n, { kind: "composite", factory: () => () => Promise.reject() }]),
  );
  for (const line of text.split("\n")) {
    const m = /^paste\.(app|filter)_factory = (.+)$/.exec(line.trim()) ??
      /^use = (egg:oslo\.middleware#\w+)$/.exec(line.trim());
    if (!m) continue;
    const isApp = m[1] === "app";
    const name = m.length === 3 ? m[2] : m[1];
    reg.set(
      name,
      isApp
        ? { kind: "app", factory: () => () => Promise.reject() }
        : { kind: "filter", factory: () => (next) => next },
    );
  }
  const config = new PasteConfig(text, "/etc/nova/api-paste.ini", reg);
  for (
    const app of ["osapi_compute", "metadata", "oscomputeversions", "openstack_compute_api_v21"]
  ) {
    assert.doesNotThrow(() => config.resolve("app", app), app);
  }
});
