// Fast paths of the `iou` kernel for the items that dominate training traffic: the host's parameter
// object read in one pass without a JSON tree, and a `rec` answer holding exactly one box written
// as a JSON object, a list of one object, a bare [x1, y1, x2, y2] list or a Qwen-VL box tag.
//
// Each fast path either produces exactly what the general path would (the same parameters, the
// same result bytes) or declines (returns null) and the general path runs. They decline on
// anything outside the narrow shapes they know: escapes, single quotes, numeric strings, several
// values, trailing commas, fences, points, bad geometry, unknown keys, long inputs. The kernel
// tests check the equivalence on generated and mutated items (tests/iou_kernel_test.ts).

import { Box, boxIou } from "./geometry";
import { geometryProblem } from "./explain";
import {
  FORMAT_CXCYWH,
  FORMAT_XYWH,
  FORMAT_XYXY,
  IouParams,
  MODE_DETECTION,
  MODE_POINT,
  MODE_REC,
  MODE_TEMPORAL,
} from "./params";
import { parseNumber } from "../_lib/number";
import { MAX_ATTEMPTS } from "./shapes";
import { answerRegion, indexOfAscii, isBlank, isSpaceByte, lastFence, matchesAt } from "../_lib/text";
import { writeNumberText } from "../_lib/writer";

// Responses longer than this always take the general path (its heap and attempt bounds apply).
const MAX_FAST_BYTES: i32 = 4096;

// ---------------------------------------------------------------------------------------------
// A cursor over the bytes being read (module state: one item at a time, nothing survives it).

let base: usize = 0;
let pos: i32 = 0;
let limit: i32 = 0;
let ok: bool = true;

@inline function peek(): i32 {
  return pos < limit ? <i32>load<u8>(base + <usize>pos) : -1;
}

// JSON whitespace as the JSON reader skips it: space, newline, carriage return, tab
function skipWs(): void {
  while (pos < limit) {
    const c = <i32>load<u8>(base + <usize>pos);
    if (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09) pos++;
    else break;
  }
}

// Expects byte `c` (after whitespace); clears `ok` when it is not there.
function expect(c: i32): void {
  skipWs();
  if (peek() != c) {
    ok = false;
    return;
  }
  pos++;
}

let strStart: i32 = 0;
let strEnd: i32 = 0;

// A double-quoted string without escapes or control bytes (and, in answers, without brackets that
// the general path's depth check would count): its content is [strStart, strEnd).
function readPlainString(noBrackets: bool): void {
  skipWs();
  if (peek() != 0x22) {
    ok = false;
    return;
  }
  pos++;
  strStart = pos;
  while (true) {
    const c = peek();
    if (c < 0x20 || c == 0x5c || (noBrackets && (c == 0x5b || c == 0x7b))) {
      ok = false;
      return;
    }
    if (c == 0x22) break;
    pos++;
  }
  strEnd = pos;
  pos++;
}

// A number in the grammar the JSON reader accepts (no leading '+'); its value as the reader computes it.
function readNumber(): f64 {
  skipWs();
  const start = pos;
  let c = peek();
  const negative = c == 0x2d;
  if (negative) pos++;
  let digits = 0;
  let m: u64 = 0;
  while ((c = peek()) >= 0x30 && c <= 0x39) {
    m = m * 10 + <u64>(c - 0x30);
    pos++;
    digits++;
  }
  c = peek();
  if (digits > 0 && digits <= 15 && c != 0x2e && c != 0x65 && c != 0x45) {
    // a plain integer below 10^15: exact, as parseNumber (and parseFloat) give it
    const v = <f64>m;
    return negative ? -v : v;
  }
  if (peek() == 0x2e) {
    pos++;
    while ((c = peek()) >= 0x30 && c <= 0x39) {
      pos++;
      digits++;
    }
  }
  c = peek();
  if (c == 0x65 || c == 0x45) {
    pos++;
    c = peek();
    if (c == 0x2b || c == 0x2d) pos++;
    let expDigits = 0;
    while ((c = peek()) >= 0x30 && c <= 0x39) {
      pos++;
      expDigits++;
    }
    if (expDigits == 0) ok = false;
  }
  if (digits == 0 || pos - start > 64) {
    ok = false;
    return 0;
  }
  return parseNumber(base, start, pos);
}

// up to four numbers of the last list read
let n0: f64 = 0;
let n1: f64 = 0;
let n2: f64 = 0;
let n3: f64 = 0;

// "[a, b, …]" with exactly `count` (2 or 4) numbers into n0…n3.
function readNumberList(count: i32): void {
  expect(0x5b);
  if (!ok) return;
  for (let k = 0; k < count && ok; k++) {
    if (k > 0) expect(0x2c);
    if (!ok) return;
    const v = readNumber();
    if (k == 0) n0 = v;
    else if (k == 1) n1 = v;
    else if (k == 2) n2 = v;
    else n3 = v;
  }
  if (ok) expect(0x5d);
}

// True when bytes [s, e) spell the ASCII literal `lit`.
function spells(s: i32, e: i32, lit: string): bool {
  const n = lit.length;
  if (e - s != n) return false;
  for (let k = 0; k < n; k++) {
    if (<i32>load<u8>(base + <usize>(s + k)) != lit.charCodeAt(k)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Parameters

const SEEN_MODE: i32 = 1 << 0;
const SEEN_PROFILE: i32 = 1 << 1;
const SEEN_REWARD: i32 = 1 << 2;
const SEEN_THRESHOLD: i32 = 1 << 3;
const SEEN_FORMAT: i32 = 1 << 4;
const SEEN_COORDS: i32 = 1 << 5;
const SEEN_SCALE: i32 = 1 << 6;
const SEEN_BOX: i32 = 1 << 7;
const SEEN_BOXES: i32 = 1 << 8;
const SEEN_LABELS: i32 = 1 << 9;
const SEEN_SEGMENT: i32 = 1 << 10;
const SEEN_MAX: i32 = 1 << 11;

// Reads a string value and returns the literal among `a`…`d` it spells, or null (`ok` cleared).
function oneOf(a: string, b: string, c: string, d: string): string {
  readPlainString(false);
  if (!ok) return "";
  if (spells(strStart, strEnd, a)) return a;
  if (spells(strStart, strEnd, b)) return b;
  if (c.length > 0 && spells(strStart, strEnd, c)) return c;
  if (d.length > 0 && spells(strStart, strEnd, d)) return d;
  ok = false;
  return "";
}

// Which key [ks, ke) is: one of the SEEN_ bits, or 0 for an unknown key.
function keyBit(ks: i32, ke: i32): i32 {
  if (spells(ks, ke, "mode")) return SEEN_MODE;
  if (spells(ks, ke, "profile")) return SEEN_PROFILE;
  if (spells(ks, ke, "reward")) return SEEN_REWARD;
  if (spells(ks, ke, "threshold")) return SEEN_THRESHOLD;
  if (spells(ks, ke, "box_format")) return SEEN_FORMAT;
  if (spells(ks, ke, "coords")) return SEEN_COORDS;
  if (spells(ks, ke, "scale")) return SEEN_SCALE;
  if (spells(ks, ke, "box")) return SEEN_BOX;
  if (spells(ks, ke, "boxes")) return SEEN_BOXES;
  if (spells(ks, ke, "labels")) return SEEN_LABELS;
  if (spells(ks, ke, "segment")) return SEEN_SEGMENT;
  if (spells(ks, ke, "max_matches")) return SEEN_MAX;
  return 0;
}

// Reads the value of the key `bit` at `pos` into `p` (every field that key sets); clears `ok` on failure.
function readValue(p: IouParams, bit: i32): void {
  if (bit == SEEN_MODE) {
    p.modeName = oneOf("rec", "detection", "point", "temporal");
    if (p.modeName == "detection") p.mode = MODE_DETECTION;
    else if (p.modeName == "point") p.mode = MODE_POINT;
    else if (p.modeName == "temporal") p.mode = MODE_TEMPORAL;
    else p.mode = MODE_REC;
  } else if (bit == SEEN_PROFILE) {
    p.vlmR1 = oneOf("default", "vlm_r1", "", "") == "vlm_r1";
  } else if (bit == SEEN_REWARD) {
    p.reward = oneOf("iou", "binary", "f1", "map");
  } else if (bit == SEEN_THRESHOLD) {
    p.threshold = readNumber();
  } else if (bit == SEEN_FORMAT) {
    p.boxFormatName = oneOf("xyxy", "xywh", "cxcywh", "");
    p.boxFormat = p.boxFormatName == "xywh" ? FORMAT_XYWH : p.boxFormatName == "cxcywh" ? FORMAT_CXCYWH : FORMAT_XYXY;
  } else if (bit == SEEN_COORDS) {
    p.coords = oneOf("pixel", "norm1000", "norm1", "");
  } else if (bit == SEEN_SCALE) {
    readNumberList(4);
    p.numX = n0;
    p.denX = n1;
    p.numY = n2;
    p.denY = n3;
  } else if (bit == SEEN_BOX) {
    readNumberList(4);
    p.refBox = new Box(n0, n1, n2, n3);
  } else if (bit == SEEN_BOXES) {
    p.refBoxes = new Array<Box>();
    expect(0x5b);
    skipWs();
    if (ok && peek() == 0x5d) pos++;
    else {
      while (ok) {
        readNumberList(4);
        p.refBoxes.push(new Box(n0, n1, n2, n3));
        skipWs();
        const c = peek();
        pos++;
        if (c == 0x5d) break;
        if (c != 0x2c) ok = false;
      }
    }
  } else if (bit == SEEN_LABELS) {
    const list = new Array<string>();
    expect(0x5b);
    skipWs();
    if (ok && peek() == 0x5d) pos++;
    else {
      while (ok) {
        readPlainString(false);
        if (!ok) break;
        list.push(String.UTF8.decodeUnsafe(base + <usize>strStart, <usize>(strEnd - strStart), false));
        skipWs();
        const c = peek();
        pos++;
        if (c == 0x5d) break;
        if (c != 0x2c) ok = false;
      }
    }
    p.refLabels = list;
  } else if (bit == SEEN_SEGMENT) {
    readNumberList(2);
    p.segStart = n0;
    p.segEnd = n1;
  } else if (bit == SEEN_MAX) {
    p.maxMatches = <i32>readNumber();
  } else ok = false;
}

// The last parameters read in full, kept across items (static memory and globals survive the
// heap reset): the bytes up to the start of the last value, and every field as parsed. Hosts write
// the same keys in the same order, and `rec` items of a batch usually differ only in the last value
// (the reference box), so the next item is checked byte for byte against that prefix and only its
// last value is read. Identical prefix bytes put the reader in the identical state, so the result
// is the same as reading the whole object. Only scalar fields are kept: a prefix holding `boxes`
// or `labels` (heap values) is not cached.
const PREFIX_CAP: i32 = 512;
const PREFIX: usize = memory.data(PREFIX_CAP);
let prefixLen: i32 = -1; // -1: nothing cached
let lastBit: i32 = 0;
let cMode: i32 = 0;
let cModeName: string = "rec";
let cVlmR1: bool = false;
let cReward: string = "iou";
let cThreshold: f64 = 0.5;
let cBoxFormat: i32 = 0;
let cBoxFormatName: string = "xyxy";
let cCoords: string = "pixel";
let cNumX: f64 = 1;
let cDenX: f64 = 1;
let cNumY: f64 = 1;
let cDenY: f64 = 1;
let cBox0: f64 = 0;
let cBox1: f64 = 0;
let cBox2: f64 = 0;
let cBox3: f64 = 0;
let cSegStart: f64 = 0;
let cSegEnd: f64 = 0;
let cMaxMatches: i32 = 100;

function remember(p: IouParams, valueStart: i32, bit: i32): void {
  prefixLen = -1;
  if (valueStart > PREFIX_CAP) return;
  memory.copy(PREFIX, base, <usize>valueStart);
  lastBit = bit;
  // the string fields hold literals from `oneOf` (static data), never heap strings
  cMode = p.mode;
  cModeName = p.modeName;
  cVlmR1 = p.vlmR1;
  cReward = p.reward;
  cThreshold = p.threshold;
  cBoxFormat = p.boxFormat;
  cBoxFormatName = p.boxFormatName;
  cCoords = p.coords;
  cNumX = p.numX;
  cDenX = p.denX;
  cNumY = p.numY;
  cDenY = p.denY;
  cBox0 = p.refBox.x1;
  cBox1 = p.refBox.y1;
  cBox2 = p.refBox.x2;
  cBox3 = p.refBox.y2;
  cSegStart = p.segStart;
  cSegEnd = p.segEnd;
  cMaxMatches = p.maxMatches;
  prefixLen = valueStart;
}

function samePrefix(ptr: usize, len: i32): bool {
  const n = prefixLen;
  if (n < 0 || len < n) return false;
  let i = 0;
  while (i + 8 <= n) {
    if (load<u64>(ptr + <usize>i) != load<u64>(PREFIX + <usize>i)) return false;
    i += 8;
  }
  while (i < n) {
    if (load<u8>(ptr + <usize>i) != load<u8>(PREFIX + <usize>i)) return false;
    i++;
  }
  return true;
}

// The cached fields, then the last value read afresh; null when the rest is not that value and '}'.
function fromPrefix(len: i32): IouParams | null {
  const p = new IouParams();
  p.mode = cMode;
  p.modeName = cModeName;
  p.vlmR1 = cVlmR1;
  p.reward = cReward;
  p.threshold = cThreshold;
  p.boxFormat = cBoxFormat;
  p.boxFormatName = cBoxFormatName;
  p.coords = cCoords;
  p.numX = cNumX;
  p.denX = cDenX;
  p.numY = cNumY;
  p.denY = cDenY;
  p.refBox = new Box(cBox0, cBox1, cBox2, cBox3);
  p.segStart = cSegStart;
  p.segEnd = cSegEnd;
  p.maxMatches = cMaxMatches;
  pos = prefixLen;
  readValue(p, lastBit);
  if (!ok) return null;
  expect(0x7d);
  if (!ok) return null;
  skipWs();
  return pos == limit ? p : null;
}

/**
 * The parameters in bytes [ptr, ptr + len), read in one pass, when they are the object the host
 * writes (known keys once each, known string values, plain numbers and lists); null otherwise, and
 * then `readIouParams(parseParams(…))` reads them. Both give the same parameters.
 */
export function readIouParamsFast(ptr: usize, len: i32): IouParams | null {
  base = ptr;
  pos = 0;
  limit = len;
  ok = true;
  if (samePrefix(ptr, len)) {
    const cached = fromPrefix(len);
    if (cached !== null) return cached;
    pos = 0;
    ok = true;
  }
  const p = new IouParams();
  let seen = 0;
  let valueStart = -1;
  let lastKey = 0;
  let cacheable = true;
  expect(0x7b);
  skipWs();
  if (ok && peek() == 0x7d) {
    pos++;
  } else {
    while (ok) {
      readPlainString(false);
      if (!ok) return null;
      const bit = keyBit(strStart, strEnd);
      expect(0x3a);
      if (!ok || bit == 0 || (seen & bit) != 0) return null;
      if ((seen & (SEEN_BOXES | SEEN_LABELS)) != 0) cacheable = false;
      valueStart = pos;
      lastKey = bit;
      readValue(p, bit);
      if (!ok) return null;
      seen |= bit;
      skipWs();
      const c = peek();
      pos++;
      if (c == 0x7d) break;
      if (c != 0x2c) return null;
    }
  }
  if (!ok) return null;
  skipWs();
  if (pos != limit) return null;
  if (cacheable && valueStart >= 0) remember(p, valueStart, lastKey);
  return p;
}

// ---------------------------------------------------------------------------------------------
// `rec` answers

const RULE_JSON_OBJECT: i32 = 0;
const RULE_JSON_LIST: i32 = 1;
const RULE_BARE_LIST: i32 = 2;
const RULE_QWEN_BOX: i32 = 3;

let found: i32 = 0;
let rule: i32 = 0;
let corners: bool = false;
let sa: f64 = 0;
let sb: f64 = 0;
let sc: f64 = 0;
let sd: f64 = 0;

// {"bbox_2d" | "bbox" | "box": [4 numbers], optionally "label": "…"} with nothing else.
function readBoxObject(): void {
  expect(0x7b);
  let boxes = 0;
  let labels = 0;
  while (ok) {
    readPlainString(true);
    if (!ok) return;
    const ks = strStart;
    const ke = strEnd;
    expect(0x3a);
    if (!ok) return;
    if (spells(ks, ke, "bbox_2d") || spells(ks, ke, "bbox") || spells(ks, ke, "box")) {
      boxes++;
      readNumberList(4);
      sa = n0;
      sb = n1;
      sc = n2;
      sd = n3;
    } else if (spells(ks, ke, "label")) {
      labels++;
      readPlainString(true);
    } else {
      ok = false;
      return;
    }
    if (!ok) return;
    skipWs();
    const c = peek();
    pos++;
    if (c == 0x7d) break;
    if (c != 0x2c) {
      ok = false;
      return;
    }
  }
  if (boxes != 1 || labels > 1) ok = false;
}

// One value at an opening bracket: a box object, a list of one box object or a bare 4-number list.
function readTopValue(): void {
  if (peek() == 0x7b) {
    readBoxObject();
    rule = RULE_JSON_OBJECT;
  } else {
    const open = pos;
    pos++; // '['
    skipWs();
    if (peek() == 0x7b) {
      readBoxObject();
      expect(0x5d);
      rule = RULE_JSON_LIST;
    } else {
      pos = open;
      readNumberList(4);
      sa = n0;
      sb = n1;
      sc = n2;
      sd = n3;
      rule = RULE_BARE_LIST;
    }
  }
  corners = false;
}

// A Qwen-VL tag at `at` whose body holds exactly four numbers and nothing but "(),- " around them;
// returns the offset after its closing tag, or -1.
function readQwenBox(at: i32, end: i32): i32 {
  let open = 0;
  let close = "";
  if (matchesAt(base, end, at, "<|box_start|>")) {
    open = 13;
    close = "<|box_end|>";
  } else if (matchesAt(base, end, at, "<box>")) {
    open = 5;
    close = "</box>";
  } else return -1;
  const bodyStart = at + open;
  const bodyEnd = indexOfAscii(base, end, close, bodyStart);
  if (bodyEnd < 0) return -2;
  let count = 0;
  let i = bodyStart;
  while (i < bodyEnd) {
    const c = <i32>load<u8>(base + <usize>i);
    const digit = c >= 0x30 && c <= 0x39;
    if (!digit) {
      const next = i + 1 < bodyEnd ? <i32>load<u8>(base + <usize>(i + 1)) : -1;
      const lead = (c == 0x2d || c == 0x2e) && next >= 0x30 && next <= 0x39;
      if (!lead) {
        if (c != 0x28 && c != 0x29 && c != 0x2c && c != 0x20) return -2;
        i++;
        continue;
      }
    }
    let j = i + 1;
    while (j < bodyEnd) {
      const d = <i32>load<u8>(base + <usize>j);
      if ((d >= 0x30 && d <= 0x39) || d == 0x2e) j++;
      else break;
    }
    if (j - i > 64 || count >= 4) return -2;
    const v = parseNumber(base, i, j);
    if (count == 0) sa = v;
    else if (count == 1) sb = v;
    else if (count == 2) sc = v;
    else sd = v;
    count++;
    i = j;
  }
  if (count != 4) return -2;
  rule = RULE_QWEN_BOX;
  corners = true;
  return bodyEnd + close.length;
}

// The general path's test for a '(' that starts a tuple rather than prose.
function tupleAhead(end: i32, at: i32): bool {
  let i = at + 1;
  while (i < end && isSpaceByte(<i32>load<u8>(base + <usize>i))) i++;
  if (i >= end) return false;
  const c = <i32>load<u8>(base + <usize>i);
  return (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x2e || c == 0x28;
}

// Finds the single box in [start, end); false (decline) on anything else.
function scanOneBox(start: i32, end: i32): bool {
  found = 0;
  let attempts = 0;
  let i = start;
  while (i < end) {
    const c = <i32>load<u8>(base + <usize>i);
    if (c == 0x5b || c == 0x7b) {
      if (found > 0 || ++attempts > MAX_ATTEMPTS) return false;
      pos = i;
      limit = end;
      ok = true;
      readTopValue();
      if (!ok) return false;
      found++;
      i = pos;
      continue;
    }
    if (c == 0x28) {
      if (tupleAhead(end, i)) return false;
      if (++attempts > MAX_ATTEMPTS) return false;
      i++;
      continue;
    }
    if (c == 0x3c) {
      if (++attempts > MAX_ATTEMPTS) return false;
      const next = readQwenBox(i, end);
      if (next == -2 || (next >= 0 && found > 0)) return false;
      if (next >= 0) {
        found++;
        i = next;
      } else i++;
      continue;
    }
    i++;
  }
  return found == 1;
}

function extractionName(via: string, r: i32): string {
  if (via == "answer_tag") {
    if (r == RULE_JSON_OBJECT) return "answer_tag+json_object";
    if (r == RULE_JSON_LIST) return "answer_tag+json_list";
    if (r == RULE_BARE_LIST) return "answer_tag+bare_list";
    return "answer_tag+qwen_box";
  }
  if (via == "whole") {
    if (r == RULE_JSON_OBJECT) return "whole+json_object";
    if (r == RULE_JSON_LIST) return "whole+json_list";
    if (r == RULE_BARE_LIST) return "whole+bare_list";
    return "whole+qwen_box";
  }
  if (r == RULE_JSON_OBJECT) return via + "+json_object";
  if (r == RULE_JSON_LIST) return via + "+json_list";
  if (r == RULE_BARE_LIST) return via + "+bare_list";
  return via + "+qwen_box";
}

// The result is written into static scratch and copied out once: every piece of it is bounded
// (literal strings from the fast parameters, numbers of at most MAX_NUMBER_TEXT bytes).
const OUT: usize = memory.data(2048); // a result here is under 1 KiB
let out: usize = 0;

// The constant pieces of the result, encoded once as bytes (static memory survives the heap reset)
// and copied eight bytes at a time. Each handle is (offset in POOL << 8) | length.
const POOL: usize = memory.data(1024);
let poolUsed: i32 = 0;
let poolReady = false;
let K_HEAD: i32 = 0;
let K_TRUE: i32 = 0;
let K_FALSE: i32 = 0;
let K_PROFILE: i32 = 0;
let K_MAPPING: i32 = 0;
let K_FORMAT: i32 = 0;
let K_SCALE: i32 = 0;
let K_COMMA: i32 = 0;
let K_EXTRACTED: i32 = 0;
let K_IOU: i32 = 0;
let K_THRESHOLD: i32 = 0;
let K_MODE: i32 = 0;
let K_TAIL: i32 = 0;

function pooled(s: string): i32 {
  const at = poolUsed;
  const n = s.length;
  for (let i = 0; i < n; i++) store<u8>(POOL + <usize>(at + i), <u8>s.charCodeAt(i));
  poolUsed += (n + 7) & ~7;
  return (at << 8) | n;
}

function preparePool(): void {
  K_HEAD = pooled('{"reward":');
  K_TRUE = pooled(',"correct":true,"details":{"reason":null,"mode":"');
  K_FALSE = pooled(',"correct":false,"details":{"reason":"wrong","mode":"');
  K_PROFILE = pooled('","profile":"default","extraction":"');
  K_MAPPING = pooled('","mapping":{"coords":"');
  K_FORMAT = pooled('","box_format":"');
  K_SCALE = pooled('","scale":[');
  K_COMMA = pooled(",");
  K_EXTRACTED = pooled(']},"extracted":[');
  K_IOU = pooled('],"iou":');
  K_THRESHOLD = pooled(',"threshold":');
  K_MODE = pooled(',"reward_mode":"');
  K_TAIL = pooled('"}}');
  poolReady = true;
}

function piece(k: i32): void {
  const src = POOL + <usize>(k >> 8);
  const n = k & 0xff;
  for (let i = 0; i < n; i += 8) store<u64>(out + <usize>i, load<u64>(src + <usize>i));
  out += <usize>n;
}

function lit(s: string): void {
  const n = s.length;
  const src = changetype<usize>(s);
  for (let i = 0; i < n; i++) store<u8>(out + <usize>i, <u8>load<u16>(src + (<usize>i << 1)));
  out += <usize>n;
}

function number(v: f64): void {
  out += <usize>writeNumberText(out, v);
}

/**
 * Scores a default-profile `rec` response in [start, end) that holds exactly one well-formed box;
 * null when the response is anything else (the general path then scores it). `p` must come from
 * `readIouParamsFast` (its strings are then known literals that need no escaping).
 */
export function fastRec(ptr: usize, start: i32, end: i32, p: IouParams): ArrayBuffer | null {
  if (end - start > MAX_FAST_BYTES) return null;
  const region = answerRegion(ptr, start, end);
  if (lastFence(ptr, region) !== null) return null;
  if (isBlank(ptr, region.start, region.end)) return null;
  base = ptr;
  if (!scanOneBox(region.start, region.end)) return null;
  // an accepted answer nests brackets at most 2 deep (far below MAX_BRACKET_DEPTH): no too_complex
  let x1 = sa;
  let y1 = sb;
  let x2 = sc;
  let y2 = sd;
  if (!corners && p.boxFormat == FORMAT_XYWH) {
    x2 = sa + sc;
    y2 = sb + sd;
  } else if (!corners && p.boxFormat == FORMAT_CXCYWH) {
    x1 = sa - sc / 2;
    x2 = sa + sc / 2;
    y1 = sb - sd / 2;
    y2 = sb + sd / 2;
  }
  const box = new Box(p.mapX(x1), p.mapY(y1), p.mapX(x2), p.mapY(y2));
  if (geometryProblem(box) !== null) return null;
  const iou = boxIou(box, p.refBox);
  const correct = iou >= p.threshold;
  // the same bytes as beginResult / writeCommon / scoreRec write through a JsonWriter
  let reward = p.reward == "binary" ? (iou >= p.threshold ? 1.0 : 0.0) : iou;
  if (!(reward >= 0)) reward = 0;
  if (reward > 1) reward = 1;
  if (!poolReady) preparePool();
  out = OUT;
  piece(K_HEAD);
  number(reward);
  piece(correct ? K_TRUE : K_FALSE);
  lit(p.modeName);
  piece(K_PROFILE);
  lit(extractionName(region.via, rule));
  piece(K_MAPPING);
  lit(p.coords);
  piece(K_FORMAT);
  lit(p.boxFormatName);
  piece(K_SCALE);
  number(p.numX / p.denX);
  piece(K_COMMA);
  number(p.numY / p.denY);
  piece(K_EXTRACTED);
  number(box.x1);
  piece(K_COMMA);
  number(box.y1);
  piece(K_COMMA);
  number(box.x2);
  piece(K_COMMA);
  number(box.y2);
  piece(K_IOU);
  number(iou);
  piece(K_THRESHOLD);
  number(p.threshold);
  piece(K_MODE);
  lit(p.reward);
  piece(K_TAIL);
  const n = <i32>(out - OUT);
  const bytes = changetype<ArrayBuffer>(__new(<usize>n, idof<ArrayBuffer>()));
  memory.copy(changetype<usize>(bytes), OUT, <usize>n);
  return bytes;
}
