/** The shaping verifiers `length` and `repetition`, driven in-process through their kernels. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { compileKernel, KernelInstance, scoreInProcess } from "../wasm/mod.ts";
import { lengthVerifier } from "../verifiers/length/mod.ts";
import { repetitionVerifier } from "../verifiers/repetition/mod.ts";
import type { WasmVerifier } from "../verifiers/types.ts";

function kernelOf(verifier: WasmVerifier) {
  const instance = new KernelInstance(
    compileKernel(Deno.readFileSync(new URL(`../wasm/${verifier.name}.wasm`, import.meta.url))),
  );
  return (response: string, options: Record<string, unknown> = {}) =>
    scoreInProcess(instance, verifier.params(null, options), response);
}

Deno.test("`length` counts code points, words, or the caller's tokens", () => {
  const length = kernelOf(lengthVerifier);
  assert.equal(length("héllo 🙂").details.length, 7);
  assert.equal(length("  a  b\tc\n", { unit: "words" }).details.length, 3);
  assert.equal(length("", { unit: "words" }).details.length, 0);
  assert.equal(length("ignored", { unit: "tokens", tokens: 12 }).details.length, 12);
});

Deno.test("`length` follows DAPO's overlong buffer: 1, then linear to 0 at max, then 0", () => {
  const length = kernelOf(lengthVerifier);
  const options = { unit: "tokens", max: 100, buffer: 20 };
  const rewardAt = (tokens: number) => length("x", { ...options, tokens }).reward;
  assert.equal(rewardAt(0), 1);
  assert.equal(rewardAt(80), 1);
  assert.equal(rewardAt(90), 0.5);
  assert.equal(rewardAt(100), 0);
  assert.equal(rewardAt(101), 0);
  assert.equal(length("x", { ...options, tokens: 90 }).details.penalty, -0.5);
  assert.equal(length("abc", { min: 5 }).details.problem, "too_short");
  assert.equal(length("abc", { max: 2 }).details.problem, "too_long");
});

Deno.test("`length` rejects options that cannot work", () => {
  assert.throws(() => lengthVerifier.params(null, { unit: "tokens" }), /tokens: is required/);
  assert.throws(() => lengthVerifier.params(null, { min: 10, max: 5 }), /must not exceed max/);
});

Deno.test("`repetition` scores the distinct share of n-grams and names the most repeated one", () => {
  const repetition = kernelOf(repetitionVerifier);
  const loop = repetition("So the answer is 4. So the answer is 4. So the answer is 4.", { n: 5 });
  // 15 words → 11 five-grams, 5 distinct; "so the answer is 4." starts 3 times.
  assert.equal(loop.details.ngrams, 11);
  assert.equal(loop.details.distinct, 5);
  assert.equal(loop.details.most_repeated, "So the answer is 4.");
  assert.equal(loop.details.most_repeated_count, 3);
  assert.equal(loop.reward, 5 / 11);
  assert.equal(loop.correct, false);
  assert.equal(repetition("Word WORD word word", { n: 1 }).details.distinct, 1, "words are case-folded");
  assert.equal(repetition("ababab", { unit: "chars", n: 2 }).details.distinct, 2);
  assert.equal(repetition("", {}).reward, 1);
});

Deno.test("shaping kernels never trap and stay in [0, 1] on random and adversarial text", () => {
  const length = kernelOf(lengthVerifier);
  const repetition = kernelOf(repetitionVerifier);
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 400 }), fc.integer({ min: 1, max: 16 }), (text, n) => {
      for (
        const out of [
          length(text, { max: 50, buffer: 10 }),
          repetition(text, { n }),
          repetition(text, { n, unit: "chars" }),
        ]
      ) {
        assert.ok(out.reward >= 0 && out.reward <= 1);
        assert.ok(out.details.reason === null || out.details.reason === "wrong");
      }
    }),
    { numRuns: 300 },
  );
  // A million repeated words: one distinct n-gram, not a hang.
  const big = repetition("la ".repeat(1_000_000), { n: 2 });
  assert.equal(big.details.distinct, 1);
  // Past the token bound: a too_complex verdict.
  assert.equal(repetition("a ".repeat(1_100_000), {}).details.reason, "too_complex");
});
