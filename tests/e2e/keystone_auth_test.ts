/**
 * End to end with `[api] auth_strategy = keystone` (nova's default): the real
 * novalet process behind the keystone pipeline, tokens from the real
 * Keystone of ../shared/keystone, nova 26's default policies.
 */

import { strict as assert } from "node:assert";
import {
  ensureKeystone,
  type Fixtures,
  issueToken,
  revokeToken,
  serverLogCount,
  settleServerLog,
} from "../keystone/_keystone.ts";
import { type Novalet, startNovalet } from "../_server.ts";

function keystoneConfig(f: Fixtures, extra = ""): string {
  return `[api]
auth_strategy = keystone

[keystone_authtoken]
auth_url = ${f.auth_url}
www_authenticate_uri = ${f.auth_url}
auth_type = password
username = nova
password = ${f.users.nova.password}
user_domain_name = Default
project_name = service
project_domain_name = Default
${extra}
`;
}

async function withKeystoneNovalet(
  fn: (n: Novalet, f: Fixtures) => Promise<void>,
  extra = "",
): Promise<void> {
  const fixtures = await ensureKeystone();
  const n = await startNovalet({ config: keystoneConfig(fixtures, extra) });
  try {
    await fn(n, fixtures);
  } finally {
    await n.stop();
  }
}

async function call(
  n: Novalet,
  path: string,
  token: string | null,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: string }> {
  const headers: Record<string, string> = { Accept: "application/json", ...init.headers };
  if (token !== null) headers["X-Auth-Token"] = token;
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(`${n.url}${path}`, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

Deno.test("e2e keystone: no token and a bad token are 401 with WWW-Authenticate and keystonemiddleware's body", async () => {
  await withKeystoneNovalet(async (n, f) => {
    for (const token of [null, "not-a-real-token"]) {
      const res = await call(n, "/v2.1/flavors", token);
      assert.equal(res.status, 401);
      assert.equal(res.headers.get("www-authenticate"), `Keystone uri="${f.auth_url}"`);
      assert.deepEqual(JSON.parse(res.body), {
        error: {
          code: 401,
          title: "Unauthorized",
          message: "The request you have made requires authentication.",
        },
      });
    }
    const versions = await call(n, "/", null);
    assert.equal(versions.status, 200, "the versions document needs no token");
  });
});

Deno.test("e2e keystone: a valid token is served; a second request with it does not reach Keystone", async () => {
  await withKeystoneNovalet(async (n, f) => {
    const token = await issueToken(f, "demo");
    const first = await call(n, "/v2.1/flavors", token);
    assert.equal(first.status, 200);
    await settleServerLog();
    const before = serverLogCount("GET");
    for (let i = 0; i < 3; i++) assert.equal((await call(n, "/v2.1/flavors", token)).status, 200);
    await settleServerLog();
    assert.equal(serverLogCount("GET"), before, "validations after the first come from the cache");
  });
});

Deno.test("e2e keystone: a revoked token is refused once its cache entry expires", async () => {
  await withKeystoneNovalet(async (n, f) => {
    const token = await issueToken(f, "demo");
    assert.equal((await call(n, "/v2.1/flavors", token)).status, 200);
    await revokeToken(token);
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal((await call(n, "/v2.1/flavors", token)).status, 401);
  }, "token_cache_time = 1\n");
});

Deno.test("e2e keystone: spoofed identity headers do not make a member an admin", async () => {
  await withKeystoneNovalet(async (n, f) => {
    const token = await issueToken(f, "demo");
    const spoof = {
      "X-Roles": "admin",
      "X-User-Id": "evil",
      "X-Project-Id": f.projects.admin,
      "X-Identity-Status": "Confirmed",
    };
    const body = {
      flavor: { name: `ks.spoof.${crypto.randomUUID().slice(0, 8)}`, ram: 64, vcpus: 1, disk: 1 },
    };
    const res = await call(n, "/v2.1/flavors", token, { method: "POST", body, headers: spoof });
    assert.equal(res.status, 403, res.body);
    assert.equal(
      JSON.parse(res.body).forbidden.message,
      "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.",
    );
    const noToken = await call(n, "/v2.1/flavors", null, { method: "POST", body, headers: spoof });
    assert.equal(noToken.status, 401);
  });
});

Deno.test("e2e keystone: reader, member and admin on an admin-only mutating call (flavor create)", async () => {
  await withKeystoneNovalet(async (n, f) => {
    const body = {
      flavor: { name: `ks.f.${crypto.randomUUID().slice(0, 8)}`, ram: 64, vcpus: 1, disk: 1 },
    };
    for (const user of ["reader", "demo"] as const) {
      const res = await call(n, "/v2.1/flavors", await issueToken(f, user), {
        method: "POST",
        body,
      });
      assert.equal(res.status, 403, user);
      assert.equal(
        JSON.parse(res.body).forbidden.message,
        "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.",
      );
    }
    const admin = await call(n, "/v2.1/flavors", await issueToken(f, "admin"), {
      method: "POST",
      body,
    });
    assert.equal(admin.status, 200);
    assert.equal(JSON.parse(admin.body).flavor.name, body.flavor.name);
  });
});

Deno.test("e2e keystone: keypairs are user-owned: a reader makes its own, only an admin makes one for another user (2.10)", async () => {
  await withKeystoneNovalet(async (n, f) => {
    const name = () => `ks-k-${crypto.randomUUID().slice(0, 8)}`;
    const v210 = { "OpenStack-API-Version": "compute 2.10" };
    const reader = await issueToken(f, "reader");
    const own = await call(n, "/v2.1/os-keypairs", reader, {
      method: "POST",
      body: { keypair: { name: name() } },
    });
    assert.equal(own.status, 200);
    for (const user of ["reader", "demo"] as const) {
      const res = await call(n, "/v2.1/os-keypairs", await issueToken(f, user), {
        method: "POST",
        headers: v210,
        body: { keypair: { name: name(), user_id: f.users.alt.id } },
      });
      assert.equal(res.status, 403, user);
      assert.equal(
        JSON.parse(res.body).forbidden.message,
        "Policy doesn't allow os_compute_api:os-keypairs:create to be performed.",
      );
    }
    const admin = await call(n, "/v2.1/os-keypairs", await issueToken(f, "admin"), {
      method: "POST",
      headers: v210,
      body: { keypair: { name: name(), user_id: f.users.alt.id } },
    });
    assert.equal(admin.status, 201);
    assert.equal(JSON.parse(admin.body).keypair.user_id, f.users.alt.id);
  });
});

Deno.test("e2e keystone: a URL project id other than the token's is refused (cross-project)", async () => {
  await withKeystoneNovalet(async (n, f) => {
    const token = await issueToken(f, "alt");
    const res = await call(n, `/v2.1/${f.projects.demo}/flavors`, token);
    assert.equal(res.status, 400);
    assert.match(
      JSON.parse(res.body).badRequest.message,
      /^Malformed request URL: URL's project_id/,
    );
  });
});
