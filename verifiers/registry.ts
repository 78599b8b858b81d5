/** The dispatch table: every verifier the server offers, by name (the name is also its kernel's). */
import { chartCodeVerifier } from "./chart_code/mod.ts";
import { formatVerifier } from "./format/mod.ts";
import { guiActionVerifier } from "./gui_action/mod.ts";
import { iouVerifier } from "./iou/mod.ts";
import { judgeVerifier } from "./judge/mod.ts";
import { lengthVerifier } from "./length/mod.ts";
import { matchVerifier } from "./match/mod.ts";
import { mathVerifier } from "./math/mod.ts";
import { programVerifier } from "./program/mod.ts";
import { repetitionVerifier } from "./repetition/mod.ts";
import { textVerifier } from "./text/mod.ts";
import type { WasmVerifier } from "./types.ts";

export const VERIFIERS: Record<string, WasmVerifier> = {
  [chartCodeVerifier.name]: chartCodeVerifier,
  [formatVerifier.name]: formatVerifier,
  [guiActionVerifier.name]: guiActionVerifier,
  [iouVerifier.name]: iouVerifier,
  [judgeVerifier.name]: judgeVerifier,
  [lengthVerifier.name]: lengthVerifier,
  [matchVerifier.name]: matchVerifier,
  [mathVerifier.name]: mathVerifier,
  [programVerifier.name]: programVerifier,
  [repetitionVerifier.name]: repetitionVerifier,
  [textVerifier.name]: textVerifier,
};
