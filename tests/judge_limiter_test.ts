/**
 * The per-judge limits: token buckets refill continuously, a call estimated above the tokens left
 * waits for the refill, settled usage gives tokens back, Retry-After pauses every waiter, waiters
 * are served in order, and an aborted waiter leaves the queue.
 */
import assert from "node:assert/strict";
import { AdmissionAborted, JudgeLimiter, TokenBucket } from "../verifiers/judge/limiter.ts";

Deno.test("TokenBucket refills at capacity per minute and says how long to wait", () => {
  let now = 0;
  const bucket = new TokenBucket(600, () => now); // 10 per second
  assert.equal(bucket.waitMs(600), 0);
  bucket.take(600);
  assert.equal(bucket.waitMs(1), 100);
  now = 50;
  assert.equal(bucket.waitMs(1), 50);
  now = 1000;
  assert.equal(bucket.waitMs(10), 0);
  bucket.take(10);
  bucket.giveBack(5);
  assert.equal(bucket.waitMs(5), 0);
  assert.equal(bucket.waitMs(6), 100);
  assert.equal(
    bucket.waitMs(10_000),
    Math.ceil((600 - 5) * 100),
    "more than capacity waits for a full bucket",
  );
  assert.equal(new TokenBucket(Infinity).waitMs(1e12), 0);
});

Deno.test("tokens_per_minute: a call waits until the bucket has refilled its estimate; settled usage gives tokens back", async () => {
  const limiter = new JudgeLimiter(8, Infinity, 60_000); // 1,000 tokens per second
  await limiter.acquire(60_000);
  let t = performance.now();
  await limiter.acquire(200);
  assert.ok(performance.now() - t >= 150, "waited for ~200 ms of refill");
  limiter.release(60_000, 100); // the first call used far less than estimated: 59,900 come back
  limiter.release(200, 200);
  t = performance.now();
  await limiter.acquire(50_000);
  assert.ok(performance.now() - t < 100, "the settled tokens were available at once");
  limiter.release(50_000);
});

Deno.test("max_concurrency admits waiters in order; Retry-After pauses everyone; an aborted waiter leaves", async () => {
  const limiter = new JudgeLimiter(1, Infinity, Infinity);
  await limiter.acquire(1);
  const order: number[] = [];
  const second = limiter.acquire(1).then(() => order.push(2));
  const controller = new AbortController();
  const aborted = limiter.acquire(1, controller.signal).catch((error) => {
    assert.ok(error instanceof AdmissionAborted);
    order.push(-1);
  });
  const third = limiter.acquire(1).then(() => order.push(3));
  controller.abort();
  await aborted;
  assert.equal(limiter.waiting, 2);
  limiter.pause(200);
  const t = performance.now();
  limiter.release(1);
  await second;
  assert.ok(performance.now() - t >= 150, "the pause held the next waiter");
  limiter.release(1);
  await third;
  assert.deepEqual(order, [-1, 2, 3]);
  assert.equal(limiter.peakInFlight, 1);
  limiter.release(1);
  limiter.close();
});

Deno.test("thousands of waiters on one signal: one abort listener in all; aborting rejects them all", async () => {
  const limiter = new JudgeLimiter(2, Infinity, Infinity);
  const controller = new AbortController();
  let listeners = 0;
  const signal = controller.signal;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((...args: Parameters<typeof add>) => {
    listeners++;
    add(...args);
  }) as typeof add;
  signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
    listeners--;
    remove(...args);
  }) as typeof remove;
  const admitted: number[] = [];
  const rejected: number[] = [];
  const calls = Array.from({ length: 3000 }, (_, i) =>
    limiter.acquire(1, signal).then(
      () => admitted.push(i),
      (error) => {
        assert.ok(error instanceof AdmissionAborted);
        rejected.push(i);
      },
    ));
  const unsignalled = limiter.acquire(1).then(() => admitted.push(-1));
  assert.equal(listeners, 1, "the two admitted at once never listened; the waiters share one listener");
  assert.equal(limiter.waiting, 2999);
  limiter.release(1);
  limiter.release(1);
  await Promise.resolve();
  controller.abort();
  await Promise.all(calls);
  assert.equal(rejected.length, 2996);
  assert.equal(limiter.waiting, 1, "the waiter without a signal stays");
  limiter.release(1);
  await unsignalled;
  assert.deepEqual(admitted, [0, 1, 2, 3, -1]);
  assert.equal(limiter.waiting, 0);
  limiter.release(1);
  limiter.release(1);
  limiter.close();
});

Deno.test("a signal whose waiters were all admitted carries no listener any more", async () => {
  const limiter = new JudgeLimiter(1, Infinity, Infinity);
  const controller = new AbortController();
  let listeners = 0;
  const signal = controller.signal;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((...args: Parameters<typeof add>) => (listeners++, add(...args))) as typeof add;
  signal.removeEventListener =
    ((...args: Parameters<typeof remove>) => (listeners--, remove(...args))) as typeof remove;
  await limiter.acquire(1, signal);
  const waiting = [limiter.acquire(1, signal), limiter.acquire(1, signal)];
  assert.equal(listeners, 1);
  limiter.release(1);
  await waiting[0];
  assert.equal(listeners, 1);
  limiter.release(1);
  await waiting[1];
  assert.equal(listeners, 0);
  limiter.release(1);
  limiter.close();
});
