/**
 * End to end: the real novalet process on a free port, spoken to over TCP,
 * for the request path of issue 2 (versions, healthcheck, 404/413/414,
 * CORS, proxy headers, request ids, start-up errors, signals).
 */

import { strict as assert } from "node:assert";
import { type Novalet, rawRequest, startNovalet } from "../_server.ts";

const CONF = `
[cors]
allowed_origin = http://example.com

[oslo_middleware]
enable_proxy_headers_parsing = true
`;

async function withNovalet(fn: (n: Novalet) => Promise<void>, config = CONF): Promise<void> {
  const n = await startNovalet({ config });
  try {
    await fn(n);
  } finally {
    await n.stop();
  }
}

function head(raw: string): string[] {
  return raw.split("\r\n\r\n")[0].split("\r\n");
}

function bodyOf(raw: string): string {
  return raw.slice(raw.indexOf("\r\n\r\n") + 4);
}

function get(path: string, headers: Record<string, string> = {}): string {
  const lines = Object.entries({ Host: "127.0.0.1", Accept: "application/json", ...headers })
    .map(([k, v]) => `${k}: ${v}`);
  return `GET ${path} HTTP/1.1\r\n${lines.join("\r\n")}\r\nConnection: close\r\n\r\n`;
}

Deno.test("e2e: GET / answers the versions document as nova 26 does, on the wire", async () => {
  await withNovalet(async (n) => {
    const raw = await rawRequest(n.port, get("/", { Host: `127.0.0.1:${n.port}` }));
    const lines = head(raw);
    assert.equal(lines[0], "HTTP/1.1 200 OK");
    assert.deepEqual(lines.slice(1).map((l) => l.split(":")[0]), [
      "Content-Length",
      "Content-Type",
      "Date",
      "Connection",
    ]);
    const body = JSON.parse(bodyOf(raw));
    assert.deepEqual(body.versions.map((v: { id: string }) => v.id), ["v2.0", "v2.1"]);
    assert.equal(body.versions[1].links[0].href, `http://127.0.0.1:${n.port}/v2.1/`);
    assert.equal(body.versions[1].version, "2.93");
  });
});

Deno.test("e2e: GET /v2.1/ carries microversion headers and one request id twice (case 007)", async () => {
  await withNovalet(async (n) => {
    const lines = head(await rawRequest(n.port, get("/v2.1/", { Host: `127.0.0.1:${n.port}` })));
    const names = lines.slice(1).map((l) => l.split(":")[0]);
    assert.deepEqual(names, [
      "Content-Length",
      "Content-Type",
      "Openstack-Api-Version",
      "X-Openstack-Nova-Api-Version",
      "Vary",
      "Vary",
      "X-Openstack-Request-Id",
      "X-Compute-Request-Id",
      "Date",
      "Connection",
    ]);
    const ids = lines.filter((l) => /request-id/i.test(l)).map((l) => l.split(": ")[1]);
    assert.match(ids[0], /^req-[0-9a-f-]{36}$/);
    assert.equal(ids[0], ids[1]);
  });
});

Deno.test("e2e: /v2/ is the legacy v2.0 document without microversion headers (case 010)", async () => {
  await withNovalet(async (n) => {
    const res = await fetch(`${n.url}/v2/`, { headers: { Accept: "application/json" } });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).version.id, "v2.0");
    assert.equal(res.headers.get("openstack-api-version"), null);
    assert.equal(res.headers.get("vary"), null);
  });
});

Deno.test("e2e: microversion errors: 406 echoes the version, 400 has none (cases 032, 033)", async () => {
  await withNovalet(async (n) => {
    const high = await fetch(`${n.url}/v2.1/`, {
      headers: { "OpenStack-API-Version": "compute 2.999" },
    });
    assert.equal(high.status, 406);
    assert.equal(high.headers.get("openstack-api-version"), "compute 2.999");
    assert.deepEqual(await high.json(), {
      computeFault: {
        code: 406,
        message: "Version 2.999 is not supported by the API. Minimum is 2.1 and maximum is 2.93.",
      },
    });
    const bad = await fetch(`${n.url}/v2.1/`, {
      headers: { "OpenStack-API-Version": "compute garbage" },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get("openstack-api-version"), null);
    await bad.body?.cancel();
  });
});

Deno.test("e2e: unknown paths: 300 below /, webob 404 below /v2.1 (cases 021, 022)", async () => {
  await withNovalet(async (n) => {
    const root = await fetch(`${n.url}/nonexistent`, { headers: { Accept: "application/json" } });
    assert.equal(root.status, 300);
    assert.equal((await root.json()).choices[1].links[0].href, `${n.url}/v2.1/nonexistent`);
    const api = await fetch(`${n.url}/v2.1/nonexistent`, {
      headers: { Accept: "application/json", "X-Auth-Token": "admin:admin" },
    });
    assert.equal(api.status, 404);
    assert.deepEqual(await api.json(), {
      message: "The resource could not be found.<br /><br />\n\n\n",
      code: "404 Not Found",
      title: "Not Found",
    });
  });
});

Deno.test("e2e: noauth2 without a token answers 204 with a fake token (case 038)", async () => {
  await withNovalet(async (n) => {
    const lines = head(
      await rawRequest(n.port, get("/v2.1/flavors", { Host: `127.0.0.1:${n.port}` })),
    );
    assert.equal(lines[0], "HTTP/1.1 204 No Content");
    assert.ok(lines.includes("Content-Length: 0"));
    assert.ok(lines.includes("X-Auth-Token: admin:admin"));
    assert.ok(
      lines.includes(`X-Server-Management-Url: http://127.0.0.1:${n.port}/v2.1/flavors/admin`),
    );
  });
});

Deno.test("e2e: a body over max_request_body_size is 413 in webob's shape (case 188)", async () => {
  await withNovalet(async (n) => {
    const body = "x".repeat(114689);
    const raw = await rawRequest(
      n.port,
      `POST /v2.1/flavors HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nX-Auth-Token: admin:admin\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    assert.equal(head(raw)[0], "HTTP/1.1 413 Request Entity Too Large");
    assert.equal(
      JSON.parse(bodyOf(raw)).message,
      "Request is too large. Larger than max_request_body_size (114688).<br /><br />\n\n\n",
    );
  });
});

Deno.test("e2e: a chunked body over the limit is 413 too, without reading it all", async () => {
  await withNovalet(async (n) => {
    const chunk = "x".repeat(60000);
    const req =
      `POST /v2.1/flavors HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nX-Auth-Token: admin:admin\r\n` +
      `Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n` +
      `${(60000).toString(16)}\r\n${chunk}\r\n`.repeat(3) + "0\r\n\r\n";
    const raw = await rawRequest(n.port, req);
    assert.match(head(raw)[0], /^HTTP\/1\.1 413 /);
  }, "[oslo_middleware]\nmax_request_body_size = 100000\n");
});

Deno.test("e2e: a request line over 8192 bytes is eventlet's bare 414 (case 191); 8000 is fine (case 190)", async () => {
  await withNovalet(async (n) => {
    const long = await rawRequest(n.port, get(`/v2.1/flavors/${"a".repeat(9000)}`));
    assert.equal(
      long,
      "HTTP/1.0 414 Request URI Too Long\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
    );
    const ok = await rawRequest(
      n.port,
      get(`/v2.1/${"a".repeat(8000)}`, { "X-Auth-Token": "admin:admin" }),
    );
    assert.equal(head(ok)[0], "HTTP/1.1 404 Not Found");
  });
});

Deno.test("e2e: CORS preflight for an allowed origin, and the Vary quirk on simple requests (cases 199, 203)", async () => {
  await withNovalet(async (n) => {
    const pre = await fetch(`${n.url}/`, {
      method: "OPTIONS",
      headers: { Origin: "http://example.com", "Access-Control-Request-Method": "GET" },
    });
    assert.equal(pre.status, 200);
    assert.equal(pre.headers.get("access-control-allow-origin"), "http://example.com");
    assert.equal(pre.headers.get("access-control-allow-methods"), "GET");
    await pre.body?.cancel();
    const simple = await fetch(`${n.url}/v2.1/`, { headers: { Origin: "http://example.com" } });
    assert.equal(simple.headers.get("vary"), "X-OpenStack-Nova-API-Version,Origin");
    assert.equal(simple.headers.get("access-control-allow-credentials"), "true");
    await simple.body?.cancel();
    const evil = await fetch(`${n.url}/`, { headers: { Origin: "http://evil.example.net" } });
    assert.equal(evil.headers.get("access-control-allow-origin"), null);
    await evil.body?.cancel();
  });
});

Deno.test("e2e: proxy headers rewrite the links when parsing is on (cases 204-207)", async () => {
  await withNovalet(async (n) => {
    const xf = await (await fetch(`${n.url}/`, {
      headers: {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "cloud.example.com",
        "X-Forwarded-Prefix": "/compute",
      },
    })).json();
    assert.equal(xf.versions[1].links[0].href, "https://cloud.example.com/compute/v2.1/");
    const fwd = await (await fetch(`${n.url}/`, {
      headers: { Forwarded: "for=192.0.2.1;proto=https;host=api.example.org" },
    }))
      .json();
    assert.equal(fwd.versions[0].links[0].href, "https://api.example.org/v2/");
  });
});

Deno.test("e2e: proxy headers are ignored when parsing is off (nova's default)", async () => {
  await withNovalet(async (n) => {
    const body =
      await (await fetch(`${n.url}/`, { headers: { "X-Forwarded-Host": "cloud.example.com" } }))
        .json();
    assert.equal(body.versions[0].links[0].href, `${n.url}/v2/`);
  }, "");
});

Deno.test("e2e: a client X-OpenStack-Request-Id is not echoed (case 209)", async () => {
  await withNovalet(async (n) => {
    const sent = "req-3f1b9b8e-8c1a-4f6e-9d3c-2a1b0c9d8e7f";
    const res = await fetch(`${n.url}/v2.1/`, { headers: { "X-OpenStack-Request-Id": sent } });
    const got = res.headers.get("x-openstack-request-id")!;
    assert.match(got, /^req-/);
    assert.notEqual(got, sent);
    await res.body?.cancel();
    // The access line is written once the response is out: wait for it.
    const deadline = Date.now() + 3000;
    while (!n.log().includes(got) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(
      n.log().includes(`[${sent} ${got}`),
      "the inbound id is the global request id in the log",
    );
  });
});

Deno.test("e2e: /healthcheck answers OK, and 503 while the disable file exists", async () => {
  await withNovalet(async (n) => {
    const ok = await fetch(`${n.url}/healthcheck`);
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), "OK");
    Deno.writeTextFileSync(`${n.stateDir}/healthcheck_disable`, "");
    const off = await fetch(`${n.url}/healthcheck`);
    assert.equal(off.status, 503);
    assert.equal(await off.text(), "DISABLED BY FILE");
    const head = await fetch(`${n.url}/healthcheck`, { method: "HEAD" });
    assert.equal(head.status, 503);
    await head.body?.cancel();
  });
});

Deno.test("e2e: nova's stock api-paste.ini loads unmodified ([wsgi] api_paste_config)", async () => {
  const stock = new URL("../testdata/nova26-api-paste.ini", import.meta.url).pathname;
  await withNovalet(async (n) => {
    const res = await fetch(`${n.url}/healthcheck`, { headers: { Accept: "application/json" } });
    assert.equal(
      res.status,
      300,
      "with the stock file the versions app answers /healthcheck (case 249)",
    );
    await res.body?.cancel();
    assert.ok(n.log().includes(`from ${stock}`));
  }, `[wsgi]\napi_paste_config = ${stock}\n`);
});

Deno.test("e2e: an invalid option stops start-up with one line naming section, option and value", async () => {
  for (
    const [config, expected] of [
      [
        "[DEFAULT]\nosapi_compute_listen_port = abc\n",
        'novalet: Invalid value for [DEFAULT] osapi_compute_listen_port: "abc" (not an integer)',
      ],
      [
        "[wsgi]\ndefault_pool_size = -1\n",
        'novalet: Invalid value for [wsgi] default_pool_size: "-1" (must be at least 0)',
      ],
    ]
  ) {
    const stateDir = Deno.makeTempDirSync();
    const conf = `${stateDir}/bad.conf`;
    Deno.writeTextFileSync(conf, config);
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("../../main.ts", import.meta.url).pathname,
        "--config-file",
        conf,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 2);
    assert.equal(new TextDecoder().decode(out.stderr).trim(), expected);
  }
});

Deno.test("e2e: an unknown paste factory stops start-up naming the section", async () => {
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(
    `${dir}/paste.ini`,
    "[composite:osapi_compute]\nuse = egg:Paste#urlmap\n/: bad\n[app:bad]\npaste.app_factory = no.such:App.factory\n",
  );
  const stateDir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(
    `${stateDir}/c.conf`,
    `[DEFAULT]\nstate_path = ${stateDir}\nosapi_compute_listen_port = 0\n[wsgi]\napi_paste_config = ${dir}/paste.ini\n`,
  );
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../../main.ts", import.meta.url).pathname,
      "--config-file",
      `${stateDir}/c.conf`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 2);
  assert.match(
    new TextDecoder().decode(out.stderr),
    /novalet: Unknown factory "no\.such:App\.factory" in \[app:bad\]/,
  );
});

Deno.test("e2e: SIGHUP re-reads mutable options ([DEFAULT] debug), SIGTERM stops cleanly", async () => {
  const n = await startNovalet({ config: "" });
  try {
    const confPath = `${n.stateDir}/test.conf`;
    Deno.writeTextFileSync(
      confPath,
      Deno.readTextFileSync(confPath) + "\n[DEFAULT]\ndebug = true\n",
    );
    n.signal("SIGHUP");
    const deadline = Date.now() + 5000;
    while (!n.log().includes("changed: DEFAULT.debug") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(n.log().includes("changed: DEFAULT.debug"), n.log());
    await (await fetch(`${n.url}/v2.1/`, { headers: { "X-Auth-Token": "admin:admin" } })).body
      ?.cancel();
  } finally {
    assert.equal(await n.stop(), 0);
  }
  assert.match(n.log(), /Caught SIGTERM/);
});
