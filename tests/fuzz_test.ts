/** `deno task fuzz` in small: random and mutated model outputs never trap or hang a kernel. */
import assert from "node:assert/strict";
import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { fuzzKernels, mutate } from "../scripts/fuzz_kernels.ts";

Deno.test("mutate() keeps producing strings of bounded size", () => {
  let text = "The answer is \\boxed{42}";
  let seed = 1;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 200; i++) {
    text = mutate(text, random).slice(0, 10_000);
    assert.equal(typeof text, "string");
  }
});

Deno.test("8 seconds of fuzzing every kernel verifier finds no trap, crash or hang", async () => {
  const engine = await createEngine(VERIFIERS, { workers: 2 });
  try {
    for (const seed of [1, 7, 2024]) {
      const { items, problems } = await fuzzKernels(engine, 8 / 3, seed);
      assert.ok(items > 0);
      assert.deepEqual(problems.slice(0, 3), [], `seed ${seed}`);
    }
  } finally {
    await engine.close();
  }
});
