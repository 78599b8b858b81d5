/** The `text` verifier: similarity of free-form answers to reference texts, computed in WASM. */
import type { WasmVerifier } from "../types.ts";
import { textExamples } from "./examples.ts";
import { textParams } from "./params.ts";
import { textOptionsSchema, textReferenceSchema } from "./schemas.ts";

export { TEXT_KERNEL_DEFAULTS, type TextKernelParams } from "./params.ts";
export { TEXT_METRICS, type TextMetric } from "./schemas.ts";

export const textVerifier: WasmVerifier = {
  name: "text",
  version: "1.0.0",
  description:
    "Scores a free-form answer against reference texts: ROUGE-1/2/L F (rouge-score), sentence BLEU and chrF (sacreBLEU 2.6), " +
    "SQuAD token F1 and exact match, WER and CER (jiwer) as rewards, and normalized edit similarity; Unicode-aware tokens.",
  referenceSchema: textReferenceSchema,
  optionsSchema: textOptionsSchema,
  defaultTimeoutMs: 2000,
  params: textParams,
  examples: textExamples,
};
