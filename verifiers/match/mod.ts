/** The `match` verifier: labels, aliases, choices, sets, sequences, rankings and tuples compared in WASM. */
import type { WasmVerifier } from "../types.ts";
import { matchExamples } from "./examples.ts";
import { matchParams } from "./params.ts";
import { matchOptionsSchema, matchReferenceSchema } from "./schemas.ts";

export { MATCH_KERNEL_DEFAULTS, type MatchElement, type MatchKernelParams } from "./params.ts";
export { MATCH_MODES, type MatchMode } from "./schemas.ts";

export const matchVerifier: WasmVerifier = {
  name: "match",
  version: "1.0.0",
  description:
    "Compares an extracted answer (from <answer> or any tag, \\boxed{}, JSON or Python lists, lines, commas, spaces) with a " +
    "label, aliases, a choice, a set or a sequence: exact, any_of, set_exact, set_f1, sequence_exact, position_accuracy, " +
    "adjacency, kendall_tau, lcs, ndcg and weighted partial credit.",
  referenceSchema: matchReferenceSchema,
  optionsSchema: matchOptionsSchema,
  defaultTimeoutMs: 2000,
  params: matchParams,
  examples: matchExamples,
};
