// The `text` kernel's parameters: the host's block read once into plain fields. A key walker reads
// the block as the host writes it (ASCII keys, strings without escapes, booleans, the references as
// byte ranges) without building a JSON tree; any other text goes to the general reader, which gives
// every block its exact meaning (the fallbacks below) or its verdict (null: malformed).

import { Item } from "../_lib/item";
import { JsonKind, JsonReader } from "../_lib/json";
import { boolAt, numberAt, stringAt } from "../_lib/param_values";
import { matchesAt } from "../_lib/text";
import { byteAt, plainStringEnd, skipJsonSpace } from "../_lib/plain_json";
import { IntList } from "../_lib/unicode";

/** The metric, as compared by the kernel (a name it does not know scores as ROUGE-L, under its own name). */
export enum Metric {
  RougeL,
  Rouge1,
  Rouge2,
  Bleu,
  Chrf,
  TokenF1,
  Exact,
  Wer,
  Cer,
  EditSimilarity,
}

const METRIC_NAMES: StaticArray<string> = [
  "rougeL",
  "rouge1",
  "rouge2",
  "bleu",
  "chrf",
  "token_f1",
  "exact",
  "wer",
  "cer",
  "edit_similarity",
];

/** The name of metric `m` (a constant: plain ASCII). */
export function metricNameOf(m: Metric): string {
  return METRIC_NAMES[<i32>m];
}

/** The metric named `name` (ROUGE-L for a name it does not know, as the kernel always scored one). */
export function metricOf(name: string): Metric {
  for (let i = 1; i < METRIC_NAMES.length; i++) if (METRIC_NAMES[i] == name) return <Metric>i;
  return Metric.RougeL;
}

/** The values of the parameter block, with the kernel's defaults for absent keys or keys of another type. */
export class TextParams {
  metric: Metric = Metric.RougeL;
  metricName: string = "rougeL";
  /** The references: text r is bytes [refStart(r), refEnd(r)) of `ptr` when `refEnd(r) >= 0`, else `refStrings[r]`. */
  refSpans: IntList = new IntList(8);
  refStrings: Array<string> | null = null;
  /** How many `refs` keys the key walker read (the last one counts). */
  refsKeys: i32 = 0;
  ptr: usize = 0;
  tag: string = "answer";
  tokenize: string = "unicode";
  lowercase: bool = false;
  removePunct: bool = false;
  smooth: string = "exp";
  smoothValue: f64 = 1;
  maxOrder: f64 = 4;
  charOrder: f64 = 6;
  beta: f64 = 2;
  whitespace: bool = false;
  werReward: string = "linear";
  threshold: f64 = 1;

  get refCount(): i32 {
    return this.refSpans.len >> 1;
  }

  @inline refStart(r: i32): i32 {
    return this.refSpans.at(2 * r);
  }

  @inline refEnd(r: i32): i32 {
    return this.refSpans.at(2 * r + 1);
  }
}

/** The parameters of the item, or null when the block is malformed or lacks a non-empty `refs` list. */
export function readTextParams(item: Item): TextParams | null {
  const fast = readFast(item);
  if (fast !== null) return fast;
  const reader = new JsonReader(item.ptr, item.sep, false);
  reader.rawStrings = true; // the references stay bytes, decoded straight to code points
  const p = reader.parseWhole();
  if (p === null || p.kind != JsonKind.Object) return null;
  const refs = p.get("refs");
  if (refs === null || refs.kind != JsonKind.Array || refs.items.length == 0) return null;
  const t = new TextParams();
  t.ptr = item.ptr;
  const strings = new Array<string>(refs.items.length);
  for (let r = 0; r < refs.items.length; r++) {
    const ref = refs.items[r];
    t.refSpans.push(ref.raw ? ref.rawStart : 0);
    t.refSpans.push(ref.raw ? ref.rawEnd : -1);
    strings[r] = ref.raw ? "" : ref.str;
  }
  t.refStrings = strings;
  t.metricName = stringAt(p, "metric", "rougeL");
  t.metric = metricOf(t.metricName);
  t.tag = stringAt(p, "tag", "answer");
  t.tokenize = stringAt(p, "tokenize", "unicode");
  t.lowercase = boolAt(p, "lowercase", false);
  t.removePunct = stringAt(p, "punctuation", "keep") == "remove";
  t.smooth = stringAt(p, "smooth", "exp");
  t.smoothValue = numberAt(p, "smooth_value", 1);
  t.maxOrder = numberAt(p, "max_order", 4);
  t.charOrder = numberAt(p, "char_order", 6);
  t.beta = numberAt(p, "beta", 2);
  t.whitespace = boolAt(p, "whitespace", false);
  t.werReward = stringAt(p, "wer_reward", "linear");
  t.threshold = numberAt(p, "threshold", 1);
  return t;
}

// Whether bytes [s, e) of ptr are the ASCII text `name`.
@inline function bytesAre(ptr: usize, s: i32, e: i32, name: string): bool {
  return e - s == name.length && matchesAt(ptr, e, s, name);
}

// The string among `names` that bytes [s, e) spell, else the bytes decoded (what the general reader's value gives).
function stringOf(ptr: usize, s: i32, e: i32, names: StaticArray<string>): string {
  for (let i = 0; i < names.length; i++) if (bytesAre(ptr, s, e, names[i])) return names[i];
  return String.UTF8.decodeUnsafe(ptr + <usize>s, <usize>(e - s), false);
}

const TOKENIZE_NAMES: StaticArray<string> = ["unicode", "whitespace", "squad", "char", "13a", "zh", "none"];
const TAG_NAMES: StaticArray<string> = ["answer", ""];
const OTHER_NAMES: StaticArray<string> = ["keep", "remove", "exp", "linear", "floor", "add-k", "none"];

// The references list at p (its bracket): every element a plain string; returns where it ends (past its closing
// bracket), or -1 (then the general reader takes the block).
function readRefs(ptr: usize, len: i32, p: i32, t: TextParams): i32 {
  p++;
  t.refSpans.len = 0; // a repeated key: the last one counts
  t.refsKeys++;
  while (true) {
    p = skipJsonSpace(ptr, len, p);
    const end = plainStringEnd(ptr, len, p);
    if (end < 0) return -1;
    t.refSpans.push(p + 1);
    t.refSpans.push(end);
    p = skipJsonSpace(ptr, len, end + 1);
    const b = byteAt(ptr, len, p);
    p++;
    if (b == 0x5d) return p;
    if (b != 0x2c) return -1;
  }
}

// The keys the kernel reads (OTHER: any other key, whose value is read and ignored).
const OTHER: i32 = 0;
const REFS: i32 = 1;
const METRIC: i32 = 2;
const TAG: i32 = 3;
const TOKENIZE: i32 = 4;
const LOWERCASE: i32 = 5;
const PUNCTUATION: i32 = 6;
const SMOOTH: i32 = 7;
const WER_REWARD: i32 = 8;
const WHITESPACE: i32 = 9;
const THRESHOLD: i32 = 10;
const SMOOTH_VALUE: i32 = 11;
const MAX_ORDER: i32 = 12;
const CHAR_ORDER: i32 = 13;
const BETA: i32 = 14;

// Which key the bytes [s, e) name: by length first, then the few names of that length.
function keyOf(ptr: usize, s: i32, e: i32): i32 {
  const n = e - s;
  if (n == 4) return matchesAt(ptr, e, s, "refs") ? REFS : matchesAt(ptr, e, s, "beta") ? BETA : OTHER;
  if (n == 6) return matchesAt(ptr, e, s, "metric") ? METRIC : matchesAt(ptr, e, s, "smooth") ? SMOOTH : OTHER;
  if (n == 8) return matchesAt(ptr, e, s, "tokenize") ? TOKENIZE : OTHER;
  if (n == 9) {
    if (matchesAt(ptr, e, s, "lowercase")) return LOWERCASE;
    return matchesAt(ptr, e, s, "threshold") ? THRESHOLD : matchesAt(ptr, e, s, "max_order") ? MAX_ORDER : OTHER;
  }
  if (n == 3) return matchesAt(ptr, e, s, "tag") ? TAG : OTHER;
  if (n == 10) {
    if (matchesAt(ptr, e, s, "whitespace")) return WHITESPACE;
    return matchesAt(ptr, e, s, "char_order") ? CHAR_ORDER : matchesAt(ptr, e, s, "wer_reward") ? WER_REWARD : OTHER;
  }
  if (n == 11) return matchesAt(ptr, e, s, "punctuation") ? PUNCTUATION : OTHER;
  if (n == 12) return matchesAt(ptr, e, s, "smooth_value") ? SMOOTH_VALUE : OTHER;
  return OTHER;
}

// The value at p of the key `k` into `t`; returns where it ends, or -1 when the walker does not take it (the general
// reader then reads the whole block: a value of another type than the key's, an unknown metric, escapes, malformed
// text).
function readValue(ptr: usize, len: i32, p: i32, t: TextParams, k: i32): i32 {
  const c = byteAt(ptr, len, p);
  if (c == 0x22) {
    const s = p + 1;
    const e = plainStringEnd(ptr, len, p);
    if (e < 0) return -1;
    if (k == METRIC) {
      let m = -1;
      for (let i = 0; i < METRIC_NAMES.length; i++) if (bytesAre(ptr, s, e, METRIC_NAMES[i])) m = i;
      if (m < 0) return -1; // a name the kernel does not know: the general path writes it back as given
      t.metric = <Metric>m;
      t.metricName = METRIC_NAMES[m];
    } else if (k == TAG) t.tag = stringOf(ptr, s, e, TAG_NAMES);
    else if (k == TOKENIZE) t.tokenize = stringOf(ptr, s, e, TOKENIZE_NAMES);
    else if (k == PUNCTUATION) t.removePunct = bytesAre(ptr, s, e, "remove");
    else if (k == SMOOTH) t.smooth = stringOf(ptr, s, e, OTHER_NAMES);
    else if (k == WER_REWARD) t.werReward = stringOf(ptr, s, e, OTHER_NAMES);
    else if (k != OTHER) return -1;
    return e + 1;
  }
  if (c == 0x5b && k == REFS) return readRefs(ptr, len, p, t);
  if (c == 0x74 || c == 0x66) {
    // true or false (what follows, checked by the caller to be a separator, rules out longer words)
    let b = -1;
    if (matchesAt(ptr, len, p, "true")) b = 1;
    else if (matchesAt(ptr, len, p, "false")) b = 0;
    if (b < 0) return -1;
    if (k == LOWERCASE) t.lowercase = b == 1;
    else if (k == WHITESPACE) t.whitespace = b == 1;
    else if (k != OTHER) return -1;
    return p + 5 - b;
  }
  // anything else (numbers, other keys' values) by the general reader, at depth 1 as inside the object
  const reader = new JsonReader(ptr, len, false);
  const v = reader.parseAt(p, 1);
  if (v === null) return -1;
  if (k == OTHER) return reader.end;
  if (v.kind != JsonKind.Number) return -1;
  if (k == THRESHOLD) t.threshold = v.num;
  else if (k == SMOOTH_VALUE) t.smoothValue = v.num;
  else if (k == MAX_ORDER) t.maxOrder = v.num;
  else if (k == CHAR_ORDER) t.charOrder = v.num;
  else if (k == BETA) t.beta = v.num;
  else return -1;
  return reader.end;
}

// The block as the host writes it, or null (then the general reader decides).
function readFast(item: Item): TextParams | null {
  const ptr = item.ptr;
  const len = item.sep;
  const t = new TextParams();
  t.ptr = ptr;
  let p = skipJsonSpace(ptr, len, 0);
  if (byteAt(ptr, len, p) != 0x7b) return null;
  p++;
  while (true) {
    p = skipJsonSpace(ptr, len, p);
    const ks = p + 1;
    const ke = plainStringEnd(ptr, len, p);
    if (ke < 0) return null;
    p = skipJsonSpace(ptr, len, ke + 1);
    if (byteAt(ptr, len, p) != 0x3a) return null;
    // a key the kernel does not read (non-ASCII ones too: their text never equals a name) is read and ignored
    p = readValue(ptr, len, skipJsonSpace(ptr, len, p + 1), t, keyOf(ptr, ks, ke));
    if (p < 0) return null;
    p = skipJsonSpace(ptr, len, p);
    const b = byteAt(ptr, len, p);
    p++;
    if (b == 0x7d) break;
    if (b != 0x2c) return null;
  }
  p = skipJsonSpace(ptr, len, p);
  if (p != len || t.refSpans.len == 0) return null;
  return t;
}
