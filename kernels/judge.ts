// The `judge` verifier's kernel: the optional injection pre-check. The policy's response is
// scanned here, in the sandbox, never on the host: folded (fold.ts), then searched for phrases that
// address the grader (patterns.ts). A hit is the verdict reward 0, reason `judge_injection`; a clean
// response gets reward 1 (the host then asks the judge). See verifiers/judge/README.md.

import { emit } from "./_lib/abi";
import { badParameters, readItem, readParams } from "./_lib/item";
import { beginResult, finishResult } from "./_lib/result";
import { indexOfAscii } from "./_lib/text";
import { foldResponse } from "./judge/fold";
import { INJECTION_PATTERNS } from "./judge/patterns";

export { input, output_len } from "./_lib/abi";

/** Scores the current item (parameters, 0x00, response) and returns a pointer to the result JSON. */
export function score(): usize {
  return emit(scoreItem());
}

function scoreItem(): ArrayBuffer {
  const item = readItem();
  if (item === null) return badParameters(null);
  const params = readParams(item); // none are read, but the block must be one JSON object
  if (params === null) return badParameters(item);
  const folded = foldResponse(item.ptr, item.start, item.end);
  const ptr = folded.bytes.dataStart;
  let first = -1;
  let pattern = "";
  for (let p = 0; p < INJECTION_PATTERNS.length; p++) {
    const at = indexOfAscii(ptr, folded.len, INJECTION_PATTERNS[p], 0);
    if (at >= 0 && (first < 0 || at < first)) {
      first = at;
      pattern = INJECTION_PATTERNS[p];
    }
  }
  if (first < 0) {
    const w = beginResult(1, true, null);
    w.key("injection").bool(false);
    return finishResult(w);
  }
  const w = beginResult(0, false, "judge_injection");
  w.key("injection").bool(true);
  w.key("pattern").str(pattern);
  w.key("message").str("The response addresses the grader instead of answering (\"" + pattern + "\").");
  return finishResult(w);
}
