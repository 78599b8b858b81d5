/**
 * The engine's batch path under hostile or unlucky conditions: admission accounting that always
 * comes back to zero, cancellation, consumers that fail, built-in names, non-finite numbers, spec
 * bombs, oversized batches, and sandbox processes that die (issue #12's failures 1–5 and 9).
 */
import assert from "node:assert/strict";
import { createProbeEngine, sandboxChildren } from "./_probe.ts";
import { BatchTooLargeError, createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { readSandboxFrame } from "../wasm/sandbox_frames.ts";
import { SANDBOX_NICE } from "../wasm/mod.ts";

const probe = (response: string, options: Record<string, unknown> = {}) => ({
  verifier: "probe",
  response,
  options,
});

Deno.test("built-in object names are unknown verifiers, specs and routes, and never leak queue slots", async () => {
  const engine = await createEngine(VERIFIERS, { workers: 1, maxQueueItems: 4 });
  try {
    const names = ["constructor", "toString", "hasOwnProperty", "__proto__", "valueOf"];
    for (let round = 0; round < 3; round++) {
      const results = await engine.verifyBatch([
        ...names.slice(0, 3).map((verifier) => ({ verifier, response: "x" })),
        { spec: "constructor", response: "x" },
      ]);
      for (const result of results) {
        assert.equal(result.error?.code, "invalid_request", JSON.stringify(result));
        assert.equal(result.reward, null);
      }
    }
    const routed = await engine.verifyBatch([{ data_source: "toString", response: "x" }]);
    assert.equal(routed[0].error?.code, "invalid_request");
    assert.equal(engine.stats().pendingItems, 0);
    assert.equal(
      engine.invalidReason({ verifier: "constructor", response: "x" })?.message.startsWith(
        "Unknown verifier",
      ),
      true,
    );
  } finally {
    await engine.close();
  }
});

Deno.test("non-finite numbers are caller errors; a spec whose arithmetic overflows is an internal no-verdict", async () => {
  const engine = await createEngine(VERIFIERS, { workers: 1 });
  try {
    const [box, length, weight] = await engine.verifyBatch([
      {
        verifier: "iou",
        response: "[10, 20, 110, 220]",
        reference: JSON.parse('{"box": [-1e309, 20, 110, 220]}'),
      },
      { verifier: "length", response: "abc", reference: null, options: JSON.parse('{"max_chars": 1e309}') },
      {
        spec: JSON.parse('{"sum": [{"constant": 1}, {"verifier": "format", "weight": 1e999}]}'),
        response: "x",
      },
    ]);
    assert.equal(box.error?.code, "invalid_request");
    assert.match(box.error!.message, /reference\/box\/0: must be a finite number/);
    assert.equal(length.error?.code, "invalid_request");
    assert.equal(weight.error?.code, "invalid_request");
    const [overflow] = await engine.verifyBatch([
      { spec: { sum: [{ constant: 1e308 }, { constant: 1e308 }] }, response: "x" },
    ]);
    assert.equal(overflow.reward, null);
    assert.equal(overflow.error?.code, "internal");
    assert.match(overflow.error!.message, /not a finite reward/);
  } finally {
    await engine.close();
  }
});

Deno.test("spec bombs are caller errors: depth, leaf count, leaves × response size; a wide product stays cheap", async () => {
  const engine = await createEngine(VERIFIERS, { workers: 1 });
  try {
    let deep: unknown = { constant: 1 };
    for (let i = 0; i < 100_000; i++) deep = { sum: [deep] };
    const wide = { max: Array.from({ length: 200_000 }, () => ({ constant: 1 })) };
    const leaves = { sum: Array.from({ length: 200 }, () => ({ verifier: "format" })) };
    const product = { product: Array.from({ length: 256 }, () => ({ constant: -1 })) };
    const [tooDeep, tooWide, tooBig, cheap] = await engine.verifyBatch([
      { spec: deep, response: "x" },
      { spec: wide, response: "x" },
      { spec: leaves, response: "x".repeat(1_000_000) },
      { spec: product, response: "x" },
    ]);
    assert.match(tooDeep.error!.message, /max_spec_depth/);
    assert.match(tooWide.error!.message, /max_spec_leaves/);
    assert.match(tooBig.error!.message, /max_spec_leaf_bytes/);
    for (const r of [tooDeep, tooWide, tooBig]) assert.equal(r.error?.code, "invalid_request");
    assert.equal(cheap.reward, 1);
    assert.deepEqual(cheap.details?.range, [1, 1]);
    assert.equal(engine.stats().pendingItems, 0);
  } finally {
    await engine.close();
  }
});

Deno.test("a batch larger than max_queue_items is refused whole (413); a full queue still answers 429", async () => {
  const engine = await createProbeEngine({ workers: 1, maxQueueItems: 10 });
  try {
    assert.throws(() => engine.startBatch(Array.from({ length: 11 }, () => probe("ok"))), BatchTooLargeError);
    const slow = engine.verifyBatch([
      probe("loop", { timeout_ms: 300 }),
      ...Array.from({ length: 5 }, () => probe("ok")),
    ]);
    assert.throws(() => engine.startBatch(Array.from({ length: 5 }, () => probe("ok"))), {
      code: "overloaded",
    });
    await slow;
    assert.equal(engine.stats().pendingItems, 0);
    assert.deepEqual(engine.stats().rejectedBatches, { overloaded: 1, too_large: 1, unavailable: 0 });
    assert.equal((await engine.verifyBatch(Array.from({ length: 10 }, () => probe("ok")))).length, 10);
  } finally {
    await engine.close();
  }
});

Deno.test("an aborted batch resolves at once, frees its queue slots and leaves the pool usable", async () => {
  const engine = await createProbeEngine({ workers: 1 });
  try {
    const controller = new AbortController();
    const seen: number[] = [];
    const batch = engine.verifyBatch(
      [probe("loop", { timeout_ms: 1500 }), ...Array.from({ length: 3000 }, () => probe("ok"))],
      { signal: controller.signal, onResult: (index) => seen.push(index) },
    );
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const results = await batch;
    assert.ok(performance.now() - started < 1000, "the abort did not wait for the looping item");
    assert.equal(results.length, 3001);
    assert.equal(engine.stats().pendingItems, 0);
    const countAtAbort = seen.length;
    await new Promise((r) => setTimeout(r, 1800));
    assert.equal(seen.length, countAtAbort, "no result is delivered after the abort");
    const after = await engine.verifyBatch([probe("ok")]);
    assert.equal(after[0].reward, 1);
  } finally {
    await engine.close();
  }
});

Deno.test("a result consumer that throws (a closed stream) cancels its batch, not the process", async () => {
  const engine = await createProbeEngine({ workers: 1 });
  try {
    let calls = 0;
    const results = await engine.verifyBatch(Array.from({ length: 5000 }, () => probe("ok")), {
      onResult: () => {
        if (++calls === 10) throw new TypeError("The stream controller cannot close or enqueue");
      },
    });
    assert.equal(results.length, 5000);
    assert.equal(calls, 10);
    assert.equal(engine.stats().pendingItems, 0);
    assert.equal((await engine.verifyBatch([probe("ok")]))[0].reward, 1);
  } finally {
    await engine.close();
  }
});

Deno.test("a sandbox process killed mid-job: its running item is internal with the reason, its waiting job is re-queued", async () => {
  const engine = await createProbeEngine({ workers: 1, maxChunkItems: 16 });
  try {
    // Two jobs reach the one process: the first loops (long deadline), the second waits behind it.
    const batch = engine.verifyBatch([
      ...Array.from({ length: 16 }, (_, i) => probe(i === 0 ? "loop" : "ok", { timeout_ms: 20_000 })),
      ...Array.from({ length: 16 }, () => probe("ok")),
    ]);
    await new Promise((r) => setTimeout(r, 300));
    const [pid] = sandboxChildren();
    assert.ok(pid, "a sandbox child process runs");
    Deno.kill(pid, "SIGKILL");
    const results = await batch;
    assert.equal(results[0].error?.code, "internal");
    assert.match(results[0].error!.message, /killed by SIGKILL/);
    for (const r of results.slice(16)) assert.equal(r.reward, 1, "the job that had not started is scored");
    const stats = engine.stats();
    assert.equal(stats.pool.deaths, 1);
    assert.match(stats.pool.lastDeathReason!, /SIGKILL/);
    assert.equal(stats.pendingItems, 0);
  } finally {
    await engine.close();
  }
});

Deno.test("readSandboxFrame() types every frame kind and rejects malformed ones", () => {
  const frame = (header: Record<string, unknown>, sections = 0) => ({
    header,
    sections: Array.from({ length: sections }, () => new Uint8Array()),
  });
  assert.deepEqual(readSandboxFrame(frame({ type: "ready" })), { type: "ready" });
  assert.deepEqual(readSandboxFrame(frame({ type: "crashed", message: "boom" })), {
    type: "crashed",
    message: "boom",
  });
  assert.deepEqual(readSandboxFrame(frame({ type: "failed", message: "no" })), {
    type: "failed",
    message: "no",
  });
  assert.equal(readSandboxFrame(frame({ type: "done", jobId: 1, faults: [] }, 3))?.type, "done");
  assert.equal(readSandboxFrame(frame({ type: "done", jobId: 1, faults: [] }, 1)), null);
  assert.equal(
    readSandboxFrame(frame({ type: "overrun", jobId: 1, index: 0, ms: 5, recovered: 0, cause: "budget" }))
      ?.type,
    "overrun",
  );
  assert.equal(readSandboxFrame(frame({ type: "overrun", jobId: "1" })), null);
  assert.equal(readSandboxFrame(frame({ type: "mystery" })), null);
});

/** Whether `/usr/bin/nice` exists (the launch uses it where it does). */
function hasNice(): boolean {
  try {
    return Deno.statSync("/usr/bin/nice").isFile;
  } catch {
    return false;
  }
}

/** A process's niceness (field 19 of /proc/<pid>/stat). */
function nicenessOf(pid: number | "self"): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
}

Deno.test("sandbox processes run with RLIMIT_DATA, SANDBOX_NICE more niceness than the server, and as user 65534 when the server is root", async () => {
  const engine = await createProbeEngine({ workers: 1, sandboxMemoryBytes: 1536 * 1024 * 1024 });
  try {
    assert.equal((await engine.verifyBatch([probe("ok")]))[0].reward, 1);
    const [pid] = sandboxChildren();
    const limits = Deno.readTextFileSync(`/proc/${pid}/limits`);
    const dataLine = limits.split("\n").find((line) => line.startsWith("Max data size"))!;
    assert.match(dataLine, /\s1610612736\s+1610612736\s/);
    const uid = Deno.readTextFileSync(`/proc/${pid}/status`).split("\n").find((l) => l.startsWith("Uid:"))!;
    if (Deno.uid() === 0) assert.match(uid, /^Uid:\s+65534\s+65534\s+65534\s+65534$/);
    // coreutils' nice is on every Debian machine; where it is missing the launch goes without it
    const expected = hasNice() ? Math.min(19, nicenessOf("self") + SANDBOX_NICE) : nicenessOf("self");
    assert.equal(nicenessOf(pid), expected);
  } finally {
    await engine.close();
  }
});
