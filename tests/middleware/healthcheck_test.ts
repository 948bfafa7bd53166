// Expected bodies were rendered by oslo.middleware's Healthcheck itself (the
// installed Debian package) for the same configuration.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalConf } from "../../lib/app.ts";
import { captureLogs } from "../../lib/log.ts";
import { appFactory, filterFactory } from "../../lib/middleware/healthcheck.ts";
import { prettyJson, pyUtcNow } from "../../lib/middleware/healthcheck_render.ts";
import type { ApiRequest } from "../../lib/request.ts";
import type { ApiResponse } from "../../lib/response.ts";
import { context, downstream, mounted, pairs, request } from "./_helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "novalet-healthcheck-"));
const PRESENT = join(dir, "disable");
writeFileSync(PRESENT, "");
const ABSENT = join(dir, "absent");

/** The stock paste section: `backends = disable_by_file`. */
function stock(path: string): LocalConf {
  return { backends: "disable_by_file", disable_by_file_path: path };
}

async function check(req: ApiRequest, local: LocalConf, conf = ""): Promise<ApiResponse> {
  captureLogs();
  try {
    return await filterFactory(context(conf), {}, local)(downstream().app)(req);
  } finally {
    captureLogs(false);
  }
}

const get = (accept = "*/*") => request("GET", "/healthcheck", [["Accept", accept]]);

function htmlPage(rows: string): string {
  return '<HTML>\n<HEAD><TITLE>Healthcheck Status</TITLE></HEAD>\n<BODY>\n\n<H2>Result of 1 checks:</H2>\n<TABLE bgcolor="#ffffff" border="1">\n<TBODY>\n<TR>\n\n<TH>\nReason\n</TH>\n</TR>\n' +
    rows + "\n</TBODY>\n</TABLE>\n<HR></HR>\n\n</BODY>\n</HTML>";
}

Deno.test("healthcheck() answers 200 OK in plain text while the disable file is absent", async () => {
  const res = await check(request("GET", "/healthcheck", [["Accept", "*/*"]]), stock(ABSENT));
  assert.equal(res.status, 200);
  assert.deepEqual(pairs(res), [["Content-Type", "text/plain; charset=UTF-8"], [
    "Content-Length",
    "2",
  ]]);
  assert.equal(res.text(), "OK");
});

Deno.test("healthcheck() answers 503 DISABLED BY FILE while the disable file exists", async () => {
  const res = await check(get("text/plain"), stock(PRESENT));
  assert.equal(res.status, 503);
  assert.equal(res.text(), "DISABLED BY FILE");
});

Deno.test("healthcheck() renders oslo's JSON for Accept: application/json", async () => {
  const res = await check(get("application/json"), stock(PRESENT));
  assert.deepEqual(pairs(res), [["Content-Type", "application/json"], ["Content-Length", "76"]]);
  assert.equal(
    res.text(),
    '{\n    "detailed": false,\n    "reasons": [\n        "DISABLED BY FILE"\n    ]\n}',
  );
});

Deno.test("healthcheck() renders oslo's HTML for Accept: text/html", async () => {
  const res = await check(get("text/html"), stock(ABSENT));
  assert.equal(res.headers.get("Content-Type"), "text/html; charset=UTF-8");
  assert.equal(res.headers.get("Content-Length"), "239");
  assert.equal(res.text(), htmlPage("<TR>\n\n    <TD>OK</TD>\n\n</TR>"));
});

Deno.test("healthcheck() falls back to plain text when nothing offered is acceptable", async () => {
  const res = await check(get("image/png"), stock(ABSENT));
  assert.equal(res.headers.get("Content-Type"), "text/plain; charset=UTF-8");
  assert.equal(res.text(), "OK");
});

Deno.test("healthcheck() answers HEAD with a bare 204, or 503 without body", async () => {
  const up = await check(request("HEAD", "/healthcheck"), stock(ABSENT));
  assert.equal(up.status, 204);
  assert.deepEqual(pairs(up), []);
  const down = await check(request("HEAD", "/healthcheck"), stock(PRESENT));
  assert.equal(down.status, 503);
  assert.deepEqual(pairs(down), [["Content-Type", "text/plain; charset=UTF-8"], [
    "Content-Length",
    "0",
  ]]);
  assert.equal(down.text(), "");
});

Deno.test("healthcheck() without backends answers 200 with no reasons", async () => {
  const res = await check(get(), {});
  assert.equal(res.status, 200);
  assert.equal(res.text(), "");
  const json = await check(get("application/json"), {});
  assert.equal(json.text(), '{\n    "detailed": false,\n    "reasons": []\n}');
});

Deno.test("healthcheck() passes other paths down, including /v2.1/healthcheck (case 020)", async () => {
  const { app, seen } = downstream();
  const filter = filterFactory(context(), {}, stock(PRESENT))(app);
  const res = await filter(mounted(request("GET", "/v2.1/healthcheck"), "/v2.1"));
  assert.equal(seen.requests.length, 1);
  assert.equal(res.status, 200);
});

Deno.test("healthcheck() answers any method on its path, as oslo does", async () => {
  const res = await check(request("POST", "/healthcheck", [["Accept", "*/*"]]), stock(ABSENT));
  assert.equal(res.text(), "OK");
});

Deno.test("healthcheck() reads path and backends from [healthcheck]", async () => {
  const conf =
    `[healthcheck]\npath = /hc\nbackends = disable_by_file\ndisable_by_file_path = ${PRESENT}\n`;
  const res = await check(request("GET", "/hc"), {}, conf);
  assert.equal(res.status, 503);
});

Deno.test("healthcheck() lists every backend and escapes details in the detailed HTML", async () => {
  const local = {
    backends: "disable_by_file,disable_by_files_ports",
    detailed: "True",
    disable_by_file_path: `${ABSENT}'<y>`,
    disable_by_file_paths: `18774:${PRESENT}`,
  };
  const res = await check(get("text/html"), local);
  assert.equal(res.status, 503);
  const table = res.text().slice(res.text().indexOf("<H2>Result"));
  assert.equal(
    table,
    '<H2>Result of 2 checks:</H2>\n<TABLE bgcolor="#ffffff" border="1">\n<TBODY>\n<TR>\n<TH>\nKind\n</TH>\n<TH>\nReason\n</TH>\n<TH>\nDetails\n</TH>\n\n</TR>\n' +
      `<TR>\n<TD>HealthcheckResult</TD>\n    <TD>OK</TD>\n<TD>Path &#39;${ABSENT}&#39;&lt;y&gt;&#39; was not found</TD>\n</TR>` +
      "<TR>\n<TD>HealthcheckResult</TD>\n    <TD>DISABLED BY FILE</TD>\n<TD></TD>\n</TR>\n" +
      "</TBODY>\n</TABLE>\n<HR></HR>\n\n\n</BODY>\n</HTML>",
  );
  assert.match(
    res.text(),
    /^<HTML>\n<HEAD><TITLE>Healthcheck Status<\/TITLE><\/HEAD>\n<BODY>\n<H1>Server status<\/H1>\n<B>Server hostname:<\/B><PRE>/,
  );
  const plain = await check(get("text/plain"), local);
  assert.equal(plain.text(), "OK\nDISABLED BY FILE");
});

Deno.test("healthcheck() gives detailed JSON oslo's keys in sorted order", async () => {
  const res = await check(get("application/json"), { ...stock(ABSENT), detailed: "yes" });
  const body = JSON.parse(res.text());
  assert.deepEqual(Object.keys(body), [
    "detailed",
    "gc",
    "greenthreads",
    "now",
    "platform",
    "python_version",
    "reasons",
    "threads",
  ]);
  assert.deepEqual(body.reasons, [
    { class: "HealthcheckResult", details: `Path '${ABSENT}' was not found`, reason: "OK" },
  ]);
});

Deno.test("healthcheck() only checks the file of the port the request came in on", async () => {
  const local = { backends: "disable_by_files_ports", disable_by_file_paths: `8775:${PRESENT}` };
  const res = await check(get(), local);
  assert.equal(res.text(), "OK");
});

Deno.test("healthcheck() rejects a disable_by_file_paths entry without a port", () => {
  assert.throws(
    () =>
      filterFactory(context(), {}, {
        disable_by_file_paths: "/no/port",
        backends: "disable_by_files_ports",
      }),
    /disable_by_file_paths: "\/no\/port" \(expected port:path\)/,
  );
});

Deno.test("healthcheck() skips an unknown backend with a warning", () => {
  const lines = captureLogs();
  filterFactory(context(), {}, { backends: "nosuch" });
  captureLogs(false);
  assert.ok(lines.some((l) => l.includes("WARNING stevedore.named [-] Could not load nosuch")));
});

Deno.test("healthcheck app answers whatever the path", async () => {
  const app = appFactory(context(), {}, stock(PRESENT));
  const res = await app(request("GET", "/anything"));
  assert.equal(res.status, 503);
});

Deno.test("healthcheck() logs a clear error when it may not read the file, and reports OK", async () => {
  // A real permission sandbox: a child Deno allowed to read the code only.
  const root = new URL("../../", import.meta.url).pathname;
  const script = `
    import { captureLogs } from "${root}lib/log.ts";
    import { filterFactory } from "${root}lib/middleware/healthcheck.ts";
    import { Conf } from "${root}lib/config/conf.ts";
    import { ApiRequest } from "${root}lib/request.ts";
    const lines = captureLogs();
    const conf = Conf.load([]);
    const app = filterFactory({ conf }, {}, { backends: "disable_by_file", disable_by_file_path: "${PRESENT}" })(() => { throw new Error("no"); });
    const req = () => new ApiRequest({ method: "GET", path: "/healthcheck" });
    const a = await app(req());
    const b = await app(req());
    console.log(JSON.stringify({ status: [a.status, b.status], body: a.text(), errors: lines.filter((l) => l.includes(" ERROR ")) }));
  `;
  const file = join(dir, "sandboxed.ts");
  writeFileSync(file, script);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-check", `--allow-read=${root}`, file],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  const result = JSON.parse(new TextDecoder().decode(out.stdout));
  assert.deepEqual(result.status, [200, 200]);
  assert.equal(result.body, "OK");
  assert.equal(result.errors.length, 1);
  assert.match(
    result.errors[0],
    /Cannot check healthcheck file .*disable: reading it is not permitted/,
  );
});

Deno.test("prettyJson() writes like json.dumps(indent=4, sort_keys=True)", () => {
  assert.equal(
    prettyJson({ b: [1, { d: "é", c: null }], a: {}, e: [] }),
    '{\n    "a": {},\n    "b": [\n        1,\n        {\n            "c": null,\n            "d": "\\u00e9"\n        }\n    ],\n    "e": []\n}',
  );
});

Deno.test("pyUtcNow() writes str(datetime) with microseconds, none when zero", () => {
  assert.equal(pyUtcNow(new Date("2026-11-26T02:25:20.105Z")), "2026-11-26 02:25:20.105000");
  assert.equal(pyUtcNow(new Date("2026-11-26T02:25:20.000Z")), "2026-11-26 02:25:20");
});

globalThis.addEventListener("unload", () => rmSync(dir, { recursive: true, force: true }));
