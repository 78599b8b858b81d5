// BLEU and chrF as sacreBLEU 2.6 computes them for one sentence (BLEU.sentence_score with
// effective order, CHRF.sentence_score), including its tokenizers 13a, zh, char and none.
// See verifiers/text/README.md for the definitions.

import { isSpace, IntList, lowerCodePoint } from "../_lib/unicode";

// Pass 1 of sacreBLEU's regexp tokenizer: ASCII punctuation other than ' , - . gets spaces around it.
@inline function isSplitPunct(c: i32): bool {
  return (c >= 0x7b && c <= 0x7e) || (c >= 0x5b && c <= 0x60) || (c >= 0x20 && c <= 0x26) ||
    (c >= 0x28 && c <= 0x2b) || (c >= 0x3a && c <= 0x40) || c == 0x2f;
}

@inline function isDigit(c: i32): bool {
  return c >= 0x30 && c <= 0x39;
}

@inline function isDotComma(c: i32): bool {
  return c == 0x2e || c == 0x2c;
}

// The post-tokenizer shared by 13a and zh: four substitutions, each a left-to-right pass.
function regexpPasses(t: IntList): IntList {
  const a = new IntList(t.len * 2 + 4);
  for (let i = 0; i < t.len; i++) {
    const c = t.at(i);
    if (isSplitPunct(c)) {
      a.push(0x20);
      a.push(c);
      a.push(0x20);
    } else a.push(c);
  }
  // ([^0-9])([\.,]) -> \1 \2 (space after)
  const b = new IntList(a.len * 2 + 4);
  let i = 0;
  while (i < a.len) {
    const c = a.at(i);
    if (i + 1 < a.len && !isDigit(c) && isDotComma(a.at(i + 1))) {
      b.push(c);
      b.push(0x20);
      b.push(a.at(i + 1));
      b.push(0x20);
      i += 2;
    } else {
      b.push(c);
      i++;
    }
  }
  // ([\.,])([^0-9]) -> space \1 space \2
  const d = new IntList(b.len * 2 + 4);
  i = 0;
  while (i < b.len) {
    const c = b.at(i);
    if (i + 1 < b.len && isDotComma(c) && !isDigit(b.at(i + 1))) {
      d.push(0x20);
      d.push(c);
      d.push(0x20);
      d.push(b.at(i + 1));
      i += 2;
    } else {
      d.push(c);
      i++;
    }
  }
  // ([0-9])(-) -> \1 \2 (space after)
  const f = new IntList(d.len * 2 + 4);
  i = 0;
  while (i < d.len) {
    const c = d.at(i);
    if (i + 1 < d.len && isDigit(c) && d.at(i + 1) == 0x2d) {
      f.push(c);
      f.push(0x20);
      f.push(0x2d);
      f.push(0x20);
      i += 2;
    } else {
      f.push(c);
      i++;
    }
  }
  return f;
}

function matchesCps(t: IntList, at: i32, pat: string): bool {
  if (at + pat.length > t.len) return false;
  for (let k = 0; k < pat.length; k++) {
    if (t.at(at + k) != pat.charCodeAt(k)) return false;
  }
  return true;
}

// str.replace(pat, rep) over code points.
function replaceAll(t: IntList, pat: string, rep: string): IntList {
  const out = new IntList(t.len + 4);
  let i = 0;
  while (i < t.len) {
    if (matchesCps(t, i, pat)) {
      for (let k = 0; k < rep.length; k++) out.push(rep.charCodeAt(k));
      i += pat.length;
    } else {
      out.push(t.at(i));
      i++;
    }
  }
  return out;
}

// sacreBLEU's zh tokenizer's notion of a Chinese character, with its ranges as Python compares
// them: two ranges are written with five hex digits after \u, so they read as [U+2001, U+2A6D]
// and [U+2F81, U+2FA1].
function isZhChar(c: i32): bool {
  return (c >= 0x3400 && c <= 0x4db5) || (c >= 0x4e00 && c <= 0x9fa5) || (c >= 0x9fa6 && c <= 0x9fbb) ||
    (c >= 0xf900 && c <= 0xfa2d) || (c >= 0xfa30 && c <= 0xfa6a) || (c >= 0xfa70 && c <= 0xfad9) ||
    (c >= 0x2001 && c <= 0x2a6d) || (c >= 0x2f81 && c <= 0x2fa1) || (c >= 0xff00 && c <= 0xffef) ||
    (c >= 0x2e80 && c <= 0x2eff) || (c >= 0x3000 && c <= 0x303f) || (c >= 0x31c0 && c <= 0x31ef) ||
    (c >= 0x2f00 && c <= 0x2fdf) || (c >= 0x2ff0 && c <= 0x2fff) || (c >= 0x3100 && c <= 0x312f) ||
    (c >= 0x31a0 && c <= 0x31bf) || (c >= 0xfe10 && c <= 0xfe1f) || (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0x2600 && c <= 0x26ff) || (c >= 0x2700 && c <= 0x27bf) || (c >= 0x3200 && c <= 0x32ff) ||
    (c >= 0x3300 && c <= 0x33ff);
}

/**
 * The text src[s, e) tokenized as sacreBLEU's `tokenize` names it (13a, zh, char, none), lowercased
 * first when asked; appends the tokens' code points to `out` and (start, length) pairs to `spans`.
 */
export function bleuTokens(name: string, src: IntList, s: i32, e: i32, lower: bool, out: IntList, spans: IntList): void {
  let t = new IntList(e - s + 2);
  for (let i = s; i < e; i++) {
    const c = src.at(i);
    t.push(lower ? (c < 0x80 ? (c >= 0x41 && c <= 0x5a ? c + 32 : c) : lowerCodePoint(c)) : c);
  }
  if (name == "13a") {
    t = replaceAll(t, "<skipped>", "");
    t = replaceAll(t, "-\n", "");
    t = replaceAll(t, "\n", " ");
    if (contains(t, 0x26)) {
      t = replaceAll(t, "&quot;", '"');
      t = replaceAll(t, "&amp;", "&");
      t = replaceAll(t, "&lt;", "<");
      t = replaceAll(t, "&gt;", ">");
    }
    t = regexpPasses(t);
  } else if (name == "zh") {
    let a = 0;
    let b = t.len;
    while (a < b && isSpace(t.at(a))) a++;
    while (b > a && isSpace(t.at(b - 1))) b--;
    const z = new IntList((b - a) * 3 + 4);
    for (let i = a; i < b; i++) {
      const c = t.at(i);
      if (isZhChar(c)) {
        z.push(0x20);
        z.push(c);
        z.push(0x20);
      } else z.push(c);
    }
    t = regexpPasses(z);
  } else if (name == "char") {
    // " ".join(line): every code point a token, whitespace included as its own separator
    const z = new IntList(t.len * 2 + 2);
    for (let i = 0; i < t.len; i++) {
      z.push(t.at(i));
      z.push(0x20);
    }
    t = z;
  }
  // split on whitespace (str.split())
  let start = -1;
  for (let i = 0; i < t.len; i++) {
    const c = t.at(i);
    if (isSpace(c)) {
      if (start >= 0) {
        spans.push(start);
        spans.push(out.len - start);
        start = -1;
      }
    } else {
      if (start < 0) start = out.len;
      out.push(c);
    }
  }
  if (start >= 0) {
    spans.push(start);
    spans.push(out.len - start);
  }
}

function contains(t: IntList, c: i32): bool {
  for (let i = 0; i < t.len; i++) if (t.at(i) == c) return true;
  return false;
}

/** BLEU's sufficient statistics for one hypothesis against its references. */
export class BleuStats {
  correct: Float64Array;
  total: Float64Array;
  sysLen: i32 = 0;
  refLen: i32 = 0;

  constructor(order: i32) {
    this.correct = new Float64Array(order);
    this.total = new Float64Array(order);
  }
}

/** The closest reference length to `hyp` (ties: the shorter), as sacreBLEU picks it. */
export function closestRefLen(hyp: i32, refLens: IntList): i32 {
  let bestDiff = -1;
  let best = -1;
  for (let k = 0; k < refLens.len; k++) {
    const r = refLens.at(k);
    const diff = abs(hyp - r);
    if (bestDiff == -1 || diff < bestDiff) {
      bestDiff = diff;
      best = r;
    } else if (diff == bestDiff && r < best) best = r;
  }
  return best;
}

// sacreBLEU's my_log: log, with log(0) floored.
function flooredLog(x: f64): f64 {
  return x == 0.0 ? -9999999999.0 : Math.log(x);
}

/** sacreBLEU's compute_bleu with effective order; returns the score in [0, 100] and fills `precisions`. */
export function bleuScore(st: BleuStats, smooth: string, smoothValue: f64, precisions: Float64Array): f64 {
  const order = st.correct.length;
  let bp = 1.0;
  if (st.sysLen < st.refLen) bp = st.sysLen > 0 ? Math.exp(1.0 - <f64>st.refLen / <f64>st.sysLen) : 0.0;
  let any = false;
  for (let n = 0; n < order; n++) if (st.correct[n] != 0) any = true;
  if (!any) return 0.0;
  const correct = new Float64Array(order);
  const total = new Float64Array(order);
  for (let n = 0; n < order; n++) {
    correct[n] = st.correct[n];
    total[n] = st.total[n];
  }
  let smoothMteval = 1.0;
  let effOrder = order;
  for (let n = 1; n <= order; n++) {
    if (smooth == "add-k" && n > 1) {
      correct[n - 1] += smoothValue;
      total[n - 1] += smoothValue;
    }
    if (total[n - 1] == 0) break;
    effOrder = n;
    if (correct[n - 1] == 0) {
      if (smooth == "exp") {
        smoothMteval *= 2;
        precisions[n - 1] = 100.0 / (smoothMteval * total[n - 1]);
      } else if (smooth == "floor") {
        precisions[n - 1] = 100.0 * smoothValue / total[n - 1];
      }
    } else {
      precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1];
    }
  }
  let sum = 0.0;
  for (let n = 0; n < effOrder; n++) sum += flooredLog(precisions[n]);
  return bp * Math.exp(sum / <f64>effOrder);
}

/** sacreBLEU's chrF f-score of per-order [hyp, ref, match] counts, in [0, 100]. */
export function chrfScore(stats: Float64Array, order: i32, beta: f64): f64 {
  const eps = 1e-16;
  const factor = beta * beta;
  let avgPrec = 0.0;
  let avgRec = 0.0;
  let effective = 0;
  for (let i = 0; i < order; i++) {
    const nHyp = stats[3 * i];
    const nRef = stats[3 * i + 1];
    const nMatch = stats[3 * i + 2];
    const prec = nHyp > 0 ? nMatch / nHyp : eps;
    const rec = nRef > 0 ? nMatch / nRef : eps;
    if (nHyp > 0 && nRef > 0) {
      avgPrec += prec;
      avgRec += rec;
      effective++;
    }
  }
  if (effective == 0) {
    avgPrec = 0.0;
    avgRec = 0.0;
  } else {
    avgPrec /= <f64>effective;
    avgRec /= <f64>effective;
  }
  if (avgPrec + avgRec != 0) {
    let score = (1 + factor) * avgPrec * avgRec;
    score /= factor * avgPrec + avgRec;
    return 100 * score;
  }
  return 0.0;
}
