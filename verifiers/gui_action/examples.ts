/** Published examples of the `gui_action` verifier, each with the result it must get. */
import type { VerifierExample } from "../types.ts";

export const guiActionExamples: VerifierExample[] = [];
