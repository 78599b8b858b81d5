/**
 * `match`'s parameters serialize exactly as the generic compaction (`serializeCompactly` over the
 * kernel defaults) would: the written-out `toJSON` leaves out the same keys, in the same order, for
 * any reference and options the schema accepts.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { MATCH_KERNEL_DEFAULTS, serializeCompactly } from "../verifiers/match/mod.ts";
import { matchVerifier } from "../verifiers/match/mod.ts";
import { InvalidRequestError } from "../verifiers/types.ts";
import { ItemValidator } from "../verifiers/validate.ts";

const validator = new ItemValidator({ match: matchVerifier }, 1 << 20);

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
  fc.constantFrom(
    "exact",
    "any_of",
    "set_f1",
    "set_exact",
    "sequence_exact",
    "position_accuracy",
    "adjacency",
    "kendall_tau",
    "lcs",
    "ndcg",
    "weighted",
  ),
  fc.subarray(Object.keys(optionValues), { maxLength: 3 }).chain((keys) =>
    fc.record(Object.fromEntries(keys.map((key) => [key, optionValues[key]])))
  ),
).map(([mode, rest]) => ({ mode, ...rest }));

Deno.test("match parameters: the written-out toJSON equals the generic compaction, key for key", () => {
  let compared = 0;
  fc.assert(
    fc.property(reference, options, (ref, opts) => {
      const checked = validator.check({ verifier: "match", response: "", reference: ref, options: opts });
      if ("message" in checked) return;
      let params;
      try {
        params = matchVerifier.params(checked.item.reference, checked.item.options) as unknown as Record<
          string,
          unknown
        >;
      } catch (error) {
        if (error instanceof InvalidRequestError) return;
        throw error;
      }
      const n = (params.ref as unknown[]).length;
      const generic = serializeCompactly({ ...params }, MATCH_KERNEL_DEFAULTS, { k: n, grid: [1, n] });
      assert.equal(JSON.stringify(params), JSON.stringify(generic));
      compared++;
    }),
    { numRuns: 3000 },
  );
  assert.ok(compared > 500, `only ${compared} valid cases`);
});
