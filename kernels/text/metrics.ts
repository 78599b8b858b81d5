// The token and n-gram metrics of the `text` kernel: ROUGE-N, ROUGE-L, SQuAD token F1, exact
// match, BLEU and chrF. Each returns a Score: the reward, the best reference's index, and the
// detail numbers to explain it. Definitions: verifiers/text/README.md.

import { IntList } from "../_lib/unicode";
import { lcsLength, MAX_LCS_CELLS } from "../_lib/sequence_distance";
import { bleuScore, BleuStats, chrfScore, closestRefLen } from "./sacrebleu";
import { SCRATCH_IDS } from "../_lib/one_word";
import { clippedMatches, countNgrams, NgramCounts, TokenIds } from "./texts";

/** A metric's outcome. `tooComplex` set means the reward is 0 and the reason `too_complex`. */
export class Score {
  reward: f64 = 0;
  best: i32 = 0;
  /** How many detail numbers: names[0…count) and values[0…count). */
  count: i32 = 0;
  names: StaticArray<string> = new StaticArray<string>(8);
  values: StaticArray<f64> = new StaticArray<f64>(8);
  tooComplex: bool = false;

  add(name: string, v: f64): Score {
    const n = this.count;
    if (n == this.names.length) {
      // BLEU's orders past four (rare): room doubled
      const names = new StaticArray<string>(2 * n);
      const values = new StaticArray<f64>(2 * n);
      for (let i = 0; i < n; i++) {
        names[i] = this.names[i];
        values[i] = this.values[i];
      }
      this.names = names;
      this.values = values;
    }
    unchecked((this.names[n] = name));
    unchecked((this.values[n] = v));
    this.count = n + 1;
    return this;
  }
}

function fmeasure(p: f64, r: f64): f64 {
  return p + r > 0 ? (2 * p * r) / (p + r) : 0.0;
}

// The best reference's F of clipped n-gram overlap: precision over the hypothesis's n-grams,
// recall over the reference's, F named `fname`. ROUGE-N and SQuAD's token F1 (n = 1) are this.
function overlapF(tok: TokenIds, n: i32, fname: string): Score {
  const unigrams = n == 1 && tok.alphabet > 0;
  // unigrams: the hypothesis's counts, each reference's tokens taking what is left (no per-text count tables; static
  // ones for a small alphabet)
  const c: NgramCounts | null = unigrams ? null : countNgrams(tok.ids, n, tok.alphabet);
  const alphabet = unigrams ? tok.alphabet : 0;
  const small = alphabet <= SCRATCH_IDS;
  const counts = small ? COUNTS : new Int32Array(alphabet).dataStart;
  const left = small ? LEFT : new Int32Array(alphabet).dataStart;
  if (unigrams) idCounts(tok.ids[0], counts, alphabet);
  const s = new Score();
  let bestP = 0.0, bestR = 0.0;
  s.reward = -1;
  for (let r = 1; r < tok.ids.length; r++) {
    let overlap = 0.0, hypTotal = 0, refTotal = 0;
    if (c !== null) {
      overlap = <f64>clippedMatches(c, 0, r);
      hypTotal = c.totals[0];
      refTotal = c.totals[r];
    } else {
      overlap = <f64>sharedIds(counts, left, alphabet, tok.ids[r]);
      hypTotal = tok.ids[0].length;
      refTotal = tok.ids[r].length;
    }
    const p = overlap / <f64>max(hypTotal, 1);
    const rec = overlap / <f64>max(refTotal, 1);
    const f = fmeasure(p, rec);
    if (f > s.reward) {
      s.reward = f;
      s.best = r - 1;
      bestP = p;
      bestR = rec;
    }
  }
  return s.add("precision", bestP).add("recall", bestR).add(fname, s.reward);
}

// The unigram counts of a small alphabet (static: an item's counts are zeroed for its own alphabet only).
const COUNTS: usize = memory.data(4 * SCRATCH_IDS, 16);
const LEFT: usize = memory.data(4 * SCRATCH_IDS, 16);

// How many times each id below `alphabet` occurs in `ids`, into the i32s at `counts`.
function idCounts(ids: Int32Array, counts: usize, alphabet: i32): void {
  memory.fill(counts, 0, <usize>alphabet << 2);
  for (let i = 0; i < ids.length; i++) {
    const at = counts + (<usize>unchecked(ids[i]) << 2);
    store<i32>(at, load<i32>(at) + 1);
  }
}

// Σ over ids of min(counts[id], occurrences in ref): each token of ref takes one of what `counts` has left (a copy
// in `left`).
function sharedIds(counts: usize, left: usize, alphabet: i32, ref: Int32Array): i32 {
  memory.copy(left, counts, <usize>alphabet << 2);
  let m = 0;
  for (let i = 0; i < ref.length; i++) {
    const at = left + (<usize>unchecked(ref[i]) << 2);
    const k = load<i32>(at);
    const some = <i32>(k > 0);
    store<i32>(at, k - some);
    m += some;
  }
  return m;
}

/** rouge-score's ROUGE-N: clipped n-gram overlap, precision over the hypothesis, recall over the reference; best F. */
export function rougeN(tok: TokenIds, n: i32): Score {
  return overlapF(tok, n, "fmeasure");
}

/** rouge-score's ROUGE-L: LCS over tokens; 0 when either side has no tokens; best F. */
export function rougeL(tok: TokenIds): Score {
  const s = new Score();
  const h = tok.ids[0];
  let bestP = 0.0, bestR = 0.0, bestLcs = 0;
  s.reward = -1;
  for (let r = 1; r < tok.ids.length; r++) {
    const ref = tok.ids[r];
    if (<i64>h.length * <i64>ref.length > MAX_LCS_CELLS) {
      s.tooComplex = true;
      s.add("cells", <f64>h.length * <f64>ref.length).add("max_cells", <f64>MAX_LCS_CELLS);
      return s;
    }
    let p = 0.0, rec = 0.0, lcs = 0;
    if (h.length > 0 && ref.length > 0) {
      lcs = lcsLength(h, h.length, ref, ref.length, tok.alphabet);
      p = <f64>lcs / <f64>h.length;
      rec = <f64>lcs / <f64>ref.length;
    }
    const f = fmeasure(p, rec);
    if (f > s.reward) {
      s.reward = f;
      s.best = r - 1;
      bestP = p;
      bestR = rec;
      bestLcs = lcs;
    }
  }
  return s.add("precision", bestP).add("recall", bestR).add("fmeasure", s.reward).add("lcs", <f64>bestLcs);
}

/** SQuAD v1.1's token F1: 0 when nothing is shared (also for two empty answers); best over references. */
export function tokenF1(tok: TokenIds): Score {
  return overlapF(tok, 1, "f1");
}

/** 1 when the normalized token sequences are equal for some reference. */
export function exactMatch(tok: TokenIds): Score {
  const s = new Score();
  const h = tok.ids[0];
  for (let r = 1; r < tok.ids.length; r++) {
    const ref = tok.ids[r];
    if (ref.length != h.length) continue;
    let same = true;
    for (let i = 0; i < h.length; i++) {
      if (unchecked(h[i]) != unchecked(ref[i])) {
        same = false;
        break;
      }
    }
    if (same) {
      s.reward = 1;
      s.best = r - 1;
      return s;
    }
  }
  return s;
}

/** sacreBLEU's sentence BLEU (effective order) over all references, as a fraction of 100. */
export function bleu(tok: TokenIds, order: i32, smooth: string, smoothValue: f64): Score {
  const st = new BleuStats(order);
  const hyp = tok.ids[0];
  st.sysLen = hyp.length;
  const refLens = new IntList(tok.ids.length);
  for (let r = 1; r < tok.ids.length; r++) refLens.push(tok.ids[r].length);
  st.refLen = closestRefLen(hyp.length, refLens);
  for (let n = 1; n <= order; n++) {
    const c = countNgrams(tok.ids, n, tok.alphabet);
    const hc = c.counts[0];
    const d = c.distinct[0];
    let correct = 0;
    for (let k = 0; k < d.len; k++) {
      const id = d.at(k);
      let refMax = 0;
      for (let r = 1; r < tok.ids.length; r++) refMax = max(refMax, unchecked(c.counts[r][id]));
      correct += min(unchecked(hc[id]), refMax);
    }
    st.correct[n - 1] = <f64>correct;
    st.total[n - 1] = <f64>c.totals[0];
  }
  const precisions = new Float64Array(order);
  const score = bleuScore(st, smooth, smoothValue, precisions);
  const s = new Score();
  s.reward = score / 100.0;
  s.add("bleu", score).add("bp", st.sysLen < st.refLen ? (st.sysLen > 0 ? Math.exp(1.0 - <f64>st.refLen / <f64>st.sysLen) : 0.0) : 1.0);
  s.add("sys_len", <f64>st.sysLen).add("ref_len", <f64>st.refLen);
  for (let n = 0; n < order; n++) s.add("precision_" + (n + 1).toString(), precisions[n]);
  return s;
}

/** sacreBLEU's sentence chrF: character n-grams of orders 1…order; the reference with the best F counts. */
export function chrf(seqs: Array<Int32Array>, order: i32, beta: f64): Score {
  const stats = new Array<Float64Array>(seqs.length);
  for (let r = 1; r < seqs.length; r++) stats[r] = new Float64Array(3 * order);
  for (let n = 1; n <= order; n++) {
    const c = countNgrams(seqs, n);
    for (let r = 1; r < seqs.length; r++) {
      const st = stats[r];
      st[3 * (n - 1)] = <f64>c.totals[0];
      st[3 * (n - 1) + 1] = <f64>c.totals[r];
      st[3 * (n - 1) + 2] = <f64>clippedMatches(c, 0, r);
    }
  }
  const s = new Score();
  let best = -1.0;
  for (let r = 1; r < seqs.length; r++) {
    const f = chrfScore(stats[r], order, beta);
    if (f > best) {
      best = f;
      s.best = r - 1;
    }
  }
  s.reward = best / 100.0;
  s.add("chrf", best);
  return s;
}
