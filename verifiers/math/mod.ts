/** The `math` verifier: final answers of math problems, extracted and compared in WASM. */
import type { WasmVerifier } from "../types.ts";
import { mathExamples } from "./examples.ts";
import { mathParams } from "./params.ts";
import { mathOptionsSchema, mathReferenceSchema } from "./schemas.ts";

export type { MathKernelParams } from "./params.ts";

export const mathVerifier: WasmVerifier = {
  name: "math",
  version: "1.2.1",
  description:
    "Extracts the final answer of a math solution (\\boxed{}, <answer>, 'the answer is', last LaTeX block, last number) " +
    "and decides equivalence with the reference: exact rationals, decimals within a tolerance, symbolic expressions " +
    "by seeded random evaluation, sets, tuples, intervals, equations, inequalities, matrices, text and choices; " +
    "plus MathVista's official scoring (profile mathvista).",
  referenceSchema: mathReferenceSchema,
  optionsSchema: mathOptionsSchema,
  defaultTimeoutMs: 2000,
  params: mathParams,
  examples: mathExamples,
};
