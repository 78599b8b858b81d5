// The `iou` verifier kernel: grounding answers (boxes, points, time segments) scored against a
// reference by IoU. See verifiers/iou/README.md for the formats, options, rules and reasons.

import { emit } from "./_lib/abi";
import { badParameters, readItem, readParams } from "./_lib/item";
import { scoreDetection } from "./iou/detection";
import { fastRec, readIouParamsFast } from "./iou/fast";
import { writeCommon } from "./iou/explain";
import { IouParams, MODE_DETECTION, MODE_POINT, MODE_REC, MODE_TEMPORAL, readIouParams } from "./iou/params";
import { scorePoint, scoreRec, scoreTemporal } from "./iou/single";
import { vlmR1Detection, vlmR1Rec } from "./iou/vlm_r1";
import { beginResult, finishResult } from "./_lib/result";
import { extractShapes } from "./iou/shapes";
import { answerRegion, isBlank, lastFence, Span } from "./_lib/text";

export { input, output_len } from "./_lib/abi";

/** Scores the current item (parameters, 0x00, response) and returns a pointer to the result JSON. */
export function score(): usize {
  return emit(scoreItem());
}

function scoreItem(): ArrayBuffer {
  const item = readItem();
  if (item === null) return badParameters(null);
  const ptr = item.ptr;
  const len = item.end;
  let p = readIouParamsFast(ptr, item.sep);
  const fastParams = p !== null;
  if (p === null) {
    const params = readParams(item);
    if (params === null) return badParameters(item);
    p = readIouParams(params!);
  }
  const start = item.start;
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
