/** The dispatch table: every verifier the server offers, by name (the name is also its kernel's). */
import { formatVerifier } from "./format/mod.ts";
import { iouVerifier } from "./iou/mod.ts";
import { mathVerifier } from "./math/mod.ts";
import type { WasmVerifier } from "./types.ts";

export const VERIFIERS: Record<string, WasmVerifier> = {
  [formatVerifier.name]: formatVerifier,
  [iouVerifier.name]: iouVerifier,
  [mathVerifier.name]: mathVerifier,
};
