/**
 * End to end: the image service behind the keystone pipeline (glance's:
 * authtoken with delay_auth_decision, then glance's context), tokens from
 * the real Keystone of ../shared/keystone.
 */

import { strict as assert } from "node:assert";
import { ensureKeystone, issueToken } from "../keystone/_keystone.ts";
import { startNovalet } from "../_server.ts";

Deno.test("e2e image service with Keystone: tokens, roles, ownership, 401s", async () => {
  const f = await ensureKeystone();
  const n = await startNovalet({
    config: `[DEFAULT]
enabled_apis = osapi_compute,image
image_listen_port = 0
[api]
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
`,
  });
  try {
    const image = await n.apiUrl("image");
    const call = (method: string, path: string, token: string | null, body?: unknown) =>
      fetch(`${image}${path}`, {
        method,
        headers: {
          Accept: "application/json",
          ...(token === null ? {} : { "X-Auth-Token": token }),
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    for (const token of [null, "not-a-real-token"]) {
      const res = await call("GET", "/v2/images", token);
      assert.equal(res.status, 401, `token ${token}`);
      assert.equal((await res.json()).title, "Unauthorized");
    }
    assert.equal((await call("GET", "/", null)).status, 300, "versions need no token");
    const demo = await issueToken(f, "demo");
    const alt = await issueToken(f, "alt");
    const admin = await issueToken(f, "admin");
    const created = await call("POST", "/v2/images", demo, { name: "ks", visibility: "private" });
    assert.equal(created.status, 201);
    const view = await created.json();
    assert.equal(view.owner, f.projects.demo);
    assert.match(created.headers.get("x-openstack-request-id")!, /^req-/);
    assert.equal((await call("GET", `/v2/images/${view.id}`, alt)).status, 404);
    assert.equal((await call("GET", `/v2/images/${view.id}`, admin)).status, 200);
    const publicize = await call("POST", "/v2/images", demo, { visibility: "public" });
    assert.equal(publicize.status, 403, "publicize_image is role:admin");
    await publicize.body?.cancel();
    const byAdmin = await call("POST", "/v2/images", admin, { visibility: "public" });
    assert.equal(byAdmin.status, 201);
    assert.equal((await byAdmin.json()).owner, f.projects.admin);
    assert.equal((await call("DELETE", `/v2/images/${view.id}`, demo)).status, 204);
  } finally {
    await n.stop();
  }
});
