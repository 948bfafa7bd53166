/**
 * How authtoken answers when Keystone misbehaves in ways the real one will
 * not do on demand (5xx, 403, never answering): a stand-in identity server
 * on 127.0.0.1 plays those parts. Also: no token ever reaches the log.
 */

import assert from "node:assert/strict";
import { Conf } from "../../lib/config/conf.ts";
import { captureLogs, configureLogging } from "../../lib/log.ts";
import {
  ensureKeystone,
  issueToken,
  keystoneConf,
  request,
  revokeToken,
  setup,
} from "./_keystone.ts";

const UNAVAILABLE_JSON =
  '{"message": "The server is currently unavailable. Please try again at a later time.<br /><br />\\nThe Keystone service is temporarily unavailable.\\n\\n", "code": "503 Service Unavailable", "title": "Service Unavailable"}';

type Mode = "500" | "403" | "hang";

/** A stand-in Keystone: issues a service token, answers validations per `mode`. */
function standIn(mode: Mode) {
  let release = () => {};
  const released = new Promise<void>((r) => release = r);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req): Promise<Response> => {
      const url = new URL(req.url);
      if (req.method === "POST" && url.pathname === "/v3/auth/tokens") return serviceToken(base);
      if (mode === "hang") await released;
      const status = mode === "hang" ? 200 : Number(mode);
      return Response.json({ error: { code: status, message: "stand-in", title: "x" } }, {
        status,
      });
    },
  );
  const base: string = `http://127.0.0.1:${server.addr.port}/v3`;
  const conf = Conf.load([{
    name: "t",
    text: `[keystone_authtoken]\nauth_url = ${base}\nusername = nova\npassword = x\n` +
      `project_name = service\nhttp_request_max_retries = 0\nhttp_connect_timeout = 1\n`,
  }]);
  const close = async () => {
    release();
    await server.shutdown();
  };
  return { conf, close };
}

function serviceToken(base: string): Response {
  const token = {
    expires_at: new Date(Date.now() + 3600_000).toISOString(),
    user: { id: "nova", name: "nova", domain: { id: "default", name: "Default" } },
    roles: [{ id: "s", name: "service" }],
    catalog: [{ type: "identity", endpoints: [{ interface: "internal", url: base }] }],
  };
  return Response.json({ token }, { status: 201, headers: { "X-Subject-Token": "svc" } });
}

for (const mode of ["500", "403"] as const) {
  Deno.test(`authtoken answers 503 when Keystone answers a validation with ${mode}`, async () => {
    const stand = standIn(mode);
    try {
      const { app, seen } = setup(stand.conf);
      const res = await app(request([["X-Auth-Token", "user-token"]]));
      assert.equal(res.status, 503);
      assert.equal(res.text(), UNAVAILABLE_JSON);
      assert.equal(seen.req, null);
    } finally {
      await stand.close();
    }
  });
}

Deno.test("authtoken gives up on a silent Keystone after http_connect_timeout and answers 503", async () => {
  const stand = standIn("hang");
  try {
    const { app, middleware } = setup(stand.conf);
    const started = Date.now();
    const res = await app(request([["X-Auth-Token", "user-token"]]));
    const took = Date.now() - started;
    assert.equal(res.status, 503);
    assert.ok(took >= 900 && took < 5000, `took ${took} ms`);
    assert.deepEqual(middleware.identity.stats, { authenticate: 1, validate: 1 });
  } finally {
    await stand.close();
  }
});

Deno.test("authtoken never writes a token to the log, even at DEBUG", async () => {
  const fixtures = await ensureKeystone();
  const lines = captureLogs();
  configureLogging({ debug: true });
  try {
    const { app } = setup(keystoneConf(fixtures));
    const user = await issueToken(fixtures, "demo");
    const service = await issueToken(fixtures, "nova");
    const revoked = await issueToken(fixtures, "alt");
    await revokeToken(revoked);
    await app(request([["X-Auth-Token", user], ["X-Service-Token", service]]));
    await app(request([["X-Auth-Token", revoked]]));
    await app(request([["X-Auth-Token", revoked]]));
    await app(request([["X-Auth-Token", "plain-bad-token"]]));
    assert.ok(lines.some((l) => l.includes("DEBUG keystonemiddleware.auth_token")));
    assert.ok(lines.some((l) => /sha256:[0-9a-f]{12}/.test(l)));
    for (const token of [user, service, revoked, "plain-bad-token"]) {
      assert.ok(!lines.some((l) => l.includes(token)), "a token was logged");
    }
  } finally {
    configureLogging({ debug: false });
    captureLogs(false);
  }
});
