// Finds every action in the answer region of a response: JSON / Python-literal values (objects,
// lists, Qwen2.5-VL tool calls), function calls (UI-TARS, pyautogui), and bare points or boxes
// (`(x, y)`, `<point>x y</point>`, `<|box_start|>…<|box_end|>`, `<bbox>…</bbox>`). All work is
// bounded: parse attempts, bytes re-scanned by failed attempts, bracket depth and heap growth.

import { GuiAction, T_NONE } from "./action";
import { isIdentByte, parseCall } from "./calls";
import { collectFrom, Found } from "./from_json";
import { numbersIn } from "./point";
import { JsonReader } from "../_lib/json";
import { indexOfAscii, isSpaceByte, matchesAt, Span } from "../_lib/text";

/** Parse attempts per answer before the verdict is `too_complex`. */
export const MAX_ATTEMPTS: i32 = 4096;
/** Bracket nesting in the answer before the verdict is `too_complex`. */
export const MAX_BRACKET_DEPTH: i32 = 64;
/** Answer regions longer than this (bytes) are `too_complex`. */
export const MAX_REGION_BYTES: i32 = 1 << 20;
/** Heap growth past which extraction stops with `too_complex` (half the 64 MiB cap). */
const MAX_HEAP_BYTES: usize = 32 << 20;

function heapUsed(): usize {
  return __alloc(1) - __heap_base;
}

/** The deepest nesting of brackets ([, {, ( and their closers, wherever they are) in [start, end). */
export function deepestBracket(ptr: usize, start: i32, end: i32): i32 {
  let depth = 0;
  let deepest = 0;
  for (let i = start; i < end; i++) {
    const c = <i32>load<u8>(ptr + <usize>i);
    if (c == 0x5b || c == 0x7b || c == 0x28) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if ((c == 0x5d || c == 0x7d || c == 0x29) && depth > 0) depth--;
  }
  return deepest;
}

/** True when the '(' at `at` opens a tuple of numbers (a digit, '-' or '.' after spaces). */
export function tupleLooksNumeric(base: usize, len: i32, at: i32): bool {
  let i = at + 1;
  while (i < len && isSpaceByte(<i32>load<u8>(base + <usize>i))) i++;
  if (i >= len) return false;
  const c = <i32>load<u8>(base + <usize>i);
  return (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x2e;
}

// "python_literal" when the value's first quote is a single quote, else "json"
function literalSyntax(base: usize, from: i32, to: i32): string {
  for (let i = from; i < to; i++) {
    const c = load<u8>(base + <usize>i);
    if (c == 0x27) return "python_literal";
    if (c == 0x22) return "json";
  }
  return "json";
}

function barePoint(nums: f64[], out: Found): void {
  const a = new GuiAction();
  a.type = T_NONE;
  a.syntax = "bare_point";
  if (nums.length == 2) a.setPoint(nums[0], nums[1]);
  else if (nums.length == 4) a.setBox(nums[0], nums[1], nums[2], nums[3]);
  else a.malformed = true;
  out.addBare(a);
}

// A point or box tag at `at`; returns the offset after it, or -1 when there is none.
function tagAt(base: usize, len: i32, at: i32, out: Found): i32 {
  let close = "";
  let open = 0;
  if (matchesAt(base, len, at, "<|box_start|>")) {
    open = 13;
    close = "<|box_end|>";
  } else if (matchesAt(base, len, at, "<point>")) {
    open = 7;
    close = "</point>";
  } else if (matchesAt(base, len, at, "<bbox>")) {
    open = 6;
    close = "</bbox>";
  } else if (matchesAt(base, len, at, "<box>")) {
    open = 5;
    close = "</box>";
  } else return -1;
  const stop = indexOfAscii(base, len, close, at + open);
  if (stop < 0 || stop - at > 512) return -1;
  barePoint(numbersIn(String.UTF8.decodeUnsafe(base + <usize>(at + open), <usize>(stop - at - open), false), 4), out);
  return stop + close.length;
}

const REFUSALS: string[] = [
  "not present", "not found", "no such", "does not exist", "doesn't exist", "cannot find", "can't find",
  "cannot be found", "unable to find", "unable to locate", "not visible", "not on the screen", "not in the screenshot",
  "not exist", "no matching", "none",
];

/** True when the span's text says the target is not there ("not found", "does not exist", …). */
export function saysAbsent(ptr: usize, span: Span): bool {
  if (span.end - span.start > 4096) return false;
  const text = String.UTF8.decodeUnsafe(ptr + <usize>span.start, <usize>(span.end - span.start), false).toLowerCase();
  for (let i = 0; i < REFUSALS.length; i++) {
    if (text.includes(REFUSALS[i])) return true;
  }
  return false;
}

/** Every action, bare point and refusal in the span, in order of appearance. */
export function extractActions(ptr: usize, span: Span): Found {
  const out = new Found();
  const len = span.end - span.start;
  if (len > MAX_REGION_BYTES || deepestBracket(ptr, span.start, span.end) > MAX_BRACKET_DEPTH) {
    out.tooComplex = true;
    return out;
  }
  const base = ptr + <usize>span.start;
  const reader = new JsonReader(base, len, true);
  const scanBudget: i64 = <i64>len * 16 + 65536;
  let scanned: i64 = 0;
  let attempts = 0;
  let i = 0;
  while (i < len) {
    const c = <i32>load<u8>(base + <usize>i);
    const isJson = c == 0x7b || c == 0x5b;
    const isTuple = c == 0x28 && tupleLooksNumeric(base, len, i);
    const isTag = c == 0x3c;
    const isIdent = ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c == 0x5f) &&
      (i == 0 || !isIdentByte(<i32>load<u8>(base + <usize>(i - 1)), true));
    if (!isJson && !isTuple && !isTag && !isIdent) {
      i++;
      continue;
    }
    if (isIdent) {
      let j = i;
      while (j < len && isIdentByte(<i32>load<u8>(base + <usize>j), true)) j++;
      if (j >= len || load<u8>(base + <usize>j) != 0x28 || j - i > 64) {
        i = j;
        continue;
      }
    }
    if (++attempts > MAX_ATTEMPTS || scanned > scanBudget || heapUsed() > MAX_HEAP_BYTES) {
      out.tooComplex = true;
      return out;
    }
    if (isTag) {
      const next = tagAt(base, len, i, out);
      i = next < 0 ? i + 1 : next;
      continue;
    }
    if (isIdent) {
      let j = i;
      while (j < len && isIdentByte(<i32>load<u8>(base + <usize>j), true)) j++;
      const call = parseCall(base, len, i, j, reader);
      scanned += <i64>(max(reader.pos, j) - i);
      const a = call.action;
      if (call.end >= 0 && a !== null) {
        out.add(a);
        i = call.end;
      } else {
        if (call.known) out.unparsed++;
        i = j;
      }
      continue;
    }
    const v = reader.parseAt(i);
    if (v === null) {
      scanned += <i64>(max(reader.pos, i + 1) - i);
      if (c == 0x7b) out.unparsed++;
      i++;
      continue;
    }
    const next = reader.end;
    scanned += <i64>(next - i);
    collectFrom(v, 0, isTuple ? "bare_point" : literalSyntax(base, i, next), out);
    if (out.tooComplex) return out;
    i = next;
  }
  return out;
}
