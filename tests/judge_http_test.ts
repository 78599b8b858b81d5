/**
 * The judge client's HTTP layer: request deadlines served by one timer (each request ends at its
 * own deadline, cancelling frees it, nothing is left scheduled), a caller's signal cancels all of
 * its requests through one listener, and the answer cap holds for declared, chunked and compressed
 * bodies.
 */
import assert from "node:assert/strict";
import { MAX_ANSWER_BYTES, postJson } from "../verifiers/_openai/mod.ts";
import { DEADLINES, Deadlines, requestSignal } from "../verifiers/_openai/request_signal.ts";

Deno.test("Deadlines fire in deadline order, each at its own time; cancelled ones never fire", async () => {
  const deadlines = new Deadlines();
  const fired: number[] = [];
  const started = performance.now();
  const at: Record<number, number> = {};
  for (const ms of [120, 20, 80, 50, 200]) {
    deadlines.add(ms, () => {
      fired.push(ms);
      at[ms] = performance.now() - started;
    });
  }
  const cancelled = deadlines.add(60, () => fired.push(-1));
  deadlines.cancel(cancelled);
  assert.equal(deadlines.pending, 5);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(fired, [20, 50, 80, 120, 200]);
  for (const ms of [20, 50, 80, 120, 200]) assert.ok(at[ms] >= ms - 1, `${ms} ms fired at ${at[ms]}`);
  assert.equal(deadlines.pending, 0);
});

Deno.test("Deadlines: thousands added and cancelled leave no timer behind (the test would leak one)", () => {
  const deadlines = new Deadlines();
  const entries = Array.from(
    { length: 5000 },
    (_, i) => deadlines.add(30_000 + i, () => assert.fail("fired")),
  );
  for (const entry of entries.slice(0, 4000)) deadlines.cancel(entry);
  assert.equal(deadlines.pending, 1000);
  for (const entry of entries.slice(4000)) deadlines.cancel(entry);
  assert.equal(deadlines.pending, 0);
});

Deno.test("requestSignal: the deadline aborts (timedOut), the caller's signal aborts all its requests", async () => {
  const timed = requestSignal(30);
  await new Promise((resolve) => timed.signal.addEventListener("abort", resolve));
  assert.equal(timed.timedOut(), true);
  timed.done();

  const caller = new AbortController();
  const many = Array.from({ length: 500 }, () => requestSignal(60_000, caller.signal));
  assert.ok(many.every((r) => !r.signal.aborted));
  caller.abort();
  assert.ok(many.every((r) => r.signal.aborted && !r.timedOut()));
  for (const r of many) r.done();
  assert.equal(DEADLINES.pending, 0);

  const already = requestSignal(60_000, caller.signal);
  assert.equal(already.signal.aborted, true);
  already.done();
  assert.equal(DEADLINES.pending, 0);
});

Deno.test("postJson: timeouts, cancels and answers over the cap, declared, chunked or compressed", async () => {
  const big = new Uint8Array(MAX_ANSWER_BYTES + 1024).fill(0x20);
  const gzipped = new Uint8Array(
    await new Response(new Blob([big]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer(),
  );
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    await req.arrayBuffer();
    const path = new URL(req.url).pathname;
    if (path === "/ok") return Response.json({ fine: true });
    if (path === "/declared") return new Response(big);
    if (path === "/chunked") {
      return new Response(new Blob([big]).stream(), { headers: { "content-type": "text/plain" } });
    }
    if (path === "/gzip") {
      return new Response(gzipped, {
        headers: { "content-encoding": "gzip", "content-length": String(gzipped.length) },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // /slow
    return new Response("late");
  });
  const origin = `http://127.0.0.1:${server.addr.port}`;
  try {
    const ok = await postJson(`${origin}/ok`, { a: 1 }, "key", 5_000);
    assert.deepEqual(ok.ok && JSON.parse(ok.text), { fine: true });
    for (const path of ["/declared", "/chunked", "/gzip"]) {
      const outcome = await postJson(`${origin}${path}`, {}, null, 20_000);
      assert.equal(outcome.ok, false, path);
      assert.equal(!outcome.ok && outcome.code, "too_large", path);
    }
    const slow = await postJson(`${origin}/slow`, {}, null, 100);
    assert.equal(!slow.ok && slow.code, "timeout");
    assert.equal(!slow.ok && slow.retryable, true);
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 50);
    const cancelled = await postJson(`${origin}/slow`, {}, null, 5_000, caller.signal);
    assert.equal(!cancelled.ok && cancelled.code, "cancelled");
    assert.equal(!cancelled.ok && cancelled.retryable, false);
    assert.equal(DEADLINES.pending, 0);
  } finally {
    await server.shutdown();
  }
});
