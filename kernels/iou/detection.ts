// `detection`: a list of boxes against a list of reference boxes. Optimal one-to-one matching
// (Hungarian, maximising total IoU over pairs at or above the threshold, labels compared
// case-insensitively when the reference has labels); reward F1, mean IoU, binary or COCO mAP.

import { meanAp, cocoIouThresholds } from "./coco_ap";
import { Box, boxIou } from "./geometry";
import { assignMaxWeight } from "../_lib/hungarian";
import { geometryProblem, shapeToBox, writeBox, writeCommon } from "./explain";
import { IouParams } from "./params";
import { beginResult, finishResult } from "../_lib/result";
import { Extraction, KIND_BOX, Shape } from "./shapes";
import { Span } from "../_lib/text";
import { JsonWriter } from "../_lib/writer";

// phrases that mean "the object is not there" (matched case-insensitively inside the answer)
const NONE_PHRASES: string[] = ["no object", "none", "null", "not present", "not found", "not exist", "no such", "nothing", "no matching"];

/** True when the span says, in words, that there is nothing to box. */
export function saysNothing(ptr: usize, span: Span): bool {
  const n = span.end - span.start;
  if (n > 512) return false;
  const text = String.UTF8.decodeUnsafe(ptr + <usize>span.start, <usize>n, false).toLowerCase();
  for (let i = 0; i < NONE_PHRASES.length; i++) if (text.includes(NONE_PHRASES[i])) return true;
  return false;
}

/** One prediction matched to one reference box. */
export class Match {
  pred: i32;
  ref: i32;
  iou: f64;

  constructor(pred: i32, ref: i32, iou: f64) {
    this.pred = pred;
    this.ref = ref;
    this.iou = iou;
  }
}

function labelFits(pred: Box, refLabels: string[] | null, ref: i32, caseInsensitive: bool): bool {
  if (refLabels === null) return true;
  const l = pred.label;
  if (l === null) return false;
  const want = refLabels[ref];
  return caseInsensitive ? l.trim().toLowerCase() == want : l == want;
}

/** Optimal one-to-one matches of predictions to references (pairs below the threshold never match). */
export function matchBoxes(preds: Box[], refs: Box[], refLabels: string[] | null, threshold: f64, caseInsensitive: bool): Match[] {
  const np = preds.length;
  const nr = refs.length;
  const weights = new Float64Array(np * nr);
  const ious = new Float64Array(np * nr);
  for (let i = 0; i < np; i++) {
    for (let j = 0; j < nr; j++) {
      const iou = boxIou(preds[i], refs[j]);
      unchecked((ious[i * nr + j] = iou));
      // IoU 0 pairs never help; a positive floor keeps a threshold of 0 meaningful
      if (iou >= threshold && iou > 0 && labelFits(preds[i], refLabels, j, caseInsensitive)) unchecked((weights[i * nr + j] = iou));
    }
  }
  const assigned = assignMaxWeight(weights, np, nr);
  const out = new Array<Match>();
  for (let i = 0; i < np; i++) {
    const j = assigned[i];
    if (j >= 0) out.push(new Match(i, j, ious[i * nr + j]));
  }
  return out;
}

/** Category index of each box: position of its label among the distinct reference labels, or -1. */
function categoriesOf(boxes: Box[], names: string[], fromPredictions: bool, refLabels: string[] | null): i32[] {
  const out = new Array<i32>(boxes.length);
  for (let i = 0; i < boxes.length; i++) {
    if (refLabels === null) {
      out[i] = 0;
      continue;
    }
    let l: string | null = fromPredictions ? boxes[i].label : refLabels[i];
    if (l !== null && fromPredictions) l = l.trim().toLowerCase();
    out[i] = l === null ? -1 : names.indexOf(l);
  }
  return out;
}

/** Scores the extracted boxes of a `detection` answer (default profile). */
export function scoreDetection(ptr: usize, span: Span, ex: Extraction, p: IouParams, extraction: string): ArrayBuffer {
  const preds = new Array<Box>();
  const groups = groupsOfBoxes(ex);
  for (let g = 0; g < groups.length; g++) {
    if (isRepeat(groups, g)) continue;
    const list = groups[g];
    for (let i = 0; i < list.length; i++) preds.push(shapeToBox(list[i], p));
  }
  const nr = p.refBoxes.length;
  if (preds.length == 0) {
    const explicitNothing = ex.sawEmpty || saysNothing(ptr, span);
    if (!explicitNothing) {
      const w = beginResult(0, false, "bad_format");
      writeCommon(w, p, extraction);
      w.key("problem").str(ex.malformed ? "malformed_box" : "no_box");
      return finishResult(w);
    }
    const ok = nr == 0;
    const w = beginResult(ok ? 1 : 0, ok, ok ? null : "wrong");
    writeCommon(w, p, extraction);
    w.key("extracted").beginArray().endArray();
    w.key("empty_answer").bool(true);
    writeCounts(w, 0, nr, 0);
    return finishResult(w);
  }
  for (let i = 0; i < preds.length; i++) {
    const problem = geometryProblem(preds[i]);
    if (problem !== null) {
      const w = beginResult(0, false, "invalid_geometry");
      writeCommon(w, p, extraction);
      w.key("problem").str(problem);
      w.key("box_index").int(i);
      w.key("extracted");
      writeBox(w, preds[i]);
      return finishResult(w);
    }
  }
  if (nr == 0) {
    const w = beginResult(0, false, "wrong");
    writeCommon(w, p, extraction);
    writeExtracted(w, preds, p.maxMatches);
    writeCounts(w, preds.length, 0, 0);
    w.key("problem").str("object_absent");
    return finishResult(w);
  }
  const matches = matchBoxes(preds, p.refBoxes, p.refLabels, p.threshold, true);
  const tp = matches.length;
  let iouSum: f64 = 0;
  for (let i = 0; i < tp; i++) iouSum += matches[i].iou;
  const np = preds.length;
  const f1 = 2.0 * <f64>tp / <f64>(np + nr);
  const correct = tp == nr && tp == np;
  let reward = f1;
  if (p.reward == "binary") reward = correct ? 1 : 0;
  else if (p.reward == "iou") reward = iouSum / <f64>max(np, nr);
  else if (p.reward == "map") reward = detectionMap(preds, p, cocoIouThresholds(), false, true);
  const w = beginResult(reward, correct, correct ? null : "wrong");
  writeCommon(w, p, extraction);
  writeExtracted(w, preds, p.maxMatches);
  writeCounts(w, np, nr, tp);
  w.key("precision").num(<f64>tp / <f64>np);
  w.key("recall").num(<f64>tp / <f64>nr);
  w.key("f1").num(f1);
  w.key("mean_iou").num(tp == 0 ? 0 : iouSum / <f64>tp);
  w.key("threshold").num(p.threshold);
  w.key("reward_mode").str(p.reward);
  writeMatches(w, matches, p.maxMatches);
  return finishResult(w);
}

/** COCO-style mAP of the predictions over the given IoU thresholds (labels as categories when present). */
export function detectionMap(preds: Box[], p: IouParams, thresholds: f64[], epsilon: bool, caseInsensitive: bool): f64 {
  const names = new Array<string>();
  const labels = p.refLabels;
  if (labels !== null) {
    for (let i = 0; i < labels.length; i++) if (!names.includes(labels[i])) names.push(labels[i]);
  } else names.push("");
  const predCats = caseInsensitive
    ? categoriesOf(preds, names, true, labels)
    : exactCategories(preds, names, labels);
  const refCats = categoriesOf(p.refBoxes, names, false, labels);
  return meanAp(preds, predCats, p.refBoxes, refCats, names.length, thresholds, epsilon);
}

function exactCategories(preds: Box[], names: string[], labels: string[] | null): i32[] {
  const out = new Array<i32>(preds.length);
  for (let i = 0; i < preds.length; i++) {
    const l = preds[i].label;
    out[i] = labels === null ? 0 : l === null ? -1 : names.indexOf(l);
  }
  return out;
}

function groupsOfBoxes(ex: Extraction): Array<Shape[]> {
  const out = new Array<Shape[]>();
  let current = -1;
  for (let i = 0; i < ex.shapes.length; i++) {
    const s = ex.shapes[i];
    if (s.kind != KIND_BOX) continue;
    if (s.group != current) {
      out.push(new Array<Shape>());
      current = s.group;
    }
    out[out.length - 1].push(s);
  }
  return out;
}

// A group identical (same boxes and labels, same order) to an earlier one: the model repeated its list.
function isRepeat(groups: Array<Shape[]>, g: i32): bool {
  const a = groups[g];
  for (let h = 0; h < g; h++) {
    const b = groups[h];
    if (b.length != a.length) continue;
    let same = true;
    for (let i = 0; i < a.length && same; i++) {
      const x = a[i];
      const y = b[i];
      same = x.a == y.a && x.b == y.b && x.c == y.c && x.d == y.d && x.label == y.label;
    }
    if (same) return true;
  }
  return false;
}

function writeExtracted(w: JsonWriter, preds: Box[], cap: i32): void {
  w.key("extracted").beginArray();
  for (let i = 0; i < min(preds.length, cap); i++) {
    const b = preds[i];
    w.beginObject();
    w.key("box");
    writeBox(w, b);
    w.key("label").strOrNull(b.label);
    if (b.hasScore) w.key("score").num(b.score);
    w.endObject();
  }
  w.endArray();
}

function writeCounts(w: JsonWriter, np: i32, nr: i32, tp: i32): void {
  w.key("predicted").int(np);
  w.key("reference").int(nr);
  w.key("matched").int(tp);
}

function writeMatches(w: JsonWriter, matches: Match[], cap: i32): void {
  w.key("matches").beginArray();
  for (let i = 0; i < min(matches.length, cap); i++) {
    const m = matches[i];
    w.beginObject().key("pred").int(m.pred).key("ref").int(m.ref).key("iou").num(m.iou).endObject();
  }
  w.endArray();
  w.key("matches_truncated").bool(matches.length > cap);
}
