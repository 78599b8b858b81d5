/**
 * The `program` verifier (staged): runs the program in a model's response in the Python sandbox and
 * grades what it printed (or its `answer`/`ans`) with `math`'s kernel and options, or runs unit tests.
 */
import { programHandlerPath, PythonPool, pythonSandboxAvailability } from "../_python/mod.ts";
import type { WasmVerifier } from "../types.ts";
import { programExamples } from "./examples.ts";
import { programParams } from "./params.ts";
import { programOptionsSchema, programReferenceSchema } from "./schemas.ts";
import { createProgramStage } from "./stage.ts";

let pool: PythonPool | null = null;

export { failureOf } from "./outcome.ts";

export const programVerifier: WasmVerifier = {
  name: "program",
  kernel: "math",
  version: "1.0.0",
  description:
    "Runs the Python program in a response (the last python fence, a named fence, or a bare program) in the " +
    "sandbox (nobody, no network, seccomp, rlimits, deadline; a fresh process forked from a warm interpreter " +
    "per run) and grades what it printed, or its answer/ans variable, with the math verifier's options " +
    "(profile mathvista included); or runs unit tests (stdin/stdout or assert) for a fraction or all-or-nothing " +
    "reward. A crash is runtime_error, failing tests tests_failed.",
  referenceSchema: programReferenceSchema,
  optionsSchema: programOptionsSchema,
  defaultTimeoutMs: 10_000,
  params: programParams,
  examples: programExamples,
  stage: createProgramStage(() => pool ??= new PythonPool({ handlers: [programHandlerPath] })),
  availability: () =>
    pythonSandboxAvailability({
      handlers: [programHandlerPath],
      installHint: "as root: apt-get install -y python3 bubblewrap",
    }),
  async close() {
    const closing = pool;
    pool = null;
    await closing?.close();
  },
};
