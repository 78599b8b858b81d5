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
  createEngine,
  defaultEngineOptions,
  Engine,
  type EngineOptions,
  type EngineStats,
  type VerifierDescription,
} from "./engine.ts";
export type { BatchOptions } from "./batch_run.ts";
export { RawItem } from "./raw_item.ts";
export { IO_TURN_MS, WorkSlicer, yieldNow, yieldToIo } from "./yield_now.ts";
export { BatchTooLargeError, OverloadedError, SandboxUnavailableError } from "./errors.ts";
export { VERIFIERS } from "./registry.ts";
export { ARBITER_VERSION } from "./version.ts";
export {
  type ChatEndpoint,
  type ChatOutcome,
  type ChatPrompt,
  outcomeOfBody,
  requestCompletion,
  type SamplingParams,
  splitReasoning,
} from "./_openai/mod.ts";
export {
  ERROR_CODES,
  type ErrorCode,
  KernelVerdict,
  type Reason,
  reasonOf,
  REASONS,
  resultJson,
  type VerifyResult,
} from "./result.ts";
export {
  InvalidRequestError,
  type JsonSchema,
  type StageItem,
  type StageOutcome,
  type VerifierExample,
  type WasmVerifier,
} from "./types.ts";
export { ON_NO_VERDICT, type OnNoVerdict, substituteNoVerdicts } from "./_substitute/mod.ts";
export { itemSchema, withTimeoutOption } from "./validate.ts";
export {
  ALWAYS_RETURNED,
  type FieldSelection,
  fieldsSchema,
  RESULT_FIELDS,
  type ResultField,
  resultJsonWith,
  selectFields,
} from "./result_fields.ts";
export { Histogram, LATENCY_BUCKETS_MS } from "./metrics.ts";
export { specSchema } from "./spec.ts";
