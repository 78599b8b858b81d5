/**
 * The sandbox's guarantees, checked with the test kernel (tests/kernels/probe.ts) through the real
 * engine and real sandbox processes: deadlines, traps, memory caps, budgets, and no heap drift.
 */
import assert from "node:assert/strict";
import { createProbeEngine } from "./_probe.ts";

const item = (response: string, options: Record<string, unknown> = {}) => ({
  verifier: "probe",
  response,
  options,
});

Deno.test("an item that loops forever in a 4,096-item batch costs one deadline; the other 4,095 are scored", async () => {
  const engine = await createProbeEngine({ workers: 2 });
  try {
    const items = Array.from(
      { length: 4096 },
      (_, i) => item(i === 2000 ? "loop" : "ok", { timeout_ms: 500 }),
    );
    const started = performance.now();
    const results = await engine.verifyBatch(items);
    const elapsed = performance.now() - started;
    assert.equal(results.length, 4096);
    assert.equal(results[2000].reward, 0);
    assert.equal(results[2000].correct, false);
    assert.equal(results[2000].details?.reason, "too_complex");
    assert.equal(results[2000].details?.limit, "deadline");
    assert.ok(results[2000].ms >= 500, `the culprit ran ${results[2000].ms} ms`);
    const scored = results.filter((r, i) => i !== 2000 && r.reward === 1 && r.error === null);
    assert.equal(scored.length, 4095);
    assert.equal(engine.stats().pool.timeouts, 1);
    // One deadline (500 ms) plus a process restart, not one deadline per chunk or per item.
    assert.ok(elapsed < 500 + 1500, `the batch took ${elapsed.toFixed(0)} ms`);
  } finally {
    await engine.close();
  }
});

Deno.test("a memory-cap overrun is a too_complex verdict and the items after it are scored", async () => {
  const engine = await createProbeEngine({ workers: 1 });
  try {
    const results = await engine.verifyBatch([item("ok"), item("alloc 200"), item("ok"), item("mem")]);
    assert.equal(results[0].reward, 1);
    assert.equal(results[1].reward, 0);
    assert.equal(results[1].details?.reason, "too_complex");
    assert.equal(results[1].details?.limit, "memory");
    assert.equal(results[2].reward, 1);
    assert.equal(results[3].error, null);
  } finally {
    await engine.close();
  }
});

Deno.test("a kernel trap or abort is an internal error for that item only", async () => {
  const engine = await createProbeEngine({ workers: 1 });
  try {
    const results = await engine.verifyBatch([
      item("trap"),
      item("ok"),
      item("abort"),
      item("bad"),
      item("ok"),
    ]);
    for (const i of [0, 2, 3]) {
      assert.equal(results[i].reward, null);
      assert.equal(results[i].correct, null);
      assert.equal(results[i].error?.code, "internal");
    }
    assert.match(results[0].error!.message, /unreachable/);
    assert.match(results[3].error!.message, /malformed result/);
    assert.equal(results[1].reward, 1);
    assert.equal(results[4].reward, 1);
  } finally {
    await engine.close();
  }
});

Deno.test("budget_ms ends the batch: unfinished items get overloaded, finished ones keep their verdicts", async () => {
  const engine = await createProbeEngine({ workers: 1 });
  try {
    // One chunk: the two items before the culprit were scored in the process that is then stopped;
    // their results are recovered from its shared memory, not lost or re-run.
    const items = [item("ok"), item("ok"), item("loop", { timeout_ms: 10_000 })];
    const started = performance.now();
    const results = await engine.verifyBatch(items, { budgetMs: 300 });
    assert.ok(performance.now() - started < 2000);
    assert.equal(results[0].reward, 1);
    assert.equal(results[1].reward, 1);
    assert.equal(results[2].reward, null);
    assert.equal(results[2].error?.code, "overloaded");
    assert.match(results[2].error!.message, /budget_ms/);
  } finally {
    await engine.close();
  }
});

Deno.test("options.timeout_ms is capped by the engine's maximum", async () => {
  const engine = await createProbeEngine({ workers: 1, maxTimeoutMs: 200 });
  try {
    const started = performance.now();
    const [result] = await engine.verifyBatch([item("loop", { timeout_ms: 60_000 })]);
    assert.equal(result.details?.reason, "too_complex");
    assert.ok(performance.now() - started < 1500);
  } finally {
    await engine.close();
  }
});

Deno.test("10 million items through one sandbox process do not drift towards the memory cap", async () => {
  const engine = await createProbeEngine({ workers: 1, maxChunkItems: 65536, maxQueueItems: 1_000_000 });
  try {
    const [before] = await engine.verifyBatch([item("mem")]);
    const batch = Array.from({ length: 1_000_000 }, () => item("ok"));
    let scored = 0;
    for (let round = 0; round < 10; round++) {
      const results = await engine.verifyBatch(batch);
      for (const r of results) if (r.reward === 1) scored++;
    }
    const [after] = await engine.verifyBatch([item("mem")]);
    assert.equal(scored, 10_000_000);
    assert.equal(engine.stats().pool.respawns, 0);
    assert.equal(engine.stats().pool.faults, 0);
    // Each "ok" item allocates 4 KiB; without the per-item heap reset 10M items would need 40 GB.
    assert.ok((after.details!.pages as number) <= (before.details!.pages as number) + 1);
  } finally {
    await engine.close();
  }
});

Deno.test("after a deadline stop, earlier results are kept and an earlier trap is re-run to name it", async () => {
  const engine = await createProbeEngine({ workers: 1 });
  try {
    const results = await engine.verifyBatch([
      item("trap"),
      item("ok"),
      item("loop", { timeout_ms: 300 }),
      item("ok"),
    ]);
    assert.equal(results[0].error?.code, "internal");
    assert.match(results[0].error!.message, /unreachable/);
    assert.equal(results[1].reward, 1);
    assert.equal(results[2].details?.reason, "too_complex");
    assert.equal(results[3].reward, 1);
    assert.equal(engine.stats().pool.respawns, 1);
  } finally {
    await engine.close();
  }
});

Deno.test("jobs that arrive one at a time go to the least busy process, not all to the first", async () => {
  const engine = await createProbeEngine({ workers: 2 });
  try {
    await engine.verifyBatch([item("ok")]);
    // Two single-item batches, one after the other: two jobs that each run to their deadline.
    const started = performance.now();
    const results = await Promise.all([
      engine.verifyBatch([item("loop", { timeout_ms: 600 })]),
      engine.verifyBatch([item("loop", { timeout_ms: 600 })]),
    ]);
    const elapsed = performance.now() - started;
    for (const [result] of results) assert.equal(result.details?.limit, "deadline");
    // Side by side they end together after one deadline (about 0.63 s here); queued on one process,
    // the second starts only after the first's deadline (about 1.25 s in all).
    assert.ok(elapsed < 1000, `the two batches took ${elapsed.toFixed(0)} ms`);
  } finally {
    await engine.close();
  }
});
