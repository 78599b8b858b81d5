// The `text` verifier kernel: similarity of a free-form answer to reference texts (ROUGE-1/2/L,
// BLEU, chrF, SQuAD token F1, exact match, WER, CER, edit similarity). See verifiers/text/README.md.

import { emit } from "./_lib/abi";
import { badParameters, readItem } from "./_lib/item";
import { beginResult, finishResult } from "./_lib/result";
import { tagRegion } from "./_lib/tag_region";
import { answerBlock, isBlank } from "./_lib/text";
import { appendDecodedUtf8, appendString, appendUtf8, IntList, isSpace, lowerCodePoint } from "./_lib/unicode";
import { bleu, chrf, exactMatch, rougeL, rougeN, Score, tokenF1 } from "./text/metrics";
import { editSimilarity, errorRate } from "./text/rates";
import { bleuTokens } from "./text/sacrebleu";
import { Interner } from "./text/intern";
import { Texts, internTokens, TokenIds } from "./text/texts";
import { charSequence, squadAsciiTokenIds, tokenIds, Tokenizer, tokenizerOf, withoutPunct } from "./text/tokenize";
import { asciiTokenIds, isPlainAscii } from "./text/ascii_tokens";
import { Metric, metricNameOf, readTextParams, TextParams } from "./text/params";
import { shortTokenIds } from "./text/short";
import { cachedParams, rememberParams } from "./text/param_cache";
import { fitsScored, writeScored } from "./text/result";

export { input, output_len } from "./_lib/abi";

/** Bytes of answer past which an item is `too_complex` (bounded memory and time). */
const MAX_ANSWER_BYTES: i32 = 1 << 20;
/**
 * Tokens (word metrics) or code points (chrF) of all texts together past which an item is
 * `too_complex`: n-gram counting keeps one count table per text and order (memory is capped).
 */
const MAX_TOKENS: i32 = 100000;

// How charSeqs treats whitespace.
const STRIPPED: i32 = 0;
const CHRF_DROP_SPACE: i32 = 1;
const CHRF_KEEP_SPACE: i32 = 2;

/** Scores the current item (parameters, 0x00, response) and returns a pointer to the result JSON. */
export function score(): usize {
  return emit(scoreItem());
}

function tooComplex(problem: string, metric: string, s: Score | null, size: f64, limit: f64): ArrayBuffer {
  const w = beginResult(0, false, "too_complex");
  w.key("metric").str(metric);
  w.key("problem").str(problem);
  if (s !== null) {
    for (let i = 0; i < s.count; i++) w.key(s.names[i]).num(s.values[i]);
  } else {
    w.key("size").num(size);
    w.key("limit").num(limit);
  }
  return finishResult(w);
}

function scoreItem(): ArrayBuffer {
  const item = readItem();
  if (item === null) return badParameters(null);
  let p = cachedParams(item);
  if (p === null) {
    p = readTextParams(item);
    if (p === null) return badParameters(item);
    rememberParams(item, p);
  }
  const metric = p.metric;
  const metricName = p.metricName;
  const region = p.tag == "answer"
    ? answerBlock(item.ptr, item.start, item.end, "tag", "tag_unclosed")
    : tagRegion(item.ptr, item.start, item.end, p.tag);
  if (region.end - region.start > MAX_ANSWER_BYTES) {
    return tooComplex("too_long", metricName, null, <f64>(region.end - region.start), <f64>MAX_ANSWER_BYTES);
  }
  if (isBlank(item.ptr, region.start, region.end)) {
    const w = beginResult(0, false, "no_answer");
    w.key("metric").str(metricName);
    w.key("extraction").str(region.via);
    return finishResult(w);
  }
  const lower = p.lowercase;
  const tokenizeName = p.tokenize;
  const kind = tokenizerOf(tokenizeName);
  const removePunct = p.removePunct;
  // The word metrics whose tokenizer reads plain-ASCII texts as bytes (tokens()) need no code points of them.
  const bytesOnly = (kind == Tokenizer.Unicode || kind == Tokenizer.Whitespace || kind == Tokenizer.Squad) &&
    metric != Metric.Chrf &&
    metric != Metric.Cer && metric != Metric.EditSimilarity && metric != Metric.Bleu &&
    !(removePunct && metric == Metric.Wer);
  const refCount = p.refCount;
  if (bytesOnly) {
    // a short item of plain ASCII texts: its tokens straight from static memory (else the general path below)
    const tok = shortTokenIds(item.ptr, region.start, region.end, p.ptr, p.refSpans, kind, lower);
    if (tok !== null) return verdict(wordScore(tok, metric, p), p, region.via);
  }
  const answerPlain = isPlainAscii(item.ptr, region.start, region.end);
  // per reference, where its bytes are when they are plain ASCII, else 0
  const refPlain = new StaticArray<usize>(refCount);
  // room for every code point decoded at once (at most one per byte of the answer, one per code unit of a reference)
  let room = bytesOnly && answerPlain ? 0 : region.end - region.start;
  for (let r = 0; r < refCount; r++) {
    const raw = p.refEnd(r) >= 0;
    if (raw && isPlainAscii(p.ptr, p.refStart(r), p.refEnd(r))) refPlain[r] = p.ptr + <usize>p.refStart(r);
    if (!(bytesOnly && refPlain[r] != 0)) room += raw ? p.refEnd(r) - p.refStart(r) : p.refStrings![r].length;
  }
  const texts = new Texts(room, refCount + 1);
  if (bytesOnly && answerPlain) {
    texts.addPlain(item.ptr + <usize>region.start, region.end - region.start);
  } else {
    texts.begin();
    appendUtf8(texts.cps, item.ptr, region.start, region.end);
    texts.finish(answerPlain ? item.ptr + <usize>region.start : 0);
  }
  for (let r = 0; r < refCount; r++) {
    const plainAt = refPlain[r];
    if (bytesOnly && plainAt != 0) {
      texts.addPlain(plainAt, p.refEnd(r) - p.refStart(r));
      continue;
    }
    texts.begin();
    if (p.refEnd(r) >= 0) appendDecodedUtf8(texts.cps, p.ptr, p.refStart(r), p.refEnd(r));
    else appendString(texts.cps, p.refStrings![r]);
    texts.finish(plainAt);
  }
  let s: Score;
  if (metric == Metric.Chrf) {
    const spaces = p.whitespace ? CHRF_KEEP_SPACE : CHRF_DROP_SPACE;
    if (texts.cps.len > MAX_TOKENS) return tooComplex("too_long", metricName, null, <f64>texts.cps.len, <f64>MAX_TOKENS);
    s = chrf(charSeqs(texts, lower, false, spaces), <i32>p.charOrder, p.beta);
  } else if (metric == Metric.Cer || metric == Metric.EditSimilarity) {
    const seqs = charSeqs(texts, lower, removePunct, STRIPPED);
    s = metric == Metric.Cer ? errorRate(seqs, "cer", p.werReward) : editSimilarity(seqs);
  } else {
    const tok = tokens(texts, metric, tokenizeName, lower, removePunct);
    if (tok === null) return tooComplex("too_many_tokens", metricName, null, 0, <f64>MAX_TOKENS);
    s = wordScore(tok, metric, p);
  }
  return verdict(s, p, region.via);
}

// The score of a word metric (every metric but chrF, cer and edit_similarity) over the texts' token ids.
function wordScore(tok: TokenIds, metric: Metric, p: TextParams): Score {
  if (metric == Metric.Rouge1) return rougeN(tok, 1);
  if (metric == Metric.Rouge2) return rougeN(tok, 2);
  if (metric == Metric.Bleu) return bleu(tok, <i32>p.maxOrder, p.smooth, p.smoothValue);
  if (metric == Metric.TokenF1) return tokenF1(tok);
  if (metric == Metric.Exact) return exactMatch(tok);
  if (metric == Metric.Wer) return errorRate(tok.ids, "wer", p.werReward, tok.alphabet);
  return rougeL(tok);
}

// The result of a scored item; `via`: how its answer was extracted.
function verdict(s: Score, p: TextParams, via: string): ArrayBuffer {
  const metricName = p.metricName;
  const refCount = p.refCount;
  if (s.tooComplex) return tooComplex("too_long", metricName, s, 0, 0);
  if (metricName == metricNameOf(p.metric) && fitsScored(s)) {
    return writeScored(s, p.threshold, metricName, via, refCount);
  }
  const correct = s.reward >= p.threshold;
  const w = beginResult(s.reward, correct, correct ? null : "wrong");
  w.key("metric").str(metricName);
  w.key("extraction").str(via);
  if (refCount > 1) w.key("reference_index").int(s.best);
  for (let i = 0; i < s.count; i++) w.key(s.names[i]).num(s.values[i]);
  return finishResult(w);
}

// Per text, its code points for the character metrics: chrF's (all of them, whitespace dropped
// unless kept, as sacreBLEU) or cer's and edit_similarity's (stripped, as jiwer's Strip()).
function charSeqs(texts: Texts, lower: bool, removePunct: bool, chrfSpaces: i32): Array<Int32Array> {
  const out = new Array<Int32Array>();
  for (let t = 0; t < texts.count; t++) {
    const s = texts.start(t);
    const e = texts.end(t);
    const seq = new IntList(e - s + 1);
    if (chrfSpaces == CHRF_DROP_SPACE || chrfSpaces == CHRF_KEEP_SPACE) {
      for (let i = s; i < e; i++) {
        let c = texts.cps.at(i);
        if (chrfSpaces == CHRF_DROP_SPACE && isSpace(c)) continue;
        if (lower) c = lowerCodePoint(c);
        seq.push(c);
      }
    } else {
      charSequence(texts.cps, s, e, lower, removePunct, seq);
    }
    out.push(seq.data.subarray(0, seq.len));
  }
  return out;
}

// Every text as token ids, tokenized as the metric and options say; null past MAX_TOKENS.
function tokens(texts: Texts, metric: Metric, name: string, lower: bool, removePunct: bool): TokenIds | null {
  const kind = tokenizerOf(name);
  // room for the code points of every text decoded, and for SQuAD of the longest text kept as bytes (its byte path
  // writes a text's characters there, then keeps only the new long tokens')
  let size = 0;
  let longestPlain = 0;
  for (let t = 0; t < texts.count; t++) {
    size += texts.length(t);
    if (texts.plain(t) != 0 && kind == Tokenizer.Squad) longestPlain = max(longestPlain, texts.length(t));
  }
  const norm = new IntList(texts.cps.len + longestPlain + 16);
  if (metric == Metric.Bleu) return bleuTokenIds(texts, name, lower, norm);
  // about one distinct token per eight bytes or code points, at most 256 (a hint: the interner grows)
  const interner = new Interner(norm.data, min(256, (size >> 3) + 8));
  const out = new TokenIds();
  // every text's ids in one list, cut per text at the end
  const ids = new IntList(64);
  const cuts = new StaticArray<i32>(texts.count + 1);
  let total = 0;
  for (let t = 0; t < texts.count; t++) {
    let src = texts.cps;
    let s = texts.start(t);
    let e = texts.end(t);
    if (removePunct && metric == Metric.Wer) {
      src = new IntList(e - s + 1);
      withoutPunct(texts.cps, s, e, src);
      s = 0;
      e = src.len;
    }
    const plain = src === texts.cps ? texts.plain(t) : 0;
    if (plain != 0 && (kind == Tokenizer.Unicode || kind == Tokenizer.Whitespace)) {
      // plain ASCII: tokens straight from the bytes, the same ids (the only reader of a text kept as bytes only)
      total += asciiTokenIds(plain, texts.length(t), kind == Tokenizer.Unicode, lower, norm, interner, ids);
    } else if (plain != 0 && kind == Tokenizer.Squad) {
      total += squadAsciiTokenIds(plain, texts.length(t), lower, norm, interner, ids);
    } else {
      total += tokenIds(kind, src, s, e, lower, norm, interner, ids);
    }
    if (total > MAX_TOKENS) return null;
    cuts[t + 1] = ids.len;
  }
  for (let t = 0; t < texts.count; t++) out.ids.push(ids.data.subarray(cuts[t], cuts[t + 1]));
  out.alphabet = interner.count;
  return out;
}

// Every text as sacreBLEU's tokens, as ids; null past MAX_TOKENS.
function bleuTokenIds(texts: Texts, name: string, lower: bool, norm: IntList): TokenIds | null {
  const spans = new Array<IntList>();
  let total = 0;
  for (let t = 0; t < texts.count; t++) {
    const sp = new IntList(64);
    bleuTokens(name, texts.cps, texts.start(t), texts.end(t), lower, norm, sp);
    total += sp.len >> 1;
    if (total > MAX_TOKENS) return null;
    spans.push(sp);
  }
  return internTokens(norm, spans);
}
