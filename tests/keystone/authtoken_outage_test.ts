/**
 * authtoken while the real Keystone is stopped, and after it is back: 503
 * with keystonemiddleware's answer, then recovery without a restart.
 *
 * This test stops Keystone, so it runs a Keystone of its own (same scripts,
 * another port and state directory) and leaves the shared one alone for
 * whoever else is testing on this machine. Its Keystone is started again
 * even when an assertion fails, and stopped at the end.
 */

import assert from "node:assert/strict";
import {
  chain,
  type Fixtures,
  issueToken,
  keystoneAnswers,
  keystoneConf,
  privateInstance,
  readFixtures,
  request,
  runScript,
  setup,
} from "./_keystone.ts";
import { createAuthToken } from "../../lib/middleware/authtoken.ts";

const instance = privateInstance("outage");

const UNAVAILABLE_JSON =
  '{"message": "The server is currently unavailable. Please try again at a later time.<br /><br />\\nThe Keystone service is temporarily unavailable.\\n\\n", "code": "503 Service Unavailable", "title": "Service Unavailable"}';
const UNAVAILABLE_TEXT = "503 Service Unavailable\n\nThe server is currently unavailable. " +
  "Please try again at a later time.\n\n The Keystone service is temporarily unavailable.  ";

Deno.test("authtoken answers 503 while Keystone is down and recovers when it is back", async () => {
  await runScript("start-keystone.sh", instance);
  try {
    await outageAndRecovery(readFixtures(instance));
  } finally {
    await runScript("stop-keystone.sh", instance);
  }
});

async function outageAndRecovery(fixtures: Fixtures): Promise<void> {
  const conf = keystoneConf(fixtures, ["http_request_max_retries = 1"]);
  // One middleware that already holds a service token and a validated token.
  const warm = setup(conf);
  const known = await issueToken(fixtures, "demo");
  const fresh = await issueToken(fixtures, "alt");
  assert.equal((await warm.app(request([["X-Auth-Token", known]]))).status, 200);
  await runScript("stop-keystone.sh", instance);
  try {
    assert.equal(await keystoneAnswers(instance), false);
    await whileDown(fixtures, warm, known, fresh);
  } finally {
    await runScript("start-keystone.sh", instance);
  }
  // Back: the same middleware validates again, without being rebuilt.
  const res = await warm.app(request([["X-Auth-Token", fresh]]));
  assert.equal(res.status, 200);
  assert.equal(warm.seen.req!.context!.userId, fixtures.users.alt.id);
}

async function whileDown(
  fixtures: Fixtures,
  warm: ReturnType<typeof setup>,
  known: string,
  fresh: string,
): Promise<void> {
  // No service token yet: the authentication fails at once (keystoneauth does not retry it).
  const conf = keystoneConf(fixtures, ["http_request_max_retries = 1"]);
  const cold = setup(conf);
  const res = await cold.app(request([["X-Auth-Token", fresh]]));
  assert.equal(res.status, 503);
  assert.deepEqual(res.headers.entries(), [
    ["Content-Length", "218"],
    ["Content-Type", "application/json"],
  ]);
  assert.equal(res.text(), UNAVAILABLE_JSON);
  assert.deepEqual(cold.middleware.identity.stats, { authenticate: 1, validate: 0 });

  // With a service token: the validation is retried once (http_request_max_retries), then 503.
  const plain = request([["X-Auth-Token", fresh]]);
  plain.headers.set("accept", "text/plain");
  const started = Date.now();
  const res2 = await warm.app(plain);
  assert.equal(res2.status, 503);
  assert.equal(res2.text(), UNAVAILABLE_TEXT);
  assert.ok(Date.now() - started >= 450, "waited 0.5 s before the retry");
  assert.equal(warm.middleware.identity.stats.validate, 1 + 2);

  // A token validated before the outage is still answered from the cache.
  assert.equal((await warm.app(request([["X-Auth-Token", known]]))).status, 200);

  // delay_auth_decision: the request goes on as Invalid; keystonecontext answers 401.
  const delayed = chain(createAuthToken(keystoneConf(fixtures, ["delay_auth_decision = true"])));
  const res3 = await delayed.app(request([["X-Auth-Token", fresh]]));
  assert.equal(res3.status, 401);
  assert.equal(delayed.seen.req, null);
}
