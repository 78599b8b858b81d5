/**
 * The `judge` verifier: a remote verifier (DESIGN.md §4) that asks a configured LLM/VLM judge
 * (OpenAI-compatible chat) or a scalar reward model, outside the sandbox pool, with shared limits,
 * retries, a verdict cache and injection-resistant templates. See README.md in this folder.
 */
import type { WasmVerifier } from "../types.ts";
import { judgeOptionsSchema, judgeReferenceSchema } from "./schemas.ts";
import { JUDGE_VERSION } from "./service.ts";
import { judgeBackend } from "./backend.ts";

export {
  JUDGE_VERSION,
  type JudgeCounters,
  type JudgeItem,
  type JudgeOutcome,
  JudgeService,
  type JudgeServiceOptions,
} from "./service.ts";
export { JudgeConfigError } from "./settings.ts";
export { SHIPPED_TEMPLATES } from "./templates.ts";

/**
 * The dispatch-table entry; the engine runs its items through a `JudgeService` built from the config.
 * Its kernel `wasm/judge.wasm` only runs the optional injection pre-check.
 */
export const judgeVerifier: WasmVerifier & { kind: "remote" } = {
  kind: "remote",
  name: "judge",
  version: JUDGE_VERSION,
  description:
    "Model-based reward: a configured LLM/VLM judge (rubric templates, verdict or logprob scoring, pairwise " +
    "with swap) or a scalar reward model (vLLM pooling or one-score endpoint), cached and rate-limited.",
  referenceSchema: judgeReferenceSchema,
  optionsSchema: judgeOptionsSchema,
  defaultTimeoutMs: 30_000,
  params: () => ({}),
  examples: [],
  remote: judgeBackend,
};
