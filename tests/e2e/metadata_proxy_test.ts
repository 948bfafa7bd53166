/**
 * End to end: the metadata API behind Neutron's metadata proxy
 * (`[neutron] service_metadata_proxy`): the instance named by
 * X-Instance-ID and X-Tenant-ID, signed with HMAC-SHA256 under
 * `metadata_proxy_shared_secret`; nova's 400s for missing headers, 403
 * for a missing or wrong signature, 404 for another tenant's instance;
 * and the password a guest posts once.
 */

import { strict as assert } from "node:assert";
import { activeServer, DEMO } from "./_servers.ts";
import {
  fixedIpOf,
  type MdAnswer,
  mdGetAs,
  mdRequest,
  sign,
  waitForLog,
  withMetadata,
} from "./_metadata.ts";

const SECRET = "s3cret-\u00e9";
const PROXY =
  `[neutron]\nservice_metadata_proxy = true\nmetadata_proxy_shared_secret = ${SECRET}\n`;
const FORBIDDEN = "403 Forbidden\n\nInvalid proxy request signature.\n\n   ";
const NOT_FOUND = "404 Not Found\n\nThe resource could not be found.\n\n   ";

function badRequest(message: string): string {
  return `400 Bad Request\n\n${message}\n\n   `;
}

/** A request as the proxy sends it for `instanceId` of `tenant` (signature given or computed). */
function proxied(
  md: string,
  path: string,
  headers: Record<string, string>,
  init: { method?: string; body?: string } = {},
): Promise<MdAnswer> {
  return mdRequest(md, path, { ...init, headers });
}

function signed(id: string, tenant: string, extra: Record<string, string> = {}) {
  return {
    "X-Instance-ID": id,
    "X-Tenant-ID": tenant,
    "X-Instance-ID-Signature": sign(SECRET, id),
    "X-Forwarded-For": "10.0.0.2",
    ...extra,
  };
}

Deno.test("metadata proxy: a signed X-Instance-ID of the tenant gets its metadata", async () => {
  await withMetadata(async ({ n, md }) => {
    const server = await activeServer(n, { name: "proxied" }, { version: "2.1", token: DEMO });
    const res = await proxied(
      md,
      "/openstack/latest/meta_data.json",
      signed(server.id, "demoproject"),
    );
    assert.equal(res.status, 200, res.text);
    const doc = JSON.parse(res.text);
    assert.equal(doc.uuid, server.id);
    assert.equal(doc.project_id, "demoproject");
    // The EC2 local-ipv4 is the port's address, not the proxy's X-Forwarded-For.
    const local = await proxied(
      md,
      "/latest/meta-data/local-ipv4",
      signed(server.id, "demoproject"),
    );
    assert.equal(local.text, fixedIpOf(server).addr);
    // Another tenant's id for the instance: nova answers 404.
    const other = await proxied(md, "/openstack/latest/meta_data.json", signed(server.id, "admin"));
    assert.equal(other.status, 404);
    assert.equal(other.text, NOT_FOUND);
    // A well-signed id of no instance: 404.
    const ghost = crypto.randomUUID();
    assert.equal((await proxied(md, "/openstack", signed(ghost, "demoproject"))).status, 404);
    // The client address no longer identifies anyone.
    const byAddress = await mdGetAs(md, fixedIpOf(server).addr, "/openstack");
    assert.equal(byAddress.status, 400);
    assert.equal(byAddress.text, badRequest("X-Instance-ID header is missing from request."));
  }, PROXY);
});

Deno.test("metadata proxy: a wrong, empty or missing signature and missing headers", async () => {
  await withMetadata(async ({ n, md }) => {
    const server = await activeServer(n, { name: "target" }, { version: "2.1" });
    const id = server.id;
    const cases: [Record<string, string>, number, string][] = [
      [signed(id, "admin", { "X-Instance-ID-Signature": sign("other", id) }), 403, FORBIDDEN],
      [
        signed(id, "admin", { "X-Instance-ID-Signature": sign(SECRET, id).toUpperCase() }),
        403,
        FORBIDDEN,
      ],
      [
        signed(id, "admin", { "X-Instance-ID-Signature": sign(SECRET, id).slice(1) }),
        403,
        FORBIDDEN,
      ],
      [signed(id, "admin", { "X-Instance-ID-Signature": "" }), 403, FORBIDDEN],
      [
        { "X-Instance-ID": id, "X-Tenant-ID": "admin" },
        400,
        badRequest("X-Instance-ID-Signature header is missing from request."),
      ],
      [
        { "X-Instance-ID": id, "X-Instance-ID-Signature": sign(SECRET, id) },
        400,
        badRequest("X-Tenant-ID header is missing from request."),
      ],
      [
        { "X-Tenant-ID": "admin", "X-Instance-ID-Signature": sign(SECRET, id) },
        400,
        badRequest("X-Instance-ID header is missing from request."),
      ],
    ];
    for (const [headers, status, body] of cases) {
      const res = await proxied(md, "/openstack/latest/meta_data.json", headers);
      assert.equal(res.status, status, JSON.stringify(headers));
      assert.equal(res.text, body);
      assert.equal(res.headers.get("content-type"), "text/plain; charset=UTF-8");
    }
    // JSON error pages when asked for.
    const json = await proxied(md, "/openstack", {
      ...signed(id, "admin", { "X-Instance-ID-Signature": "x" }),
      Accept: "application/json",
    });
    assert.equal(
      json.text,
      '{"message": "Invalid proxy request signature.<br /><br />\\n\\n\\n", "code": "403 Forbidden", "title": "Forbidden"}',
    );
    // The root listing needs no identification.
    assert.equal((await mdRequest(md, "/")).status, 200);
    await waitForLog(
      n,
      new RegExp(
        `WARNING .* X-Instance-ID-Signature: x does not match the expected value: ${
          sign(SECRET, id)
        } for id: ${id}\\. Request From: 10\\.0\\.0\\.2`,
      ),
    );
  }, PROXY);
});

Deno.test("metadata proxy: a metadata provider (X-Metadata-Provider) has no subnets here", async () => {
  await withMetadata(async ({ md }) => {
    const missing = await proxied(md, "/openstack", { "X-Metadata-Provider": "lb-1" });
    assert.equal(missing.text, badRequest("X-Forwarded-For is missing from request."));
    const unsigned = await proxied(md, "/openstack", {
      "X-Metadata-Provider": "lb-1",
      "X-Forwarded-For": "10.0.0.2",
    });
    assert.equal(unsigned.status, 403);
    assert.equal(unsigned.text, FORBIDDEN);
    const good = await proxied(md, "/openstack", {
      "X-Metadata-Provider": "lb-1",
      "X-Forwarded-For": "10.0.0.2, 192.0.2.1",
      "X-Metadata-Provider-Signature": sign(SECRET, "lb-1"),
    });
    assert.equal(good.status, 400);
    assert.equal(good.text, badRequest("Could not find any subnets for provider lb-1"));
  }, PROXY);
});

Deno.test("metadata: the password is posted once, read back, and 409 after", async () => {
  await withMetadata(async ({ n, md }) => {
    const server = await activeServer(n, { name: "pw" }, { version: "2.1" });
    const headers = signed(server.id, "admin");
    const path = "/openstack/latest/password";
    const empty = await proxied(md, path, headers);
    assert.equal(empty.status, 200);
    assert.equal(empty.headers.get("content-type"), "text/html; charset=UTF-8");
    assert.equal(empty.text, "");
    const secret = "ENCRYPTED-\u00e9".repeat(60); // 660 characters: three chunks
    const posted = await proxied(md, path, headers, { method: "POST", body: secret });
    assert.equal(posted.status, 200);
    assert.equal(posted.text, "");
    const read = await proxied(md, path, headers);
    assert.equal(read.text, secret);
    const again = await proxied(md, path, headers, { method: "POST", body: "other" });
    assert.equal(again.status, 409);
    assert.equal(
      again.text,
      "409 Conflict\n\nThere was a conflict when trying to complete your request.\n\n   ",
    );
    assert.equal((await proxied(md, path, headers)).text, secret);
    const put = await proxied(md, path, headers, { method: "PUT", body: "x" });
    assert.equal(put.status, 400);
    assert.equal(put.text, badRequest("GET and POST only are supported."));
    // Too large for the four 255-character chunks: 400 (on a server without one).
    const fresh = await activeServer(n, { name: "pw2" }, { version: "2.1" });
    const big = await proxied(md, path, signed(fresh.id, "admin"), {
      method: "POST",
      body: "x".repeat(1021),
    });
    assert.equal(big.status, 400);
    assert.equal(big.text, badRequest("Request is too large."));
    const fits = await proxied(md, path, signed(fresh.id, "admin"), {
      method: "POST",
      body: "y".repeat(1020),
    });
    assert.equal(fits.status, 200);
    assert.equal((await proxied(md, path, signed(fresh.id, "admin"))).text, "y".repeat(1020));
  }, PROXY);
});
