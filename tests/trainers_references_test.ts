/**
 * DESIGN.md §2's reference rule as trainers' data sends it: for a single-answer verifier (`math`), a
 * number or a one-element list of a number or string means the same answer as its text (GSM8K-style
 * columns hold `72`, `[72]`, NumPy scalars that the Python adapters turn into numbers).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { postJson, withApp } from "./_app.ts";
import { numberText, singleAnswer } from "../verifiers/math/params.ts";

Deno.test("numberText() writes a number's shortest round-trip digits without an exponent", () => {
  const cases: [number, string][] = [
    [72, "72"],
    [-3, "-3"],
    [0, "0"],
    [-0, "0"],
    [0.5, "0.5"],
    [1e-7, "0.0000001"],
    [-1.25e-8, "-0.0000000125"],
    [1e21, "1000000000000000000000"],
    [1.5e22, "15000000000000000000000"],
    [123456.789, "123456.789"],
  ];
  for (const [value, text] of cases) assert.equal(numberText(value), text, String(value));
});

Deno.test("numberText() reads back as the same number and never has an exponent", () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
      const text = numberText(value);
      assert.ok(!text.includes("e"), text);
      assert.equal(Number(text), Object.is(value, -0) ? 0 : value);
    }),
  );
});

Deno.test("singleAnswer() maps numbers and one-element lists onto the answer's text", () => {
  assert.equal(singleAnswer(72), "72");
  assert.equal(singleAnswer([72]), "72");
  assert.equal(singleAnswer(["72"]), "72");
  assert.equal(singleAnswer("72"), "72");
  assert.deepEqual(singleAnswer({ answer: 2.5, choices: null }), { answer: "2.5", choices: null });
  assert.deepEqual(singleAnswer({ answer: "B" }), { answer: "B" });
});

Deno.test('math: 72, [72], ["72"] and 72.0 are the same reference as "72"; longer lists are refused', async () => {
  await withApp({ workers: 1 }, async (app) => {
    const references = ["72", 72, [72], ["72"], 72.0];
    const items = references.flatMap((reference) => [
      { verifier: "math", response: "so \\boxed{72}", reference },
      { verifier: "math", response: "so \\boxed{71}", reference },
    ]);
    items.push({ verifier: "math", response: "\\boxed{0.5}", reference: 0.5 as never });
    items.push({ verifier: "math", response: "\\boxed{72}", reference: [72, 73] as never });
    items.push({ verifier: "math", response: "\\boxed{72}", reference: [] as never });
    const res = await postJson(app, "/v1/verify/batch", { items });
    assert.equal(res.status, 200);
    const { results } = await res.json();
    const rewards = results.map((r: { reward: number | null }) => r.reward);
    assert.deepEqual(rewards.slice(0, 11), [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    for (const r of results.slice(11)) {
      assert.equal(r.error?.code, "invalid_request", JSON.stringify(r));
      assert.equal(r.reward, null);
    }
  });
});
