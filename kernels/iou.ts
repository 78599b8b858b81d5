// The `iou` verifier kernel: grounding answers (boxes, points, time segments) scored against a
// reference by IoU. See verifiers/iou/README.md for the formats, options, rules and reasons.

import { parseParams } from "./_json";
import { emit, itemLen, itemPtr } from "./_abi";
import { scoreDetection } from "./_iou_detection";
import { fastRec, readIouParamsFast } from "./_iou_fast";
import { writeCommon } from "./_iou_explain";
import { IouParams, MODE_DETECTION, MODE_POINT, MODE_REC, MODE_TEMPORAL, readIouParams } from "./_iou_params";
import { scorePoint, scoreRec, scoreTemporal } from "./_iou_single";
import { vlmR1Detection, vlmR1Rec } from "./_iou_vlm_r1";
import { beginResult, finishResult, noParameters } from "./_result";
import { extractShapes } from "./_shapes";
import { answerRegion, indexOfByte, isBlank, lastFence, Span } from "./_text";

export { input, output_len } from "./_abi";

/** Scores the current item (parameters, 0x00, response) and returns a pointer to the result JSON. */
export function score(): usize {
  return emit(scoreItem());
}

function scoreItem(): ArrayBuffer {
  const ptr = itemPtr();
  const len = itemLen();
  const sep = indexOfByte(ptr, len, 0, 0); // the separator (as separatorAt() finds it, eight bytes at a time)
  if (sep < 0) return noParameters();
  let p = readIouParamsFast(ptr, sep);
  const fastParams = p !== null;
  if (p === null) p = readIouParams(parseParams(ptr, sep));
  const start = sep + 1;
  if (fastParams && !p.vlmR1 && p.mode == MODE_REC) {
    const fast = fastRec(ptr, start, len, p);
    if (fast !== null) return fast;
  }
  if (p.vlmR1 && p.mode == MODE_REC) return vlmR1Rec(ptr, start, len, p);
  if (p.vlmR1 && p.mode == MODE_DETECTION) return vlmR1Detection(ptr, start, len, p);
  return scoreDefault(ptr, start, len, p);
}

function simple(p: IouParams, extraction: string, reason: string): ArrayBuffer {
  const w = beginResult(0, false, reason);
  writeCommon(w, p, extraction);
  return finishResult(w);
}

function scoreDefault(ptr: usize, start: i32, end: i32, p: IouParams): ArrayBuffer {
  const region = answerRegion(ptr, start, end);
  const fence = lastFence(ptr, region);
  const span: Span = fence !== null ? fence : region;
  const via = fence !== null ? region.via + "+fence" : region.via;
  if (isBlank(ptr, span.start, span.end)) return simple(p, via, "no_answer");
  const ex = extractShapes(ptr, span);
  const extraction = via + "+" + ex.ruleText();
  if (ex.tooComplex) return simple(p, extraction, "too_complex");
  if (p.mode == MODE_DETECTION) return scoreDetection(ptr, span, ex, p, extraction);
  if (p.mode == MODE_POINT) return scorePoint(ex, p, extraction);
  if (p.mode == MODE_TEMPORAL) return scoreTemporal(ex, p, extraction);
  return scoreRec(ex, p, extraction);
}
