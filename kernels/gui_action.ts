// The `gui_action` verifier kernel: a GUI agent's next action, in any common syntax (JSON, Qwen2.5-VL
// tool calls, UI-TARS and pyautogui calls, Python-literal lists), normalized and matched against a
// reference action by a named profile. See verifiers/gui_action/README.md.

import { emit, itemLen, itemPtr } from "./_abi";
import { extractActions } from "./_gui_extract";
import { fastScore } from "./_gui_fast";
import { readGuiParamsFast } from "./_gui_fast_params";
import { GuiParams, readGuiParams } from "./_gui_params";
import { judge, plainVerdict, Response } from "./_gui_verdict";
import { parseParams } from "./_json";
import { beginResult, finishResult } from "./_result";
import { answerRegion, indexOfAscii, indexOfByte, isBlank, Span } from "./_text";

export { input, output_len } from "./_abi";

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
  const ptr = itemPtr();
  const len = itemLen();
  const sep = indexOfByte(ptr, len, 0, 0); // the separator, eight bytes at a time
  if (sep < 0) {
    const w = beginResult(0, false, "parse_error");
    w.key("problem").str("no_parameters");
    return finishResult(w);
  }
  const fast = readGuiParamsFast(ptr, sep);
  const p: GuiParams = fast !== null ? fast : readGuiParams(parseParams(ptr, sep));
  const start = sep + 1;
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
