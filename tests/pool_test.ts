import assert from "node:assert/strict";
import { Pool, poolSizeFromConf, PoolWaitTimeout } from "../lib/pool.ts";

Deno.test("Pool() throws TypeError for a max that is not a positive integer", () => {
  for (const bad of [0, -1, 1.5, NaN, -Infinity]) {
    assert.throws(() => new Pool(bad), TypeError, `max ${bad}`);
  }
  assert.equal(new Pool(Infinity).max, Infinity);
  assert.equal(new Pool(3).max, 3);
});

Deno.test("Pool.acquire() grants up to max at once and queues the rest", async () => {
  const pool = new Pool(2);
  const a = await pool.acquire();
  const b = await pool.acquire();
  assert.equal(pool.active, 2);
  let third = false;
  const c = pool.acquire().then((p) => {
    third = true;
    return p;
  });
  await Promise.resolve();
  assert.equal(third, false);
  assert.equal(pool.waiting, 1);
  a[Symbol.dispose]();
  const permit = await c;
  assert.equal(third, true);
  assert.equal(pool.active, 2, "a released permit passes to the waiter");
  assert.equal(pool.waiting, 0);
  b[Symbol.dispose]();
  permit[Symbol.dispose]();
  assert.equal(pool.active, 0);
});

Deno.test("Pool grants waiters in FIFO order", async () => {
  const pool = new Pool(1);
  const first = await pool.acquire();
  const order: number[] = [];
  const waiters = [1, 2, 3, 4].map((n) =>
    pool.acquire().then((permit) => {
      order.push(n);
      permit[Symbol.dispose]();
    })
  );
  assert.equal(pool.waiting, 4);
  first[Symbol.dispose]();
  await Promise.all(waiters);
  assert.deepEqual(order, [1, 2, 3, 4]);
  assert.equal(pool.active, 0);
  assert.equal(pool.waiting, 0);
});

Deno.test("Pool.tryAcquire() returns undefined when full and never overtakes waiters", async () => {
  const pool = new Pool(1);
  const held = pool.tryAcquire();
  assert.ok(held);
  assert.equal(pool.tryAcquire(), undefined);
  const queued = pool.acquire();
  held[Symbol.dispose]();
  assert.equal(pool.tryAcquire(), undefined, "the permit went to the queued waiter");
  (await queued)[Symbol.dispose]();
  const again = pool.tryAcquire();
  assert.ok(again);
  again[Symbol.dispose]();
});

Deno.test("Pool permits release with `using` and only once", async () => {
  const pool = new Pool(2);
  {
    using _permit = await pool.acquire();
    assert.equal(pool.active, 1);
  }
  assert.equal(pool.active, 0);
  const permit = await pool.acquire();
  const other = await pool.acquire();
  permit[Symbol.dispose]();
  permit[Symbol.dispose]();
  assert.equal(pool.active, 1, "a second dispose does not free another permit");
  other[Symbol.dispose]();
  assert.equal(pool.active, 0);
});

Deno.test("Pool(Infinity) never waits", async () => {
  const pool = new Pool(Infinity);
  const permits = await Promise.all(Array.from({ length: 5000 }, () => pool.acquire()));
  assert.equal(pool.active, 5000);
  assert.equal(pool.waiting, 0);
  for (const p of permits) p[Symbol.dispose]();
  assert.equal(pool.active, 0);
});

Deno.test("poolSizeFromConf() reads default_pool_size 0 as no bound", () => {
  assert.equal(poolSizeFromConf(0), Infinity);
  assert.equal(poolSizeFromConf(1000), 1000);
  assert.equal(poolSizeFromConf(1), 1);
});

Deno.test("Pool() throws RangeError for a negative maxWaitMs", () => {
  assert.throws(() => new Pool(1, { maxWaitMs: -1 }), RangeError);
  assert.throws(() => new Pool(1, { maxWaitMs: NaN }), RangeError);
});

Deno.test("Pool with maxWaitMs refuses waiters still queued after it, oldest first", async () => {
  const pool = new Pool(1, { maxWaitMs: 100 });
  const held = await pool.acquire();
  const t0 = performance.now();
  const first = pool.acquire();
  await new Promise((r) => setTimeout(r, 50));
  const second = pool.acquire();
  const firstFailed = await first.then(() => null, (err) => err);
  const firstWaited = performance.now() - t0;
  assert.ok(firstFailed instanceof PoolWaitTimeout);
  assert.equal(firstFailed.waitedMs, 100);
  assert.ok(firstWaited >= 95 && firstWaited < 400, `waited ${firstWaited} ms`);
  assert.equal(pool.waiting, 1, "the younger waiter is still queued");
  await assert.rejects(second, PoolWaitTimeout);
  assert.equal(pool.waiting, 0);
  assert.equal(pool.expired, 2);
  assert.equal(pool.active, 1, "an expired wait takes no permit");
  held[Symbol.dispose]();
  assert.equal(pool.active, 0);
});

Deno.test("Pool with maxWaitMs grants a permit freed in time, and its expiry does nothing", async () => {
  const pool = new Pool(1, { maxWaitMs: 100 });
  const held = await pool.acquire();
  const waiter = pool.acquire();
  setTimeout(() => held[Symbol.dispose](), 30);
  const permit = await waiter;
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(pool.expired, 0);
  assert.equal(pool.active, 1);
  permit[Symbol.dispose]();
  assert.equal(pool.active, 0);
});
