/** The `gui_action` verifier: a GUI agent's next action in any common syntax, matched by a profile in WASM. */
import type { WasmVerifier } from "../types.ts";
import { guiActionExamples } from "./examples.ts";
import { guiActionParams } from "./params.ts";
import { guiActionOptionsSchema, guiActionReferenceSchema } from "./schemas.ts";

export type { GuiActionKernelParams } from "./params.ts";

export const guiActionVerifier: WasmVerifier = {
  name: "gui_action",
  version: "1.0.2",
  description:
    "Scores a GUI agent's next action (JSON, Qwen2.5-VL tool calls, UI-TARS and pyautogui calls, Python-literal " +
    "lists) against a reference action: one normalized action, exact coordinate mapping (pixel, norm1000, norm1, " +
    "smart_resize), and named profiles (default, androidcontrol, aitw, gui_r1, ui_r1, screenspot, screenspot_pro).",
  referenceSchema: guiActionReferenceSchema,
  optionsSchema: guiActionOptionsSchema,
  defaultTimeoutMs: 2000,
  params: guiActionParams,
  examples: guiActionExamples,
};
