// The format part of a `gui_action` reward: the response layout some projects reward on its own.

import { GuiAction } from "./action";
import { FORMAT_GUI_R1, FORMAT_THINK_ANSWER, GuiParams } from "./params";
import { indexOfAscii, isSpaceByte, matchesAt } from "../_lib/text";

/**
 * Python's `re.fullmatch(r"<think>.*?</think>\s*<answer>.*?</answer>", s, re.DOTALL)` over bytes
 * [start, end): the text starts with <think>, ends with </answer>, and some </think> is followed by
 * whitespace and an <answer> that opens before the final </answer>.
 */
export function thinkAnswerLayout(ptr: usize, start: i32, end: i32): bool {
  if (!matchesAt(ptr, end, start, "<think>")) return false;
  const closeAnswer = end - 9;
  if (closeAnswer < start + 7 || !matchesAt(ptr, end, closeAnswer, "</answer>")) return false;
  let at = indexOfAscii(ptr, closeAnswer, "</think>", start + 7);
  while (at >= 0) {
    let j = at + 8;
    while (j < closeAnswer && isSpaceByte(<i32>load<u8>(ptr + <usize>j))) j++;
    if (j + 8 <= closeAnswer && matchesAt(ptr, closeAnswer, j, "<answer>")) return true;
    at = indexOfAscii(ptr, closeAnswer, "</think>", at + 8);
  }
  return false;
}

/** The format part under the profile's rule for a response whose action (if any) is `pred`. */
export function formatOk(ptr: usize, start: i32, end: i32, pred: GuiAction | null, p: GuiParams): bool {
  if (pred === null) return false;
  if (p.rules.format == FORMAT_THINK_ANSWER) return thinkAnswerLayout(ptr, start, end);
  if (p.rules.format == FORMAT_GUI_R1) return pred.guiR1Shape && thinkAnswerLayout(ptr, start, end);
  return true;
}
