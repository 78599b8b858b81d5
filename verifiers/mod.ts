/**
 * The engine's public face: create an engine over the dispatch table, verify items and batches.
 *
 * ```ts
 * const engine = await createEngine(VERIFIERS, { workers: 2 });
 * const [result] = await engine.verifyBatch([{ verifier: "iou", response: "[0, 0, 10, 10]", reference: { box: [0, 0, 10, 10] } }]);
 * await engine.close();
 * ```
 */
export {
  type BatchOptions,
  createEngine,
  defaultEngineOptions,
  Engine,
  type EngineOptions,
  OverloadedError,
  SandboxUnavailableError,
  type VerifierDescription,
} from "./engine.ts";
export { VERIFIERS } from "./registry.ts";
export {
  type ChatEndpoint,
  type ChatOutcome,
  type ChatPrompt,
  outcomeOfBody,
  requestCompletion,
  type SamplingParams,
  splitReasoning,
} from "./_openai/mod.ts";
export { type ErrorCode, KernelVerdict, reasonOf, resultJson, type VerifyResult } from "./result.ts";
export { InvalidRequestError, type VerifierExample, type WasmVerifier } from "./types.ts";
export { itemSchema } from "./validate.ts";
