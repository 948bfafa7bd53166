/**
 * End to end: image data streams through novalet's image service without
 * being held in memory (50 MB up and down, VmRSS of the server before and
 * after), `[image] max_image_size` answers 413 before the body is read,
 * an upload cut short by a stopped process leaves its image `killed`, and
 * nova's compute API boots a server from an uploaded image.
 */

import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { rawRequest } from "../_server.ts";
import { activeServer, IMAGE } from "./_servers.ts";
import {
  createImage,
  DEMO,
  type ImageNovalet,
  img,
  memoryKiB,
  startImageNovalet,
  upload,
} from "./_image_api.ts";

const MB = 1024 * 1024;

/** `size` bytes of a repeating pattern, produced 1 MiB at a time (the client holds none of it). */
function patterned(size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close();
      const n = Math.min(MB, size - sent);
      controller.enqueue(new Uint8Array(n).map((_, i) => (sent + i) % 253));
      sent += n;
    },
  });
}

function patternMd5(size: number): string {
  const md5 = createHash("md5");
  for (let at = 0; at < size; at += MB) {
    md5.update(new Uint8Array(Math.min(MB, size - at)).map((_, i) => (at + i) % 253));
  }
  return md5.digest("hex");
}

function status(s: ImageNovalet, id: string): Promise<string> {
  return img(s, "GET", `/v2/images/${id}`).then((r) => r.json.status);
}

Deno.test("e2e image data: 50 MB up and down, streamed", async (t) => {
  const s = await startImageNovalet();
  try {
    const size = 50 * MB;
    const md5 = patternMd5(size);
    const image = await createImage(s);
    await t.step("a chunked 50 MB upload: the server's memory does not grow by it", async () => {
      await img(s, "GET", "/v2/images"); // warm up before measuring
      const before = memoryKiB(s.n.pid);
      const res = await upload(s, image.id, patterned(size));
      const after = memoryKiB(s.n.pid);
      assert.equal(res.status, 204, res.text);
      const grown = (after - before) / 1024;
      assert.ok(grown < 25, `VmRSS grew by ${grown.toFixed(1)} MiB during a 50 MiB upload`);
      const shown = (await img(s, "GET", `/v2/images/${image.id}`)).json;
      assert.equal(shown.size, size);
      assert.equal(shown.checksum, md5);
      assert.equal(shown.status, "active");
    });
    await t.step("the 50 MB download: streamed, byte for byte", async () => {
      const before = memoryKiB(s.n.pid);
      const res = await fetch(`${s.image}/v2/images/${image.id}/file`, {
        headers: { "X-Auth-Token": DEMO },
      });
      assert.equal(res.headers.get("content-length"), String(size));
      assert.equal(res.headers.get("content-md5"), md5);
      const hash = createHash("md5");
      let received = 0;
      for await (const chunk of res.body!) {
        hash.update(chunk);
        received += chunk.length;
      }
      const grown = (memoryKiB(s.n.pid) - before) / 1024;
      assert.equal(received, size);
      assert.equal(hash.digest("hex"), md5);
      assert.ok(grown < 25, `VmRSS grew by ${grown.toFixed(1)} MiB during a 50 MiB download`);
    });
    await t.step("a Content-Length upload of 20 MB", async () => {
      const other = await createImage(s);
      const data = new Uint8Array(20 * MB).map((_, i) => i % 199);
      const res = await upload(s, other.id, data);
      assert.equal(res.status, 204);
      const shown = (await img(s, "GET", `/v2/images/${other.id}`)).json;
      assert.equal(shown.checksum, createHash("md5").update(data).digest("hex"));
    });
  } finally {
    await s.n.stop();
  }
});

Deno.test("e2e image data: max_image_size, 413 without reading the body", async (t) => {
  const s = await startImageNovalet("[image]\nmax_image_size = 1048576\n");
  try {
    await t.step("Content-Length over the cap: 413 while the body is still unsent", async () => {
      const image = await createImage(s);
      const head = `PUT /v2/images/${image.id}/file HTTP/1.1\r\nHost: x\r\n` +
        `X-Auth-Token: ${DEMO}\r\nContent-Type: application/octet-stream\r\n` +
        `Content-Length: ${50 * MB}\r\nAccept: application/json\r\n\r\n`;
      // Only the head and 1 KiB: an answer means the server did not wait for the 50 MB.
      const answer = await rawRequest(Number(new URL(s.image).port), head + "x".repeat(1024));
      assert.match(answer, /^HTTP\/1\.1 413 Request Entity Too Large\r\n/);
      assert.match(answer, /\r\nConnection: close\r\n/);
      assert.match(answer, /The incoming image is too large: The provided image is too large\./);
      assert.equal(await status(s, image.id), "queued");
    });
    await t.step(
      "a chunked body past the cap: 413 once the cap is passed, nothing kept",
      async () => {
        const image = await createImage(s);
        const res = await upload(s, image.id, patterned(3 * MB)).catch((err) => err as Error);
        if (!(res instanceof Error)) assert.equal(res.status, 413);
        assert.equal(await status(s, image.id), "queued");
        assert.deepEqual([...Deno.readDirSync(`${s.n.stateDir}/images`)].map((e) => e.name), []);
      },
    );
    await t.step("at the cap exactly: accepted", async () => {
      const image = await createImage(s);
      assert.equal((await upload(s, image.id, new Uint8Array(MB))).status, 204);
      assert.equal(await status(s, image.id), "active");
    });
  } finally {
    await s.n.stop();
  }
});

Deno.test("e2e image data: an upload cut short by a stopped process leaves the image killed", async () => {
  const first = await startImageNovalet();
  const image = await createImage(first);
  const port = Number(new URL(first.image).port);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(
      `PUT /v2/images/${image.id}/file HTTP/1.1\r\nHost: x\r\nX-Auth-Token: ${DEMO}\r\n` +
        `Content-Type: application/octet-stream\r\nContent-Length: ${10 * MB}\r\n\r\n`,
    ));
    await conn.write(new Uint8Array(MB));
    const deadline = Date.now() + 5000;
    while (await status(first, image.id) !== "saving" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(await status(first, image.id), "saving");
    first.n.signal("SIGKILL");
    await first.n.exited;
  } finally {
    conn.close();
  }
  const second = await startImageNovalet("", first.n.stateDir);
  try {
    assert.equal(await status(second, image.id), "killed");
    const names = [...Deno.readDirSync(`${second.n.stateDir}/images`)].map((e) => e.name);
    assert.deepEqual(names, [], "the partial file is removed");
    const listed = (await img(second, "GET", "/v2/images")).json.images.map((i: { id: string }) =>
      i.id
    );
    assert.ok(!listed.includes(image.id), "glance does not list killed images");
  } finally {
    await second.n.stop();
  }
});

Deno.test("e2e image data: nova boots a server from an uploaded image", async () => {
  const s = await startImageNovalet();
  try {
    const image = await createImage(s, { name: "uploaded", min_ram: 64 });
    const queued = await fetch(`${s.n.url}/v2.1/images/${image.id}`, {
      headers: { "X-Auth-Token": DEMO },
    });
    assert.equal((await queued.json()).image.status, "SAVING");
    assert.equal((await upload(s, image.id, new Uint8Array(4096).fill(7))).status, 204);
    const proxied = await fetch(`${s.n.url}/v2.1/images/${image.id}`, {
      headers: { "X-Auth-Token": DEMO },
    });
    const view = (await proxied.json()).image;
    assert.equal(view.status, "ACTIVE");
    assert.equal(view["OS-EXT-IMG-SIZE:size"], 4096);
    assert.equal(view.minRam, 64);
    const server = await activeServer(s.n, { imageRef: image.id }, { token: DEMO });
    assert.equal(server.status, "ACTIVE");
    assert.equal(server.image.id, image.id);
    assert.notEqual(image.id, IMAGE);
  } finally {
    await s.n.stop();
  }
});
