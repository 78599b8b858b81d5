/** The `repetition` verifier: the share of distinct n-grams in a response (1 = no repeats). */
import type { VerifierExample, WasmVerifier } from "../types.ts";

/** The parameter object the `repetition` kernel reads. */
export interface RepetitionKernelParams {
  n: number;
  unit: "words" | "chars";
  threshold: number;
}

const optionsSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    n: { type: "integer", minimum: 1, maximum: 16, default: 4, description: "n-gram length." },
    unit: {
      enum: ["words", "chars"],
      default: "words",
      description:
        "Tokens: whitespace-separated words (ASCII case-folded) or characters (for text without spaces).",
    },
    threshold: {
      type: "number",
      minimum: 0,
      maximum: 1,
      default: 0.5,
      description: "`correct` when the distinct share is at least this.",
    },
    profile: { enum: ["default"], default: "default", description: "Scoring rules (one profile)." },
  },
};

const examples: VerifierExample[] = [
  {
    title: "no repeated 4-gram",
    item: { response: "First add the tens, then add the ones, and the sum is 42.", reference: null },
    expected: { reward: 1, correct: true, details: { reason: null, ngrams: 10, distinct: 10 } },
  },
  {
    title: "a looping phrase",
    item: { response: "I think so. ".repeat(10).trim(), reference: null, options: { n: 3 } },
    expected: {
      reward: 3 / 28,
      correct: false,
      details: { reason: "wrong", problem: "repetitive", ngrams: 28, distinct: 3, most_repeated_count: 10 },
    },
  },
  {
    title: "character n-grams for text without spaces",
    item: { response: "答案是四十二", reference: null, options: { unit: "chars", n: 2 } },
    expected: { reward: 1, correct: true, details: { reason: null, ngrams: 5 } },
  },
  {
    title: "shorter than one n-gram",
    item: { response: "42", reference: null },
    expected: { reward: 1, correct: true, details: { reason: null, ngrams: 0 } },
  },
];

export const repetitionVerifier: WasmVerifier = {
  name: "repetition",
  version: "1.0.0",
  description:
    "Repetition shaping: the share of distinct n-grams among all n-grams of the response (words or characters), 1 without repeats; names the most repeated n-gram. The reference is ignored.",
  referenceSchema: { description: "Ignored (any value or absent)." },
  optionsSchema,
  defaultTimeoutMs: 2000,
  params(_reference: unknown, options: Record<string, unknown>): RepetitionKernelParams {
    return {
      n: (options.n ?? 4) as number,
      unit: (options.unit ?? "words") as RepetitionKernelParams["unit"],
      threshold: (options.threshold ?? 0.5) as number,
    };
  },
  examples,
};
