/** Compact results (`fields`): the same rewards bit for bit, the fields that always come back, no details. */
import assert from "node:assert/strict";
import { createEngine, resultJsonWith, selectFields, VERIFIERS } from "../verifiers/mod.ts";

Deno.test("compact results carry the same rewards, errors and reasons bit for bit as full ones", async () => {
  const engine = await createEngine(VERIFIERS, { workers: 1 });
  try {
    const items: unknown[] = [];
    for (let i = 0; i < 300; i++) {
      items.push(
        {
          id: `m${i}`,
          verifier: "math",
          response: `The answer is \\boxed{${i % 7}/3}`,
          reference: `${i % 5}/3`,
        },
        { verifier: "iou", response: `[${i}, 10, ${i + 50}, 90]`, reference: { box: [10, 10, 60, 90] } },
        { verifier: "math", response: "x", reference: { not: "a string" } },
        {
          spec: { sum: [{ verifier: "format", weight: 0.5 }, { constant: 0.25 }] },
          response: "<think>a</think><answer>b</answer>",
        },
      );
    }
    const results = await engine.verifyBatch(items);
    const selection = selectFields(["reward", "correct", "reason"]);
    results.forEach((result, index) => {
      const full = JSON.parse(resultJsonWith(result, null, index));
      const compact = JSON.parse(resultJsonWith(result, selection, index));
      assert.equal(Object.is(compact.reward, full.reward), true);
      assert.deepEqual(compact.error, full.error);
      assert.equal(compact.index, index);
      assert.equal(compact.id, full.id);
      assert.equal(compact.correct, full.correct);
      assert.equal(compact.reason, full.error ? null : full.details?.reason ?? null);
      assert.equal("details" in compact, false);
      assert.deepEqual(
        Object.keys(compact).filter((k) =>
          !["id", "index", "reward", "correct", "reason", "error"].includes(k)
        ),
        [],
      );
    });
    const minimal = JSON.parse(resultJsonWith(results[2], selectFields([])));
    assert.deepEqual(Object.keys(minimal), ["reward", "error"]);
    assert.equal(minimal.error.code, "invalid_request");
  } finally {
    await engine.close();
  }
});
