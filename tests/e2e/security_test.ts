/**
 * Security checks (issue 8, item 5) on the real novalet, with noauth2 and
 * with the real Keystone of ../shared/keystone: identity headers a client
 * sends never reach the request context; a token of one project never
 * reads or changes another project's servers, key pairs, server groups,
 * quotas or images; policy denials are logged with the request id; and no
 * error answer shows a stack trace, a source path, SQL or an internal
 * exception's text (a sweep over the error paths of the compute and image
 * APIs, and raw bytes no client library sends).
 */

import { strict as assert } from "node:assert";
import { ensureKeystone, type Fixtures, issueToken } from "../keystone/_keystone.ts";
import { type Novalet, rawRequest, startNovalet } from "../_server.ts";
import { act } from "./_actions.ts";
import { LEAK, runSweep, sweep, type SweepIds } from "./_error_sweep.ts";
import { imageSweep } from "./_image_sweep.ts";
import { activeServer, call, createServer, IMAGE, waitForServer } from "./_servers.ts";

const DEMO = "demo:demoproject";
const ALT = "alt:altproject";

/** Every identity header keystonemiddleware sets, as a client would forge them. */
function forgedHeaders(adminProject: string): Record<string, string> {
  return {
    "X-Roles": "admin,member",
    "X-Role": "admin",
    "X-User-Id": "evil",
    "X-User": "admin",
    "X-User-Name": "admin",
    "X-Project-Id": adminProject,
    "X-Tenant-Id": adminProject,
    "X-Tenant": "admin",
    "X-Project-Name": "admin",
    "X-Identity-Status": "Confirmed",
    "X-Service-Identity-Status": "Confirmed",
    "X-Service-Roles": "admin,service",
    "X-Service-Catalog": "[not json",
    "X-Is-Admin-Project": "True",
    "OpenStack-System-Scope": "all",
    "X-Domain-Id": "default",
    "X-User-Domain-Id": "default",
  };
}

/** The request's identity in the access log line of `requestId`. */
async function loggedIdentity(n: Novalet, requestId: string): Promise<string> {
  await waitForLog(n, requestId, "wsgi.server");
  const line = n.log().split("\n").find((l) =>
    l.includes(` ${requestId} `) && l.includes("wsgi.server")
  )!;
  return line.slice(line.indexOf(requestId) + requestId.length + 1).split("]")[0];
}

/** Checks that forged headers changed nothing: policy, owners, the logged identity. */
async function assertForgeryIgnored(
  n: Novalet,
  token: string,
  forged: Record<string, string>,
  who: { user: string; project: string; domains: string },
): Promise<void> {
  const o = { token, headers: forged };
  const flavor = await call(n, "POST", "/flavors", {
    ...o,
    body: { flavor: { name: "forged", ram: 64, vcpus: 1, disk: 1 } },
  });
  assert.equal(flavor.status, 403, flavor.text);
  assert.equal((await call(n, "GET", "/os-hypervisors", o)).status, 403);
  assert.equal((await call(n, "GET", "/servers/detail?all_tenants=1", o)).status, 403);
  const keypair = await call(n, "POST", "/os-keypairs", {
    ...o,
    version: "2.10",
    body: { keypair: { name: `forged-${crypto.randomUUID().slice(0, 8)}` } },
  });
  assert.equal(keypair.status, 201, keypair.text);
  assert.equal(keypair.body.keypair.user_id, who.user);
  const server = await createServer(n, {}, o);
  assert.equal(server.status, 202, server.text);
  const shown = await waitForServer(n, server.body.server.id, (s) => s.status === "ACTIVE", o);
  assert.equal(shown.tenant_id, who.project);
  assert.equal(shown.user_id, who.user);
  const requestId = server.headers.get("x-openstack-request-id")!;
  // oslo.context's user_identity: user project domain system_scope user_domain project_domain
  assert.equal(await loggedIdentity(n, requestId), `${who.user} ${who.project} - - ${who.domains}`);
}

Deno.test("security (noauth2): identity headers a client sends never reach the context", async () => {
  const n = await startNovalet({
    config: "[api]\nauth_strategy = noauth2\n[novalet]\nseed_flavors = true\n",
  });
  try {
    await assertForgeryIgnored(n, DEMO, forgedHeaders("admin"), {
      user: "demo",
      project: "demoproject",
      domains: "- -",
    });
  } finally {
    await n.stop();
  }
});

function keystoneConfig(f: Fixtures, extra = ""): string {
  return `[DEFAULT]\ndebug = True\n[api]\nauth_strategy = keystone\n[novalet]\nseed_flavors = true\n` +
    `[keystone_authtoken]\nauth_url = ${f.auth_url}\nwww_authenticate_uri = ${f.auth_url}\n` +
    `auth_type = password\nusername = nova\npassword = ${f.users.nova.password}\n` +
    `user_domain_name = Default\nproject_name = service\nproject_domain_name = Default\n${extra}`;
}

async function withKeystone(fn: (n: Novalet, f: Fixtures) => Promise<void>): Promise<void> {
  const f = await ensureKeystone();
  const n = await startNovalet({ config: keystoneConfig(f) });
  try {
    await fn(n, f);
  } finally {
    await n.stop();
  }
}

Deno.test("security (keystone): forged identity headers never reach the context", async () => {
  await withKeystone(async (n, f) => {
    const token = await issueToken(f, "demo");
    await assertForgeryIgnored(n, token, forgedHeaders(f.projects.admin), {
      user: f.users.demo.id,
      project: f.users.demo.project_id,
      domains: "default default",
    });
    const anonymous = await call(n, "GET", "/servers", {
      token: "",
      headers: forgedHeaders(f.projects.admin),
    });
    assert.equal(anonymous.status, 401, "forged headers without a token are no identity");
  });
});

/** Project A's resources, for B to try. */
interface Owned {
  server: string;
  keypair: string;
  group: string;
  image: string;
}

async function ownResources(n: Novalet, token: string): Promise<Owned> {
  const server = await activeServer(n, { name: "mine", metadata: { k: "v" } }, { token });
  const keypair = `own-${crypto.randomUUID().slice(0, 8)}`;
  await call(n, "POST", "/os-keypairs", { token, body: { keypair: { name: keypair } } });
  const group = await call(n, "POST", "/os-server-groups", {
    token,
    version: "2.64",
    body: { server_group: { name: "g", policy: "affinity" } },
  });
  const snapshot = await act(n, server.id, { createImage: { name: "snap" } }, { token });
  const image = snapshot.headers.get("location")!.split("/").pop()!;
  return { server: server.id, keypair, group: group.body.server_group.id, image };
}

/** A call B makes: method, path, body, nova's answer, and the microversion (default 2.1). */
type Attempt = [string, string, unknown, number, string?];

/** What B tries on A's resources, and nova's answer (404 when hidden, 403 where policy decides). */
function crossProjectCalls(a: Owned, project: string): Attempt[] {
  const s = `/servers/${a.server}`;
  const actions = [
    { reboot: { type: "HARD" } },
    { "os-stop": null },
    { lock: null },
    { pause: null },
    { createImage: { name: "x" } },
    { forceDelete: null },
    { changePassword: { adminPass: "x" } },
    { "os-getConsoleOutput": {} },
    { resize: { flavorRef: "2" } },
    { rebuild: { imageRef: IMAGE } },
  ];
  return [
    ["GET", s, undefined, 404],
    ["PUT", s, { server: { name: "stolen" } }, 404],
    ["DELETE", s, undefined, 404],
    ...actions.map((body): Attempt => ["POST", `${s}/action`, body, 404]),
    ["GET", `${s}/metadata`, undefined, 404],
    ["PUT", `${s}/metadata`, { metadata: { k: "stolen" } }, 404],
    ["DELETE", `${s}/metadata/k`, undefined, 404],
    ["GET", `${s}/ips`, undefined, 404],
    ["GET", `${s}/os-interface`, undefined, 404],
    ["GET", `${s}/os-volume_attachments`, undefined, 404],
    ["GET", `${s}/os-instance-actions`, undefined, 404],
    ["GET", `${s}/os-server-password`, undefined, 404],
    ["DELETE", `${s}/os-server-password`, undefined, 404],
    [
      "POST",
      `${s}/remote-consoles`,
      { remote_console: { protocol: "vnc", type: "novnc" } },
      404,
      "2.6",
    ],
    // nova checks the tags policy against the instance mapping's project first.
    ["GET", `${s}/tags`, undefined, 403, "2.26"],
    ["PUT", `${s}/tags/t`, undefined, 403, "2.26"],
    ["GET", `/os-keypairs/${a.keypair}`, undefined, 404],
    ["DELETE", `/os-keypairs/${a.keypair}`, undefined, 404],
    ["GET", `/os-server-groups/${a.group}`, undefined, 404],
    ["DELETE", `/os-server-groups/${a.group}`, undefined, 404],
    ["GET", `/os-quota-sets/${project}`, undefined, 403],
    ["GET", `/os-quota-sets/${project}/detail`, undefined, 403],
    ["PUT", `/os-quota-sets/${project}`, { quota_set: { instances: 0 } }, 403],
    ["DELETE", `/os-quota-sets/${project}`, undefined, 403],
    ["GET", `/os-simple-tenant-usage/${project}`, undefined, 403],
    ["GET", `/limits?tenant_id=${project}`, undefined, 403],
    ["GET", `/images/${a.image}`, undefined, 404],
    ["DELETE", `/images/${a.image}`, undefined, 404],
    ["GET", `/images/${a.image}/metadata`, undefined, 404],
  ];
}

/** B tries everything, then A's resources are checked unchanged. */
async function assertIsolated(n: Novalet, a: Owned, owner: string, other: string, project: string) {
  for (const [method, path, body, status, version] of crossProjectCalls(a, project)) {
    const res = await call(n, method, path, { token: other, body, version: version ?? "2.1" });
    assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
  }
  const lists = await Promise.all(
    ["/servers/detail", "/os-keypairs", "/os-server-groups", "/images/detail"].map((p) =>
      call(n, "GET", p, { token: other })
    ),
  );
  for (const list of lists) {
    for (const id of [a.server, a.keypair, a.group, a.image]) {
      assert.ok(!list.text.includes(id), `${id} listed for the other project`);
    }
  }
  const mine = await call(n, "GET", `/servers/${a.server}`, { token: owner, version: "2.9" });
  assert.equal(mine.body.server.name, "mine");
  assert.equal(mine.body.server.status, "ACTIVE");
  assert.equal(mine.body.server.locked, false);
  assert.deepEqual(mine.body.server.metadata, { k: "v" });
  assert.equal((await call(n, "GET", `/os-keypairs/${a.keypair}`, { token: owner })).status, 200);
  assert.equal(
    (await call(n, "GET", `/os-server-groups/${a.group}`, { token: owner })).status,
    200,
  );
  assert.equal((await call(n, "GET", `/images/${a.image}`, { token: owner })).status, 200);
}

Deno.test("security (noauth2): a token for one project never reads or changes another's", async () => {
  const n = await startNovalet({
    config: "[DEFAULT]\nenabled_apis = osapi_compute,image\nimage_listen = 127.0.0.1\n" +
      "image_listen_port = 0\n[api]\nauth_strategy = noauth2\n[novalet]\nseed_flavors = true\n",
  });
  try {
    const a = await ownResources(n, DEMO);
    await assertIsolated(n, a, DEMO, ALT, "demoproject");
    const glance = await n.apiUrl("image");
    for (const method of ["GET", "DELETE", "PATCH"]) {
      const res = await fetch(`${glance}/v2/images/${a.image}`, {
        method,
        headers: {
          "X-Auth-Token": ALT,
          "Content-Type": "application/openstack-images-v2.1-json-patch",
        },
        body: method === "PATCH" ? '[{"op": "replace", "path": "/name", "value": "x"}]' : undefined,
      });
      await res.body?.cancel();
      assert.equal(res.status, 404, `${method} /v2/images`);
    }
  } finally {
    await n.stop();
  }
});

Deno.test("security (keystone): a token for one project never reads or changes another's", async () => {
  await withKeystone(async (n, f) => {
    const owner = await issueToken(f, "demo");
    const other = await issueToken(f, "alt");
    const a = await ownResources(n, owner);
    await assertIsolated(n, a, owner, other, f.users.demo.project_id);
    const url = await fetch(`${n.url}/v2.1/${f.users.demo.project_id}/servers`, {
      headers: { "X-Auth-Token": other },
    });
    await url.body?.cancel();
    assert.equal(url.status, 400, "a URL naming another project is refused");
  });
});

/** The lines of the log carrying `requestId`. */
function linesOf(n: Novalet, requestId: string): string[] {
  return n.log().split("\n").filter((l) => l.includes(` ${requestId} `));
}

const LOG_PREFIX = String.raw`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \d+ `;

Deno.test("security: policy denials are logged with the request id", async () => {
  const n = await startNovalet({
    config: "[DEFAULT]\ndebug = True\n[api]\nauth_strategy = noauth2\n",
  });
  try {
    const res = await call(n, "POST", "/flavors", {
      token: DEMO,
      body: { flavor: { name: "f", ram: 64, vcpus: 1, disk: 1 } },
    });
    assert.equal(res.status, 403);
    const id = res.headers.get("x-openstack-request-id")!;
    assert.match(id, /^req-[0-9a-f-]{36}$/);
    await waitForLog(n, id, "wsgi.server");
    const lines = linesOf(n, id);
    const context = `\\[None ${id} demo demoproject - - - -\\]`;
    assert.ok(
      lines.some((l) =>
        new RegExp(
          `${LOG_PREFIX}DEBUG nova\\.policy ${context} Policy check for ` +
            "os_compute_api:os-flavor-manage:create failed with credentials \\{",
        ).test(l)
      ),
      lines.join("\n"),
    );
    assert.ok(
      lines.some((l) =>
        new RegExp(
          `${LOG_PREFIX}INFO nova\\.osapi_compute\\.wsgi\\.server ${context} 127\\.0\\.0\\.1 ` +
            '"POST /v2\\.1/flavors HTTP/1\\.1" status: 403 ',
        ).test(l)
      ),
      lines.join("\n"),
    );
  } finally {
    await n.stop();
  }
});

async function waitForLog(n: Novalet, text: string, also: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (n.log().split("\n").some((l) => l.includes(text) && l.includes(also))) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no log line with ${text} and ${also}`);
}

/** nova's deliberate 501 where a feature is absent (os-baremetal-nodes without ironic). */
function notImplemented(status: number, body: string): boolean {
  return status === 501 && body.includes('"notImplemented"');
}

/** The resources the sweep aims at: servers in several states, and the rest. */
async function sweepTargets(n: Novalet): Promise<SweepIds> {
  const active = await activeServer(n, {}, { token: DEMO });
  const locked = await activeServer(n, {}, { token: DEMO });
  await act(n, locked.id, { lock: null });
  const shelved = await activeServer(n, {}, { token: DEMO });
  await act(n, shelved.id, { shelve: null }, { token: DEMO });
  await waitForServer(n, shelved.id, (s) => s.status === "SHELVED_OFFLOADED");
  const reset = await activeServer(n, {}, { token: DEMO });
  await act(n, reset.id, { shelve: null }, { token: DEMO });
  await waitForServer(n, reset.id, (s) => s.status === "SHELVED_OFFLOADED");
  await act(n, reset.id, { "os-resetState": { state: "error" } });
  await call(n, "POST", "/flavors", {
    body: { flavor: { name: "huge", ram: 8192, vcpus: 1, disk: 1, id: "huge" } },
  });
  const failed = await createServer(n, { flavorRef: "huge" }, { token: DEMO });
  await waitForServer(n, failed.body.server.id, (s) => s.status === "ERROR");
  await call(n, "POST", "/os-keypairs", { token: DEMO, body: { keypair: { name: "kp1" } } });
  const group = await call(n, "POST", "/os-server-groups", {
    body: { server_group: { name: "g", policies: ["affinity"] } },
  });
  const aggregate = await call(n, "POST", "/os-aggregates", { body: { aggregate: { name: "a" } } });
  return {
    servers: [active.id, failed.body.server.id, shelved.id, locked.id, reset.id],
    flavor: "1",
    keypair: "kp1",
    group: group.body.server_group.id,
    aggregate: String(aggregate.body.aggregate.id),
    image: IMAGE,
    project: "demoproject",
  };
}

Deno.test("security: no error answer shows a stack, a path, SQL or an internal error (sweep)", async () => {
  const n = await startNovalet({
    config: "[DEFAULT]\nenabled_apis = osapi_compute,image\nimage_listen = 127.0.0.1\n" +
      "image_listen_port = 0\n[api]\nauth_strategy = noauth2\n[novalet]\nseed_flavors = true\n" +
      "[novalet_compute]\nmemory_mb = 4096\n",
  });
  try {
    const ids = await sweepTargets(n);
    await call(n, "PUT", "/os-quota-sets/demoproject", {
      body: { quota_set: { instances: -1, cores: -1, ram: -1 } },
    });
    const tokens = { admin: "admin:admin", member: DEMO };
    const requests = sweep(ids, 8, 40_000);
    assert.ok(requests.length > 20_000, `${requests.length} requests`);
    const compute = await runSweep(`${n.url}/v2.1`, requests, tokens, notImplemented);
    assert.deepEqual(compute, []);
    const image = await runSweep(await n.apiUrl("image"), imageSweep(ids), tokens);
    assert.deepEqual(image, []);
    const versions = await fetch(n.url);
    await versions.body?.cancel();
    assert.equal(versions.status, 200, "still serving");
    const log = n.log();
    for (const bug of ["Unexpected exception in API method", "Unhandled error", "Caught error"]) {
      assert.ok(!log.includes(bug), `the log has "${bug}"`);
    }
  } finally {
    await n.stop();
  }
});

/** Raw requests no HTTP library writes: bytes that are not UTF-8 in the path, query, headers. */
const RAW_REQUESTS = [
  "GET /v2.1/servers/\xff\xfe HTTP/1.1\r\n",
  "GET /v2.1/servers?name=\xff&limit=\xfe HTTP/1.1\r\n",
  "GET /v2.1/flavors/%ff%fe%00 HTTP/1.1\r\n",
  "GET /v2.1/servers HTTP/1.1\r\nX-OpenStack-Nova-API-Version: 2.\xff\r\n",
  "GET /v2.1/servers HTTP/1.1\r\nOpenStack-API-Version: compute \xff\xfe\r\n",
  "GET /v2.1/servers HTTP/1.1\r\nAccept: \xff/\xfe\r\n",
  "GET /v2.1/servers HTTP/1.1\r\nX-Forwarded-For: \xff\r\n",
  "POST /v2.1/servers HTTP/1.1\r\nContent-Type: application/json\xff\r\nContent-Length: 2\r\n\r\n{}",
  'POST /v2.1/servers HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{"\xff":1}',
  'POST /v2.1/servers HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{"\xfe\r\n0\r\n\r\n',
];

Deno.test("security: raw bytes that are not UTF-8 get 4xx answers without internals", async () => {
  const n = await startNovalet({ config: "[api]\nauth_strategy = noauth2\n" });
  try {
    for (const raw of RAW_REQUESTS) {
      const head = raw.includes("\r\n\r\n") ? raw : `${raw}\r\n`;
      const withAuth = head.replace(
        "\r\n",
        "\r\nHost: x\r\nX-Auth-Token: admin:admin\r\nConnection: close\r\n",
      );
      const bytes = Uint8Array.from(withAuth, (c) => c.charCodeAt(0));
      const answer = await rawRequest(n.port, bytes);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1]);
      assert.ok(status >= 200 && status < 500, `${status} for ${JSON.stringify(raw)}:\n${answer}`);
      assert.ok(!LEAK.test(answer), `${JSON.stringify(raw)} leaks:\n${answer}`);
    }
  } finally {
    await n.stop();
  }
});
