// Matching one normalized prediction (already in reference pixels) against the reference action by
// the profile's rules: type, target (point in box or near the point), arguments (text, direction,
// keys, app, status, drag end).

import {
  GuiAction, T_CLICK, T_DOUBLE_CLICK, T_DRAG, T_HOTKEY, T_KEY, T_LONG_PRESS, T_OPEN_APP, T_RIGHT_CLICK, T_SCROLL,
  T_SWIPE, T_TERMINATE, T_TYPE,
} from "./action";
import { DIST_PIXELS, DIST_WIDTH, GuiParams, TEXT_EXACT, TEXT_F1, TEXT_IGNORE, TEXT_SUBSTRING } from "./params";
import { normalizeText, oppositeDirection, substringMatch, tokenF1 } from "./words";

/** The outcome of each part of the comparison, with what explains it. */
export class MatchResult {
  typeOk: bool = false;
  targetOk: bool = true;
  argsOk: bool = true;
  // "box", "distance", "box_or_distance" or "none"
  targetRule: string = "none";
  inside: bool = false;
  distance: f64 = -1;
  // the argument compared: "text", "direction", "keys", "app", "status", "end_point" or "none"
  argsRule: string = "none";
  textScore: f64 = -1;
  predDirection: string | null = null;
  problem: string | null = null;
}

/** Click-like types and drag: their point must hit the reference target. */
export function takesTarget(t: i32): bool {
  return t == T_CLICK || t == T_LONG_PRESS || t == T_DOUBLE_CLICK || t == T_RIGHT_CLICK || t == T_DRAG;
}

function isGesture(t: i32): bool {
  return t == T_SCROLL || t == T_SWIPE;
}

/** Same type; `scroll` and `swipe` are one gesture (their directions decide). */
export function typesMatch(a: i32, b: i32): bool {
  return a == b || (isGesture(a) && isGesture(b));
}

/** The distance between two reference-pixel points under the profile's metric. */
export function pointDistance(x: f64, y: f64, rx: f64, ry: f64, p: GuiParams): f64 {
  const dx = x - rx;
  const dy = y - ry;
  if (p.rules.distance == DIST_PIXELS) return Math.sqrt(dx * dx + dy * dy);
  if (p.rules.distance == DIST_WIDTH) return Math.sqrt(dx * dx + dy * dy) / p.screenW;
  const nx = dx / p.screenW;
  const ny = dy / p.screenH;
  return Math.sqrt(nx * nx + ny * ny);
}

function within(d: f64, p: GuiParams): bool {
  return p.rules.distanceStrict ? d < p.rules.distanceThreshold : d <= p.rules.distanceThreshold;
}

function insideBox(x: f64, y: f64, ref: GuiAction, p: GuiParams): bool {
  let x1 = ref.x1;
  let y1 = ref.y1;
  let x2 = ref.x2;
  let y2 = ref.y2;
  const aug = p.rules.boxAugment;
  if (aug > 0) {
    const w = x2 - x1;
    const h = y2 - y1;
    x1 -= w * aug / 2;
    x2 += w * aug / 2;
    y1 -= h * aug / 2;
    y2 += h * aug / 2;
    if (p.screenW > 0) {
      x1 = max(x1, 0);
      y1 = max(y1, 0);
      x2 = min(x2, p.screenW);
      y2 = min(y2, p.screenH);
    }
  }
  if (p.rules.boxInclusive) return x >= x1 && x <= x2 && y >= y1 && y <= y2;
  return x > x1 && x < x2 && y > y1 && y < y2;
}

function matchTarget(pred: GuiAction, ref: GuiAction, p: GuiParams, m: MatchResult): void {
  if (!p.rules.targets || !takesTarget(ref.type) || !(ref.hasPoint || ref.hasBox)) return;
  if (!pred.hasPoint) {
    m.targetOk = false;
    m.targetRule = ref.hasBox ? "box" : "distance";
    m.problem = pred.malformed ? "malformed_point" : "no_point";
    return;
  }
  if (ref.hasBox) {
    m.targetRule = p.rules.boxOrDistance ? "box_or_distance" : "box";
    m.inside = insideBox(pred.x, pred.y, ref, p);
    if (m.inside || !p.rules.boxOrDistance) {
      m.targetOk = m.inside;
      return;
    }
  } else m.targetRule = "distance";
  m.distance = pointDistance(pred.x, pred.y, ref.x, ref.y, p);
  m.targetOk = within(m.distance, p);
}

/** The scroll direction of a gesture written with start and end points (the finger's opposite). */
export function directionFromPoints(a: GuiAction, p: GuiParams): string | null {
  if (!a.hasPoint || !a.hasEnd) return null;
  let dx = a.ex - a.x;
  let dy = a.ey - a.y;
  if (p.screenW > 0) {
    dx /= p.screenW;
    dy /= p.screenH;
  }
  if (dx == 0 && dy == 0) return null;
  const finger = Math.abs(dx) > Math.abs(dy) ? (dx > 0 ? "right" : "left") : dy > 0 ? "down" : "up";
  return oppositeDirection(finger);
}

function vertical(d: string): bool {
  return d == "up" || d == "down";
}

function matchText(pred: string | null, ref: string, rule: i32, p: GuiParams, m: MatchResult): bool {
  const said = pred === null ? "" : pred;
  if (rule == TEXT_IGNORE) return true;
  if (rule == TEXT_SUBSTRING) return substringMatch(said, ref);
  if (rule == TEXT_F1) {
    m.textScore = tokenF1(said, ref);
    return m.textScore >= p.rules.textThreshold;
  }
  const a = normalizeText(said);
  const ok = a.length > 0 && a == normalizeText(ref);
  if (rule == TEXT_EXACT) m.textScore = ok ? 1 : 0;
  return ok;
}

function sameKeys(a: string[] | null, b: string[] | null): bool {
  if (a === null || b === null) return a === b;
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
  return true;
}

function matchArgs(pred: GuiAction, ref: GuiAction, p: GuiParams, m: MatchResult): void {
  const t = ref.type;
  if (t == T_TYPE) {
    const text = ref.text;
    if (text === null) return;
    m.argsRule = "text";
    m.argsOk = matchText(pred.text, text, p.rules.text, p, m);
    if (!m.argsOk) m.problem = pred.text === null || pred.text!.trim().length == 0 ? "empty_text" : "other_text";
  } else if (isGesture(t)) {
    let want = ref.direction;
    if (want === null) want = directionFromPoints(ref, p);
    let got = pred.direction;
    if (got === null) got = directionFromPoints(pred, p);
    m.predDirection = got;
    if (want === null) return;
    m.argsRule = "direction";
    if (got === null) {
      m.argsOk = false;
      m.problem = "no_direction";
      return;
    }
    m.argsOk = p.rules.directionAxisOnly ? vertical(got) == vertical(want) : got == want;
    if (!m.argsOk) m.problem = got == oppositeDirection(want) ? "opposite_direction" : "other_direction";
  } else if (t == T_DRAG) {
    if (!ref.hasEnd) return;
    m.argsRule = "end_point";
    m.argsOk = pred.hasEnd && within(pointDistance(pred.ex, pred.ey, ref.ex, ref.ey, p), p);
    if (!m.argsOk) m.problem = pred.hasEnd ? "far_end_point" : "no_end_point";
  } else if (t == T_HOTKEY || t == T_KEY) {
    if (!p.rules.keys || ref.keys === null) return;
    m.argsRule = "keys";
    m.argsOk = sameKeys(pred.keys, ref.keys);
    if (!m.argsOk) m.problem = "other_keys";
  } else if (t == T_OPEN_APP) {
    const app = ref.app;
    if (app === null) return;
    m.argsRule = "app";
    m.argsOk = matchText(pred.app, app, p.rules.app, p, m);
    if (!m.argsOk) m.problem = "other_app";
  } else if (t == T_TERMINATE) {
    if (!p.rules.status) return;
    m.argsRule = "status";
    const a = pred.status;
    const b = ref.status;
    m.argsOk = a !== null && b !== null && a == b;
    if (!m.argsOk) m.problem = "other_status";
  }
}

/** Compares a prediction in reference pixels with the reference under the profile's rules. */
export function matchAction(pred: GuiAction, p: GuiParams): MatchResult {
  const m = new MatchResult();
  const ref = p.ref;
  m.typeOk = typesMatch(pred.type, ref.type);
  matchTarget(pred, ref, p, m);
  if (m.typeOk) {
    if (p.rules.args) matchArgs(pred, ref, p, m);
  }
  else {
    m.argsOk = false;
    m.problem = "other_type";
  }
  return m;
}
