// Scoring one answer against one reference: `rec` (a box), `point` (a point in a box) and
// `temporal` (a segment). Several different answers are `ambiguous`; the same one repeated is not.

import { Box, boxContains, boxIou, segmentIou } from "./geometry";
import { geometryProblem, shapeToBox, writeBox, writeCommon } from "./explain";
import { IouParams } from "./params";
import { beginResult, finishResult } from "../_lib/result";
import { Extraction, KIND_BOX, KIND_PAIR, KIND_POINT, KIND_SEGMENT } from "./shapes";
import { JsonWriter } from "../_lib/writer";

function verdict(p: IouParams, extraction: string, reward: f64, correct: bool, reason: string | null): JsonWriter {
  const w = beginResult(reward, correct, reason);
  writeCommon(w, p, extraction);
  return w;
}

function badFormat(p: IouParams, extraction: string, problem: string): ArrayBuffer {
  const w = verdict(p, extraction, 0, false, "bad_format");
  w.key("problem").str(problem);
  return finishResult(w);
}

function graded(p: IouParams, value: f64): f64 {
  if (p.reward == "binary") return value >= p.threshold ? 1 : 0;
  return value;
}

/** `rec`: one box; reward IoU (or 1/0 against the threshold with `reward: "binary"`). */
export function scoreRec(ex: Extraction, p: IouParams, extraction: string): ArrayBuffer {
  const boxes = new Array<Box>();
  let points = 0;
  for (let i = 0; i < ex.shapes.length; i++) {
    const s = ex.shapes[i];
    if (s.kind == KIND_BOX) boxes.push(shapeToBox(s, p));
    else points++;
  }
  if (boxes.length == 0) {
    return badFormat(p, extraction, ex.malformed ? "malformed_box" : points > 0 ? "point_not_box" : "no_box");
  }
  for (let i = 0; i < boxes.length; i++) {
    const problem = geometryProblem(boxes[i]);
    if (problem !== null) {
      const w = verdict(p, extraction, 0, false, "invalid_geometry");
      w.key("problem").str(problem);
      w.key("extracted");
      writeBox(w, boxes[i]);
      return finishResult(w);
    }
  }
  const distinct = distinctBoxes(boxes);
  if (distinct.length > 1) {
    const w = verdict(p, extraction, 0, false, "ambiguous");
    w.key("candidates").int(distinct.length);
    w.key("extracted").beginArray();
    for (let i = 0; i < min(distinct.length, 10); i++) writeBox(w, distinct[i]);
    w.endArray();
    return finishResult(w);
  }
  const box = boxes[0];
  const iou = boxIou(box, p.refBox);
  const correct = iou >= p.threshold;
  const w = verdict(p, extraction, graded(p, iou), correct, correct ? null : "wrong");
  w.key("extracted");
  writeBox(w, box);
  w.key("iou").num(iou);
  w.key("threshold").num(p.threshold);
  w.key("reward_mode").str(p.reward);
  return finishResult(w);
}

function distinctBoxes(boxes: Box[]): Box[] {
  const out = new Array<Box>();
  for (let i = 0; i < boxes.length; i++) {
    let seen = false;
    for (let j = 0; j < out.length && !seen; j++) seen = out[j].sameAs(boxes[i]);
    if (!seen) out.push(boxes[i]);
  }
  return out;
}

/** `point`: one point inside the reference box (edges included); a box answer counts by its center. */
export function scorePoint(ex: Extraction, p: IouParams, extraction: string): ArrayBuffer {
  const xs = new Array<f64>();
  const ys = new Array<f64>();
  let fromBox = false;
  for (let i = 0; i < ex.shapes.length; i++) {
    const s = ex.shapes[i];
    if (s.kind == KIND_POINT || s.kind == KIND_PAIR) {
      xs.push(p.mapX(s.a));
      ys.push(p.mapY(s.b));
    } else if (s.kind == KIND_BOX) {
      const b = shapeToBox(s, p);
      const problem = geometryProblem(b);
      if (problem !== null) {
        const w = verdict(p, extraction, 0, false, "invalid_geometry");
        w.key("problem").str(problem);
        w.key("extracted");
        writeBox(w, b);
        return finishResult(w);
      }
      xs.push((b.x1 + b.x2) / 2);
      ys.push((b.y1 + b.y2) / 2);
      fromBox = true;
    }
  }
  if (xs.length == 0) return badFormat(p, extraction, ex.malformed ? "malformed_point" : "no_point");
  for (let i = 0; i < xs.length; i++) {
    if (!isFinite(xs[i]) || !isFinite(ys[i])) {
      const w = verdict(p, extraction, 0, false, "invalid_geometry");
      w.key("problem").str("not_finite");
      return finishResult(w);
    }
  }
  let distinct = 1;
  for (let i = 1; i < xs.length; i++) {
    let seen = false;
    for (let j = 0; j < i && !seen; j++) seen = xs[j] == xs[i] && ys[j] == ys[i];
    if (!seen) distinct++;
  }
  if (distinct > 1) {
    const w = verdict(p, extraction, 0, false, "ambiguous");
    w.key("candidates").int(distinct);
    return finishResult(w);
  }
  const inside = boxContains(p.refBox, xs[0], ys[0]);
  const w = verdict(p, extraction, inside ? 1 : 0, inside, inside ? null : "wrong");
  w.key("extracted").beginArray().num(xs[0]).num(ys[0]).endArray();
  w.key("point_from").str(fromBox ? "box_center" : "point");
  w.key("inside").bool(inside);
  return finishResult(w);
}

/** `temporal`: one segment [start, end] in seconds; reward its IoU with the reference segment. */
export function scoreTemporal(ex: Extraction, p: IouParams, extraction: string): ArrayBuffer {
  const starts = new Array<f64>();
  const ends = new Array<f64>();
  for (let i = 0; i < ex.shapes.length; i++) {
    const s = ex.shapes[i];
    if (s.kind == KIND_SEGMENT || s.kind == KIND_PAIR) {
      starts.push(s.a);
      ends.push(s.b);
    }
  }
  if (starts.length == 0) return badFormat(p, extraction, ex.malformed ? "malformed_segment" : "no_segment");
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i];
    const e = ends[i];
    if (!isFinite(s) || !isFinite(e) || !(e > s)) {
      const w = verdict(p, extraction, 0, false, "invalid_geometry");
      w.key("problem").str(!isFinite(s) || !isFinite(e) ? "not_finite" : e < s ? "reversed" : "zero_length");
      w.key("extracted").beginArray().num(s).num(e).endArray();
      return finishResult(w);
    }
  }
  let distinct = 1;
  for (let i = 1; i < starts.length; i++) {
    let seen = false;
    for (let j = 0; j < i && !seen; j++) seen = starts[j] == starts[i] && ends[j] == ends[i];
    if (!seen) distinct++;
  }
  if (distinct > 1) {
    const w = verdict(p, extraction, 0, false, "ambiguous");
    w.key("candidates").int(distinct);
    return finishResult(w);
  }
  const iou = segmentIou(starts[0], ends[0], p.segStart, p.segEnd);
  const correct = iou >= p.threshold;
  const w = verdict(p, extraction, graded(p, iou), correct, correct ? null : "wrong");
  w.key("extracted").beginArray().num(starts[0]).num(ends[0]).endArray();
  w.key("iou").num(iou);
  w.key("threshold").num(p.threshold);
  w.key("reward_mode").str(p.reward);
  return finishResult(w);
}
