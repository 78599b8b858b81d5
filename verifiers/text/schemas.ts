/** JSON Schemas of the `text` verifier's reference and options. */
import type { JsonSchema } from "../types.ts";

/** The metrics of `text`. */
export const TEXT_METRICS = [
  "rouge1",
  "rouge2",
  "rougeL",
  "bleu",
  "chrf",
  "token_f1",
  "exact",
  "wer",
  "cer",
  "edit_similarity",
] as const;

/** A text metric's name. */
export type TextMetric = typeof TEXT_METRICS[number];

/** Tokenizers by metric; the first is the default (the reference implementation's). */
export const TOKENIZERS: Record<TextMetric, string[]> = {
  rouge1: ["unicode", "whitespace", "char"],
  rouge2: ["unicode", "whitespace", "char"],
  rougeL: ["unicode", "whitespace", "char"],
  bleu: ["13a", "zh", "char", "none"],
  chrf: [],
  token_f1: ["squad", "unicode", "whitespace", "char"],
  exact: ["squad", "unicode", "whitespace", "char"],
  wer: ["whitespace", "unicode", "char"],
  cer: [],
  edit_similarity: [],
};

/** The most characters (code points) of one reference. */
export const MAX_REFERENCE_CHARS = 100_000;

// The length bound is checked by textParams, not as the schema's `maxLength`: ajv counts the code points
// of every reference for it (6.4 µs of a 2 kB reference's 7 µs of validation), where `length` (UTF-16
// units, never fewer than code points) settles all but the references near the bound.
const reference: JsonSchema = {
  type: "string",
  description: `At most ${MAX_REFERENCE_CHARS.toLocaleString("en-US")} characters.`,
};

/** The reference text, or several (the best-scoring one counts; BLEU and chrF combine them as sacreBLEU does). */
export const textReferenceSchema: JsonSchema = {
  description: "The reference text, or a list of reference texts.",
  // One union type, `items` applying to lists only: an `anyOf` built an error object for each list
  // (see the `match` reference's schema).
  type: ["string", "array"],
  items: reference,
  minItems: 1,
  maxItems: 16,
};

/** Options of the `text` verifier. */
export const textOptionsSchema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    profile: { enum: ["default"], description: "The only profile." },
    metric: {
      enum: [...TEXT_METRICS],
      description:
        "Which similarity is the reward (default rougeL). See verifiers/text/README.md for each definition.",
    },
    tag: {
      type: "string",
      pattern: "^$|^[A-Za-z][A-Za-z0-9_.:-]{0,63}$",
      description:
        'Read the answer from the last <tag>…</tag> block (default "answer"), else the whole response; "" reads the whole response.',
    },
    tokenize: {
      enum: ["unicode", "whitespace", "char", "squad", "13a", "zh", "none"],
      description:
        "Word tokenizer. rouge*: unicode (default; rouge-score's on ASCII text, CJK one token per character), whitespace, char. " +
        "token_f1, exact: squad (default), unicode, whitespace, char. wer: whitespace (default, jiwer), unicode, char. " +
        "bleu: sacreBLEU's 13a (default), zh, char, none.",
    },
    lowercase: {
      type: "boolean",
      description:
        "Fold case first. Default: true for rouge*, token_f1 and exact; false for bleu, chrf, wer, cer, edit_similarity.",
    },
    punctuation: {
      enum: ["keep", "remove"],
      description: "wer, cer, edit_similarity: remove punctuation before comparing (default keep, as jiwer).",
    },
    smooth: {
      enum: ["none", "floor", "add-k", "add1", "exp"],
      description: "bleu: sacreBLEU's smoothing (default exp, as sentence_bleu); add1 is add-k with k = 1.",
    },
    smooth_value: {
      type: "number",
      minimum: 0,
      maximum: 100,
      description: "bleu: the value of floor (default 0.1) or add-k (default 1).",
    },
    max_order: {
      type: "integer",
      minimum: 1,
      maximum: 8,
      description: "bleu: the largest n-gram order (default 4).",
    },
    char_order: {
      type: "integer",
      minimum: 1,
      maximum: 12,
      description: "chrf: character n-gram order (default 6).",
    },
    beta: { type: "number", minimum: 0, maximum: 16, description: "chrf: recall weight β (default 2)." },
    whitespace: {
      type: "boolean",
      description: "chrf: keep whitespace in character n-grams (default false).",
    },
    wer_reward: {
      enum: ["linear", "exp"],
      description: "wer, cer: reward max(0, 1 - rate) (default linear) or exp(-rate).",
    },
    threshold: {
      type: "number",
      minimum: 0,
      maximum: 1,
      description: "`correct` when the reward is at least this (default 1).",
    },
  },
};
