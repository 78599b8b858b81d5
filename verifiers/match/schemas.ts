/** JSON Schemas of the `match` verifier's reference and options. */
import type { JsonSchema } from "../types.ts";

/** The modes of `match`, each a rule for comparing the extracted answer with the reference. */
export const MATCH_MODES = [
  "exact",
  "any_of",
  "set_exact",
  "set_f1",
  "sequence_exact",
  "position_accuracy",
  "adjacency",
  "kendall_tau",
  "lcs",
  "ndcg",
  "weighted",
] as const;

/** A match mode's name. */
export type MatchMode = typeof MATCH_MODES[number];

const scalar: JsonSchema = { type: ["string", "number"], maxLength: 1000 };

// Alternatives here are one union type whose keywords each apply to their own type
// (`maxLength` to strings, `items` to lists, `additionalProperties` to objects), the same rule as an
// `anyOf` of one schema per type. An `anyOf` made the validator build an error object for every
// alternative tried before the one that fits: 0.31 µs and about 180 bytes of garbage per list
// reference, against 0.09 µs and none this way (perf/match_baseline.ts's references).

const element: JsonSchema = {
  description: "A label, a number, or a tuple of labels and numbers (for `weighted`).",
  type: ["string", "number", "array"],
  maxLength: 1000,
  items: scalar,
  minItems: 1,
  maxItems: 16,
};

/** The reference: a label, a list (aliases, a set or a sequence, as the mode reads it), or graded relevance. */
export const matchReferenceSchema: JsonSchema = {
  description:
    "A label (string or number); a list of labels (the accepted aliases for any_of, the set for set_*, " +
    "the order for sequence modes, the elements for weighted); or {item: relevance} for ndcg (graded " +
    "relevance: {item: relevance >= 0}; items not listed have relevance 0).",
  type: ["string", "number", "array", "object"],
  maxLength: 1000,
  items: element,
  maxItems: 10000,
  additionalProperties: { type: "number", minimum: 0, maximum: 1000 },
  propertyNames: { maxLength: 1000 },
  maxProperties: 10000,
};

const credit = (what: string, dflt: number): JsonSchema => ({
  type: "number",
  minimum: -100,
  maximum: 100,
  description: `${what} (default ${dflt}).`,
});

const weightsSchema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  description:
    "Credits of the weighted mode, summed over elements and divided by right × the reference's size, then clipped to [0, 1].",
  properties: {
    right: {
      type: "number",
      exclusiveMinimum: 0,
      maximum: 100,
      description: "Per answer element equal to a reference element (default 1); the full score per element.",
    },
    partial: {
      description:
        "Per answer element whose leading fields match a reference element's: a number (credit when the first " +
        "key_fields fields match, default 0.5) or a list, its i-th entry the credit when the first i fields match " +
        "(STAR-R1: [0.5, 1.5] beside right 5).",
      type: ["number", "array"],
      minimum: -100,
      maximum: 100,
      items: { type: "number", minimum: -100, maximum: 100 },
      minItems: 1,
      maxItems: 63,
    },
    wrong: credit(
      "Per answer element that matches nothing, up to the number of unmatched reference elements",
      0,
    ),
    extra: credit("Per further unmatched answer element: over-listing", -0.5),
    missing: credit("Per reference element left unmatched beyond the wrong ones: under-listing", 0),
  },
};

/** Options of the `match` verifier. */
export const matchOptionsSchema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    profile: { enum: ["default"], description: "The only profile." },
    mode: {
      enum: [...MATCH_MODES],
      description:
        "How to compare. Default: exact for a label, ndcg for {item: relevance}; a list reference needs an " +
        "explicit mode (a set and a sequence are different answers).",
    },
    tag: {
      type: "string",
      pattern: "^$|^[A-Za-z][A-Za-z0-9_.:-]{0,63}$",
      description:
        'Read the answer from the last <tag>…</tag> block (default "answer"), else the whole response; "" reads the whole response.',
    },
    split: {
      enum: ["auto", "json", "comma", "newline", "whitespace"],
      description:
        "How a list answer is split: auto (JSON list, else lines, else commas or semicolons, else whitespace " +
        "when no reference element holds a space), or only the named way.",
    },
    case_sensitive: { type: "boolean", description: "Compare letters case-sensitively (default false)." },
    punctuation: {
      enum: ["keep", "trim", "remove"],
      description: "Punctuation in labels: keep, trim it from both ends (default), or remove it everywhere.",
    },
    articles: { type: "boolean", description: "Drop the English articles a, an, the (default false)." },
    choices: {
      description:
        'Options of a multiple-choice question: {"A": "a dog", …} or a list in letter order. Answers written as ' +
        "B, (B), B., B), B:, Option B, \\text{(B)}, with or without the option's text, or the text alone, read as the letter.",
      type: ["object", "array"],
      additionalProperties: { type: "string", maxLength: 1000 },
      minProperties: 1,
      maxProperties: 52,
      items: { type: "string", maxLength: 1000 },
      minItems: 1,
      maxItems: 26,
    },
    k: {
      type: "integer",
      minimum: 1,
      maximum: 10000,
      description: "ndcg: the cut-off (default: the reference's size).",
    },
    gain: {
      enum: ["linear", "exponential"],
      description: "ndcg: gain of relevance r, r (default, as trec_eval and scikit-learn) or 2^r - 1.",
    },
    grid: {
      type: "array",
      items: { type: "integer", minimum: 1, maximum: 1000 },
      minItems: 2,
      maxItems: 2,
      description:
        "adjacency: [rows, cols] of a grid filled row by row; neighbours are right and below (Jigsaw puzzles). " +
        "Default: a line, neighbours are consecutive.",
    },
    directed: {
      type: "boolean",
      description: "adjacency: (a, b) and (b, a) are different pairs (default true).",
    },
    require_permutation: {
      type: "boolean",
      description:
        "Sequence modes: an answer that is not a permutation of the reference gets 0 with reason bad_format (default false).",
    },
    weights: weightsSchema,
    key_fields: {
      type: "integer",
      minimum: 1,
      maximum: 63,
      description: "weighted: how many leading fields a number `partial` credit needs to match (default 1).",
    },
    threshold: {
      type: "number",
      minimum: 0,
      maximum: 1,
      description: "`correct` when the reward is at least this (default 1: only a full match is correct).",
    },
  },
};
