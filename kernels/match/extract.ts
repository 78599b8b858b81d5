// Extraction for the `match` kernel: the answer's region (a tag, then \boxed{}, then a code fence),
// then its elements: a JSON or Python list, or text split into lines, commas or whitespace, each
// piece possibly a tuple "(a, b, c)". Works on code points; never recurses on the input's nesting.

import { JsonKind, JsonReader, JsonValue } from "../_lib/json";
import { lastBoxed, tagRegion } from "../_lib/tag_region";
import { lastFence } from "../_lib/text";
import { appendUtf8, IntList } from "../_lib/unicode";
import { spaceCp as isSpace } from "./ascii";
import { MatchConfig, Split } from "./config";
import { scanPlainArray } from "./plain_list";

/** Answer bytes past which an item is `too_complex`. */
export const MAX_ANSWER_BYTES: i32 = 1 << 20;
/**
 * Elements past which an item is `too_complex` (the reference schema allows as many). A JSON list
 * is refused before parsing when it has more commas than this.
 */
export const MAX_ELEMENTS: i32 = 10000;

/** One element as found: a JSON value, or a run of code points, or a tuple of runs (`fields`); read with `Extracted.load`. */
export class RawElement {
  json: JsonValue | null = null;
  start: i32 = 0;
  end: i32 = 0;
  /** For a tuple written as text: (start, end) pairs of its fields. */
  fields: IntList | null = null;
  /**
   * For an element of a plain JSON list (plain_list.ts): SPAN_STRING or SPAN_INTEGER, and `start`,
   * `end` are then byte offsets of the item at `Extracted.ptr`, not code point indices; -1 otherwise.
   */
  plain: i32 = -1;
}

/** The extraction's outcome: elements, or a problem (no_answer, ambiguous, too_complex, bad_format). */
export class Extracted {
  /** The answer's code points (room made by `extract` for the answer it finds). */
  cps: IntList;
  /** The item's bytes (for the spans of plain list elements). */
  ptr: usize = 0;
  /** How many elements were found (`load` reads one). */
  elemCount: i32 = 0;
  /** The elements' records (plain, start, end, json, fields) in a raw block of `recCap` records. */
  private recs: usize = 0;
  private recCap: i32 = 0;
  via: string = "";
  problem: string | null = null;
  detail: string = "";
  count: i32 = 0;

  constructor(capacity: i32) {
    this.cps = new IntList(capacity);
  }

  /** Adds an element's record (the fields of a RawElement). */
  add(plain: i32, start: i32, end: i32, json: JsonValue | null, fields: IntList | null): void {
    if (this.elemCount == this.recCap) this.growRecs();
    const p = this.recs + <usize>this.elemCount * REC;
    store<i32>(p, plain);
    store<i32>(p, start, 4);
    store<i32>(p, end, 8);
    store<usize>(p, changetype<usize>(json), 12);
    store<usize>(p + sizeof<usize>(), changetype<usize>(fields), 12);
    this.elemCount++;
  }

  /** Fills `raw` with the i-th element (i < elemCount) and returns it. */
  load(i: i32, raw: RawElement): RawElement {
    const p = this.recs + <usize>i * REC;
    raw.plain = load<i32>(p);
    raw.start = load<i32>(p, 4);
    raw.end = load<i32>(p, 8);
    raw.json = changetype<JsonValue | null>(load<usize>(p, 12));
    raw.fields = changetype<IntList | null>(load<usize>(p + sizeof<usize>(), 12));
    return raw;
  }

  private growRecs(): void {
    const cap = max(this.recCap * 2, 8);
    const recs = heap.alloc(<usize>cap * REC);
    if (this.recCap > 0) memory.copy(recs, this.recs, <usize>this.recCap * REC);
    this.recs = recs;
    this.recCap = cap;
  }
}

/** Bytes of an element's record: plain, start, end (i32 each), json, fields (pointers). */
const REC: usize = 12 + 2 * sizeof<usize>();

function failed(x: Extracted, problem: string, detail: string): Extracted {
  x.problem = problem;
  x.detail = detail;
  return x;
}

@inline function isOpen(c: i32): bool {
  return c == 0x28 || c == 0x5b || c == 0x7b;
}

@inline function isClose(c: i32): bool {
  return c == 0x29 || c == 0x5d || c == 0x7d;
}

@inline function closerOf(c: i32): i32 {
  return c == 0x28 ? 0x29 : c == 0x5b ? 0x5d : 0x7d;
}

// , ; > and their full-width forms, the ideographic comma (a ranking "[2] > [1]" is a list too)
@inline function isListSeparator(c: i32): bool {
  return c == 0x2c || c == 0x3b || c == 0x3e || c == 0xff0c || c == 0xff1b || c == 0xff1e || c == 0x3001;
}

@inline function isQuote(c: i32): bool {
  return c == 0x22 || c == 0x27 || c == 0x60 || c == 0x201c || c == 0x201d || c == 0x2018 || c == 0x2019;
}

/**
 * The code point at index i of a code point list's memory at `base` (`list.data.dataStart`): hot
 * loops read through the base address, one load per code point instead of three.
 */
@inline export function cpAt(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

/** Trims whitespace from both ends of cps[s, e); returns the new pair packed as (s << 32) | e. */
function trimmed(cps: IntList, s: i32, e: i32): i64 {
  const base = cps.data.dataStart;
  while (s < e && isSpace(cpAt(base, s))) s++;
  while (e > s && isSpace(cpAt(base, e - 1))) e--;
  return (<i64>s << 32) | <i64>e;
}

@inline function lo(pair: i64): i32 {
  return <i32>(pair & 0xffffffff);
}

@inline function hi(pair: i64): i32 {
  return <i32>(pair >> 32);
}

// True when the bracket at s closes exactly at e - 1 (depth counted over all bracket kinds).
function enclosed(cps: IntList, s: i32, e: i32): bool {
  if (e - s < 2) return false;
  const open = cps.at(s);
  if (!isOpen(open) || cps.at(e - 1) != closerOf(open)) return false;
  let depth = 0;
  const base = cps.data.dataStart;
  for (let i = s; i < e; i++) {
    const c = cpAt(base, i);
    if (isOpen(c)) depth++;
    else if (isClose(c)) {
      depth--;
      if (depth == 0 && i < e - 1) return false;
    }
  }
  return depth == 0;
}

/** Finds the answer's region and its elements (one element for the single-answer modes). */
export function extract(ptr: usize, start: i32, end: i32, c: MatchConfig): Extracted {
  let span = tagRegion(ptr, start, end, c.tag);
  let via = span.via;
  const boxed = lastBoxed(ptr, span);
  if (boxed !== null) {
    span = boxed;
    via = joinVia(via, "+boxed");
  }
  const fence = lastFence(ptr, span);
  if (fence !== null) {
    span = fence;
    via = joinVia(via, "+fence");
  }
  const tooLong = span.end - span.start > MAX_ANSWER_BYTES;
  // the bytes without surrounding ASCII whitespace, for the JSON reader
  let bs = span.start;
  let be = span.end;
  while (bs < be && isSpaceByteAt(ptr, bs)) bs++;
  while (be > bs && isSpaceByteAt(ptr, be - 1)) be--;
  // room for the answer's code points (at most one per byte)
  const x = new Extracted(tooLong ? 0 : be - bs);
  x.ptr = ptr;
  x.via = via;
  if (tooLong) return failed(x, "too_complex", "too_long");
  appendUtf8(x.cps, ptr, bs, be);
  const t = trimmed(x.cps, 0, x.cps.len);
  if (hi(t) >= lo(t)) return failed(x, "no_answer", "");
  const first = <i32>load<u8>(ptr + <usize>bs);
  const jsonish = first == 0x5b || first == 0x28 || first == 0x22 || first == 0x27;
  if (jsonish && c.splitId != Split.Comma && c.splitId != Split.Newline && c.splitId != Split.Whitespace) {
    // bound the parser's work before it starts: elements (commas at the list's own level) and
    // values at any depth (all commas)
    const commas = countCommas(ptr, bs, be);
    if (hi(commas) >= MAX_ELEMENTS || lo(commas) >= 3 * MAX_ELEMENTS) {
      x.count = hi(commas) + 1;
      return failed(x, "too_complex", "too_many_elements");
    }
    // a plain list ([2, 1, 3, 4], ["a", "b"]) as spans; any other JSON by the lenient reader
    if (first == 0x5b) {
      const spans = new IntList(24);
      if (scanPlainArray(ptr, be, bs, spans, true) == be) return fromPlainList(x, spans, c);
    }
    const v = new JsonReader(ptr + <usize>bs, be - bs, true).parseWhole();
    if (v !== null) return fromJson(x, v, c);
  }
  if (c.splitId == Split.Json && c.isListMode) return failed(x, "bad_format", "not_a_json_list");
  if (!c.isListMode) {
    x.add(-1, hi(t), lo(t), null, null);
    x.count = 1;
    return x;
  }
  splitText(x, hi(t), lo(t), c);
  return x;
}

// Commas of bytes [s, e): (at bracket depth 1) << 32 | (at any depth).
function countCommas(ptr: usize, s: i32, e: i32): i64 {
  let top = 0;
  let all = 0;
  let depth = 0;
  for (let i = s; i < e; i++) {
    const b = <i32>load<u8>(ptr + <usize>i);
    if (b == 0x2c) {
      all++;
      if (depth == 1) top++;
    } else if (b == 0x5b || b == 0x28 || b == 0x7b) depth++;
    else if (b == 0x5d || b == 0x29 || b == 0x7d) depth--;
  }
  return (<i64>top << 32) | <i64>all;
}

function isSpaceByteAt(ptr: usize, i: i32): bool {
  const b = <i32>load<u8>(ptr + <usize>i);
  return b == 0x20 || (b >= 0x09 && b <= 0x0d);
}

function fromJson(x: Extracted, v: JsonValue, c: MatchConfig): Extracted {
  x.via = joinVia(x.via, "+json");
  if (v.kind != JsonKind.Array) {
    x.add(-1, 0, 0, v, null);
    x.count = 1;
    return x;
  }
  const n = v.items.length;
  if (!listFits(x, n, c)) return x;
  for (let i = 0; i < n; i++) x.add(-1, 0, 0, v.items[i], null);
  x.count = n;
  return x;
}

// Whether a JSON list of n elements can be the answer: a label mode takes exactly one, no mode more
// than MAX_ELEMENTS; otherwise `x` is marked failed with the reason (and the count where it says why).
function listFits(x: Extracted, n: i32, c: MatchConfig): bool {
  if (!c.isListMode) {
    if (n == 0) {
      failed(x, "no_answer", "empty_list");
      return false;
    }
    if (n > 1) {
      x.count = n;
      failed(x, "ambiguous", "several_answers");
      return false;
    }
  }
  if (n > MAX_ELEMENTS) {
    x.count = n;
    failed(x, "too_complex", "too_many_elements");
    return false;
  }
  return true;
}

// A plain JSON list's elements, as fromJson takes those of the same list parsed (the same checks).
function fromPlainList(x: Extracted, spans: IntList, c: MatchConfig): Extracted {
  x.via = joinVia(x.via, "+json");
  const n = spans.len / 3;
  if (!listFits(x, n, c)) return x;
  for (let i = 0; i < n; i++) x.add(spans.at(3 * i), spans.at(3 * i + 1), spans.at(3 * i + 2), null, null);
  x.count = n;
  return x;
}

// Splits cps[s, e) of a list answer written as text.
function splitText(x: Extracted, s: i32, e: i32, c: MatchConfig): void {
  const cps = x.cps;
  // outer brackets: [a, b], (a, b), {a, b}, \{a, b\}
  if (e - s >= 4 && cps.at(s) == 0x5c && cps.at(s + 1) == 0x7b && cps.at(e - 2) == 0x5c && cps.at(e - 1) == 0x7d) {
    s += 2;
    e -= 2;
    x.via = joinVia(x.via, "+braces");
  } else if (enclosed(cps, s, e)) {
    s++;
    e--;
    x.via = joinVia(x.via, "+brackets");
  }
  let lines = 0;
  let separators = 0;
  let spaces = 0;
  let depth = 0;
  let lineHasText = false;
  const base = cps.data.dataStart;
  for (let i = s; i < e; i++) {
    const ch = cpAt(base, i);
    if (ch == 0x0a) {
      if (lineHasText) lines++;
      lineHasText = false;
      continue;
    }
    if (!isSpace(ch)) lineHasText = true;
    else spaces++;
    if (isOpen(ch)) depth++;
    else if (isClose(ch)) depth = max(0, depth - 1);
    else if (depth == 0 && isListSeparator(ch)) separators++;
  }
  if (lineHasText) lines++;
  // a one-line numbered or bulleted answer ("1. a") is a list of one
  if (lines == 1) s = afterBullet(cps, s, e);
  let how = c.splitId;
  let name = c.split;
  if (how == Split.Auto) {
    if (lines >= 2) how = Split.Newline;
    else if (separators > 0) how = Split.Comma;
    else if (spaces > 0 && (c.spaceSplit || c.isSequenceMode)) how = Split.Whitespace;
    else how = Split.Other; // one piece
    name = how == Split.Newline
      ? "newline"
      : how == Split.Comma
      ? "comma"
      : how == Split.Whitespace
      ? "whitespace"
      : "single";
  }
  // `name` is the split's (an unknown name, which splits nowhere, included) or "single"
  x.via = joinVia(x.via, viaSuffix(how, name));
  let pieceStart = s;
  depth = 0;
  for (let i = s; i <= e; i++) {
    const ch = i < e ? cpAt(base, i) : -1;
    let cut = i == e;
    if (!cut) {
      if (isOpen(ch)) depth++;
      else if (isClose(ch)) depth = max(0, depth - 1);
      if (how == Split.Newline) cut = ch == 0x0a;
      else if (how == Split.Comma) cut = depth == 0 && isListSeparator(ch);
      else if (how == Split.Whitespace) cut = depth == 0 && isSpace(ch);
    }
    if (!cut) continue;
    if (!addPiece(x, pieceStart, i, how == Split.Newline)) return;
    pieceStart = i + 1;
  }
}

/** `a + b` for the short strings of `via`, copied without `memory.copy` (a call out of the module each). */
function joinVia(a: string, b: string): string {
  const na = <usize>a.length << 1;
  const nb = <usize>b.length << 1;
  const out = changetype<usize>(__new(na + nb, idof<string>()));
  copyUnits(out, changetype<usize>(a), na);
  copyUnits(out + na, changetype<usize>(b), nb);
  return changetype<string>(out);
}

// Copies n bytes (a multiple of 2) from src to dst, eight at a time while eight remain.
@inline function copyUnits(dst: usize, src: usize, n: usize): void {
  let i: usize = 0;
  for (; i + 8 <= n; i += 8) store<u64>(dst + i, load<u64>(src + i));
  for (; i < n; i += 2) store<u16>(dst + i, load<u16>(src + i));
}

/** "+" and the split's name: a constant for the known ones (one string concatenation fewer). */
function viaSuffix(how: Split, name: string): string {
  if (how == Split.Comma) return "+comma";
  if (how == Split.Whitespace) return "+whitespace";
  if (how == Split.Newline) return "+newline";
  return name == "single" ? "+single" : "+" + name;
}

// Adds one piece (trimmed, bullet and quotes removed, a tuple split into fields); false past the cap.
function addPiece(x: Extracted, s: i32, e: i32, bullets: bool): bool {
  const cps = x.cps;
  let t = trimmed(cps, s, e);
  s = hi(t);
  e = lo(t);
  if (bullets) s = afterBullet(cps, s, e);
  while (e - s >= 2 && isQuote(cps.at(s)) && isQuote(cps.at(e - 1))) {
    s++;
    e--;
  }
  t = trimmed(cps, s, e);
  s = hi(t);
  e = lo(t);
  if (s >= e) return true;
  if (x.count >= MAX_ELEMENTS) {
    x.count++;
    x.problem = "too_complex";
    x.detail = "too_many_elements";
    return false;
  }
  const fields = enclosed(cps, s, e) && cps.at(s) != 0x7b ? tupleFields(cps, s + 1, e - 1) : null;
  x.add(-1, s, e, null, fields);
  x.count++;
  return true;
}

// "- a", "* a", "• a", "1. a", "1) a": the text after the marker.
function afterBullet(cps: IntList, s: i32, e: i32): i32 {
  if (s >= e) return s;
  const c = cps.at(s);
  if ((c == 0x2d || c == 0x2a || c == 0x2022) && s + 1 < e && isSpace(cps.at(s + 1))) return s + 2;
  let i = s;
  while (i < e && i - s < 4 && cps.at(i) >= 0x30 && cps.at(i) <= 0x39) i++;
  if (i > s && i + 1 < e && (cps.at(i) == 0x2e || cps.at(i) == 0x29) && isSpace(cps.at(i + 1))) return i + 2;
  return s;
}

// The fields of a tuple's inside [s, e): top-level comma-separated runs, trimmed and unquoted.
function tupleFields(cps: IntList, s: i32, e: i32): IntList {
  const out = new IntList(8);
  let depth = 0;
  let from = s;
  for (let i = s; i <= e; i++) {
    const ch = i < e ? cps.at(i) : -1;
    if (i < e) {
      if (isOpen(ch)) depth++;
      else if (isClose(ch)) depth = max(0, depth - 1);
      if (!(depth == 0 && ch == 0x2c)) continue;
    }
    const t = trimmed(cps, from, i);
    let a = hi(t);
    let b = lo(t);
    while (b - a >= 2 && isQuote(cps.at(a)) && isQuote(cps.at(b - 1))) {
      a++;
      b--;
    }
    out.push(a);
    out.push(b);
    from = i + 1;
  }
  return out;
}

