// Error rates and edit similarity: WER (jiwer's word error rate), CER (jiwer's character error
// rate) and 1 - Levenshtein / longer length. Edit distances are bounded by MAX_EDIT_CELLS.

import { editDistance, MAX_EDIT_CELLS } from "../_lib/sequence_distance";
import { Score } from "./metrics";

// Marks `s` too complex when the pair's edit-distance table is past the bound.
function overCap(s: Score, h: Int32Array, ref: Int32Array): bool {
  if (<i64>h.length * <i64>ref.length <= MAX_EDIT_CELLS) return false;
  s.tooComplex = true;
  s.add("cells", <f64>h.length * <f64>ref.length).add("max_cells", <f64>MAX_EDIT_CELLS);
  return true;
}

/** The reward of an error rate: max(0, 1 - rate) ("linear") or exp(-rate) ("exp"). */
export function rateReward(rate: f64, kind: string): f64 {
  return kind == "exp" ? Math.exp(-rate) : max(0.0, 1.0 - rate);
}

/**
 * An error rate (edits over the reference's length) of seqs[0] against each reference seqs[1…];
 * the lowest counts. `name` is "wer" or "cer". References are never empty (the host checks). `alphabet` > 0 says the
 * symbols are dense ids below it (WER's tokens).
 */
export function errorRate(seqs: Array<Int32Array>, name: string, kind: string, alphabet: i32 = 0): Score {
  const s = new Score();
  const h = seqs[0];
  let bestRate = f64.MAX_VALUE;
  let bestEdits = 0, bestLen = 0;
  for (let r = 1; r < seqs.length; r++) {
    const ref = seqs[r];
    if (overCap(s, h, ref)) return s;
    const edits = editDistance(h, h.length, ref, ref.length, alphabet);
    const rate = ref.length > 0 ? <f64>edits / <f64>ref.length : (h.length == 0 ? 0.0 : <f64>h.length);
    if (rate < bestRate) {
      bestRate = rate;
      s.best = r - 1;
      bestEdits = edits;
      bestLen = ref.length;
    }
  }
  s.reward = rateReward(bestRate, kind);
  return s.add(name, bestRate).add("edits", <f64>bestEdits).add("reference_length", <f64>bestLen);
}

/** 1 - Levenshtein(h, ref) / max(|h|, |ref|) over code points (1 for two empty texts); best reference. */
export function editSimilarity(seqs: Array<Int32Array>): Score {
  const s = new Score();
  const h = seqs[0];
  let best = -1.0;
  let bestEdits = 0;
  for (let r = 1; r < seqs.length; r++) {
    const ref = seqs[r];
    if (overCap(s, h, ref)) return s;
    const edits = editDistance(h, h.length, ref, ref.length);
    const longer = max(h.length, ref.length);
    const sim = longer == 0 ? 1.0 : 1.0 - <f64>edits / <f64>longer;
    if (sim > best) {
      best = sim;
      s.best = r - 1;
      bestEdits = edits;
    }
  }
  s.reward = best;
  return s.add("similarity", best).add("edits", <f64>bestEdits);
}
