/** JSON Schemas of the `math` verifier's reference and options. */
import type { JsonSchema } from "../types.ts";

/**
 * The gold answer: a LaTeX/plain string, a number or a one-element list of either (DESIGN.md §2: the
 * same answer, numbers as their canonical text, `singleAnswer()` in params.ts), or an object
 * (MathVista records map onto it directly).
 */
export const mathReferenceSchema: JsonSchema = {
  oneOf: [
    {
      type: "string",
      description: "The gold answer in LaTeX or plain text; a \\boxed{} inside it is used when present.",
    },
    { type: "number", description: 'A numeric gold answer (72 means "72").' },
    {
      type: "array",
      minItems: 1,
      maxItems: 1,
      items: { type: ["string", "number"] },
      description: 'A one-element list holding the gold answer (GSM8K-style data): [72] means "72".',
    },
    {
      type: "object",
      required: ["answer"],
      additionalProperties: true,
      properties: {
        answer: {
          type: ["string", "number"],
          description: "The gold answer (for choices: its letter or its text).",
        },
        choices: {
          type: ["array", "null"],
          items: { type: "string" },
          description: "Options of a multiple-choice question, in letter order (A, B, …).",
        },
        answer_type: {
          type: ["string", "null"],
          enum: ["integer", "float", "text", "list", "expression", null],
          description: "Kind of answer (MathVista's answer_type).",
        },
        precision: { type: ["number", "null"], description: "Decimal places for float answers (MathVista)." },
        question_type: {
          type: ["string", "null"],
          enum: ["multi_choice", "free_form", null],
          description: "MathVista's question_type.",
        },
        unit: { type: ["string", "null"], description: "Unit of the answer (informative only)." },
      },
    },
  ],
};

const RULES = ["boxed", "answer_tag", "final_answer", "answer_is", "last_latex", "last_number", "whole"];

/** Options of the `math` verifier. */
export const mathOptionsSchema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    profile: {
      type: "string",
      enum: ["default", "mathvista", "mathvista_strict"],
      description:
        "default: extraction and equivalence; mathvista: MathVista's official normalization and exact match; " +
        "mathvista_strict: the same without the nearest-option guess.",
    },
    extract: {
      type: "array",
      items: {
        oneOf: [
          { type: "string", enum: RULES },
          { type: "array", items: { type: "string", enum: RULES }, minItems: 1 },
        ],
      },
      description:
        "Extraction rules to try, in order; a nested array is a group whose match ending last wins " +
        "(default: [[boxed, answer_tag, final_answer], answer_is, [last_latex, last_number]]).",
    },
    extract_reference: {
      type: "boolean",
      description:
        "The reference is a whole solution: run the same extraction rules on it (its boxed or final answer).",
    },
    strict: {
      type: "boolean",
      description: "false: free variables may be renamed consistently (f(x) equals f(y)); default true.",
    },
    order: {
      type: "string",
      enum: ["auto", "ordered", "unordered"],
      description:
        "How collections compare. auto (default): tuples, vectors, bracketed lists of more than two " +
        "elements and space-separated sequences (3 4 1 2) keep their order; sets \\{…\\} and bare comma " +
        "lists (Math-Verify's 'all solutions separated by commas') do not. ordered: every list, set and " +
        "sequence element by element, in order. unordered: lists, sequences and tuples as sets.",
    },
    latex_shorthand: {
      type: "boolean",
      description: "Read \\frac12 / \\sqrt2 shorthand (default true); false refuses it as malformed LaTeX.",
    },
    extracted: {
      type: "boolean",
      description: "The response is already the extracted answer (e.g. a benchmark's extraction column).",
    },
    tolerance: {
      type: "number",
      minimum: 0,
      description: "Relative tolerance for answers written as decimals (default 1e-9).",
    },
    precision: {
      type: "integer",
      minimum: 0,
      maximum: 20,
      description: "Decimal places that must agree when either answer is written as a decimal (default 6).",
    },
  },
};
