/**
 * The metadata app as nova's own api-paste.ini builds it: `[composite:metadata]`
 * (urlmap `/` → `[pipeline:meta]` = healthcheck cors http_proxy_to_wsgi
 * metaapp) with novalet's registry, in process.
 */

import { deepStrictEqual, equal } from "node:assert/strict";
import { loadApp } from "../../lib/loader.ts";
import { openServices } from "../../lib/services.ts";
import { confFrom, headerLines, makeRequest } from "../_helpers.ts";

const NOVA_PASTE = new URL("../testdata/nova26-api-paste.ini", import.meta.url).pathname;

Deno.test("nova's api-paste.ini loads `metadata`: the EC2 versions at /, the healthcheck, 404s", async () => {
  const state = Deno.makeTempDirSync({ prefix: "novalet-md-paste-" });
  const conf = confFrom(
    `[DEFAULT]\nstate_path = ${state}\n[wsgi]\napi_paste_config = ${NOVA_PASTE}\n` +
      `[api]\nvendordata_providers = StaticJSON,DynamicJSON\n`,
  );
  const services = openServices(conf);
  try {
    const { app, path } = loadApp(services, [], "metadata");
    equal(path, NOVA_PASTE);
    const root = await app(makeRequest("GET", "/"));
    equal(root.status, 200);
    deepStrictEqual(headerLines(root), [
      "Content-Length: 98",
      "Content-Type: text/plain; charset=UTF-8",
    ]);
    equal(root.text().split("\n").at(-1), "latest");
    // The meta pipeline's healthcheck filter answers before the app.
    equal((await app(makeRequest("GET", "/healthcheck"))).status, 200);
    // No instance has 127.0.0.1 (the request's address).
    const missing = await app(makeRequest("GET", "/latest/meta-data/"));
    equal(missing.status, 404);
    equal(missing.text(), "404 Not Found\n\nThe resource could not be found.\n\n   ");
  } finally {
    await services.stop();
    Deno.removeSync(state, { recursive: true });
  }
});

Deno.test("an unknown [api] vendordata_providers entry stops the metadata app from loading", () => {
  const state = Deno.makeTempDirSync({ prefix: "novalet-md-paste-" });
  const conf = confFrom(`[DEFAULT]\nstate_path = ${state}\n[api]\nvendordata_providers = Nope\n`);
  const services = openServices(conf);
  try {
    let message = "";
    try {
      loadApp(services, [], "metadata");
    } catch (err) {
      message = (err as Error).message;
    }
    equal(
      message,
      'Invalid value "Nope" for [api] vendordata_providers: must be one of StaticJSON, DynamicJSON',
    );
  } finally {
    services.store.close();
    Deno.removeSync(state, { recursive: true });
  }
});
