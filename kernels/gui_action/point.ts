// Reading a point or a box from an argument value: [x, y], [x1, y1, x2, y2], [[x1, y1], [x2, y2]],
// numeric strings, and strings such as "(x,y)", "<point>x y</point>",
// "<|box_start|>(x1,y1),(x2,y2)<|box_end|>" or "<bbox>x1 y1 x2 y2</bbox>".

import { JsonKind, JsonValue } from "../_lib/json";

/** What a value held: nothing, a point, a box, or something unreadable. */
export class Coords {
  count: i32 = 0; // 2: point, 4: box, 0: none, -1: malformed
  a: f64 = 0;
  b: f64 = 0;
  c: f64 = 0;
  d: f64 = 0;
}

function numeric(v: JsonValue): bool {
  if (v.kind == JsonKind.Number) return true;
  return v.kind == JsonKind.String && numbersIn(v.str, 2).length == 1 && isPlainNumber(v.str.trim());
}

function isPlainNumber(s: string): bool {
  if (s.length == 0 || s.length > 40) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || c == 0x2e || c == 0x2d || c == 0x2b || c == 0x65 || c == 0x45)) return false;
  }
  return true;
}

function valueOf(v: JsonValue): f64 {
  if (v.kind == JsonKind.Number) return v.num;
  return parseFloat(v.str.trim());
}

/**
 * The numbers written in a string, at most `cap + 1` of them (so callers can tell "too many").
 * A number is an optional '-', digits and at most one '.'; anything else separates numbers.
 */
export function numbersIn(s: string, cap: i32): f64[] {
  const out = new Array<f64>();
  const n = min(s.length, 4096);
  let i = 0;
  while (i < n && out.length <= cap) {
    const c = s.charCodeAt(i);
    const digit = c >= 0x30 && c <= 0x39;
    const next = i + 1 < n ? s.charCodeAt(i + 1) : 0;
    const lead = (c == 0x2d || c == 0x2e) && next >= 0x30 && next <= 0x39;
    if (!digit && !lead) {
      i++;
      continue;
    }
    let j = i + 1;
    let dots = c == 0x2e ? 1 : 0;
    while (j < n) {
      const d = s.charCodeAt(j);
      if (d >= 0x30 && d <= 0x39) j++;
      else if (d == 0x2e && dots == 0) {
        dots++;
        j++;
      } else break;
    }
    if (j - i > 40) {
      out.push(NaN);
    } else {
      out.push(parseFloat(s.substring(i, j)));
    }
    i = j;
  }
  return out;
}

function fromNumbers(nums: f64[]): Coords {
  const r = new Coords();
  if (nums.length == 2) {
    r.count = 2;
    r.a = nums[0];
    r.b = nums[1];
  } else if (nums.length == 4) {
    r.count = 4;
    r.a = nums[0];
    r.b = nums[1];
    r.c = nums[2];
    r.d = nums[3];
  } else {
    r.count = -1;
  }
  return r;
}

/** Reads a point or box from a value; `count` says which (0 for null, -1 when unreadable). */
export function readCoords(v: JsonValue): Coords {
  if (v.kind == JsonKind.Null) return new Coords();
  if (v.kind == JsonKind.String) return fromNumbers(numbersIn(v.str, 4));
  if (v.kind != JsonKind.Array) {
    const bad = new Coords();
    bad.count = -1;
    return bad;
  }
  const items = v.items;
  if (items.length == 2 || items.length == 4) {
    let flat = true;
    for (let i = 0; i < items.length; i++) if (!numeric(items[i])) flat = false;
    if (flat) {
      const nums = new Array<f64>();
      for (let i = 0; i < items.length; i++) nums.push(valueOf(items[i]));
      return fromNumbers(nums);
    }
  }
  // [[x, y]] or [[x1, y1], [x2, y2]]
  if (items.length == 1 && items[0].kind == JsonKind.Array) return readCoords(items[0]);
  if (items.length == 2 && items[0].kind == JsonKind.Array && items[1].kind == JsonKind.Array) {
    const p = readCoords(items[0]);
    const q = readCoords(items[1]);
    if (p.count == 2 && q.count == 2) return fromNumbers([p.a, p.b, q.a, q.b]);
  }
  const bad = new Coords();
  bad.count = -1;
  return bad;
}
