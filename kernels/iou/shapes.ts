// Extraction: finds the boxes, points and segments a model wrote in its answer region. Reads JSON
// and Python literals (lenient), Qwen-VL box tags, bare lists and coordinate tuples. Every loop is
// bounded: parse attempts, bracket depth and heap growth; past a bound the result is `tooComplex`.

import { JsonKind, JsonReader, JsonValue } from "../_lib/json";
import { parseNumber } from "../_lib/number";
import { indexOfAscii, isSpaceByte, matchesAt, Span } from "../_lib/text";

export const KIND_BOX: i32 = 0;
export const KIND_POINT: i32 = 1;
export const KIND_SEGMENT: i32 = 2;
/** Two bare numbers: a point in point mode, a segment in temporal mode. */
export const KIND_PAIR: i32 = 3;

/** Parse attempts (JSON values, tags, tuples) per response before the verdict is `too_complex`. */
export const MAX_ATTEMPTS: i32 = 4096;
/** Shapes per response before the verdict is `too_complex`. */
export const MAX_SHAPES: i32 = 1000;
/** Nesting of `[` and `{` in the answer region before the verdict is `too_complex`. */
export const MAX_BRACKET_DEPTH: i32 = 64;
/** Heap use in bytes past which extraction stops with `too_complex` (half the 64 MiB cap). */
const MAX_HEAP_BYTES: usize = 32 << 20;
// how deep into nested containers a JSON answer is searched for shapes
const MAX_INTERPRET_DEPTH: i32 = 6;

/** One thing the model pointed at, in its own coordinates (before box format and mapping). */
export class Shape {
  kind: i32;
  a: f64;
  b: f64;
  c: f64;
  d: f64;
  label: string | null = null;
  score: f64 = 1.0;
  hasScore: bool = false;
  // true when written as two corners ((x1, y1), (x2, y2)): always xyxy, whatever the box format
  corners: bool = false;
  // index of the top-level value (or tag) it came from
  group: i32 = 0;

  constructor(kind: i32, a: f64, b: f64, c: f64, d: f64) {
    this.kind = kind;
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }
}

/** What extraction found in a region. */
export class Extraction {
  shapes: Shape[] = [];
  // distinct rule names in order of first use: json_object, json_list, bare_list, qwen_box, tuple_point, tuple_pair
  rules: string[] = [];
  groups: i32 = 0;
  // an explicit "nothing": [] or null/None
  sawEmpty: bool = false;
  tooComplex: bool = false;
  // a box key was present but its value was not 4 numbers (or a similar malformed shape)
  malformed: bool = false;

  addRule(r: string): void {
    if (!this.rules.includes(r)) this.rules.push(r);
  }

  /** The rules joined with "+", e.g. "json_object". */
  ruleText(): string {
    return this.rules.length == 0 ? "none" : this.rules.join("+");
  }
}

/** True when `v` is a number or a string that spells one; the value goes to `numberOf`. */
function isNumeric(v: JsonValue): bool {
  if (v.kind == JsonKind.Number) return true;
  if (v.kind != JsonKind.String) return false;
  return numericText(v.str);
}

function numericText(s: string): bool {
  const n = s.length;
  if (n == 0 || n > 64) return false;
  let digits = 0;
  let i = 0;
  while (i < n && s.charCodeAt(i) == 0x20) i++;
  let c = i < n ? s.charCodeAt(i) : 0;
  if (c == 0x2d || c == 0x2b) i++;
  while (i < n && (c = s.charCodeAt(i)) >= 0x30 && c <= 0x39) {
    i++;
    digits++;
  }
  if (i < n && s.charCodeAt(i) == 0x2e) {
    i++;
    while (i < n && (c = s.charCodeAt(i)) >= 0x30 && c <= 0x39) {
      i++;
      digits++;
    }
  }
  if (digits == 0) return false;
  if (i < n && (s.charCodeAt(i) == 0x65 || s.charCodeAt(i) == 0x45)) {
    i++;
    if (i < n && (s.charCodeAt(i) == 0x2d || s.charCodeAt(i) == 0x2b)) i++;
    let e = 0;
    while (i < n && (c = s.charCodeAt(i)) >= 0x30 && c <= 0x39) {
      i++;
      e++;
    }
    if (e == 0) return false;
  }
  while (i < n && s.charCodeAt(i) == 0x20) i++;
  return i == n;
}

function numberOf(v: JsonValue): f64 {
  if (v.kind == JsonKind.Number) return v.num;
  return parseFloat(v.str.trim());
}

/** True for an array of exactly `n` numbers (or numeric strings). */
function isNumberList(v: JsonValue, n: i32): bool {
  if (v.kind != JsonKind.Array || v.items.length != n) return false;
  for (let i = 0; i < n; i++) if (!isNumeric(unchecked(v.items[i]))) return false;
  return true;
}

function firstKey(v: JsonValue, a: string, b: string, c: string): JsonValue | null {
  let r = v.get(a);
  if (r === null) r = v.get(b);
  if (r === null && c.length > 0) r = v.get(c);
  return r;
}

/** Reads a box value: [x1, y1, x2, y2] or [[x1, y1], [x2, y2]]; null when it is neither. */
function boxFromValue(v: JsonValue): Shape | null {
  if (isNumberList(v, 4)) {
    return new Shape(KIND_BOX, numberOf(v.items[0]), numberOf(v.items[1]), numberOf(v.items[2]), numberOf(v.items[3]));
  }
  if (v.kind == JsonKind.Array && v.items.length == 2 && isNumberList(v.items[0], 2) && isNumberList(v.items[1], 2)) {
    const p = v.items[0];
    const q = v.items[1];
    const s = new Shape(KIND_BOX, numberOf(p.items[0]), numberOf(p.items[1]), numberOf(q.items[0]), numberOf(q.items[1]));
    s.corners = true;
    return s;
  }
  return null;
}

/** Collects the shapes of one JSON value into `out` (objects with known keys, lists, bare numbers). */
function interpret(v: JsonValue, depth: i32, group: i32, out: Extraction): void {
  if (depth > MAX_INTERPRET_DEPTH || out.tooComplex) return;
  if (out.shapes.length >= MAX_SHAPES) {
    out.tooComplex = true;
    return;
  }
  if (v.kind == JsonKind.Null) {
    out.sawEmpty = true;
    return;
  }
  if (v.kind == JsonKind.Object) {
    interpretObject(v, depth, group, out);
    return;
  }
  if (v.kind != JsonKind.Array) return;
  if (v.items.length == 0) {
    out.sawEmpty = true;
    return;
  }
  const box = boxFromValue(v);
  if (box !== null) {
    box.group = group;
    out.shapes.push(box);
    out.addRule(depth == 0 ? (v.tuple ? "tuple_box" : "bare_list") : "nested_list");
    return;
  }
  if (isNumberList(v, 2)) {
    const s = new Shape(KIND_PAIR, numberOf(v.items[0]), numberOf(v.items[1]), 0, 0);
    s.group = group;
    out.shapes.push(s);
    out.addRule(v.tuple ? "tuple_point" : "bare_pair");
    return;
  }
  for (let i = 0; i < v.items.length; i++) interpret(unchecked(v.items[i]), depth + 1, group, out);
}

function interpretObject(v: JsonValue, depth: i32, group: i32, out: Extraction): void {
  const boxValue = firstKey(v, "bbox_2d", "bbox", "box");
  if (boxValue !== null) {
    const box = boxFromValue(boxValue);
    if (box === null) {
      out.malformed = true;
      return;
    }
    const label = firstKey(v, "label", "category", "name");
    if (label !== null && label.kind == JsonKind.String) box.label = label.str;
    const score = firstKey(v, "score", "confidence", "");
    if (score !== null && isNumeric(score)) {
      box.score = numberOf(score);
      box.hasScore = true;
    }
    box.group = group;
    out.shapes.push(box);
    out.addRule(depth == 0 ? "json_object" : "json_list");
    return;
  }
  const pointValue = firstKey(v, "point_2d", "point", "");
  if (pointValue !== null) {
    if (!isNumberList(pointValue, 2)) {
      out.malformed = true;
      return;
    }
    const p = new Shape(KIND_POINT, numberOf(pointValue.items[0]), numberOf(pointValue.items[1]), 0, 0);
    const label = firstKey(v, "label", "category", "name");
    if (label !== null && label.kind == JsonKind.String) p.label = label.str;
    p.group = group;
    out.shapes.push(p);
    out.addRule("json_point");
    return;
  }
  const start = firstKey(v, "start_time", "start", "");
  const end = firstKey(v, "end_time", "end", "");
  if (start !== null && end !== null) {
    if (!isNumeric(start) || !isNumeric(end)) {
      out.malformed = true;
      return;
    }
    const s = new Shape(KIND_SEGMENT, numberOf(start), numberOf(end), 0, 0);
    s.group = group;
    out.shapes.push(s);
    out.addRule("json_segment");
    return;
  }
  const segment = firstKey(v, "segment", "timestamps", "time");
  if (segment !== null && isNumberList(segment, 2)) {
    const s = new Shape(KIND_SEGMENT, numberOf(segment.items[0]), numberOf(segment.items[1]), 0, 0);
    s.group = group;
    out.shapes.push(s);
    out.addRule("json_segment");
    return;
  }
  // a wrapper such as {"answer": [...]} or {"objects": [...]}: look inside its values
  for (let i = 0; i < v.items.length; i++) interpret(unchecked(v.items[i]), depth + 1, group, out);
}

/** Reads the numbers between `start` and `end` (digits, '.', '-'); at most `cap` of them. */
function scanNumbers(ptr: usize, start: i32, end: i32, cap: i32): f64[] {
  const out = new Array<f64>();
  let i = start;
  while (i < end && out.length <= cap) {
    const c = <i32>load<u8>(ptr + <usize>i);
    const digit = c >= 0x30 && c <= 0x39;
    const lead = (c == 0x2d || c == 0x2e) && i + 1 < end && <i32>load<u8>(ptr + <usize>(i + 1)) >= 0x30 &&
      <i32>load<u8>(ptr + <usize>(i + 1)) <= 0x39;
    if (!digit && !lead) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < end) {
      const d = <i32>load<u8>(ptr + <usize>j);
      if ((d >= 0x30 && d <= 0x39) || d == 0x2e) j++;
      else break;
    }
    if (j - i > 64) return [NaN, NaN, NaN, NaN, NaN, NaN]; // absurd numbers: reported as malformed
    out.push(parseNumber(ptr, i, j));
    i = j;
  }
  return out;
}

/** Tries a Qwen-VL box tag at `at`; returns the offset after its closing tag, or -1. */
function qwenBoxAt(ptr: usize, end: i32, at: i32, group: i32, out: Extraction): i32 {
  let open = "";
  let close = "";
  if (matchesAt(ptr, end, at, "<|box_start|>")) {
    open = "<|box_start|>";
    close = "<|box_end|>";
  } else if (matchesAt(ptr, end, at, "<box>")) {
    open = "<box>";
    close = "</box>";
  } else return -1;
  const bodyStart = at + open.length;
  const bodyEnd = indexOfAscii(ptr, end, close, bodyStart);
  if (bodyEnd < 0) {
    out.malformed = true;
    return bodyStart;
  }
  const nums = scanNumbers(ptr, bodyStart, bodyEnd, 4);
  let shape: Shape | null = null;
  if (nums.length == 4) {
    shape = new Shape(KIND_BOX, nums[0], nums[1], nums[2], nums[3]);
    shape.corners = true;
  }
  else if (nums.length == 2) shape = new Shape(KIND_POINT, nums[0], nums[1], 0, 0);
  if (shape === null) {
    out.malformed = true;
  } else {
    shape.label = qwenLabelBefore(ptr, at);
    shape.group = group;
    out.shapes.push(shape);
    out.addRule("qwen_box");
  }
  return bodyEnd + close.length;
}

// The label of a Qwen-VL box: "<|object_ref_start|>cat<|object_ref_end|><|box_start|>…" or
// "<ref>cat</ref><box>…"; null when the tag is not right after a reference.
function qwenLabelBefore(ptr: usize, at: i32): string | null {
  let refEnd = "<|object_ref_end|>";
  let refStart = "<|object_ref_start|>";
  if (!matchesAt(ptr, at, at - refEnd.length, refEnd)) {
    refEnd = "</ref>";
    refStart = "<ref>";
    if (!matchesAt(ptr, at, at - refEnd.length, refEnd)) return null;
  }
  const stop = at - refEnd.length;
  // search backwards, at most 256 bytes, for the opening marker
  for (let i = stop - refStart.length; i >= 0 && i >= stop - 256; i--) {
    if (matchesAt(ptr, stop, i, refStart)) {
      const s = i + refStart.length;
      return String.UTF8.decodeUnsafe(ptr + <usize>s, <usize>(stop - s), false).trim();
    }
  }
  return null;
}

/** Deepest nesting of `[` and `{` in the span (closers lower it, never below 0). */
function bracketDepth(ptr: usize, span: Span): i32 {
  let depth = 0;
  let deepest = 0;
  for (let i = span.start; i < span.end; i++) {
    const c = <i32>load<u8>(ptr + <usize>i);
    if (c == 0x5b || c == 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if ((c == 0x5d || c == 0x7d) && depth > 0) depth--;
  }
  return deepest;
}

// Bytes allocated since the heap was reset (the stub runtime allocates upwards from __heap_base;
// memory.size() would not do: linear memory never shrinks after a large item).
function heapUsed(): usize {
  return __alloc(1) - __heap_base;
}

/** True when the byte after `(` and spaces starts a number, a sign or another `(` (a tuple, not prose). */
function tupleLooksNumeric(ptr: usize, end: i32, at: i32): bool {
  let i = at + 1;
  while (i < end && isSpaceByte(<i32>load<u8>(ptr + <usize>i))) i++;
  if (i >= end) return false;
  const c = <i32>load<u8>(ptr + <usize>i);
  return (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x2e || c == 0x28;
}

/**
 * Finds every shape in the span, in order. Each top-level JSON value, tuple or Qwen-VL tag is one
 * group. Two adjacent 2-tuples "(x1,y1),(x2,y2)" outside tags read as one box ("tuple_pair").
 */
export function extractShapes(ptr: usize, span: Span): Extraction {
  const out = new Extraction();
  if (bracketDepth(ptr, span) > MAX_BRACKET_DEPTH) {
    out.tooComplex = true;
    return out;
  }
  const base = ptr + <usize>span.start;
  const len = span.end - span.start;
  const reader = new JsonReader(base, len, true);
  let attempts = 0;
  let i = 0;
  while (i < len) {
    const c = <i32>load<u8>(base + <usize>i);
    const isOpen = c == 0x5b || c == 0x7b || (c == 0x28 && tupleLooksNumeric(base, len, i));
    const isTag = c == 0x3c;
    if (!isOpen && !isTag) {
      i++;
      continue;
    }
    if (++attempts > MAX_ATTEMPTS || heapUsed() > MAX_HEAP_BYTES || out.shapes.length >= MAX_SHAPES) {
      out.tooComplex = true;
      return out;
    }
    if (isTag) {
      const next = qwenBoxAt(base, len, i, out.groups, out);
      if (next < 0) i++;
      else {
        out.groups++;
        i = next;
      }
      continue;
    }
    const v = reader.parseAt(i);
    if (v === null) {
      i++;
      continue;
    }
    const next = reader.end;
    const before = out.shapes.length;
    const rulesBefore = out.rules.length;
    interpret(v, 0, out.groups, out);
    if (out.tooComplex) return out;
    // "(x1, y1), (x2, y2)": two points in a row make a box
    if (v.tuple && out.shapes.length == before + 1 && unchecked(out.shapes[before]).kind == KIND_PAIR) {
      const after = pairTupleAfter(reader, base, len, next);
      if (after !== null) {
        const p = unchecked(out.shapes[before]);
        p.kind = KIND_BOX;
        p.corners = true;
        p.c = after.a;
        p.d = after.b;
        if (out.rules.length > rulesBefore) out.rules.pop(); // the "tuple_point" just added
        out.addRule("tuple_pair");
        out.groups++;
        i = reader.end;
        continue;
      }
    }
    out.groups++;
    i = next;
  }
  return out;
}

// A ", (x, y)" right after a 2-tuple; the point, with reader.end after it, or null.
function pairTupleAfter(reader: JsonReader, base: usize, len: i32, from: i32): Shape | null {
  let j = from;
  while (j < len && isSpaceByte(<i32>load<u8>(base + <usize>j))) j++;
  if (j >= len || load<u8>(base + <usize>j) != 0x2c) return null;
  j++;
  while (j < len && isSpaceByte(<i32>load<u8>(base + <usize>j))) j++;
  if (j >= len || load<u8>(base + <usize>j) != 0x28) return null;
  const w = reader.parseAt(j);
  if (w === null || !w.tuple || !isNumberList(w, 2)) return null;
  return new Shape(KIND_PAIR, numberOf(w.items[0]), numberOf(w.items[1]), 0, 0);
}
