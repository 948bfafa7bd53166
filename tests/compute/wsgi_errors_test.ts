/**
 * What a controller's exceptions become (`expected_errors` and
 * `ResourceExceptionHandler`): a bug of novalet's is nova's computeFault
 * 500 "Unexpected API Error" with no detail of the bug; the HTTP errors and
 * 4xx nova exceptions nova's decorators did not list are answered as a
 * correct nova would, not as nova's 500.
 */

import { strict as assert } from "node:assert";
import { InstanceInvalidState, Invalid, NoValidHost } from "../../lib/compute/servers/errors.ts";
import { type Handler, resource } from "../../lib/compute/wsgi.ts";
import { HttpError } from "../../lib/errors.ts";
import { captureLogs } from "../../lib/log.ts";
import { makeRequest } from "../_helpers.ts";

const UNEXPECTED = "Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ " +
  "and attach the Nova API log if possible.";

/** Calls a one-method controller whose handler is `handler`, expecting only 404s. */
async function answer(handler: Handler): Promise<{ status: number; text: string; logs: string }> {
  const app = resource(
    { name: "C", methods: { show: { handler, expectedErrors: [404] } } },
    "show",
  );
  const req = makeRequest("GET", "/v2.1/things/1");
  req.context = {
    userId: "u",
    projectId: "p",
    roles: [],
    isAdmin: false,
    remoteAddress: "127.0.0.1",
  };
  const logs = captureLogs();
  try {
    const res = await app(req, { id: "1" });
    return { status: res.status, text: res.text(), logs: logs.join("\n") };
  } finally {
    captureLogs(false);
  }
}

Deno.test("resource(): a bug is nova's computeFault 500 without its class or text, logged with its stack", async () => {
  const thrown = [
    () => {
      throw new TypeError("Cannot read properties of undefined (reading 'secret')");
    },
    () => Promise.reject(new RangeError("secret range")),
    () => {
      throw "a secret string";
    },
  ];
  for (const handler of thrown) {
    const res = await answer(handler as Handler);
    assert.equal(res.status, 500);
    assert.deepEqual(JSON.parse(res.text), { computeFault: { code: 500, message: UNEXPECTED } });
    assert.ok(!/secret|TypeError|RangeError|\.ts:/.test(res.text), res.text);
    assert.match(
      res.logs,
      /ERROR nova\.api\.openstack\.wsgi \[-\] Unexpected exception in API method\n/,
    );
    assert.match(res.logs, /secret/, "the log keeps what the answer leaves out");
  }
  const again = await answer(() => ({ thing: 1 }));
  assert.equal(again.status, 200, "the next request is served");
});

Deno.test("resource(): a nova exception nova's controller cannot answer stays nova's 500 naming it", async () => {
  const res = await answer(() => {
    throw new NoValidHost("");
  });
  assert.equal(res.status, 500);
  assert.equal(
    JSON.parse(res.text).computeFault.message,
    `${UNEXPECTED}\n<class 'nova.exception.NoValidHost'>`,
  );
});

Deno.test("resource(): errors nova's decorator did not list answer as raised (nova: 500)", async () => {
  const conflict = await answer(() => {
    throw new HttpError(409, "Conflicting");
  });
  assert.deepEqual(JSON.parse(conflict.text), {
    conflictingRequest: { code: 409, message: "Conflicting" },
  });
  const invalid = await answer(() => {
    throw new Invalid("Bad thing");
  });
  assert.deepEqual(JSON.parse(invalid.text), { badRequest: { code: 400, message: "Bad thing" } });
  const state = await answer(() => {
    throw new InstanceInvalidState("i-1", "task_state", "deleting", "get_vnc_console");
  });
  assert.equal(state.status, 409);
  assert.match(JSON.parse(state.text).conflictingRequest.message, /^Instance i-1 in task_state/);
});
