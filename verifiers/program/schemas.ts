/**
 * JSON Schemas of the `program` verifier: a reference is either a program-of-thought answer (any
 * reference `math` takes) or unit tests; the options are `math`'s (they grade the printed answer)
 * plus where to find the program and what to grade.
 */
import { mathVerifier } from "../math/mod.ts";
import type { JsonSchema } from "../types.ts";

/** At most this many unit tests per item (each runs in its own process). */
export const MAX_TESTS = 256;
/** At most this many characters of program (after extraction). */
export const MAX_PROGRAM_CHARS = 200_000;

const IDENTIFIER = "^[A-Za-z_][A-Za-z0-9_]{0,63}$";

const testsReferenceSchema: JsonSchema = {
  type: "object",
  required: ["tests"],
  additionalProperties: false,
  properties: {
    tests: {
      type: "array",
      minItems: 1,
      maxItems: MAX_TESTS,
      items: {
        oneOf: [
          {
            type: "object",
            required: ["stdout"],
            additionalProperties: false,
            properties: {
              stdin: { type: "string", description: "The program's standard input (default empty)." },
              stdout: { type: "string", description: "The standard output the program must print." },
            },
          },
          {
            type: "object",
            required: ["assert"],
            additionalProperties: false,
            properties: {
              assert: {
                type: "string",
                description:
                  "Python run after the program, in its namespace (e.g. `assert add(2, 3) == 5`, or a " +
                  "HumanEval-style `def check(candidate): …` with `entry_point`). It passes when it runs to its end.",
              },
            },
          },
        ],
      },
      description: "Unit tests: each runs the program in a fresh process with its own deadline.",
    },
    entry_point: {
      type: "string",
      pattern: IDENTIFIER,
      description:
        "The function under test: bound to `candidate` for assert tests, and `check(candidate)` is called.",
    },
    compare: {
      type: "string",
      enum: ["exact", "tokens", "float"],
      description:
        "How stdout is compared: exact (line endings and trailing newlines aside), tokens (default: " +
        "whitespace-separated), float (tokens; numbers within 1e-6 relative).",
    },
    partial: {
      type: "string",
      enum: ["fraction", "all_or_nothing"],
      description: "The reward: the fraction of tests passed (default) or 1 only when all pass.",
    },
  },
};

/**
 * A program-of-thought answer (as `math` takes it) or unit tests. An object with `tests` is always read
 * as unit tests (math's object form allows extra keys, so it is excluded there).
 */
export const programReferenceSchema: JsonSchema = {
  oneOf: [
    { ...mathVerifier.referenceSchema, not: { type: "object", required: ["tests"] } },
    testsReferenceSchema,
  ],
};

/** The options this verifier adds to `math`'s. */
export const PROGRAM_OPTION_KEYS = ["block", "output", "variables"] as const;

const mathOptions = mathVerifier.optionsSchema as { properties: Record<string, JsonSchema> };

/** `math`'s options (they grade what the program printed) and the program's own. */
export const programOptionsSchema: JsonSchema = {
  ...mathVerifier.optionsSchema,
  properties: {
    ...mathOptions.properties,
    block: {
      type: "string",
      minLength: 1,
      maxLength: 64,
      description:
        "Run the last fenced block whose info string holds this word (```python solution); default: the " +
        "last python fence, else the last fence, else the whole response.",
    },
    output: {
      type: "string",
      enum: ["auto", "stdout", "variable"],
      description:
        "What is graded: stdout, the first of `variables` the program defined, or auto (default: stdout " +
        "when the program printed anything, else the variable).",
    },
    variables: {
      type: "array",
      minItems: 1,
      maxItems: 8,
      items: { type: "string", pattern: IDENTIFIER },
      description: 'Variables that hold the answer, first defined wins (default ["answer", "ans"]).',
    },
  },
};
