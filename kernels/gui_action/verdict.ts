// From the actions found in an answer to the verdict: one action (repeats allowed) or several
// (`ambiguous`, or AEPO candidates), refusals for absent targets, the weighted reward and details.

import { GuiAction, T_CLICK, T_TERMINATE } from "./action";
import { writeAction, writeCommon, writeReference } from "./explain";
import { saysAbsent } from "./extract";
import { formatOk } from "./format";
import { Found } from "./from_json";
import { matchAction, MatchResult, takesTarget } from "./match";
import { GuiParams } from "./params";
import { beginResult, finishResult } from "../_lib/result";
import { Span } from "../_lib/text";
import { JsonWriter } from "../_lib/writer";

/** Most AEPO candidates scored; more distinct candidates are `ambiguous`. */
const MAX_AEPO_CANDIDATES: i32 = 16;

/** The response bytes the format rule looks at. */
export class Response {
  ptr: usize;
  start: i32;
  end: i32;
  span: Span;
  extraction: string;

  constructor(ptr: usize, start: i32, end: i32, span: Span, extraction: string) {
    this.ptr = ptr;
    this.start = start;
    this.end = end;
    this.span = span;
    this.extraction = extraction;
  }
}

/** A verdict with no action to show: the reason, the common fields and an optional problem. */
export function plainVerdict(p: GuiParams, extraction: string, reason: string, problem: string | null): ArrayBuffer {
  const w = beginResult(0, false, reason);
  writeCommon(w, p, extraction);
  if (problem !== null) w.key("problem").str(problem);
  writeReference(w, p);
  return finishResult(w);
}

/** The action in reference pixels. */
export function mapped(a: GuiAction, p: GuiParams): GuiAction {
  const m = new GuiAction();
  m.type = a.type;
  m.name = a.name;
  m.syntax = a.syntax;
  if (a.hasBox) m.setBox(p.mapX(a.x1), p.mapY(a.y1), p.mapX(a.x2), p.mapY(a.y2));
  if (a.hasPoint) m.setPoint(p.mapX(a.x), p.mapY(a.y));
  if (a.hasEnd) m.setEnd(p.mapX(a.ex), p.mapY(a.ey));
  m.text = a.text;
  m.direction = a.direction;
  m.keys = a.keys;
  m.app = a.app;
  m.status = a.status;
  m.malformed = a.malformed;
  m.guiR1Shape = a.guiR1Shape;
  return m;
}

/** True when every coordinate of the action is finite. */
export function finite(a: GuiAction): bool {
  if (a.hasPoint && !(isFinite(a.x) && isFinite(a.y))) return false;
  if (a.hasEnd && !(isFinite(a.ex) && isFinite(a.ey))) return false;
  if (a.hasBox && !(isFinite(a.x1) && isFinite(a.y1) && isFinite(a.x2) && isFinite(a.y2))) return false;
  return true;
}

function distinctActions(list: GuiAction[]): GuiAction[] {
  const out = new Array<GuiAction>();
  for (let i = 0; i < list.length; i++) {
    let seen = false;
    for (let j = 0; j < out.length && !seen; j++) seen = out[j].sameAs(list[i]);
    if (!seen) out.push(list[i]);
  }
  return out;
}

// Points and boxes written without an action are clicks.
function candidatesOf(found: Found): GuiAction[] {
  if (found.actions.length > 0) return found.actions;
  for (let i = 0; i < found.bare.length; i++) found.bare[i].type = T_CLICK;
  return found.bare;
}

/** The reward: the weighted share of the parts that are right. */
export function weighted(p: GuiParams, accuracy: bool, m: MatchResult, format: bool): f64 {
  const total = p.wAccuracy + p.wType + p.wTarget + p.wArgs + p.wFormat;
  if (!(total > 0)) return accuracy ? 1 : 0;
  let sum = 0.0;
  if (accuracy) sum += p.wAccuracy;
  if (m.typeOk) sum += p.wType;
  if (m.targetOk) sum += p.wTarget;
  if (m.argsOk) sum += p.wArgs;
  if (format) sum += p.wFormat;
  return sum / total;
}

function writeParts(w: JsonWriter, m: MatchResult, format: bool): void {
  w.key("parts").beginObject();
  w.key("type").bool(m.typeOk);
  w.key("target").bool(m.targetOk);
  w.key("args").bool(m.argsOk);
  w.key("format").bool(format);
  w.endObject();
}

function isRefusal(found: Found, list: GuiAction[], r: Response): bool {
  if (list.length == 0) return found.refusal || saysAbsent(r.ptr, r.span);
  if (list.length != 1) return false;
  const a = list[0];
  if (a.type == T_TERMINATE) return a.status == "failure";
  return a.hasPoint && a.x == -1 && a.y == -1;
}

// ScreenSpot-Pro negatives: the target is not on screen, so a refusal is right and any action wrong.
function judgeAbsent(found: Found, list: GuiAction[], r: Response, p: GuiParams): ArrayBuffer {
  const distinct = distinctActions(list);
  const refused = isRefusal(found, distinct, r);
  const m = new MatchResult();
  m.typeOk = refused;
  m.targetOk = refused;
  m.argsOk = refused;
  const format = distinct.length > 0 ? formatOk(r.ptr, r.start, r.end, distinct[0], p) : false;
  const w = beginResult(weighted(p, refused, m, format), refused, refused ? null : "wrong");
  writeCommon(w, p, r.extraction);
  w.key("refused").bool(refused);
  if (!refused) w.key("problem").str("target_absent");
  if (distinct.length > 0) {
    w.key("predicted");
    writeAction(w, mapped(distinct[0], p), null);
  }
  writeReference(w, p);
  writeParts(w, m, format);
  return finishResult(w);
}

// AEPO (InfiGUI-G1): N candidate points, the first hit at rank k earns 1 / sqrt(k · N).
function judgeAepo(list: GuiAction[], r: Response, p: GuiParams): ArrayBuffer {
  const n = list.length;
  let rank = 0;
  for (let i = 0; i < n && rank == 0; i++) {
    const m = matchAction(mapped(list[i], p), p);
    if (m.typeOk && m.targetOk && m.argsOk) rank = i + 1;
  }
  const reward = rank > 0 ? 1 / Math.sqrt(<f64>rank * <f64>n) : 0;
  const w = beginResult(reward, rank > 0, rank > 0 ? null : "wrong");
  writeCommon(w, p, r.extraction);
  w.key("candidates").int(n);
  w.key("hit_rank").int(rank);
  w.key("predicted").beginArray();
  for (let i = 0; i < n; i++) writeAction(w, mapped(list[i], p), null);
  w.endArray();
  writeReference(w, p);
  return finishResult(w);
}

function allTargeted(list: GuiAction[]): bool {
  for (let i = 0; i < list.length; i++) if (!takesTarget(list[i].type) || !list[i].hasPoint) return false;
  return true;
}

/** Judges what extraction found and returns the result bytes. */
export function judge(found: Found, r: Response, p: GuiParams): ArrayBuffer {
  const list = candidatesOf(found);
  const extraction = r.extraction + "+" + (list.length > 0 ? list[0].syntax : "none");
  r.extraction = extraction;
  if (p.refAbsent) return judgeAbsent(found, list, r, p);
  if (list.length == 0) {
    if (found.refusal || saysAbsent(r.ptr, r.span)) {
      const w = beginResult(0, false, "wrong");
      writeCommon(w, p, extraction);
      w.key("problem").str("refused");
      writeReference(w, p);
      return finishResult(w);
    }
    if (found.unparsed > 0) return plainVerdict(p, extraction, "parse_error", "unparsable_action");
    const unknown = found.unknown;
    if (unknown !== null) {
      const w = beginResult(0, false, "bad_format");
      writeCommon(w, p, extraction);
      w.key("problem").str("unknown_action");
      w.key("action").str(unknown);
      writeReference(w, p);
      return finishResult(w);
    }
    return plainVerdict(p, extraction, "bad_format", "no_action");
  }
  const distinct = distinctActions(list);
  for (let i = 0; i < distinct.length; i++) {
    if (!finite(mapped(distinct[i], p))) return plainVerdict(p, extraction, "invalid_geometry", "not_finite");
  }
  if (distinct.length > 1) {
    if (p.aepo && distinct.length <= MAX_AEPO_CANDIDATES && allTargeted(distinct)) return judgeAepo(distinct, r, p);
    const w = beginResult(0, false, "ambiguous");
    writeCommon(w, p, extraction);
    w.key("candidates").int(distinct.length);
    w.key("predicted").beginArray();
    for (let i = 0; i < min(distinct.length, 10); i++) writeAction(w, mapped(distinct[i], p), null);
    w.endArray();
    writeReference(w, p);
    return finishResult(w);
  }
  const pred = mapped(distinct[0], p);
  const m = matchAction(pred, p);
  const format = formatOk(r.ptr, r.start, r.end, distinct[0], p);
  const accuracy = m.typeOk && m.targetOk && m.argsOk;
  const w = beginResult(weighted(p, accuracy, m, format), accuracy, accuracy ? null : "wrong");
  writeCommon(w, p, extraction);
  w.key("syntax").str(pred.syntax);
  w.key("predicted");
  writeAction(w, pred, m.predDirection);
  writeReference(w, p);
  writeParts(w, m, format);
  w.key("target").beginObject();
  w.key("rule").str(m.targetRule);
  if (m.targetRule != "none" && m.targetRule != "distance") w.key("inside").bool(m.inside);
  if (m.distance >= 0) w.key("distance").num(m.distance);
  w.endObject();
  w.key("args_rule").str(m.argsRule);
  if (m.textScore >= 0) w.key("text_score").num(m.textScore);
  if (m.problem !== null) w.key("problem").str(m.problem!);
  return finishResult(w);
}
