/** The `iou` verifier: grounding answers (boxes, points, time segments) scored by IoU in WASM. */
import type { WasmVerifier } from "../types.ts";
import { iouExamples } from "./examples.ts";
import { iouParams } from "./params.ts";
import { iouOptionsSchema, iouReferenceSchema } from "./schemas.ts";

export type { IouKernelParams } from "./params.ts";

export const iouVerifier: WasmVerifier = {
  name: "iou",
  version: "1.0.1",
  description:
    "Scores visual grounding answers (REC boxes, detection lists, points, temporal segments) against a reference by IoU, " +
    "with Qwen-VL, JSON, Python-literal and bare-list answers, coordinate mapping (norm1000, norm1, resized images) " +
    "and a vlm_r1 parity profile.",
  referenceSchema: iouReferenceSchema,
  optionsSchema: iouOptionsSchema,
  defaultTimeoutMs: 2000,
  params: iouParams,
  examples: iouExamples,
};
