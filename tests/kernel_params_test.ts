/**
 * `match`'s and `text`'s parameters serialize as the kernels have always received them: every key,
 * in order, except those equal to the kernel's default. Their `toJSON`s write those checks out key by
 * key (for speed); here the rule is applied generically to the same objects and must give the same
 * JSON, for any reference and options the schemas accept.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { MATCH_KERNEL_DEFAULTS, MATCH_MODES, matchVerifier } from "../verifiers/match/mod.ts";
import { TEXT_KERNEL_DEFAULTS, TEXT_METRICS, textVerifier } from "../verifiers/text/mod.ts";
import type { WasmVerifier } from "../verifiers/types.ts";
import { InvalidRequestError, paramsJson } from "../verifiers/types.ts";
import { ItemValidator } from "../verifiers/validate.ts";

const validator = new ItemValidator({ match: matchVerifier, text: textVerifier }, 1 << 20);

/** The rule, generically: own keys in order, less those equal (as JSON) to their default. */
function compacted(
  params: Record<string, unknown>,
  defaults: Record<string, unknown>,
  implied: Record<string, unknown> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    const fallback = Object.hasOwn(implied, key) ? implied[key] : defaults[key];
    if (fallback === undefined || JSON.stringify(value) !== JSON.stringify(fallback)) out[key] = value;
  }
  return out;
}

/** The verifier's parameters for a valid item, or null (a caller error). */
function paramsOf(
  verifier: WasmVerifier,
  reference: unknown,
  options: unknown,
): Record<string, unknown> | null {
  const checked = validator.check({ verifier: verifier.name, response: "", reference, options });
  if ("message" in checked) return null;
  try {
    return verifier.params(checked.item.reference, checked.item.options) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof InvalidRequestError) return null;
    throw error;
  }
}

const label = fc.oneof(
  fc.constantFrom("cat", "a dog", "B", "left", "x y"),
  fc.string({ maxLength: 4 }),
  fc.nat(9),
);
const reference = fc.oneof(
  label,
  fc.array(label, { maxLength: 6 }),
  fc.array(fc.array(label, { minLength: 1, maxLength: 3 }), { maxLength: 4 }),
  fc.dictionary(fc.constantFrom("a", "b", "c", "d"), fc.nat(3)),
);
const optionValues: Record<string, fc.Arbitrary<unknown>> = {
  tag: fc.constantFrom("answer", "class", ""),
  split: fc.constantFrom("auto", "json", "comma", "newline", "whitespace"),
  case_sensitive: fc.boolean(),
  punctuation: fc.constantFrom("keep", "trim", "remove"),
  articles: fc.boolean(),
  k: fc.integer({ min: 1, max: 6 }),
  gain: fc.constantFrom("linear", "exponential"),
  grid: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 6 })),
  directed: fc.boolean(),
  require_permutation: fc.boolean(),
  weights: fc.record(
    { right: fc.constantFrom(1, 0.5), partial: fc.constantFrom(0.5, 0.25), extra: fc.constantFrom(-0.5, 0) },
    { requiredKeys: [] },
  ),
  threshold: fc.constantFrom(1, 0.5),
  choices: fc.constantFrom(["A. cat", "B. dog"], { A: "cat", B: "dog" }),
};
// A mode and up to three other options (most combinations of many options are caller errors).
const options = fc.tuple(
  fc.constantFrom(...MATCH_MODES),
  fc.subarray(Object.keys(optionValues), { maxLength: 3 }).chain((keys) =>
    fc.record(Object.fromEntries(keys.map((key) => [key, optionValues[key]])))
  ),
).map(([mode, rest]) => ({ mode, ...rest }));

Deno.test("match parameters: the kernel's written-out JSON (and JSON.stringify's) equals the generic rule, key for key", () => {
  let compared = 0;
  fc.assert(
    fc.property(reference, options, (ref, opts) => {
      const params = paramsOf(matchVerifier, ref, opts);
      if (params === null) return;
      const n = (params.ref as unknown[]).length;
      const expected = JSON.stringify(
        compacted({ ...params }, MATCH_KERNEL_DEFAULTS, { k: n, grid: [1, n] }),
      );
      assert.equal(paramsJson(params), expected);
      assert.equal(JSON.stringify(params), expected);
      compared++;
    }),
    { numRuns: 3000 },
  );
  assert.ok(compared > 500, `only ${compared} valid cases`);
});

const textOptions = fc.record({
  metric: fc.constantFrom(...TEXT_METRICS),
  tag: fc.constantFrom("answer", "caption", ""),
  tokenize: fc.constantFrom("unicode", "whitespace", "13a", "char", "none"),
  lowercase: fc.boolean(),
  punctuation: fc.constantFrom("keep", "remove"),
  smooth: fc.constantFrom("none", "floor", "add1", "add-k", "exp"),
  smooth_value: fc.constantFrom(1, 0.1, 0.5),
  max_order: fc.constantFrom(4, 2),
  char_order: fc.constantFrom(6, 3),
  beta: fc.constantFrom(2, 1),
  whitespace: fc.boolean(),
  wer_reward: fc.constantFrom("linear", "exp"),
  threshold: fc.constantFrom(1, 0.5),
}, { requiredKeys: [] });

Deno.test("text parameters: the kernel's written-out JSON (and JSON.stringify's) equals the generic rule, key for key", () => {
  let compared = 0;
  fc.assert(
    fc.property(
      fc.oneof(fc.constantFrom("a cat", "日本 語"), fc.array(fc.constantFrom("x y", "z"), { minLength: 1 })),
      textOptions,
      (ref, opts) => {
        const params = paramsOf(textVerifier, ref, opts);
        if (params === null) return;
        // tokenize and lowercase have no fixed default: they are always sent.
        const expected = JSON.stringify(compacted({ ...params }, TEXT_KERNEL_DEFAULTS));
        assert.equal(paramsJson(params), expected);
        assert.equal(JSON.stringify(params), expected);
        compared++;
      },
    ),
    { numRuns: 3000 },
  );
  assert.ok(compared > 300, `only ${compared} valid cases`);
});
