// The `gui_action` parameters read in one pass, without a JSON tree, when they are the compact object
// the host glue writes (verifiers/gui_action/params.ts): known keys once each, known literal values,
// plain numbers and strings, `ref` last. Anything else returns null, and `readGuiParams(parseParams(…))`
// reads them; both give the same parameters (tests/gui_action_kernel_test.ts checks the results agree).
//
// The parameters before `ref` (profile, mapping, screen, rules, weights) are the same for every item
// of a batch that shares its options, so the last few sets read are kept (in static memory, which
// survives the heap reset) and an item whose bytes up to `ref` are those of a kept set reads only its
// reference. Identical bytes put the reader in an identical state, so the result
// is the same as reading the whole object.

import { GuiAction, T_HOTKEY, T_KEY, T_TERMINATE, typeFromName, typeName } from "./action";
import { normalizeKeyAction } from "./from_json";
import {
  DIST_PIXELS, DIST_SCREEN, DIST_WIDTH, FORMAT_GUI_R1, FORMAT_PARSED, FORMAT_THINK_ANSWER, GuiParams, TEXT_EXACT,
  TEXT_F1, TEXT_IGNORE, TEXT_SUBSTRING,
} from "./params";
import * as R from "./fast_read";
import { keySet, normalizeStatus } from "./words";

// ---------------------------------------------------------------------------------------------
// Literal values: each string value must be one of these, and the field then holds the literal
// (static data, so it may be kept across items).

const PROFILE_NAMES: string[] = ["default", "androidcontrol", "aitw", "gui_r1", "ui_r1", "screenspot", "screenspot_pro"];
const COORDS_NAMES: string[] = ["pixel", "norm1000", "norm1"];

// The index of the literal in `names` that the last string read spells, or -1.
function literalIndex(names: string[]): i32 {
  for (let i = 0; i < names.length; i++) {
    if (R.stringIs(unchecked(names[i]))) return i;
  }
  return -1;
}

function textRuleOf(): i32 {
  if (R.stringIs("exact")) return TEXT_EXACT;
  if (R.stringIs("f1")) return TEXT_F1;
  if (R.stringIs("substring")) return TEXT_SUBSTRING;
  if (R.stringIs("ignore")) return TEXT_IGNORE;
  R.ok = false;
  return TEXT_EXACT;
}

// "check"-like value: true for `yes`, false for `no`, `ok` cleared for anything else
function choice(yes: string, no: string): bool {
  if (R.stringIs(yes)) return true;
  if (!R.stringIs(no)) R.ok = false;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Members

const K_PROFILE: i32 = 1 << 0;
const K_COORDS: i32 = 1 << 1;
const K_SCALE: i32 = 1 << 2;
const K_SCREEN: i32 = 1 << 3;
const K_RULES: i32 = 1 << 4;
const K_WEIGHTS: i32 = 1 << 5;
const K_CANDIDATES: i32 = 1 << 6;
const K_REF: i32 = 1 << 7;

function topKey(): i32 {
  const s = R.strStart;
  const e = R.strEnd;
  if (R.spells(s, e, "ref")) return K_REF;
  if (R.spells(s, e, "profile")) return K_PROFILE;
  if (R.spells(s, e, "screen")) return K_SCREEN;
  if (R.spells(s, e, "rules")) return K_RULES;
  if (R.spells(s, e, "coords")) return K_COORDS;
  if (R.spells(s, e, "scale")) return K_SCALE;
  if (R.spells(s, e, "weights")) return K_WEIGHTS;
  if (R.spells(s, e, "candidates")) return K_CANDIDATES;
  return 0;
}

// Reads `{…}` member by member: `member(key bit)` reads each value; keys outside `known` or seen twice
// decline. An empty object is fine.
function readRules(p: GuiParams): void {
  const r = p.rules;
  R.expect(0x7b);
  if (!R.ok) return;
  R.skipWs();
  if (R.peek() == 0x7d) {
    R.pos++;
    return;
  }
  let seen = 0;
  do {
    R.readPlainString(0x22, false);
    if (!R.ok) return;
    const s = R.strStart;
    const e = R.strEnd;
    R.expect(0x3a);
    if (!R.ok) return;
    let bit = 0;
    if (R.spells(s, e, "distance_threshold")) {
      bit = 1 << 0;
      r.distanceThreshold = R.readNumber();
    } else if (R.spells(s, e, "box_edges")) {
      bit = 1 << 1;
      R.readPlainString(0x22, false);
      if (R.ok) r.boxInclusive = choice("inclusive", "exclusive");
    } else if (R.spells(s, e, "box_augment")) {
      bit = 1 << 2;
      r.boxAugment = R.readNumber();
    } else if (R.spells(s, e, "box_or_distance")) {
      bit = 1 << 3;
      r.boxOrDistance = R.readBool();
    } else if (R.spells(s, e, "distance")) {
      bit = 1 << 4;
      R.readPlainString(0x22, false);
      if (R.stringIs("screen")) r.distance = DIST_SCREEN;
      else if (R.stringIs("width")) r.distance = DIST_WIDTH;
      else if (R.stringIs("pixels")) r.distance = DIST_PIXELS;
      else R.ok = false;
    } else if (R.spells(s, e, "distance_strict")) {
      bit = 1 << 5;
      r.distanceStrict = R.readBool();
    } else if (R.spells(s, e, "text")) {
      bit = 1 << 6;
      R.readPlainString(0x22, false);
      if (R.ok) r.text = textRuleOf();
    } else if (R.spells(s, e, "text_threshold")) {
      bit = 1 << 7;
      r.textThreshold = R.readNumber();
    } else if (R.spells(s, e, "app")) {
      bit = 1 << 8;
      R.readPlainString(0x22, false);
      if (R.ok) r.app = textRuleOf();
    } else if (R.spells(s, e, "direction")) {
      bit = 1 << 9;
      R.readPlainString(0x22, false);
      if (R.ok) r.directionAxisOnly = choice("axis", "exact");
    } else if (R.spells(s, e, "keys")) {
      bit = 1 << 10;
      R.readPlainString(0x22, false);
      if (R.ok) r.keys = !choice("ignore", "set");
    } else if (R.spells(s, e, "status")) {
      bit = 1 << 11;
      R.readPlainString(0x22, false);
      if (R.ok) r.status = !choice("ignore", "exact");
    } else if (R.spells(s, e, "targets")) {
      bit = 1 << 12;
      R.readPlainString(0x22, false);
      if (R.ok) r.targets = !choice("ignore", "check");
    } else if (R.spells(s, e, "args")) {
      bit = 1 << 13;
      R.readPlainString(0x22, false);
      if (R.ok) r.args = !choice("ignore", "check");
    } else if (R.spells(s, e, "format")) {
      bit = 1 << 14;
      R.readPlainString(0x22, false);
      if (R.stringIs("parsed")) r.format = FORMAT_PARSED;
      else if (R.stringIs("think_answer")) r.format = FORMAT_THINK_ANSWER;
      else if (R.stringIs("gui_r1")) r.format = FORMAT_GUI_R1;
      else R.ok = false;
    }
    if (bit == 0 || (seen & bit) != 0) R.ok = false;
    if (!R.ok) return;
    seen |= bit;
  } while (R.nextMember());
}

function readWeights(p: GuiParams): void {
  R.expect(0x7b);
  if (!R.ok) return;
  R.skipWs();
  if (R.peek() == 0x7d) {
    R.pos++;
    return;
  }
  let seen = 0;
  do {
    R.readPlainString(0x22, false);
    if (!R.ok) return;
    const s = R.strStart;
    const e = R.strEnd;
    R.expect(0x3a);
    if (!R.ok) return;
    let bit = 0;
    if (R.spells(s, e, "accuracy")) {
      bit = 1;
      p.wAccuracy = R.readNumber();
    } else if (R.spells(s, e, "type")) {
      bit = 2;
      p.wType = R.readNumber();
    } else if (R.spells(s, e, "target")) {
      bit = 4;
      p.wTarget = R.readNumber();
    } else if (R.spells(s, e, "args")) {
      bit = 8;
      p.wArgs = R.readNumber();
    } else if (R.spells(s, e, "format")) {
      bit = 16;
      p.wFormat = R.readNumber();
    }
    if (bit == 0 || (seen & bit) != 0) R.ok = false;
    if (!R.ok) return;
    seen |= bit;
  } while (R.nextMember());
}

// The action type of each normalized name, computed once (static memory): typeFromName(typeName(t)).
const TYPE_OF: usize = memory.data(4 * 16);
let typesReady = false;

function prepareTypes(): void {
  for (let t = 0; t < 16; t++) store<i32>(TYPE_OF + (<usize>t << 2), typeFromName(typeName(t)));
  typesReady = true;
}

const R_TYPE: i32 = 1 << 0;
const R_POINT: i32 = 1 << 1;
const R_BOX: i32 = 1 << 2;
const R_END: i32 = 1 << 3;
const R_TEXT: i32 = 1 << 4;
const R_DIRECTION: i32 = 1 << 5;
const R_APP: i32 = 1 << 6;
const R_STATUS: i32 = 1 << 7;
const R_KEYS: i32 = 1 << 8;
const R_ABSENT: i32 = 1 << 9;

// The reference object, applied in the order `readReference` (gui_action/params.ts) applies it.
function readRef(p: GuiParams): void {
  if (!typesReady) prepareTypes();
  R.expect(0x7b);
  if (!R.ok) return;
  let seen = 0;
  let typeIndex = -1;
  let px: f64 = 0, py: f64 = 0, bx1: f64 = 0, by1: f64 = 0, bx2: f64 = 0, by2: f64 = 0, ex: f64 = 0, ey: f64 = 0;
  let text: string | null = null;
  let direction: string | null = null;
  let app: string | null = null;
  let status: string | null = null;
  let keys: string[] | null = null;
  let absent = false;
  R.skipWs();
  if (R.peek() == 0x7d) {
    R.ok = false; // no type: the general path names it "none"
    return;
  }
  do {
    R.readPlainString(0x22, false);
    if (!R.ok) return;
    const s = R.strStart;
    const e = R.strEnd;
    R.expect(0x3a);
    if (!R.ok) return;
    let bit = 0;
    if (R.spells(s, e, "type")) {
      bit = R_TYPE;
      R.readPlainString(0x22, false);
      if (R.ok) {
        for (let t = 0; t < 16 && typeIndex < 0; t++) if (R.stringIs(typeName(t))) typeIndex = t;
        if (typeIndex < 0) R.ok = false;
      }
    } else if (R.spells(s, e, "point")) {
      bit = R_POINT;
      R.readNumberList(2);
      px = R.n0;
      py = R.n1;
    } else if (R.spells(s, e, "box")) {
      bit = R_BOX;
      R.readNumberList(4);
      bx1 = R.n0;
      by1 = R.n1;
      bx2 = R.n2;
      by2 = R.n3;
    } else if (R.spells(s, e, "end_point")) {
      bit = R_END;
      R.readNumberList(2);
      ex = R.n0;
      ey = R.n1;
    } else if (R.spells(s, e, "text")) {
      bit = R_TEXT;
      R.readPlainString(0x22, false);
      if (R.ok) text = R.lastString();
    } else if (R.spells(s, e, "direction")) {
      bit = R_DIRECTION;
      R.readPlainString(0x22, false);
      if (R.ok) direction = R.lastString();
    } else if (R.spells(s, e, "app")) {
      bit = R_APP;
      R.readPlainString(0x22, false);
      if (R.ok) app = R.lastString();
    } else if (R.spells(s, e, "status")) {
      bit = R_STATUS;
      R.readPlainString(0x22, false);
      if (R.ok) status = R.lastString();
    } else if (R.spells(s, e, "absent")) {
      bit = R_ABSENT;
      absent = R.readBool();
    } else if (R.spells(s, e, "keys")) {
      bit = R_KEYS;
      const list = new Array<string>();
      R.expect(0x5b);
      R.skipWs();
      if (R.ok && R.peek() == 0x5d) R.pos++;
      else {
        while (R.ok) {
          R.readPlainString(0x22, false);
          if (!R.ok) break;
          list.push(R.lastString());
          R.skipWs();
          const c = R.peek();
          R.pos++;
          if (c == 0x5d) break;
          if (c != 0x2c) R.ok = false;
        }
      }
      keys = list;
    }
    if (bit == 0 || (seen & bit) != 0) R.ok = false;
    if (!R.ok) return;
    seen |= bit;
  } while (R.nextMember());
  if (!R.ok || typeIndex < 0) {
    R.ok = false;
    return;
  }
  const a = p.ref;
  a.syntax = "reference";
  a.name = typeName(typeIndex);
  a.type = load<i32>(TYPE_OF + (<usize>typeIndex << 2));
  p.refAbsent = absent;
  if ((seen & R_POINT) != 0) a.setPoint(px, py);
  if ((seen & R_BOX) != 0) a.setBox(bx1, by1, bx2, by2);
  if ((seen & R_END) != 0) a.setEnd(ex, ey);
  if (text !== null) a.text = text;
  if (direction !== null) a.direction = direction;
  if (app !== null) a.app = app;
  if (status !== null) a.status = normalizeStatus(status);
  if (a.type == T_TERMINATE && a.status === null) a.status = "success";
  if (keys !== null && (a.type == T_HOTKEY || a.type == T_KEY)) normalizeKeyAction(a, keySet(keys));
}

// Reads the value of top-level member `bit` into `p`.
function readMember(p: GuiParams, bit: i32): void {
  if (bit == K_REF) {
    readRef(p);
  } else if (bit == K_PROFILE) {
    R.readPlainString(0x22, false);
    const i = R.ok ? literalIndex(PROFILE_NAMES) : -1;
    if (i < 0) R.ok = false;
    else p.profile = unchecked(PROFILE_NAMES[i]);
  } else if (bit == K_SCREEN) {
    R.readNumberList(2);
    p.screenW = R.n0;
    p.screenH = R.n1;
  } else if (bit == K_RULES) {
    readRules(p);
  } else if (bit == K_COORDS) {
    R.readPlainString(0x22, false);
    const i = R.ok ? literalIndex(COORDS_NAMES) : -1;
    if (i < 0) R.ok = false;
    else p.coords = unchecked(COORDS_NAMES[i]);
  } else if (bit == K_SCALE) {
    R.readNumberList(4);
    p.numX = R.n0;
    p.denX = R.n1;
    p.numY = R.n2;
    p.denY = R.n3;
  } else if (bit == K_WEIGHTS) {
    readWeights(p);
  } else if (bit == K_CANDIDATES) {
    R.readPlainString(0x22, false);
    if (R.ok) p.aepo = choice("aepo", "none");
  } else R.ok = false;
}

// ---------------------------------------------------------------------------------------------
// The kept parameters (everything but the reference) of recent prefixes, in slots of static memory:
// the prefix bytes, then the fields as numbers. A batch usually mixes a few option sets (profiles,
// screen sizes, coordinate spaces); each keeps a slot, chosen by a hash of the bytes before the first
// `"ref":` (where the host's prefix ends). The hash only picks the slot: a slot is used only when
// its kept bytes equal the item's, so any input is read correctly.

const SLOTS: i32 = 128; // a power of two; two-way: slot pairs (2k, 2k + 1)
const PREFIX_CAP: i32 = 512;
const F64_FIELDS: i32 = 14;
const I32_FIELDS: i32 = 8;
const SLOT_BYTES: i32 = PREFIX_CAP + F64_FIELDS * 8 + I32_FIELDS * 4;
const KEPT: usize = memory.data(SLOTS * SLOT_BYTES);
const KEPT_LEN: usize = memory.data(SLOTS * 4); // prefix length per slot; 0: empty

// The slot for an item whose prefix is bytes [0, n).
function slotOf(ptr: usize, n: i32): i32 {
  let h: u64 = <u64>n * 0x9e3779b97f4a7c15;
  let i = 0;
  while (i + 8 <= n) {
    h = (h ^ load<u64>(ptr + <usize>i)) * 0x100000001b3;
    h ^= h >> 29;
    i += 8;
  }
  while (i < n) {
    h = (h ^ <u64>load<u8>(ptr + <usize>i)) * 0x100000001b3;
    i++;
  }
  h ^= h >> 32;
  return <i32>(h & <u64>(SLOTS - 2));
}

// The offset right after the first `"ref":` in bytes [0, n), or -1. (In JSON these bytes can only be
// a key: a quote inside a string is escaped.)
function afterRefKey(ptr: usize, n: i32): i32 {
  for (let i = 0; i + 6 <= n; i++) {
    if (load<u32>(ptr + <usize>i) == 0x66657222 && load<u16>(ptr + <usize>(i + 4)) == 0x3a22) return i + 6;
  }
  return -1;
}

let evictOdd = false;
let lastSlot: i32 = 0;

// f64 fields
const F_NUM_X: i32 = 0;
const F_DEN_X: i32 = 1;
const F_NUM_Y: i32 = 2;
const F_DEN_Y: i32 = 3;
const F_SCREEN_W: i32 = 4;
const F_SCREEN_H: i32 = 5;
const F_BOX_AUGMENT: i32 = 6;
const F_DISTANCE_THRESHOLD: i32 = 7;
const F_TEXT_THRESHOLD: i32 = 8;
const F_W_ACCURACY: i32 = 9;
const F_W_TYPE: i32 = 10;
const F_W_TARGET: i32 = 11;
const F_W_ARGS: i32 = 12;
const F_W_FORMAT: i32 = 13;
// i32 fields
const I_PROFILE: i32 = 0;
const I_COORDS: i32 = 1;
const I_DISTANCE: i32 = 2;
const I_TEXT: i32 = 3;
const I_APP: i32 = 4;
const I_FORMAT: i32 = 5;
const I_FLAGS: i32 = 6;
// flag bits
const B_BOX_INCLUSIVE: i32 = 1 << 0;
const B_BOX_OR_DISTANCE: i32 = 1 << 1;
const B_DISTANCE_STRICT: i32 = 1 << 2;
const B_AXIS_ONLY: i32 = 1 << 3;
const B_KEYS: i32 = 1 << 4;
const B_STATUS: i32 = 1 << 5;
const B_TARGETS: i32 = 1 << 6;
const B_ARGS: i32 = 1 << 7;
const B_AEPO: i32 = 1 << 8;

@inline function slotAt(k: i32): usize {
  return KEPT + <usize>(k * SLOT_BYTES);
}

@inline function putF(slot: usize, f: i32, v: f64): void {
  store<f64>(slot + <usize>(PREFIX_CAP + f * 8), v);
}

@inline function getF(slot: usize, f: i32): f64 {
  return load<f64>(slot + <usize>(PREFIX_CAP + f * 8));
}

@inline function putI(slot: usize, f: i32, v: i32): void {
  store<i32>(slot + <usize>(PREFIX_CAP + F64_FIELDS * 8 + f * 4), v);
}

@inline function getI(slot: usize, f: i32): i32 {
  return load<i32>(slot + <usize>(PREFIX_CAP + F64_FIELDS * 8 + f * 4));
}

function indexOfLiteral(names: string[], s: string): i32 {
  for (let i = 0; i < names.length; i++) if (unchecked(names[i]) == s) return i;
  return 0;
}

// Keeps the prefix [0, refStart) and the fields of `p` (its profile and coords are literals of
// PROFILE_NAMES and COORDS_NAMES, kept by index).
function remember(p: GuiParams, refStart: i32): void {
  if (refStart <= 0 || refStart > PREFIX_CAP) return;
  const pair = slotOf(R.base, refStart);
  let k = pair;
  if (load<i32>(KEPT_LEN + (<usize>pair << 2)) != 0) {
    if (load<i32>(KEPT_LEN + (<usize>(pair + 1) << 2)) == 0 || evictOdd) k = pair + 1;
    evictOdd = !evictOdd;
  }
  const slot = slotAt(k);
  memory.copy(slot, R.base, <usize>refStart);
  const r = p.rules;
  putF(slot, F_NUM_X, p.numX);
  putF(slot, F_DEN_X, p.denX);
  putF(slot, F_NUM_Y, p.numY);
  putF(slot, F_DEN_Y, p.denY);
  putF(slot, F_SCREEN_W, p.screenW);
  putF(slot, F_SCREEN_H, p.screenH);
  putF(slot, F_BOX_AUGMENT, r.boxAugment);
  putF(slot, F_DISTANCE_THRESHOLD, r.distanceThreshold);
  putF(slot, F_TEXT_THRESHOLD, r.textThreshold);
  putF(slot, F_W_ACCURACY, p.wAccuracy);
  putF(slot, F_W_TYPE, p.wType);
  putF(slot, F_W_TARGET, p.wTarget);
  putF(slot, F_W_ARGS, p.wArgs);
  putF(slot, F_W_FORMAT, p.wFormat);
  putI(slot, I_PROFILE, indexOfLiteral(PROFILE_NAMES, p.profile));
  putI(slot, I_COORDS, indexOfLiteral(COORDS_NAMES, p.coords));
  putI(slot, I_DISTANCE, r.distance);
  putI(slot, I_TEXT, r.text);
  putI(slot, I_APP, r.app);
  putI(slot, I_FORMAT, r.format);
  let flags = 0;
  if (r.boxInclusive) flags |= B_BOX_INCLUSIVE;
  if (r.boxOrDistance) flags |= B_BOX_OR_DISTANCE;
  if (r.distanceStrict) flags |= B_DISTANCE_STRICT;
  if (r.directionAxisOnly) flags |= B_AXIS_ONLY;
  if (r.keys) flags |= B_KEYS;
  if (r.status) flags |= B_STATUS;
  if (r.targets) flags |= B_TARGETS;
  if (r.args) flags |= B_ARGS;
  if (p.aepo) flags |= B_AEPO;
  putI(slot, I_FLAGS, flags);
  store<i32>(KEPT_LEN + (<usize>k << 2), refStart);
  lastSlot = k;
}

function restore(k: i32): GuiParams {
  const slot = slotAt(k);
  const p = new GuiParams();
  const r = p.rules;
  p.profile = unchecked(PROFILE_NAMES[getI(slot, I_PROFILE)]);
  p.coords = unchecked(COORDS_NAMES[getI(slot, I_COORDS)]);
  p.numX = getF(slot, F_NUM_X);
  p.denX = getF(slot, F_DEN_X);
  p.numY = getF(slot, F_NUM_Y);
  p.denY = getF(slot, F_DEN_Y);
  p.screenW = getF(slot, F_SCREEN_W);
  p.screenH = getF(slot, F_SCREEN_H);
  r.boxAugment = getF(slot, F_BOX_AUGMENT);
  r.distanceThreshold = getF(slot, F_DISTANCE_THRESHOLD);
  r.textThreshold = getF(slot, F_TEXT_THRESHOLD);
  p.wAccuracy = getF(slot, F_W_ACCURACY);
  p.wType = getF(slot, F_W_TYPE);
  p.wTarget = getF(slot, F_W_TARGET);
  p.wArgs = getF(slot, F_W_ARGS);
  p.wFormat = getF(slot, F_W_FORMAT);
  r.distance = getI(slot, I_DISTANCE);
  r.text = getI(slot, I_TEXT);
  r.app = getI(slot, I_APP);
  r.format = getI(slot, I_FORMAT);
  const flags = getI(slot, I_FLAGS);
  r.boxInclusive = (flags & B_BOX_INCLUSIVE) != 0;
  r.boxOrDistance = (flags & B_BOX_OR_DISTANCE) != 0;
  r.distanceStrict = (flags & B_DISTANCE_STRICT) != 0;
  r.directionAxisOnly = (flags & B_AXIS_ONLY) != 0;
  r.keys = (flags & B_KEYS) != 0;
  r.status = (flags & B_STATUS) != 0;
  r.targets = (flags & B_TARGETS) != 0;
  r.args = (flags & B_ARGS) != 0;
  p.aepo = (flags & B_AEPO) != 0;
  return p;
}

// True when the item's bytes [0, n) equal slot k's kept prefix.
function samePrefix(ptr: usize, len: i32, k: i32): bool {
  const n = load<i32>(KEPT_LEN + (<usize>k << 2));
  if (n <= 0 || len < n) return false;
  const slot = slotAt(k);
  let i = 0;
  while (i + 8 <= n) {
    if (load<u64>(ptr + <usize>i) != load<u64>(slot + <usize>i)) return false;
    i += 8;
  }
  while (i < n) {
    if (load<u8>(ptr + <usize>i) != load<u8>(slot + <usize>i)) return false;
    i++;
  }
  return true;
}

// After the last member's value: '}' and nothing but whitespace to the end.
function closes(): bool {
  if (!R.ok) return false;
  R.expect(0x7d);
  if (!R.ok) return false;
  R.skipWs();
  return R.pos == R.limit;
}

/**
 * The parameters in bytes [ptr, ptr + len) when they are the compact object the host writes; null
 * otherwise (then `readGuiParams(parseParams(…))` reads them, with the same result).
 */
export function readGuiParamsFast(ptr: usize, len: i32): GuiParams | null {
  // the slot of the previous item first (a batch that shares its options), then by the hash
  let k = samePrefix(ptr, len, lastSlot) ? lastSlot : -1;
  if (k < 0) {
    const at = afterRefKey(ptr, min(len, PREFIX_CAP));
    if (at > 0) {
      const pair = slotOf(ptr, at);
      k = samePrefix(ptr, len, pair) ? pair : samePrefix(ptr, len, pair + 1) ? pair + 1 : -1;
    }
  }
  if (k >= 0) {
    lastSlot = k;
    R.start(ptr, load<i32>(KEPT_LEN + (<usize>k << 2)), len);
    const kept = restore(k);
    readRef(kept);
    if (closes()) return kept;
  }
  R.start(ptr, 0, len);
  const p = new GuiParams();
  R.expect(0x7b);
  if (!R.ok) return null;
  let seen = 0;
  let refStart = -1;
  do {
    R.readPlainString(0x22, false);
    if (!R.ok) return null;
    const bit = topKey();
    R.expect(0x3a);
    if (!R.ok || bit == 0 || (seen & bit) != 0) return null;
    if (bit == K_REF) refStart = R.pos; // right after the colon
    readMember(p, bit);
    if (!R.ok) return null;
    seen |= bit;
    R.skipWs();
    if (bit == K_REF && R.peek() != 0x7d) return null; // `ref` comes last
  } while (R.nextMember());
  if (!R.ok || (seen & K_REF) == 0) return null;
  R.skipWs();
  if (R.pos != R.limit) return null;
  remember(p, refStart);
  return p;
}
