// Labels of the `match` kernel: each element becomes a canonical key (case, whitespace,
// punctuation and articles normalized as configured; numbers by value; a choice's letter for
// any way of writing it), so that comparing answers is comparing strings.

import { JsonKind, JsonValue } from "../_lib/json";
import { appendDecodedUtf8, appendString, IntList, isPunct, isSpace, lowerCodePoint } from "../_lib/unicode";
import { MatchConfig, Norm } from "./config";
import { SPAN_INTEGER, SPAN_STRING } from "./plain_list";
import { parseNumber } from "../_lib/number";
import { Elems } from "./elems";
import { cpAt, Extracted, RawElement } from "./extract";
import { asciiClass, END_PUNCT, endPunctOrSpaceCp, NUMERIC, PUNCT, punctCp, SPACE, spaceCp, UPPER } from "./ascii";

const FIELD_SEPARATOR = "\u001f";

// Adds a tuple of `fields` (a tuple of one field is that label).
function pushTuple(out: Elems, fields: string[]): void {
  if (fields.length == 1) out.push(fields[0], null);
  else out.push(fields.join(FIELD_SEPARATOR), fields);
}

// The string of cps[s, e), built in one allocation (UTF-16, surrogate pairs above U+FFFF).
function codePointsString(cps: IntList, s: i32, e: i32): string {
  let units = e - s;
  for (let i = s; i < e; i++) if (cps.at(i) > 0xffff) units++;
  const out = changetype<string>(__new(<usize>units << 1, idof<string>()));
  const base = changetype<usize>(out);
  let at: usize = 0;
  for (let i = s; i < e; i++) {
    const c = cps.at(i);
    if (c > 0xffff) {
      const v = c - 0x10000;
      store<u16>(base + at, <u16>(0xd800 + (v >> 10)));
      store<u16>(base + at + 2, <u16>(0xdc00 + (v & 0x3ff)));
      at += 4;
    } else {
      store<u16>(base + at, <u16>c);
      at += 2;
    }
  }
  return out;
}

@inline function isDigit(c: i32): bool {
  return c >= 0x30 && c <= 0x39;
}

// The value of cps[s, e) when it is a decimal number (a trailing "." allowed), else NaN.
function numberValue(cps: IntList, s: i32, e: i32): f64 {
  if (e > s + 1 && cps.at(e - 1) == 0x2e) e--;
  let i = s;
  if (i < e && (cps.at(i) == 0x2b || cps.at(i) == 0x2d)) i++;
  let digits = 0;
  while (i < e && isDigit(cps.at(i))) {
    i++;
    digits++;
  }
  if (i < e && cps.at(i) == 0x2e) {
    i++;
    while (i < e && isDigit(cps.at(i))) {
      i++;
      digits++;
    }
  }
  if (digits == 0 || digits > 40) return NaN;
  if (i < e && (cps.at(i) == 0x65 || cps.at(i) == 0x45)) {
    i++;
    if (i < e && (cps.at(i) == 0x2b || cps.at(i) == 0x2d)) i++;
    let exp = 0;
    while (i < e && isDigit(cps.at(i))) {
      i++;
      exp++;
    }
    if (exp == 0 || exp > 4) return NaN;
  }
  if (i != e) return NaN;
  // plain integers of up to 15 digits: exact without building a string
  if (digits <= 15) {
    let plain = true;
    let value = 0.0;
    let k = s;
    const sign = cps.at(k) == 0x2d ? -1.0 : 1.0;
    if (cps.at(k) == 0x2b || cps.at(k) == 0x2d) k++;
    for (; k < e; k++) {
      const d = cps.at(k);
      if (!isDigit(d)) {
        plain = false;
        break;
      }
      value = value * 10 + <f64>(d - 0x30);
    }
    if (plain) return sign * value;
  }
  return parseFloat(codePointsString(cps, s, e));
}

/** The canonical text of a number (the same for 2, 2.0 and "2.0"). */
export function numberKey(v: f64): string {
  if (v == 0) return "0";
  if (v == Math.floor(v) && Math.abs(v) < 1e15) return (<i64>v).toString();
  return v.toString();
}

/**
 * The key of an integer's text [s, e) at ptr (a plain list's SPAN_INTEGER: an optional '-', 1 to 15
 * digits): `numberKey` of its value, which is the text itself when it has no sign and no leading zero.
 */
function integerSpanKey(ptr: usize, s: i32, e: i32): string {
  const first = <i32>load<u8>(ptr + <usize>s);
  if (first == 0x2d || (first == 0x30 && e - s > 1)) return numberKey(parseNumber(ptr, s, e));
  const out = changetype<usize>(__new(<usize>(e - s) << 1, idof<string>()));
  for (let i = s; i < e; i++) store<u16>(out + (<usize>(i - s) << 1), load<u8>(ptr + <usize>i));
  return changetype<string>(out);
}

function isArticle(w: IntList, s: i32, e: i32): bool {
  const n = e - s;
  const a = n > 0 ? lowerCodePoint(w.at(s)) : 0;
  if (n == 1) return a == 0x61;
  if (n == 2) return a == 0x61 && lowerCodePoint(w.at(s + 1)) == 0x6e;
  if (n == 3) return a == 0x74 && lowerCodePoint(w.at(s + 1)) == 0x68 && lowerCodePoint(w.at(s + 2)) == 0x65;
  return false;
}

/**
 * The canonical key of the label cps[s, e) under the normalization `c`. `cps` may be the scratch list
 * `c.a` itself (then with s = 0): each code point is read before the one pass over it writes at or
 * below its index.
 */
export function labelKey(cps: IntList, s: i32, e: i32, c: Norm): string {
  while (s < e && spaceCp(cps.at(s))) s++;
  while (e > s && spaceCp(cps.at(e - 1))) e--;
  const src = cps.data.dataStart;
  if (isPlainLabel<i32>(src, s, e, c) || isPlainInteger<i32>(src, s, e)) return plainLabelKey<i32>(src, s, e, !c.caseSensitive);
  const v = numberValue(cps, s, e);
  if (!isNaN(v)) return numberKey(v);
  const w = c.a;
  w.len = 0;
  w.reserve(e - s); // never grows when w is cps (e is within its length), so nothing is lost
  // the lists' memory read and written through their base addresses: one load per code point (src
  // above: w grows only when it is not cps)
  const dst = w.data.dataStart;
  // case folded, punctuation removed when asked (ASCII by table)
  let n = 0;
  let wide = 0; // code points above U+FFFF (two UTF-16 units each)
  const fold = !c.caseSensitive;
  const remove = c.removePunct;
  for (let i = s; i < e; i++) {
    let ch = cpAt(src, i);
    if (ch < 0x80) {
      const cls = asciiClass(ch);
      if (fold && (cls & UPPER) != 0) ch += 32;
      if (remove && (cls & PUNCT) != 0) continue;
    } else {
      if (fold) ch = lowerCodePoint(ch);
      if (remove && isPunct(ch)) continue;
      if (ch > 0xffff) wide++;
    }
    store<i32>(dst + (<usize>n << 2), ch);
    n++;
  }
  w.len = n;
  let a = 0;
  let b = n;
  if (c.trimPunct) {
    while (a < b && endPunctOrSpaceCp(cpAt(dst, a))) a++;
    while (b > a && endPunctOrSpaceCp(cpAt(dst, b - 1))) b--;
  }
  // words separated by single spaces, articles dropped when asked, written straight into the key's
  // UTF-16 units: room for every code point of w[a, b) (two units for those above U+FFFF), the
  // unused tail given back (the stub allocator shrinks its last block in place)
  const room = b - a + wide;
  const out = changetype<usize>(__new(<usize>room << 1, idof<string>()));
  let units = 0;
  let i = a;
  while (i < b) {
    while (i < b && spaceCp(cpAt(dst, i))) i++;
    let j = i;
    while (j < b && !spaceCp(cpAt(dst, j))) j++;
    if (j > i && !(c.articles && isArticle(w, i, j))) {
      if (units > 0) units = storeUnits(out, units, 0x20);
      for (let k = i; k < j; k++) units = storeUnits(out, units, cpAt(dst, k));
    }
    i = j;
  }
  return changetype<string>(units < room ? __renew(out, <usize>units << 1) : out);
}

// The plain-label tests below read a label's code points as elements of type T at `base`: i32 for
// a code point list's memory (`IntList.data.dataStart`), u8 for the bytes of an ASCII label.

@inline function elemAt<T>(base: usize, i: i32): i32 {
  return <i32>load<T>(base + (<usize>i << alignof<T>()));
}

/**
 * Whether the trimmed label [s, e) is one that normalization leaves as it is but for its case, the
 * most common kind: not empty, ASCII, words of code points that are neither whitespace nor (with
 * punctuation "remove") punctuation, separated by single spaces, no end punctuation (with "trim"),
 * no articles option, and a code point that no number is written with (so that `numberValue` would
 * be NaN). Then `labelKey` gives exactly the label, case-folded when asked.
 */
function isPlainLabel<T>(base: usize, s: i32, e: i32, c: Norm): bool {
  if (s >= e || c.articles) return false;
  const inner = SPACE | (c.removePunct ? PUNCT : 0);
  const outer = inner | (c.trimPunct ? END_PUNCT : 0);
  const first = elemAt<T>(base, s);
  const last = elemAt<T>(base, e - 1);
  if (first >= 0x80 || last >= 0x80 || (asciiClass(first) & outer) != 0 || (asciiClass(last) & outer) != 0) return false;
  let numeric = true;
  let space = false;
  for (let i = s; i < e; i++) {
    const ch = elemAt<T>(base, i);
    if (ch >= 0x80) return false;
    if (ch == 0x20) {
      if (space) return false;
      space = true;
      numeric = false;
      continue;
    }
    space = false;
    const cls = asciiClass(ch);
    if ((cls & inner) != 0) return false;
    if ((cls & NUMERIC) == 0) numeric = false;
  }
  return !numeric;
}

/**
 * Whether [s, e) is a decimal integer of 1 to 15 digits without a sign or a leading zero: its
 * `numberKey` is then its own text (`plainLabelKey`).
 */
function isPlainInteger<T>(base: usize, s: i32, e: i32): bool {
  const n = e - s;
  if (n < 1 || n > 15) return false;
  if (elemAt<T>(base, s) == 0x30 && n > 1) return false;
  for (let i = s; i < e; i++) if (<u32>(elemAt<T>(base, i) - 0x30) > 9) return false;
  return true;
}

// The string of [s, e) (ASCII), A–Z lowered when `fold`: `labelKey` of a plain label or integer.
function plainLabelKey<T>(base: usize, s: i32, e: i32, fold: bool): string {
  const out = changetype<usize>(__new(<usize>(e - s) << 1, idof<string>()));
  for (let i = s; i < e; i++) {
    let ch = elemAt<T>(base, i);
    if (fold && (asciiClass(ch) & UPPER) != 0) ch += 32;
    store<u16>(out + (<usize>(i - s) << 1), <u16>ch);
  }
  return changetype<string>(out);
}

/**
 * `labelKey` of the JSON string whose escape-free bytes are [s, e) at ptr (a plain list's string):
 * a plain label read from its bytes, anything else from its decoded code points.
 */
export function spanLabelKey(ptr: usize, s: i32, e: i32, c: Norm): string {
  let a = s;
  let b = e;
  // ASCII whitespace trimmed as labelKey trims it (the bytes left start and end with no such byte)
  while (a < b && isSpaceByte(<i32>load<u8>(ptr + <usize>a))) a++;
  while (b > a && isSpaceByte(<i32>load<u8>(ptr + <usize>(b - 1)))) b--;
  if (isPlainLabel<u8>(ptr, a, b, c) || isPlainInteger<u8>(ptr, a, b)) return plainLabelKey<u8>(ptr, a, b, !c.caseSensitive);
  const cps = c.input;
  cps.len = 0;
  appendDecodedUtf8(cps, ptr, s, e);
  return labelKey(cps, 0, cps.len, c);
}

@inline function isSpaceByte(b: i32): bool {
  return b < 0x80 && (asciiClass(b) & SPACE) != 0;
}

// Stores code point `c` as UTF-16 at unit `at` of the string being built at `out`; returns the next unit.
@inline function storeUnits(out: usize, at: i32, c: i32): i32 {
  const to = out + (<usize>at << 1);
  if (c > 0xffff) {
    const v = c - 0x10000;
    store<u16>(to, <u16>(0xd800 + (v >> 10)));
    store<u16>(to + 2, <u16>(0xdc00 + (v & 0x3ff)));
    return at + 2;
  }
  store<u16>(to, <u16>c);
  return at + 1;
}

/** The key of a JSON value written by the model or the host. */
export function jsonKey(v: JsonValue, c: Norm): string {
  if (v.kind == JsonKind.String) {
    const cps = c.input;
    cps.len = 0;
    appendStringValue(cps, v);
    return labelKey(cps, 0, cps.len, c);
  }
  if (v.kind == JsonKind.Number) return numberKey(v.num);
  if (v.kind == JsonKind.Bool) return v.bool ? "true" : "false";
  if (v.kind == JsonKind.Null) return "null";
  return canonicalJson(v);
}

/**
 * Appends the code points of a JSON string value: from its bytes when the reader left it undecoded
 * (the same code points as decoding it first, without building the string), else from its text.
 */
function appendStringValue(cps: IntList, v: JsonValue): void {
  if (v.raw) appendDecodedUtf8(cps, v.rawPtr, v.rawStart, v.rawEnd);
  else appendString(cps, v.str);
}

// Arrays and objects nested inside an element: their JSON text (the parser bounds the depth).
function canonicalJson(v: JsonValue): string {
  if (v.kind == JsonKind.String) return '"' + v.str + '"';
  if (v.kind == JsonKind.Number) return numberKey(v.num);
  if (v.kind == JsonKind.Bool) return v.bool ? "true" : "false";
  if (v.kind == JsonKind.Null) return "null";
  const parts = new Array<string>();
  for (let i = 0; i < v.items.length; i++) {
    const inner = canonicalJson(v.items[i]);
    parts.push(v.kind == JsonKind.Object ? '"' + v.keys[i] + '":' + inner : inner);
  }
  return v.kind == JsonKind.Object ? "{" + parts.join(",") + "}" : "[" + parts.join(",") + "]";
}

/** The reference's elements as keys (from JSON values, or from the spans of a plain list). */
export function refElems(c: MatchConfig): Elems {
  const n = c.refCount;
  const out = new Elems(n);
  const spans = c.refSpans;
  if (spans === null) {
    const values = changetype<JsonValue[]>(c.ref);
    for (let i = 0; i < n; i++) pushRef(out, values[i], c);
    return out;
  }
  // the keys jsonKey gives the same strings and integers as JSON values
  const norm = c.norm;
  const ptr = c.refPtr;
  for (let i = 0; i < n; i++) {
    const s = spans.at(3 * i + 1);
    const e = spans.at(3 * i + 2);
    let key: string;
    if (spans.at(3 * i) == SPAN_INTEGER) key = integerSpanKey(ptr, s, e);
    else key = spanLabelKey(ptr, s, e, norm);
    out.push(key, null);
  }
  return out;
}

/** Adds a reference element (host-written JSON: a label, a number or a tuple). */
function pushRef(out: Elems, v: JsonValue, c: MatchConfig): void {
  if (v.kind == JsonKind.Array) {
    const fields = new Array<string>();
    for (let i = 0; i < v.items.length; i++) fields.push(jsonKey(v.items[i], c.norm));
    pushTuple(out, fields);
    return;
  }
  out.push(jsonKey(v, c.norm), null);
}

/** The answer's elements as keys; a choice answer is read as its key (several for "AC"). */
export function answerElems(x: Extracted, c: MatchConfig): Elems {
  const n = x.elemCount;
  const out = new Elems(n);
  const raw = new RawElement(); // each element read into it in turn
  for (let i = 0; i < n; i++) {
    x.load(i, raw);
    if (c.hasChoices) {
      if (choiceElems(raw, x, c, out)) continue;
    }
    // a piece of punctuation alone ("-", "*", "…") is no element
    if (raw.json === null && raw.fields === null && raw.plain < 0 && !hasWordChar(x.cps, raw.start, raw.end)) continue;
    pushAnswer(out, raw, x, c);
  }
  return out;
}

function hasWordChar(cps: IntList, s: i32, e: i32): bool {
  const base = cps.data.dataStart;
  for (let i = s; i < e; i++) {
    const ch = cpAt(base, i);
    if (!punctCp(ch) && !spaceCp(ch)) return true;
  }
  return false;
}

// Adds an answer element, unless nothing is left of it after normalization ("-", ">", "…"): a
// label whose key is empty (a tuple of several fields is kept whatever its fields).
function pushAnswer(out: Elems, raw: RawElement, x: Extracted, c: MatchConfig): void {
  let fields: string[] | null = null;
  let key = "";
  if (raw.plain >= 0) key = plainKey(raw, x, c.norm);
  else {
    const json = raw.json;
    const f = raw.fields;
    if (json !== null && json.kind == JsonKind.Array) {
      fields = new Array<string>();
      for (let i = 0; i < json.items.length; i++) fields.push(jsonKey(json.items[i], c.norm));
    } else if (json !== null) key = jsonKey(json, c.norm);
    else if (f !== null) {
      fields = new Array<string>();
      for (let i = 0; i < f.len; i += 2) fields.push(labelKey(x.cps, f.at(i), f.at(i + 1), c.norm));
    } else key = labelKey(x.cps, raw.start, raw.end, c.norm);
  }
  if (fields !== null) {
    if (fields.length > 1) {
      out.push(fields.join(FIELD_SEPARATOR), fields);
      return;
    }
    key = fields.length == 1 ? fields[0] : ""; // (no field: the empty key)
  }
  if (key.length > 0) out.push(key, null);
}

// The key of an element of a plain JSON list: what jsonKey gives the value the JSON reader makes of
// it (an integer's value; a string's text, whose code points are those of its bytes decoded).
function plainKey(raw: RawElement, x: Extracted, n: Norm): string {
  if (raw.plain == SPAN_INTEGER) return integerSpanKey(x.ptr, raw.start, raw.end);
  return spanLabelKey(x.ptr, raw.start, raw.end, n);
}

// ---- multiple choice ----

// The key under the default normalization (case, spaces, end punctuation), whatever the options.
function foldedKey(cps: IntList, s: i32, e: i32, c: MatchConfig): string {
  return labelKey(cps, s, e, c.folding);
}

// The choice texts under the default normalization, folded once per item.
// The choice text k under the default normalization, folded on first use, once per item (a k past
// the texts is out of the list's range, as it always was).
function foldedText(c: MatchConfig, k: i32): string {
  let out = c.foldedTexts;
  if (out === null) {
    out = new Array<string | null>(c.textCount);
    c.foldedTexts = out;
  }
  const known = out[k];
  if (known !== null) return known;
  const f = c.folding;
  const spans = c.textSpans;
  let folded: string;
  if (spans !== null) folded = spanLabelKey(c.refPtr, spans.at(3 * k + 1), spans.at(3 * k + 2), f);
  else {
    const cps = f.input;
    cps.len = 0;
    appendString(cps, c.choiceTexts[k]);
    folded = labelKey(cps, 0, cps.len, f);
  }
  out[k] = folded;
  return folded;
}

/**
 * Whether choice text k may fold to a key of `units` code units. False only for a plain-list text of
 * ASCII bytes with a byte no number is written with: its key then keeps every byte that is neither
 * whitespace nor end punctuation (`labelKey` under the default normalization), so it has at least
 * that many units.
 */
function mayFoldTo(c: MatchConfig, k: i32, units: i32): bool {
  const spans = c.textSpans;
  if (spans === null || k >= spans.len / 3) return true;
  const ptr = c.refPtr;
  const e = spans.at(3 * k + 2);
  let kept = 0;
  let numeric = true;
  for (let i = spans.at(3 * k + 1); i < e; i++) {
    const b = <i32>load<u8>(ptr + <usize>i);
    if (b >= 0x80) return true;
    const cls = asciiClass(b);
    if ((cls & SPACE) != 0) continue;
    if ((cls & NUMERIC) == 0) numeric = false;
    if ((cls & END_PUNCT) == 0) kept++;
  }
  return numeric || kept <= units;
}

// Index of the choice whose key is the word cps[s, e): exact, else the one case-insensitive match.
function keyIndex(cps: IntList, s: i32, e: i32, c: MatchConfig): i32 {
  const n = c.keyCount;
  const spans = c.keySpans;
  let word: string | null = null;
  for (let k = 0; k < n; k++) {
    // a key of ASCII bytes equals the word when the word's code points are those bytes
    if (spans !== null && isAsciiBytes(c.refPtr, spans.at(3 * k + 1), spans.at(3 * k + 2))) {
      if (sameAsBytes(cps, s, e, c.refPtr, spans.at(3 * k + 1), spans.at(3 * k + 2))) return k;
      continue;
    }
    if (word === null) word = codePointsString(cps, s, e);
    if (c.choiceKey(k) == word) return k;
  }
  let found = -1;
  const lower = (word !== null ? word : codePointsString(cps, s, e)).toLowerCase();
  for (let k = 0; k < n; k++) {
    if (c.choiceKey(k).toLowerCase() == lower) {
      if (found >= 0) return -1;
      found = k;
    }
  }
  return found;
}

function isAsciiBytes(ptr: usize, s: i32, e: i32): bool {
  for (let i = s; i < e; i++) if (load<u8>(ptr + <usize>i) >= 0x80) return false;
  return true;
}

// Whether the code points cps[s, e) are the bytes [bs, be) at ptr, one for one.
function sameAsBytes(cps: IntList, s: i32, e: i32, ptr: usize, bs: i32, be: i32): bool {
  if (e - s != be - bs) return false;
  for (let i = 0; i < e - s; i++) if (cps.at(s + i) != <i32>load<u8>(ptr + <usize>(bs + i))) return false;
  return true;
}

function startsWithWord(cps: IntList, s: i32, e: i32, word: string): bool {
  if (e - s < word.length) return false;
  for (let i = 0; i < word.length; i++) if (lowerCodePoint(cps.at(s + i)) != word.charCodeAt(i)) return false;
  return true;
}

@inline function isAlnum(ch: i32): bool {
  return (ch >= 0x30 && ch <= 0x39) || (ch >= 0x41 && ch <= 0x5a) || (ch >= 0x61 && ch <= 0x7a);
}

/** The choice an answer text names (B, (B), B., B), B:, Option B, \text{(B)}, its text), or -1. */
export function choiceIndex(cps: IntList, s: i32, e: i32, c: MatchConfig): i32 {
  // unwrap \text{…}, \textbf{…}, \mathrm{…} and markdown emphasis
  for (let round = 0; round < 3; round++) {
    while (s < e && (isSpace(cps.at(s)) || cps.at(s) == 0x2a)) s++;
    while (e > s && (isSpace(cps.at(e - 1)) || cps.at(e - 1) == 0x2a)) e--;
    if (e > s && cps.at(s) == 0x5c && cps.at(e - 1) == 0x7d) {
      let i = s + 1;
      while (i < e && cps.at(i) != 0x7b) i++;
      if (i < e - 1) {
        s = i + 1;
        e--;
        continue;
      }
    }
    break;
  }
  if (s >= e) return -1;
  // the text alone, equal to exactly one choice
  const whole = foldedKey(cps, s, e, c);
  let byText = -1;
  for (let k = 0; k < c.textCount; k++) {
    if (mayFoldTo(c, k, whole.length) && foldedText(c, k) == whole) {
      if (byText >= 0) {
        byText = -2;
        break;
      }
      byText = k;
    }
  }
  if (byText >= 0) return byText;
  for (let p = 0; p < 3; p++) {
    const word = p == 0 ? "option" : p == 1 ? "choice" : "answer";
    if (startsWithWord(cps, s, e, word) && s + word.length < e && !isAlnum(cps.at(s + word.length))) {
      s += word.length;
      while (s < e && (isSpace(cps.at(s)) || cps.at(s) == 0x3a)) s++;
      break;
    }
  }
  if (s >= e) return -1;
  if (cps.at(s) == 0x28) {
    let i = s + 1;
    while (i < e && isAlnum(cps.at(i))) i++;
    if (i < e && cps.at(i) == 0x29 && i > s + 1) return keyIndex(cps, s + 1, i, c);
    return -1;
  }
  let i = s;
  while (i < e && isAlnum(cps.at(i))) i++;
  if (i == s) return -1;
  const k = keyIndex(cps, s, i, c);
  if (k < 0) return -1;
  if (i == e) return k;
  const next = cps.at(i);
  if (next == 0x2e || next == 0x29 || next == 0x3a || next == 0xff0e || next == 0xff1a) return k;
  // "B A dog barking": the letter, then exactly its own text
  if (isSpace(next) && foldedKey(cps, i, e, c) == foldedText(c, k)) return k;
  return -1;
}

// Adds the choice key(s) an element names; false when it names none (it is then compared as text).
function choiceElems(raw: RawElement, x: Extracted, c: MatchConfig, out: Elems): bool {
  let cps = x.cps;
  let s = raw.start;
  let e = raw.end;
  const json = raw.json;
  if (raw.plain >= 0) {
    if (raw.plain != SPAN_STRING) return false;
    cps = new IntList(raw.end - raw.start + 1);
    appendDecodedUtf8(cps, x.ptr, raw.start, raw.end);
    s = 0;
    e = cps.len;
  } else if (json !== null) {
    if (json.kind != JsonKind.String) return false;
    cps = new IntList(json.str.length + 1);
    appendString(cps, json.str);
    s = 0;
    e = cps.len;
  } else if (raw.fields !== null) return false;
  const k = choiceIndex(cps, s, e, c);
  if (k >= 0) {
    const key = jsonKeyOfString(c.choiceKey(k), c);
    out.push(key, null);
    return true;
  }
  // "AC": several letters of a multi-select answer
  if (!c.isListMode || e - s < 2 || e - s > c.keyCount) return false;
  const keys = new Array<string>();
  for (let i = s; i < e; i++) {
    const idx = keyIndex(cps, i, i + 1, c);
    if (idx < 0 || cps.at(i) < 0x41 || cps.at(i) > 0x5a) return false;
    keys.push(jsonKeyOfString(c.choiceKey(idx), c));
  }
  for (let i = 0; i < keys.length; i++) out.push(keys[i], null);
  return true;
}

function jsonKeyOfString(s: string, c: MatchConfig): string {
  const n = c.norm;
  const cps = n.input;
  cps.len = 0;
  appendString(cps, s);
  return labelKey(cps, 0, cps.len, n);
}
