// The hypothesis and references of one `text` item as code points in one buffer, and their
// tokens as dense ids (one id space for all texts, so equal tokens compare as equal integers).

import { IntList } from "../_lib/unicode";
import { Interner } from "./intern";

/** Code point ranges: text 0 is the hypothesis, texts 1… the references. */
export class Texts {
  cps: IntList;
  // Per text four values: its start and end in `cps`, where its bytes are when they are plain ASCII (else 0), and its
  // length (one list: a short item's texts cost one allocation, not one per field).
  private info: IntList;

  /** `room`: about how many code points all texts will hold (the list grows past it); `count`: about how many texts. */
  constructor(room: i32, count: i32 = 8) {
    this.cps = new IntList(room + 8);
    this.info = new IntList(count << 2);
  }

  get count(): i32 {
    return this.info.len >> 2;
  }

  /** Where text t starts in `cps`. */
  @inline start(t: i32): i32 {
    return this.info.at(t << 2);
  }

  /** Where text t ends in `cps`. */
  @inline end(t: i32): i32 {
    return this.info.at((t << 2) + 1);
  }

  /** Where the bytes of text t are when they are plain ASCII (one byte per code point), else 0. */
  @inline plain(t: i32): usize {
    return <usize>this.info.at((t << 2) + 2);
  }

  /** The length of text t in code points (for a text kept as bytes only, in bytes). */
  @inline length(t: i32): i32 {
    return this.info.at((t << 2) + 3);
  }

  /** Marks the start of the next text (call, append its code points to `cps`, then `finish()`). */
  begin(): void {
    this.info.push(this.cps.len);
  }

  /** Marks the end of the text; `plain`: where its bytes are when they are plain ASCII (see `plain`), else 0. */
  finish(plain: usize = 0): void {
    const start = this.info.at(this.info.len - 1);
    this.info.push(this.cps.len);
    this.info.push(<i32>plain);
    this.info.push(this.cps.len - start);
  }

  /**
   * Adds a plain-ASCII text as its `len` bytes at `ptr` only: no code points (its range in `cps` is
   * empty), for a caller that reads plain texts as bytes (the word tokenizers' byte path) and nothing else.
   */
  addPlain(ptr: usize, len: i32): void {
    this.info.push(this.cps.len);
    this.info.push(this.cps.len);
    this.info.push(<i32>ptr);
    this.info.push(len);
  }
}

/** Every text as a sequence of token ids. */
export class TokenIds {
  ids: Array<Int32Array>;
  alphabet: i32 = 0;

  /** `count`: how many texts the caller sets by index (none: it pushes them). */
  constructor(count: i32 = 0) {
    this.ids = new Array<Int32Array>(count);
  }
}

/** Interns the tokens given as spans (start, length pairs over `cps`), per text, into one id space. */
export function internTokens(cps: IntList, spansPerText: Array<IntList>): TokenIds {
  let total = 0;
  for (let t = 0; t < spansPerText.length; t++) total += spansPerText[t].len >> 1;
  const interner = new Interner(cps.data, total);
  const out = new TokenIds();
  for (let t = 0; t < spansPerText.length; t++) {
    const spans = spansPerText[t];
    const n = spans.len >> 1;
    const ids = new Int32Array(n);
    for (let k = 0; k < n; k++) unchecked((ids[k] = interner.intern(spans.at(2 * k), spans.at(2 * k + 1))));
    out.ids.push(ids);
  }
  out.alphabet = interner.count;
  return out;
}

/**
 * N-gram counts of every text: per text a map from n-gram id to count, n-gram ids shared across
 * texts. `counts[t]` has `alphabet` entries; `totals[t]` is the number of n-grams of text t.
 */
export class NgramCounts {
  counts: Array<Int32Array> = new Array<Int32Array>();
  totals: Array<i32> = new Array<i32>();
  /** The distinct n-grams of each text, as ids (for summing clipped matches). */
  distinct: Array<IntList> = new Array<IntList>();
  alphabet: i32 = 0;
}

/**
 * Counts the n-grams of order n of each sequence of ids. `alphabet` > 0 says the ids are dense, below it: then
 * unigrams are their own ids (no interning).
 */
export function countNgrams(seqs: Array<Int32Array>, n: i32, alphabet: i32 = 0): NgramCounts {
  if (n == 1 && alphabet > 0) return countIds(seqs, alphabet);
  // all sequences side by side, so one interner sees them all
  let total = 0;
  for (let t = 0; t < seqs.length; t++) total += seqs[t].length;
  const joined = new Int32Array(max(total, 1));
  const offsets = new Array<i32>(seqs.length);
  let at = 0;
  let grams = 0;
  for (let t = 0; t < seqs.length; t++) {
    offsets[t] = at;
    const s = seqs[t];
    memory.copy(joined.dataStart + (<usize>at << 2), s.dataStart, <usize>s.length << 2);
    at += s.length;
    grams += max(0, s.length - n + 1);
  }
  const interner = new Interner(joined, grams);
  const ids = new Array<Int32Array>(seqs.length);
  for (let t = 0; t < seqs.length; t++) {
    const g = max(0, seqs[t].length - n + 1);
    const row = new Int32Array(g);
    for (let i = 0; i < g; i++) unchecked((row[i] = interner.intern(offsets[t] + i, n)));
    ids[t] = row;
  }
  return countIds(ids, interner.count);
}

// The counts of each row of n-gram ids below `alphabet`.
function countIds(ids: Array<Int32Array>, alphabet: i32): NgramCounts {
  const out = new NgramCounts();
  out.alphabet = alphabet;
  for (let t = 0; t < ids.length; t++) {
    const row = ids[t];
    const counts = new Int32Array(max(alphabet, 1));
    const distinct = new IntList(row.length + 1);
    for (let i = 0; i < row.length; i++) {
      const id = unchecked(row[i]);
      if (unchecked(counts[id]) == 0) distinct.push(id);
      unchecked((counts[id] = counts[id] + 1));
    }
    out.counts.push(counts);
    out.totals.push(row.length);
    out.distinct.push(distinct);
  }
  return out;
}

/** Σ over the n-grams of text a of min(count in a, count in b): the clipped matches. */
export function clippedMatches(c: NgramCounts, a: i32, b: i32): i32 {
  const ca = c.counts[a];
  const cb = c.counts[b];
  const d = c.distinct[a];
  let m = 0;
  for (let k = 0; k < d.len; k++) {
    const id = d.at(k);
    m += min(unchecked(ca[id]), unchecked(cb[id]));
  }
  return m;
}
