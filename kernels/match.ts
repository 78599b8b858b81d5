// The `match` verifier kernel: compares an extracted answer (a label, a list, a set, a sequence, a
// ranking, tuples) with the reference under one of eleven modes. See verifiers/match/README.md.

import { emit } from "./_lib/abi";
import { badParameters, readItem, readParams } from "./_lib/item";
import { beginResult, finishResult } from "./_lib/result";
import { JsonWriter } from "./_lib/writer";
import { MatchConfig, Mode, readConfigFast, readConfigFrom } from "./match/config";
import { extract, Extracted } from "./match/extract";
import { Elems } from "./match/elems";
import { answerElems, refElems } from "./match/label";
import {
  idsOf,
  isPermutation,
  scoreAdjacency,
  scoreAnyOf,
  scoreKendall,
  scoreLcs,
  scoreNdcg,
  scorePositions,
  scoreSequence,
  scoreSet,
  scoreWeighted,
  Verdict,
} from "./match/scores";

export { input, output_len } from "./_lib/abi";

/** Elements listed in `details.extracted` at most (the count is always given). */
const SHOWN_ELEMENTS: i32 = 32;

/** Scores the current item (parameters, 0x00, response) and returns a pointer to the result JSON. */
export function score(): usize {
  return emit(scoreItem());
}

// The details every verdict with a config carries, after the reason (hence the leading comma).
function head(w: JsonWriter, c: MatchConfig, x: Extracted): void {
  w.raw(',"mode":');
  // a known mode's name is a constant in plain ASCII; another is the host's text as given
  if (c.modeId == Mode.Other) w.str(c.mode);
  else w.plainStr(c.mode);
  w.raw(',"extraction":').str(x.via);
}

function problemVerdict(c: MatchConfig, x: Extracted, reason: string, problem: string): ArrayBuffer {
  const w = beginResult(0, false, reason);
  head(w, c, x);
  if (problem.length > 0) w.raw(',"problem":').str(problem);
  if (x.count > 0) w.raw(',"count":').int(x.count);
  return finishResult(w);
}

function scoreItem(): ArrayBuffer {
  const item = readItem();
  if (item === null) return badParameters(null);
  let c = readConfigFast(item);
  if (c === null) {
    // not a block as the host writes it: the general reader gives it its verdict
    const p = readParams(item);
    if (p === null) return badParameters(item);
    c = readConfigFrom(p);
    if (c === null) return badParameters(item);
  }
  const x = extract(item.ptr, item.start, item.end, c);
  const problem = x.problem;
  if (problem !== null) return problemVerdict(c, x, problem, x.detail);
  const answer = answerElems(x, c);
  // a single answer that normalizes to nothing ("[", "...") names no label
  if (!c.isListMode && answer.length == 0) return problemVerdict(c, x, "no_answer", "empty_label");
  const ref = refElems(c);
  const ids = idsOf(answer, ref);
  if (c.requirePermutation && c.isSequenceMode && !isPermutation(ids)) {
    const w = beginResult(0, false, "bad_format");
    head(w, c, x);
    w.raw(',"problem":').str("not_a_permutation");
    writeExtracted(w, answer);
    return finishResult(w);
  }
  let v: Verdict;
  const mode = c.modeId;
  if (mode == Mode.SetExact || mode == Mode.SetF1) v = scoreSet(ids, mode == Mode.SetF1);
  else if (mode == Mode.SequenceExact) v = scoreSequence(ids);
  else if (mode == Mode.PositionAccuracy) v = scorePositions(ids);
  else if (mode == Mode.Adjacency) v = scoreAdjacency(ids, c);
  else if (mode == Mode.KendallTau) v = scoreKendall(ids);
  else if (mode == Mode.Lcs) v = scoreLcs(ids);
  else if (mode == Mode.Ndcg) v = scoreNdcg(ids, c);
  else if (mode == Mode.Weighted) v = scoreWeighted(answer, ref, c);
  else v = scoreAnyOf(ids); // exact, any_of, and a name the host never writes
  const vp = v.problem;
  if (vp !== null) {
    const w = beginResult(0, false, vp);
    head(w, c, x);
    w.raw(',"problem":').str(v.detail);
    for (let i = 0; i < v.count; i++) w.plainKey(v.name(i)).num(v.value(i));
    return finishResult(w);
  }
  const correct = v.reward >= c.threshold;
  const w = beginResult(v.reward, correct, correct ? null : "wrong");
  head(w, c, x);
  writeExtracted(w, answer);
  for (let i = 0; i < v.count; i++) w.plainKey(v.name(i)).num(v.value(i));
  return finishResult(w);
}

// The answer's keys as compared (tuples as lists of fields), the first SHOWN_ELEMENTS of them.
function writeExtracted(w: JsonWriter, answer: Elems): void {
  if (answer.length == 1 && answer.arity(0) == 1) {
    w.raw(',"extracted":').str(answer.key(0));
    return;
  }
  w.raw(',"extracted":[');
  for (let i = 0; i < min(answer.length, SHOWN_ELEMENTS); i++) {
    const arity = answer.arity(i);
    if (arity == 1) w.str(answer.key(i));
    else {
      w.beginArray();
      for (let f = 0; f < arity; f++) w.str(answer.field(i, f));
      w.endArray();
    }
  }
  w.endArray();
  w.raw(',"count":').int(answer.length);
}
