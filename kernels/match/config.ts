// The `match` kernel's parameters, read once per item from the host's JSON (verifiers/match/params.ts).
//
// Two readers fill the same slots: a fast one that walks the host's object key by key (the host writes
// plain keys; values are parsed by the strict JSON reader, strings left as bytes), and the general one
// (the whole block as a JSON object, then a lookup per key) for anything the fast one declines. Both
// then go through `configOf`, so they differ only in speed.

import { JsonKind, JsonReader, JsonValue } from "../_lib/json";
import { Item } from "../_lib/item";
import { IntList } from "../_lib/unicode";
import { matchesAt } from "../_lib/text";
import { scanPlainArray } from "./plain_list";
import { plainStringEnd, skipJsonSpace } from "../_lib/plain_json";

/** The modes, compared once per item instead of by name at each use. `Other` scores as any_of. */
export enum Mode {
  Exact,
  AnyOf,
  SetExact,
  SetF1,
  SequenceExact,
  PositionAccuracy,
  Adjacency,
  KendallTau,
  Lcs,
  Ndcg,
  Weighted,
  Other,
}

/** The ways to split a list answer; `Other` (a name the host never writes) splits nowhere. */
export enum Split {
  Auto,
  Json,
  Comma,
  Newline,
  Whitespace,
  Other,
}

/** What the host resolved from the reference and options. */
export class MatchConfig {
  /** The mode's name as written in the result. */
  mode: string = "exact";
  modeId: Mode = Mode.Exact;
  /** The reference's elements as JSON values; null when read as spans (`refSpans`). */
  ref: JsonValue[] | null = null;
  /**
   * The reference's elements as (kind, start, end) spans of the parameter bytes at `refPtr`, when
   * they are all plain strings and integers (see `scanPlainArray`); null otherwise.
   */
  refSpans: IntList | null = null;
  /** The parameter bytes (of every span here). */
  refPtr: usize = 0;
  /** How many reference elements. */
  refCount: i32 = 0;
  tag: string = "answer";
  /** The split's name (written in `extraction` for a name the kernel does not know). */
  split: string = "auto";
  splitId: Split = Split.Auto;
  spaceSplit: bool = true;
  caseSensitive: bool = false;
  punctuation: string = "trim";
  articles: bool = false;
  /** Whether the parameters list choice keys (`choiceKeys` is not empty). */
  hasChoices: bool = false;
  k: i32 = 1;
  exponentialGain: bool = false;
  rows: i32 = 1;
  cols: i32 = 1;
  directed: bool = true;
  requirePermutation: bool = false;
  right: f64 = 1;
  partialMin: i32 = 1;
  wrong: f64 = 0;
  extra: f64 = -0.5;
  missing: f64 = 0;
  threshold: f64 = 1;
  // Lists most items leave at their defaults, made on first read (an allocation fewer per item each).
  private relList: f64[] | null = null;
  private partialList: f64[] | null = null;
  private keyList: string[] | null = null;
  private textList: string[] | null = null;

  /** ndcg: the relevance of each reference element (empty when not given). */
  get rel(): f64[] {
    let l = this.relList;
    if (l === null) this.relList = l = new Array<f64>();
    return l;
  }

  set rel(l: f64[]) {
    this.relList = l;
  }

  /** weighted: the partial credits (default [0.5]). */
  get partial(): f64[] {
    let l = this.partialList;
    if (l === null) {
      l = new Array<f64>(1);
      l[0] = 0.5;
      this.partialList = l;
    }
    return l;
  }

  set partial(l: f64[]) {
    this.partialList = l;
  }

  /** The choices' keys (empty without choices). */
  get choiceKeys(): string[] {
    let l = this.keyList;
    if (l === null) this.keyList = l = new Array<string>();
    return l;
  }

  set choiceKeys(l: string[]) {
    this.keyList = l;
  }

  /**
   * The choice keys as (kind, start, end) spans of the parameter bytes at `refPtr` when the host wrote
   * them as a plain list (then `choiceKeys` is left empty and `choiceKey` decodes them on first use);
   * null otherwise.
   */
  keySpans: IntList | null = null;
  /** How many choice keys (in `keySpans` or `choiceKeys`). */
  keyCount: i32 = 0;
  private keyCache: Array<string | null> | null = null;

  /** Choice key k (a k past the keys is out of a list's range, as it always was). */
  choiceKey(k: i32): string {
    const spans = this.keySpans;
    if (spans === null) return this.choiceKeys[k];
    let cache = this.keyCache;
    if (cache === null) this.keyCache = cache = new Array<string | null>(this.keyCount);
    const known = cache[k];
    if (known !== null) return known;
    const s = spans.at(3 * k + 1);
    // decoded as the JSON reader decodes a string without escapes
    const decoded = String.UTF8.decodeUnsafe(this.refPtr + <usize>s, <usize>(spans.at(3 * k + 2) - s), false);
    cache[k] = decoded;
    return decoded;
  }

  /** The choices' texts (empty without choices). */
  get choiceTexts(): string[] {
    let l = this.textList;
    if (l === null) this.textList = l = new Array<string>();
    return l;
  }

  set choiceTexts(l: string[]) {
    this.textList = l;
  }

  /** How labels are normalized under these options. */
  norm: Norm = new Norm();
  private foldingNorm: Norm | null = null;
  /**
   * The choice texts as (kind, start, end) spans of the parameter bytes at `refPtr` when the host
   * wrote them as a plain list (then `choiceTexts` is left empty, `textCount` says how many); null otherwise.
   */
  textSpans: IntList | null = null;
  /** How many choice texts (in `textSpans` or `choiceTexts`). */
  textCount: i32 = 0;
  /** The choice texts under the default normalization (`label.ts` fills it on first use). */
  foldedTexts: Array<string | null> | null = null;

  /** The default normalization (for reading choices), whatever this item's options; same scratch lists. */
  get folding(): Norm {
    let f = this.foldingNorm;
    if (f === null) {
      f = new Norm(this.norm);
      this.foldingNorm = f;
    }
    return f;
  }

  /** punctuation "remove" and "trim", as flags (read per character). */
  removePunct: bool = false;
  trimPunct: bool = true;
  /** Every mode but exact and any_of reads a list (set once by readConfig). */
  isListMode: bool = false;
  /** The order modes: sequence_exact, position_accuracy, adjacency, kendall_tau, lcs. */
  isSequenceMode: bool = false;
}

/** The normalization options of labels, and scratch code point lists (one item's lifetime, reused per label). */
export class Norm {
  caseSensitive: bool = false;
  /** punctuation "remove" and "trim", as flags (read per character). */
  removePunct: bool = false;
  trimPunct: bool = true;
  articles: bool = false;
  // the scratch list, made on first use (plain labels need none), or the normalization sharing it
  private list: IntList | null = null;
  private sharing: Norm | null;

  /** A normalization with the default options; `scratch`: another one whose scratch list it shares. */
  constructor(scratch: Norm | null = null) {
    this.sharing = scratch;
  }

  /**
   * Scratch of `labelKey`, which may also be handed the label's code points in it (`input`): it
   * reads each code point before it writes over it.
   */
  get a(): IntList {
    const other = this.sharing;
    if (other !== null) return other.a;
    let l = this.list;
    if (l === null) this.list = l = new IntList(16); // grows for long labels
    return l;
  }

  /** Where to put a label's code points before `labelKey` (JSON strings, choice keys): `a` itself. */
  @inline get input(): IntList {
    return this.a;
  }
}

/** The parameter values the kernel reads, by key (null: absent); the last of duplicate keys wins. */
class Slots {
  /** The parameter bytes (spans are offsets into them). */
  ptr: usize = 0;
  mode: JsonValue | null = null;
  ref: JsonValue | null = null;
  /** A list read as spans instead of a JSON value (then its JSON slot is null, and the other way round). */
  refSpans: IntList | null = null;
  keySpans: IntList | null = null;
  textSpans: IntList | null = null;
  rel: JsonValue | null = null;
  tag: JsonValue | null = null;
  split: JsonValue | null = null;
  spaceSplit: JsonValue | null = null;
  caseSensitive: JsonValue | null = null;
  punctuation: JsonValue | null = null;
  articles: JsonValue | null = null;
  choiceKeys: JsonValue | null = null;
  choiceTexts: JsonValue | null = null;
  k: JsonValue | null = null;
  gain: JsonValue | null = null;
  grid: JsonValue | null = null;
  directed: JsonValue | null = null;
  requirePermutation: JsonValue | null = null;
  weights: JsonValue | null = null;
  threshold: JsonValue | null = null;
}

/** Whether the key bytes [s, e) are `name` (ASCII). */
@inline function keyIs(ptr: usize, s: i32, e: i32, name: string): bool {
  return e - s == name.length && matchesAt(ptr, e, s, name);
}

// Stores `v` in the slot named by the key bytes [s, e) (ASCII); an unknown key is ignored.
function setSlot(slots: Slots, ptr: usize, s: i32, e: i32, v: JsonValue): void {
  if (keyIs(ptr, s, e, "ref")) {
    slots.ref = v;
    slots.refSpans = null;
  } else if (keyIs(ptr, s, e, "mode")) slots.mode = v;
  else if (keyIs(ptr, s, e, "choice_keys")) {
    slots.choiceKeys = v;
    slots.keySpans = null;
  } else if (keyIs(ptr, s, e, "choice_texts")) {
    slots.choiceTexts = v;
    slots.textSpans = null;
  }
  else if (keyIs(ptr, s, e, "space_split")) slots.spaceSplit = v;
  else if (keyIs(ptr, s, e, "rel")) slots.rel = v;
  else if (keyIs(ptr, s, e, "tag")) slots.tag = v;
  else if (keyIs(ptr, s, e, "split")) slots.split = v;
  else if (keyIs(ptr, s, e, "case_sensitive")) slots.caseSensitive = v;
  else if (keyIs(ptr, s, e, "punctuation")) slots.punctuation = v;
  else if (keyIs(ptr, s, e, "articles")) slots.articles = v;
  else if (keyIs(ptr, s, e, "k")) slots.k = v;
  else if (keyIs(ptr, s, e, "gain")) slots.gain = v;
  else if (keyIs(ptr, s, e, "grid")) slots.grid = v;
  else if (keyIs(ptr, s, e, "directed")) slots.directed = v;
  else if (keyIs(ptr, s, e, "require_permutation")) slots.requirePermutation = v;
  else if (keyIs(ptr, s, e, "weights")) slots.weights = v;
  else if (keyIs(ptr, s, e, "threshold")) slots.threshold = v;
}

/** The lists the fast reader reads as spans: 1 ref, 2 choice_keys, 3 choice_texts; 0 any other key. */
function spanList(ptr: usize, s: i32, e: i32): i32 {
  if (keyIs(ptr, s, e, "ref")) return 1;
  if (keyIs(ptr, s, e, "choice_keys")) return 2;
  if (keyIs(ptr, s, e, "choice_texts")) return 3;
  return 0;
}

/**
 * The string at p when it is plain (no escapes, nothing below 0x20), as the value the strict reader
 * with `rawStrings` makes of it (its bytes left undecoded, between the quotes); null otherwise.
 */
function plainString(ptr: usize, len: i32, p: i32): JsonValue | null {
  const e = plainStringEnd(ptr, len, p);
  if (e < 0) return null;
  const v = new JsonValue();
  v.kind = JsonKind.String;
  v.raw = true;
  v.rawPtr = ptr;
  v.rawStart = p + 1;
  v.rawEnd = e;
  return v;
}

/** Stores the spans of list `which` (see `spanList`), replacing an earlier value of the same key. */
function setSpans(slots: Slots, which: i32, spans: IntList): void {
  if (which == 1) {
    slots.refSpans = spans;
    slots.ref = null;
  } else if (which == 2) {
    slots.keySpans = spans;
    slots.choiceKeys = null;
  } else {
    slots.textSpans = spans;
    slots.choiceTexts = null;
  }
}

/**
 * Reads the parameter block as the host writes it: one object of plain ASCII keys (no escapes,
 * nothing below 0x20 or above 0x7e). Returns null, having read nothing that matters, for any other
 * text (malformed too): the caller then reads it with `readParams` and `readConfigFrom`, which give
 * every such block its exact verdict.
 */
export function readConfigFast(item: Item): MatchConfig | null {
  const ptr = item.ptr;
  const len = item.sep;
  let reader: JsonReader | null = null; // made for the first value that is no plain string or list
  const slots = new Slots();
  slots.ptr = ptr;
  let p = 0;
  p = skipJsonSpace(ptr, len, p);
  if (p >= len || load<u8>(ptr + <usize>p) != 0x7b) return null;
  p++;
  while (true) {
    p = skipJsonSpace(ptr, len, p);
    if (p >= len || load<u8>(ptr + <usize>p) != 0x22) return null;
    const ks = p + 1;
    let ke = ks;
    while (ke < len) {
      const b = <i32>load<u8>(ptr + <usize>ke);
      if (b == 0x22) break;
      if (b < 0x20 || b > 0x7e || b == 0x5c) return null;
      ke++;
    }
    if (ke >= len) return null;
    p = skipJsonSpace(ptr, len, ke + 1);
    if (p >= len || load<u8>(ptr + <usize>p) != 0x3a) return null;
    p = skipJsonSpace(ptr, len, p + 1);
    // the reference and the choices as spans when they are plain lists (no JSON values to build)
    const which = spanList(ptr, ks, ke);
    let end = -1;
    if (which != 0) {
      const spans = new IntList(24);
      end = scanPlainArray(ptr, len, p, spans, which == 1);
      if (end >= 0) setSpans(slots, which, spans);
    }
    if (end < 0) {
      let v = plainString(ptr, len, p);
      if (v !== null) end = v.rawEnd + 1;
      else {
        // depth 1: the general reader parses this value inside the object, with the same depth bound
        let r = reader;
        if (r === null) {
          r = new JsonReader(ptr, len, false);
          r.rawStrings = true;
          reader = r;
        }
        v = r.parseAt(p, 1);
        if (v === null) return null;
        end = r.end;
      }
      setSlot(slots, ptr, ks, ke, v);
    }
    p = end;
    p = skipJsonSpace(ptr, len, p);
    if (p >= len) return null;
    const b = load<u8>(ptr + <usize>p);
    p++;
    if (b == 0x7d) break;
    if (b != 0x2c) return null;
  }
  p = skipJsonSpace(ptr, len, p);
  if (p != len) return null;
  return configOf(slots);
}

/** Reads the parameter object (the general reader's); null when it lacks the reference list (a host bug). */
export function readConfigFrom(p: JsonValue): MatchConfig | null {
  const slots = new Slots();
  slots.mode = p.get("mode");
  slots.ref = p.get("ref");
  slots.rel = p.get("rel");
  slots.tag = p.get("tag");
  slots.split = p.get("split");
  slots.spaceSplit = p.get("space_split");
  slots.caseSensitive = p.get("case_sensitive");
  slots.punctuation = p.get("punctuation");
  slots.articles = p.get("articles");
  slots.choiceKeys = p.get("choice_keys");
  slots.choiceTexts = p.get("choice_texts");
  slots.k = p.get("k");
  slots.gain = p.get("gain");
  slots.grid = p.get("grid");
  slots.directed = p.get("directed");
  slots.requirePermutation = p.get("require_permutation");
  slots.weights = p.get("weights");
  slots.threshold = p.get("threshold");
  return configOf(slots);
}

function strings(v: JsonValue | null): string[] {
  const out = new Array<string>();
  if (v === null || v.kind != JsonKind.Array) return out;
  const items = v.items;
  for (let i = 0; i < items.length; i++) out.push(items[i].str);
  return out;
}

function numbers(v: JsonValue | null): f64[] {
  const out = new Array<f64>();
  if (v === null || v.kind != JsonKind.Array) return out;
  const items = v.items;
  for (let i = 0; i < items.length; i++) out.push(items[i].num);
  return out;
}

@inline function isString(v: JsonValue | null): bool {
  return v !== null && v.kind == JsonKind.String;
}

/** The string value, else `fallback`. */
function stringOr(v: JsonValue | null, fallback: string): string {
  return v !== null && v.kind == JsonKind.String ? v.str : fallback;
}

/** The number value, else `fallback`. */
function numberOr(v: JsonValue | null, fallback: f64): f64 {
  return v !== null && v.kind == JsonKind.Number ? v.num : fallback;
}

/** The boolean value, else `fallback`. */
function boolOr(v: JsonValue | null, fallback: bool): bool {
  return v !== null && v.kind == JsonKind.Bool ? v.bool : fallback;
}

/**
 * Whether the string value `v` is `text` (ASCII). A value left as bytes is compared on its bytes when
 * they are ASCII; other bytes are decoded first (the lenient decoder may read odd bytes as ASCII).
 */
function stringIs(v: JsonValue, text: string): bool {
  if (v.raw && isAscii(v.rawPtr, v.rawStart, v.rawEnd)) {
    return v.rawEnd - v.rawStart == text.length && matchesAt(v.rawPtr, v.rawEnd, v.rawStart, text);
  }
  return v.str == text;
}

function isAscii(ptr: usize, s: i32, e: i32): bool {
  for (let i = s; i < e; i++) if (load<u8>(ptr + <usize>i) >= 0x80) return false;
  return true;
}

/** The name of mode `m` (not Other). */
function modeName(m: Mode): string {
  switch (m) {
    case Mode.Exact:
      return "exact";
    case Mode.AnyOf:
      return "any_of";
    case Mode.SetExact:
      return "set_exact";
    case Mode.SetF1:
      return "set_f1";
    case Mode.SequenceExact:
      return "sequence_exact";
    case Mode.PositionAccuracy:
      return "position_accuracy";
    case Mode.Adjacency:
      return "adjacency";
    case Mode.KendallTau:
      return "kendall_tau";
    case Mode.Lcs:
      return "lcs";
    case Mode.Ndcg:
      return "ndcg";
    default:
      return "weighted";
  }
}

/** The mode whose name has `length` bytes and starts with `first` (no two modes share both), or -1. */
function modeByShape(length: i32, first: i32): i32 {
  switch (length) {
    case 3:
      return first == 0x6c ? Mode.Lcs : -1;
    case 4:
      return first == 0x6e ? Mode.Ndcg : -1;
    case 5:
      return first == 0x65 ? Mode.Exact : -1;
    case 6:
      return first == 0x61 ? Mode.AnyOf : first == 0x73 ? Mode.SetF1 : -1;
    case 8:
      return first == 0x77 ? Mode.Weighted : -1;
    case 9:
      return first == 0x73 ? Mode.SetExact : first == 0x61 ? Mode.Adjacency : -1;
    case 11:
      return first == 0x6b ? Mode.KendallTau : -1;
    case 14:
      return first == 0x73 ? Mode.SequenceExact : -1;
    case 17:
      return first == 0x70 ? Mode.PositionAccuracy : -1;
    default:
      return -1;
  }
}

/** The name of split `s` (not Other). */
function splitName(s: Split): string {
  switch (s) {
    case Split.Auto:
      return "auto";
    case Split.Json:
      return "json";
    case Split.Comma:
      return "comma";
    case Split.Newline:
      return "newline";
    default:
      return "whitespace";
  }
}

/** The mode named by `v` (a string), as its constant name and id; the name as given for an unknown one. */
function setMode(c: MatchConfig, v: JsonValue | null): void {
  if (!isString(v)) return; // the default: exact
  const m = changetype<JsonValue>(v);
  // ASCII bytes (as the host writes them) are compared in place, other names as decoded text
  const bytes = m.raw && isAscii(m.rawPtr, m.rawStart, m.rawEnd);
  const n = m.rawEnd - m.rawStart;
  if (bytes) {
    // the one mode of this length and first letter, if any, compared in place
    const i = modeByShape(n, n > 0 ? <i32>load<u8>(m.rawPtr + <usize>m.rawStart) : 0);
    if (i >= 0 && matchesAt(m.rawPtr, m.rawEnd, m.rawStart, modeName(<Mode>i))) {
      c.mode = modeName(<Mode>i);
      c.modeId = <Mode>i;
      return;
    }
  } else {
    for (let i = 0; i < <i32>Mode.Other; i++) {
      const name = modeName(<Mode>i);
      if (m.str == name) {
        c.mode = name;
        c.modeId = <Mode>i;
        return;
      }
    }
  }
  c.mode = m.str;
  c.modeId = Mode.Other;
}

/** The split named by `v` (a string), as its constant name and id; the name as given for an unknown one. */
function setSplit(c: MatchConfig, v: JsonValue | null): void {
  if (!isString(v)) return; // the default: auto
  const s = changetype<JsonValue>(v);
  for (let i = 0; i < <i32>Split.Other; i++) {
    const name = splitName(<Split>i);
    if (stringIs(s, name)) {
      c.split = name;
      c.splitId = <Split>i;
      return;
    }
  }
  c.split = s.str;
  c.splitId = Split.Other;
}

/** The config from the parameter values; null when the reference list is missing (a host bug). */
function configOf(s: Slots): MatchConfig | null {
  const ref = s.ref;
  const refSpans = s.refSpans;
  if (refSpans === null && (ref === null || ref.kind != JsonKind.Array)) return null;
  const c = new MatchConfig();
  c.refPtr = s.ptr;
  if (refSpans !== null) {
    c.refSpans = refSpans;
    c.refCount = refSpans.len / 3;
  } else {
    const items = changetype<JsonValue>(ref).items;
    c.ref = items;
    c.refCount = items.length;
  }
  const refCount = c.refCount;
  setMode(c, s.mode);
  const mode = c.modeId;
  c.isListMode = mode != Mode.Exact && mode != Mode.AnyOf;
  c.isSequenceMode = mode == Mode.SequenceExact || mode == Mode.PositionAccuracy || mode == Mode.Adjacency ||
    mode == Mode.KendallTau || mode == Mode.Lcs;
  if (s.rel !== null) c.rel = numbers(s.rel);
  const tag = s.tag;
  if (isString(tag)) c.tag = stringIs(changetype<JsonValue>(tag), "answer") ? "answer" : changetype<JsonValue>(tag).str;
  setSplit(c, s.split);
  c.spaceSplit = boolOr(s.spaceSplit, true);
  c.caseSensitive = boolOr(s.caseSensitive, false);
  const punct = s.punctuation;
  if (isString(punct)) {
    const pv = changetype<JsonValue>(punct);
    c.punctuation = stringIs(pv, "trim") ? "trim" : stringIs(pv, "remove") ? "remove" : pv.str;
  }
  c.removePunct = c.punctuation == "remove";
  c.trimPunct = c.punctuation == "trim";
  c.articles = boolOr(s.articles, false);
  const n = c.norm;
  n.caseSensitive = c.caseSensitive;
  n.removePunct = c.removePunct;
  n.trimPunct = c.trimPunct;
  n.articles = c.articles;
  const keySpans = s.keySpans;
  // read as spans, the keys are decoded only when one is needed as text (label.ts)
  if (keySpans !== null) {
    c.keySpans = keySpans;
    c.keyCount = keySpans.len / 3;
  } else if (s.choiceKeys !== null) {
    c.choiceKeys = strings(s.choiceKeys);
    c.keyCount = c.choiceKeys.length;
  }
  c.hasChoices = (keySpans !== null || s.choiceKeys !== null) && c.keyCount > 0;
  const textSpans = s.textSpans;
  // read as spans, the texts are decoded only when an answer is compared with them (label.ts)
  if (textSpans !== null) {
    c.textSpans = textSpans;
    c.textCount = textSpans.len / 3;
  } else if (s.choiceTexts !== null) {
    c.choiceTexts = strings(s.choiceTexts);
    c.textCount = c.choiceTexts.length;
  }
  c.k = <i32>numberOr(s.k, <f64>max(refCount, 1));
  const gain = s.gain;
  c.exponentialGain = isString(gain) && stringIs(changetype<JsonValue>(gain), "exponential");
  const grid = s.grid !== null ? numbers(s.grid) : null;
  if (grid !== null && grid.length == 2) {
    c.rows = <i32>grid[0];
    c.cols = <i32>grid[1];
  } else {
    c.cols = refCount;
  }
  c.directed = boolOr(s.directed, true);
  c.requirePermutation = boolOr(s.requirePermutation, false);
  const w = s.weights;
  if (w !== null && w.kind == JsonKind.Object) {
    c.right = numberOr(w.get("right"), 1);
    const partial = numbers(w.get("partial"));
    if (partial.length > 0) c.partial = partial;
    c.partialMin = <i32>numberOr(w.get("partial_min"), 1);
    c.wrong = numberOr(w.get("wrong"), 0);
    c.extra = numberOr(w.get("extra"), -0.5);
    c.missing = numberOr(w.get("missing"), 0);
  }
  c.threshold = numberOr(s.threshold, 1);
  return c;
}
