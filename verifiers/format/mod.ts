/** The `format` verifier: checks the <think>…</think><answer>…</answer> layout of a response in WASM. */
import type { VerifierExample, WasmVerifier } from "../types.ts";

/** The parameter object the `format` kernel reads. */
export interface FormatKernelParams {
  tags: string[];
  profile: "default";
}

const examples: VerifierExample[] = [
  {
    title: "think then answer, whitespace between",
    item: { response: "<think>2 + 2 = 4</think>\n<answer>4</answer>", reference: null },
    expected: { reward: 1, correct: true, details: { reason: null } },
  },
  {
    title: "a missing answer block",
    item: { response: "<think>2 + 2 = 4</think> 4", reference: null },
    expected: {
      reward: 0,
      correct: false,
      details: { reason: "bad_format", problem: "missing_tag", tag: "<answer>" },
    },
  },
  {
    title: "text after the answer",
    item: { response: "<think>a</think><answer>4</answer> Hope this helps!", reference: null },
    expected: { reward: 0, correct: false, details: { reason: "bad_format", problem: "text_outside" } },
  },
  {
    title: "two answer blocks",
    item: { response: "<think>a</think><answer>4</answer><answer>5</answer>", reference: null },
    expected: { reward: 0, correct: false, details: { reason: "bad_format", problem: "duplicate_tag" } },
  },
  {
    title: "answer before think",
    item: { response: "<answer>4</answer><think>a</think>", reference: null },
    expected: { reward: 0, correct: false, details: { reason: "bad_format", problem: "wrong_order" } },
  },
  {
    title: "an empty answer",
    item: { response: "<think>a</think><answer>  </answer>", reference: null },
    expected: { reward: 0, correct: false, details: { reason: "bad_format", problem: "empty_answer" } },
  },
  {
    title: "custom tag names",
    item: {
      response: "<reasoning>r</reasoning><solution>42</solution>",
      reference: null,
      options: { tags: ["reasoning", "solution"] },
    },
    expected: { reward: 1, correct: true, details: { reason: null } },
  },
];

export const formatVerifier: WasmVerifier = {
  name: "format",
  version: "1.0.0",
  description:
    "Checks that a response is exactly <think>…</think><answer>…</answer> (tag names configurable): one block per tag, " +
    "in order, nothing but whitespace outside, a non-empty last block.",
  referenceSchema: { description: "Not used; any value (null is fine)." },
  optionsSchema: {
    type: "object",
    additionalProperties: false,
    properties: {
      profile: { enum: ["default"], description: "The only profile." },
      tags: {
        type: "array",
        items: { type: "string", pattern: "^[A-Za-z][A-Za-z0-9_.:-]{0,63}$" },
        minItems: 1,
        maxItems: 16,
        uniqueItems: true,
        description:
          'Block names in their required order (default ["think", "answer"]); the last must not be empty.',
      },
    },
  },
  defaultTimeoutMs: 2000,
  params(_reference: unknown, options: Record<string, unknown>): FormatKernelParams {
    return { tags: (options.tags as string[] | undefined) ?? ["think", "answer"], profile: "default" };
  },
  examples,
};
