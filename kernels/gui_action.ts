// The `gui_action` verifier kernel: a GUI agent's next action, in any common syntax (JSON, Qwen2.5-VL
// tool calls, UI-TARS and pyautogui calls, Python-literal lists), normalized and matched against a
// reference action by a named profile. See verifiers/gui_action/README.md.

import { emit } from "./_lib/abi";
import { extractActions } from "./gui_action/extract";
import { fastScore } from "./gui_action/fast";
import { readGuiParamsFast } from "./gui_action/fast_params";
import { GuiParams, readGuiParams } from "./gui_action/params";
import { judge, plainVerdict, Response } from "./gui_action/verdict";
import { badParameters, readItem, readParams } from "./_lib/item";
import { answerRegion, indexOfAscii, isBlank, Span } from "./_lib/text";

export { input, output_len } from "./_lib/abi";

/** Scores the current item (parameters, 0x00, response) and returns a pointer to the result JSON. */
export function score(): usize {
  return emit(scoreItem());
}

// The answer region; without an <answer> tag, the text after the last "Action:" (UI-TARS) if any.
function actionSpan(ptr: usize, start: i32, end: i32): Span {
  const region = answerRegion(ptr, start, end);
  if (region.via != "whole") return region;
  let last = -1;
  let at = indexOfAscii(ptr, end, "Action:", start);
  while (at >= 0) {
    last = at;
    at = indexOfAscii(ptr, end, "Action:", at + 7);
  }
  return last >= 0 ? new Span(last + 7, end, "action_line") : region;
}

function scoreItem(): ArrayBuffer {
  const item = readItem();
  if (item === null) return badParameters(null);
  const ptr = item.ptr;
  const len = item.end;
  const fast = readGuiParamsFast(ptr, item.sep);
  let p: GuiParams;
  if (fast !== null) p = fast;
  else {
    const params = readParams(item);
    if (params === null) return badParameters(item);
    p = readGuiParams(params!);
  }
  const start = item.start;
  const span = actionSpan(ptr, start, len);
  if (isBlank(ptr, span.start, span.end)) return plainVerdict(p, span.via, "no_answer", null);
  if (fast !== null) {
    const scored = fastScore(ptr, start, len, span, p);
    if (scored !== null) return scored;
  }
  const found = extractActions(ptr, span);
  if (found.tooComplex) return plainVerdict(p, span.via, "too_complex", null);
  return judge(found, new Response(ptr, start, len, span, span.via), p);
}
