/**
 * `encodeChunk` (verifiers/_prepared.ts) marshals items for the sandbox: per item its parameters'
 * JSON, 0x00, and its response's UTF-8 (a stage's input bytes instead; nothing for a response shared
 * with the previous carrier). An all-ASCII chunk is encoded in one call, any other item by item:
 * both must give these bytes exactly, for any mix of texts.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { encodeChunk, type PreparedItem } from "../verifiers/_prepared.ts";

const encoder = new TextEncoder();

/** What item i's bytes must be, written out plainly. */
function expectedBytes(item: PreparedItem, shared: boolean): number[] {
  const tail = item.input ? [...item.input] : shared ? [] : [...encoder.encode(item.response)];
  return [...encoder.encode(item.params), 0, ...tail];
}

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom("", "plain ascii", "é", "日本語", "😀", "\ud800", "\u0000"),
);

const itemArb = fc.record({
  params: text,
  response: text,
  input: fc.option(fc.uint8Array({ maxLength: 12 }), { freq: 6, nil: undefined }),
});

Deno.test("encodeChunk(): every item's bytes as written out, ASCII chunks and others, shared responses too", () => {
  fc.assert(
    fc.property(fc.array(itemArb, { minLength: 1, maxLength: 30 }), fc.boolean(), (specs, share) => {
      // Repeat some responses so that sharing happens.
      const items = specs.map((spec, i) => ({
        head: { verifier: "iou", version: "1.0.0" },
        params: spec.params,
        response: i > 0 && i % 3 === 0 ? specs[i - 1].response : spec.response,
        input: spec.input,
        timeoutMs: 100 + i,
        sink: () => {},
      })) as PreparedItem[];
      const chunk = encodeChunk(items, Infinity, { shareResponses: share });
      assert.equal(chunk.ends.length, items.length);
      let from = 0;
      items.forEach((item, i) => {
        const shared = chunk.responseFrom !== undefined && chunk.responseFrom[i] >= 0;
        if (shared) assert.equal(items[chunk.responseFrom![i]].response, item.response);
        assert.deepEqual(
          [...chunk.bytes.subarray(from, chunk.ends[i])],
          expectedBytes(item, shared),
          `item ${i}`,
        );
        assert.equal(chunk.timeoutsMs[i], 100 + i);
        from = chunk.ends[i];
      });
      assert.equal(chunk.bytes.length, from);
    }),
    { numRuns: 2000 },
  );
});

Deno.test("encodeChunk(): a long ASCII chunk and the same with one non-ASCII item agree item by item", () => {
  const items = Array.from({ length: 500 }, (_, i) => ({
    head: { verifier: "iou", version: "1.0.0" },
    params: `{"box":[${i},2,3,4]}`,
    response: `[${i}, 2, 3, 4] ${"x".repeat(i % 50)}`,
    timeoutMs: 1000,
    sink: () => {},
  })) as PreparedItem[];
  const ascii = encodeChunk(items, Infinity);
  const mixed = encodeChunk([...items.slice(0, 499), { ...items[499], response: "é" }], Infinity);
  assert.deepEqual([...ascii.ends.slice(0, 499)], [...mixed.ends.slice(0, 499)]);
  assert.deepEqual([...ascii.bytes.subarray(0, ascii.ends[498])], [
    ...mixed.bytes.subarray(0, mixed.ends[498]),
  ]);
});
