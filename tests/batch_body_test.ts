/** `splitBatchBody()`: the items' JSON texts and the rest of the body, equal to what JSON.parse reads. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { MalformedBodyError, splitBatchBody } from "../routes/batch_body.ts";
import { BatchTooLargeError } from "../verifiers/mod.ts";

const item = fc.record({
  verifier: fc.oneof(fc.string(), fc.constantFrom("math", "iou", 'quo"te', "\\", "verifier")),
  response: fc.string({ unit: "grapheme" }),
  reference: fc.jsonValue({ maxDepth: 4 }),
}, { requiredKeys: ["response"] });

Deno.test("splitBatchBody() reads every item and the rest exactly as JSON.parse does (property)", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.oneof(item, fc.jsonValue({ maxDepth: 3 })), { maxLength: 20 }),
      fc.option(fc.double({ min: 1, max: 1e6, noNaN: true }), { nil: undefined }),
      fc.constantFrom("", " ", "\n\t "),
      async (items, budget, space) => {
        const body = { budget_ms: budget, items, fields: ["reward"] };
        const text = JSON.stringify(body, null, space.length > 0 ? space : undefined);
        const split = await splitBatchBody(text, 1_000_000);
        assert.ok(split.items !== null);
        assert.deepEqual(split.items.map((raw) => JSON.parse(raw.text)), JSON.parse(JSON.stringify(items)));
        assert.deepEqual(split.rest, JSON.parse(JSON.stringify({ ...body, items: [] })));
        split.items.forEach((raw, i) => {
          const original = items[i] as { verifier?: unknown } | null;
          const expected = original !== null && typeof original === "object" && !Array.isArray(original) &&
              typeof original.verifier === "string"
            ? original.verifier
            : undefined;
          assert.equal(raw.verifier, expected);
        });
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("splitBatchBody(): table of bodies that are not batches, malformed framing, and too many items", async () => {
  assert.deepEqual(await splitBatchBody("[1, 2]", 10), { rest: [1, 2], items: null });
  assert.deepEqual(await splitBatchBody('{"budget_ms": 5}', 10), { rest: { budget_ms: 5 }, items: null });
  assert.deepEqual(await splitBatchBody('{"items": "no"}', 10), { rest: { items: "no" }, items: null });
  assert.equal((await splitBatchBody('{"items": []}', 10)).items!.length, 0);
  for (
    const bad of [
      '{"items": [1, 2',
      '{"items": [{"a": "x]}',
      '{"items": [1] "x": 2}',
      '{"items": [], "items": []}',
      '{"items": [1]} extra',
    ]
  ) {
    await assert.rejects(() => splitBatchBody(bad, 10), MalformedBodyError, bad);
  }
  // A malformed item is that item's problem (the engine answers it invalid_request), not the batch's.
  const split = await splitBatchBody(
    '{"items": [{"verifier": "math", "response": tru}, {"response": "x"}]}',
    10,
  );
  assert.equal(split.items!.length, 2);
  assert.ok("error" in split.items![0].parse());
  assert.equal(split.items![0].verifier, "math");
  await assert.rejects(() => splitBatchBody(`{"items": [${"1,".repeat(10)}1]}`, 10), BatchTooLargeError);
});
