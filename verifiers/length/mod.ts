/** The `length` verifier: a response-length shaping term (target range, DAPO-style overlong buffer). */
import { InvalidRequestError, type VerifierExample, type WasmVerifier } from "../types.ts";

/** The parameter object the `length` kernel reads. */
export interface LengthKernelParams {
  unit: "chars" | "words" | "tokens";
  tokens?: number;
  min: number;
  max?: number;
  buffer: number;
}

const optionsSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    unit: {
      enum: ["chars", "words", "tokens"],
      default: "chars",
      description:
        "What is counted: Unicode code points, whitespace-separated words, or the caller's token count (`tokens`).",
    },
    tokens: {
      type: "integer",
      minimum: 0,
      description:
        "The response's length in tokens, from the trainer's tokenizer (required with unit tokens).",
    },
    min: { type: "number", minimum: 0, default: 0, description: "Shorter responses score 0." },
    max: {
      type: "number",
      exclusiveMinimum: 0,
      description: "Longer responses score 0 (no limit when absent).",
    },
    buffer: {
      type: "number",
      minimum: 0,
      default: 0,
      description: "DAPO's L_cache: within `buffer` of `max` the reward falls linearly from 1 to 0.",
    },
    profile: { enum: ["default"], default: "default", description: "Scoring rules (one profile)." },
  },
};

const examples: VerifierExample[] = [
  {
    title: "within the target range",
    item: { response: "The answer is 42.", reference: null, options: { min: 5, max: 100 } },
    expected: { reward: 1, correct: true, details: { reason: null, length: 17, unit: "chars", penalty: 0 } },
  },
  {
    title: "in DAPO's overlong buffer: the reward falls linearly",
    item: {
      response: "one two three four five six seven eight",
      reference: null,
      options: { unit: "words", max: 10, buffer: 4 },
    },
    expected: {
      reward: 0.5,
      correct: false,
      details: { reason: "wrong", length: 8, penalty: -0.5, problem: "in_overlong_buffer" },
    },
  },
  {
    title: "past the maximum",
    item: { response: "x".repeat(50), reference: null, options: { max: 40 } },
    expected: { reward: 0, correct: false, details: { reason: "wrong", problem: "too_long", penalty: -1 } },
  },
  {
    title: "the trainer's token count",
    item: {
      response: "…",
      reference: null,
      options: { unit: "tokens", tokens: 900, max: 1024, buffer: 256 },
    },
    expected: { reward: 0.484375, correct: false, details: { reason: "wrong", length: 900 } },
  },
  {
    title: "too short",
    item: { response: "42", reference: null, options: { min: 10 } },
    expected: { reward: 0, correct: false, details: { reason: "wrong", problem: "too_short" } },
  },
];

export const lengthVerifier: WasmVerifier = {
  name: "length",
  version: "1.0.0",
  description:
    "Response-length shaping: 1 inside [min, max − buffer], falling linearly to 0 at max (DAPO's overlong buffer; its penalty is reward − 1, reported as details.penalty), 0 past max or below min. Counts code points, words, or the caller's token count. The reference is ignored.",
  referenceSchema: { description: "Ignored (any value or absent)." },
  optionsSchema,
  defaultTimeoutMs: 2000,
  params(_reference: unknown, options: Record<string, unknown>): LengthKernelParams {
    const unit = (options.unit ?? "chars") as LengthKernelParams["unit"];
    if (unit === "tokens" && typeof options.tokens !== "number") {
      throw new InvalidRequestError(
        "options/tokens: is required with unit tokens (the server has no tokenizer)",
      );
    }
    const min = (options.min ?? 0) as number;
    const max = options.max as number | undefined;
    const buffer = (options.buffer ?? 0) as number;
    if (max !== undefined && (min > max || buffer > max)) {
      throw new InvalidRequestError(
        `options: min (${min}) and buffer (${buffer}) must not exceed max (${max})`,
      );
    }
    const params: LengthKernelParams = { unit, min, buffer };
    if (max !== undefined) params.max = max;
    if (unit === "tokens") params.tokens = options.tokens as number;
    return params;
  },
  examples,
};
