/**
 * A response shared by several items of a chunk (a spec's leaves) crosses to the sandbox once:
 * `encodeChunk({shareResponses})` writes it once, the pool re-marshals it when it re-queues part of
 * a chunk, and the worker hands each kernel the parameters and the shared bytes as one input. Real
 * kernels (`length`, the test probe) in real sandbox processes.
 */
import assert from "node:assert/strict";
import { encodeChunk, type PreparedItem } from "../verifiers/_prepared.ts";
import fc from "fast-check";
import { type ChunkRequest, type ItemOutcome, sandboxLaunch, WorkerPool } from "../wasm/mod.ts";
import { sliceItems } from "../wasm/pool.ts";

const wasm = (name: string) => new URL(`../wasm/${name}.wasm`, import.meta.url).pathname;

/** A prepared item as the engine makes it (only what marshalling reads). */
function prepared(verifier: string, params: unknown, response: string, timeoutMs = 10_000): PreparedItem {
  return {
    sink: () => {},
    head: { verifier, version: "0" },
    params: JSON.stringify(params),
    response,
    timeoutMs,
  };
}

async function withPool(
  kernels: Record<string, string>,
  body: (pool: WorkerPool) => Promise<void>,
): Promise<void> {
  const launch = await sandboxLaunch({ kernels, memoryBytes: 2048 * 1024 * 1024 });
  const pool = new WorkerPool({ size: 1, kernels, launch });
  try {
    await pool.ready();
    await body(pool);
  } finally {
    await pool.close();
  }
}

const texts = (outcomes: ItemOutcome[]) => outcomes.map((o) => o.kind === "output" ? o.text : o.kind);

Deno.test("encodeChunk() writes a response shared by consecutive items once, only when asked", () => {
  const response = "é".repeat(500_000); // 1 MB of UTF-8
  const items = [
    prepared("length", { max: 1 }, response),
    prepared("length", { max: 2 }, response),
    prepared("length", { max: 3 }, "other"),
    prepared("length", { max: 4 }, response),
    prepared("length", { max: 5 }, response),
    { ...prepared("length", { max: 6 }, response), input: new Uint8Array([1, 2, 3]) },
    prepared("length", { max: 7 }, response),
  ];
  const plain = encodeChunk(items, Infinity);
  assert.equal(plain.responseFrom, undefined);
  assert.ok(plain.bytes.length > 5_000_000);
  const shared = encodeChunk(items, Infinity, { shareResponses: true });
  assert.deepEqual([...shared.responseFrom!], [-1, 0, -1, -1, 3, -1, 3]);
  // The response twice (items 0 and 3), "other", the stage input, and seven parameter objects.
  const params = items.reduce((n, item) => n + item.params.length + 1, 0);
  assert.equal(shared.bytes.length, 2 * 1_000_000 + 5 + 3 + params);
  // A chunk without repeats has no responseFrom at all.
  assert.equal(encodeChunk(items.slice(1, 4), Infinity, { shareResponses: true }).responseFrom, undefined);
});

Deno.test("shared responses score exactly as copies: 2,000 length items over a 1 MB response", async () => {
  const response = "ab cd ".repeat(174_763).slice(0, 1_048_576);
  const params = (i: number) => ({ unit: "chars", min: 0, max: 1_048_000 + i, buffer: 0 });
  await withPool({ length: wasm("length") }, async (pool) => {
    const items = Array.from({ length: 2000 }, (_, i) => prepared("length", params(i), response));
    const shared = encodeChunk(items, Infinity, { shareResponses: true });
    assert.ok(shared.bytes.length < 1_200_000, `${shared.bytes.length} bytes cross for 2,000 items`);
    const outcomes = await pool.run(shared);
    // Copies for a sample of the same items, for comparison.
    const sample = [0, 1, 575, 576, 577, 1999];
    const copies = await pool.run(encodeChunk(sample.map((i) => items[i]), Infinity));
    assert.deepEqual(sample.map((i) => texts(outcomes)[i]), texts(copies));
    outcomes.forEach((outcome, i) => {
      assert.equal(outcome.kind, "output");
      const verdict = JSON.parse(outcome.kind === "output" ? outcome.text : "null");
      assert.equal(verdict.details.length, 1_048_576);
      // max = 1,048,000 + i: the response fits from i = 576 on.
      assert.equal(verdict.reward, i >= 576 ? 1 : 0, `item ${i}`);
    });
  });
});

/** A chunk built by hand: each item's parameters, 0x00, and its response unless it shares item `from`'s. */
function handChunk(
  items: { params: unknown; response: string; from: number; timeoutMs?: number }[],
): ChunkRequest {
  const encoder = new TextEncoder();
  const parts = items.map((item) =>
    encoder.encode(`${JSON.stringify(item.params)}\0${item.from >= 0 ? "" : item.response}`)
  );
  const bytes = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  const ends = new Uint32Array(parts.length);
  let at = 0;
  parts.forEach((part, i) => {
    bytes.set(part, at);
    ends[i] = at += part.length;
  });
  return {
    kernel: "probe",
    bytes,
    ends,
    timeoutsMs: Float64Array.from(items, (item) => item.timeoutMs ?? 10_000),
    deadlineAt: Infinity,
    responseFrom: Int32Array.from(items, (item) => item.from),
  };
}

Deno.test("a chunk cut by a deadline: re-queued items still get the response they shared", async () => {
  await withPool({ probe: wasm("test/probe") }, async (pool) => {
    // 0 carries "ok"; 1 loops past its deadline; 2 and 3 share 0's response, which is then already
    // scored (so the re-queued job carries a copy, once); 4 carries "mem", 5 shares it.
    const items = [
      { params: {}, response: "ok", from: -1 },
      { params: {}, response: "loop", from: -1, timeoutMs: 300 },
      { params: { n: 2 }, response: "ok", from: 0 },
      { params: { n: 3 }, response: "ok", from: 0 },
      { params: {}, response: "mem", from: -1 },
      { params: { n: 5 }, response: "mem", from: 4 },
    ];
    const outcomes = await pool.run(handChunk(items));
    assert.equal(outcomes[1].kind, "timeout");
    assert.equal(pool.stats.timeouts, 1);
    for (const i of [0, 2, 3, 4, 5]) {
      assert.equal(outcomes[i].kind, "output", `item ${i}`);
      const verdict = JSON.parse(outcomes[i].kind === "output" ? (outcomes[i] as { text: string }).text : "");
      assert.equal(verdict.details.command, items[i].response, `item ${i}`);
    }
  });
});

Deno.test("encodeChunk() shares only with the last response written, including an equal text", () => {
  const items = ["ok", "ok", "loop", ["o", "k"].join(""), "ok", "mem", "mem"].map((response, n) =>
    prepared("probe", { n }, response)
  );
  const request = encodeChunk(items, Infinity, { shareResponses: true });
  assert.deepEqual([...request.responseFrom!], [-1, 0, -1, -1, 3, -1, 5]);
});

/** Item i of a job as the kernel reads it: its own bytes, then the shared response if it has one. */
function kernelInputs(job: { bytes: Uint8Array; ends: Uint32Array; responseFrom?: Int32Array }): string[] {
  const decoder = new TextDecoder();
  const own = (i: number) => job.bytes.subarray(i > 0 ? job.ends[i - 1] : 0, job.ends[i]);
  return Array.from(job.ends, (_, i) => {
    const from = job.responseFrom?.[i] ?? -1;
    if (from < 0) return decoder.decode(own(i));
    assert.ok(from < i, "a shared response comes from an earlier item");
    assert.equal(job.responseFrom![from], -1, "the item a response comes from carries it");
    const source = own(from);
    return decoder.decode(own(i)) + decoder.decode(source.subarray(source.indexOf(0) + 1));
  });
}

Deno.test("sliceItems(): any part of a sharing chunk gives every item its own input, each response once", () => {
  const response = fc.constantFrom("ok", "mem", "", "é€😀", "x".repeat(300));
  const arbitrary = fc.array(fc.record({ response, params: fc.nat(99) }), { minLength: 1, maxLength: 40 })
    .chain((items) => fc.tuple(fc.constant(items), fc.subarray(items.map((_, i) => i), { minLength: 1 })));
  fc.assert(
    fc.property(arbitrary, ([items, positions]) => {
      const chunk = encodeChunk(
        items.map(({ response, params }) => prepared("probe", { params }, response)),
        Infinity,
        { shareResponses: true },
      );
      const expected = items.map(({ response, params }) => `${JSON.stringify({ params })}\0${response}`);
      assert.deepEqual(kernelInputs(chunk), expected);
      const job = sliceItems(chunk, positions);
      assert.deepEqual(kernelInputs(job), positions.map((p) => expected[p]));
      // Each response crosses once: one carrier per distinct response source among the part's items.
      const source = (p: number) => (chunk.responseFrom?.[p] ?? -1) < 0 ? p : chunk.responseFrom![p];
      const carried = job.responseFrom ? [...job.responseFrom].filter((f) => f < 0).length : positions.length;
      assert.equal(carried, new Set(positions.map(source)).size);
    }),
    { numRuns: 500 },
  );
});
