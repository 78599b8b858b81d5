/** The `judge` verifier's published schemas (an item names a configured judge, never an address). */
import type { JsonSchema } from "../types.ts";

/** `reference`: the reference answer (text, or anything JSON; pairwise: the other response). */
export const judgeReferenceSchema: JsonSchema = {
  description: "The reference answer shown to the judge (pairwise: response B). Optional.",
};

/** `options` of a judge item. */
export const judgeOptionsSchema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    judge: {
      type: "string",
      description: "Name of a judge configured in the server's judges: map (optional when only one is).",
    },
    template: {
      type: "string",
      default: "quality_0_10",
      description:
        "Rubric: equivalence, quality_0_10, reasoning_quality, pairwise, safety_label, or one from judge_templates:.",
    },
    scoring: {
      enum: ["verdict", "logprob"],
      default: "verdict",
      description: "verdict: parse the VERDICT: line; logprob: the probability-weighted verdict token.",
    },
    swap: {
      type: "boolean",
      default: false,
      description: "Pairwise: ask a second time with the two answers swapped and average (position bias).",
    },
    precheck: {
      type: "boolean",
      default: false,
      description: "Flag responses that address the grader (reason judge_injection, reward 0) before asking.",
    },
    on_unparsable: {
      enum: ["zero", "no_verdict"],
      default: "zero",
      description: "An answer still unparsable after one retry: reward 0 (judge_unparsable) or no verdict.",
    },
    threshold: {
      type: "number",
      minimum: 0,
      maximum: 1,
      default: 0.5,
      description: "`correct` is true when the reward is at least this.",
    },
    profile: { enum: ["default"], default: "default", description: "Scoring rules (one profile)." },
  },
};
