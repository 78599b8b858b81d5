// The fast path of the `gui_action` kernel for the answers that dominate agent traffic: exactly one
// action written as a flat JSON object ({"action": "click", "coordinate": [x, y]}), a Qwen2.5-VL tool
// call ({"name": "mobile_use", "arguments": {…}}) or a UI-TARS call with keyword arguments
// (click(start_box='(x,y)'), type(content='…'), scroll(direction='down'), open_app(app_name='…'),
// press_back()), against a reference that is present on screen.
//
// It reads the answer straight from the bytes, builds the one action, matches it with the general
// matcher (`matchAction`) and writes the very bytes `judge` would write. Whenever the answer is
// anything else it declines (returns null) before anything is written, and the general path scores
// the item: escapes, single values it does not know, unknown keys, duplicate keys, several actions,
// point tags, numeric tuples, lists, hotkeys, terminate, absent targets, long answers. The kernel tests
// check that both paths give the same bytes (tests/gui_action_kernel_test.ts).

import {
  GuiAction, T_BACK, T_CALL_USER, T_DRAG, T_ENTER, T_HOME, T_HOTKEY, T_KEY, T_NONE, T_OPEN_APP, T_SCROLL, T_SWIPE,
  T_SYSTEM_BUTTON, T_TERMINATE, T_TYPE, nameIs, typeFromName, typeName,
} from "./action";
import { isIdentByte } from "./calls";
import { shown } from "./explain";
import { MAX_BRACKET_DEPTH, tupleLooksNumeric } from "./extract";
import * as R from "./fast_read";
import { formatOk } from "./format";
import { matchAction, MatchResult } from "./match";
import { GuiParams } from "./params";
import { finite, mapped, weighted } from "./verdict";
import { normalizeDirection, oppositeDirection } from "./words";
import { parseNumber } from "../_lib/number";
import { isSpaceByte, matchesAt, Span } from "../_lib/text";
import { writeNumberText } from "../_lib/writer";

/** Answer regions longer than this (bytes) always take the general path. */
const MAX_FAST_BYTES: i32 = 4096;

// ---------------------------------------------------------------------------------------------
// Action names: `typeFromName` is a pure function of the name's bytes, so its answers for the last
// few names are kept (static memory, surviving the heap reset) and looked up by those bytes.

const NAME_SLOTS: i32 = 16;
const NAME_BYTES: i32 = 32;
const NAME_TEXT: usize = memory.data(NAME_SLOTS * NAME_BYTES);
const NAME_LEN: usize = memory.data(NAME_SLOTS * 4); // 0: an empty slot
const NAME_TYPE: usize = memory.data(NAME_SLOTS * 4);
let nameNext: i32 = 0;

/** `typeFromName` of the UTF-8 name in bytes [s, e). */
function typeOfName(ptr: usize, s: i32, e: i32): i32 {
  const n = e - s;
  if (n <= 0 || n > NAME_BYTES) return typeFromName(String.UTF8.decodeUnsafe(ptr + <usize>s, <usize>n, false));
  for (let k = 0; k < NAME_SLOTS; k++) {
    if (load<i32>(NAME_LEN + (<usize>k << 2)) != n) continue;
    const text = NAME_TEXT + <usize>(k * NAME_BYTES);
    let same = true;
    for (let i = 0; i < n && same; i++) same = load<u8>(text + <usize>i) == load<u8>(ptr + <usize>(s + i));
    if (same) return load<i32>(NAME_TYPE + (<usize>k << 2));
  }
  const t = typeFromName(String.UTF8.decodeUnsafe(ptr + <usize>s, <usize>n, false));
  const k = nameNext;
  nameNext = (nameNext + 1) % NAME_SLOTS;
  memory.copy(NAME_TEXT + <usize>(k * NAME_BYTES), ptr + <usize>s, <usize>n);
  store<i32>(NAME_LEN + (<usize>k << 2), n);
  store<i32>(NAME_TYPE + (<usize>k << 2), t);
  return t;
}

// True when bytes [s, e) are "hscroll" in any case (`parseCall` scrolls sideways for it).
function isHscroll(ptr: usize, s: i32, e: i32): bool {
  if (e - s != 7) return false;
  const word = "hscroll";
  for (let i = 0; i < 7; i++) {
    let c = <i32>load<u8>(ptr + <usize>(s + i));
    if (c >= 0x41 && c <= 0x5a) c += 32;
    if (c != word.charCodeAt(i)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// The members of one action as written (JSON keys or call keywords), each at most once.

const M_ACTION: i32 = 1 << 0;
const M_COORDINATE: i32 = 1 << 1;
const M_COORDINATE2: i32 = 1 << 2;
const M_TEXT: i32 = 1 << 3;
const M_DIRECTION: i32 = 1 << 4;
const M_APP: i32 = 1 << 5;
const M_BUTTON: i32 = 1 << 6;
const M_START_BOX: i32 = 1 << 7;
const M_POINT: i32 = 1 << 8;
const M_CONTENT: i32 = 1 << 9;
const M_APP_NAME: i32 = 1 << 10;
const M_START_COORDINATE: i32 = 1 << 11;

// the coordinate slots of `readCoordinateList`
const SLOT_POINT: i32 = 0;
const SLOT_END: i32 = 1;
const SLOT_START: i32 = 2;

class Members {
  seen: i32 = 0;
  actionType: i32 = T_NONE; // `typeFromName` of the "action" string
  leftClickDrag: bool = false; // the "action" string is a spelling of `left_click_drag`
  // the point (2 numbers) or box (4) of `coordinate`, `start_box` or `point`
  count: i32 = 0;
  a: f64 = 0;
  b: f64 = 0;
  c: f64 = 0;
  d: f64 = 0;
  endCount: i32 = 0;
  ea: f64 = 0;
  eb: f64 = 0;
  ec: f64 = 0;
  ed: f64 = 0;
  // `start_coordinate` (JSON): the start of a computer-use drag
  startCount: i32 = 0;
  sa: f64 = 0;
  sb: f64 = 0;
  sc: f64 = 0;
  sd: f64 = 0;
  text: string | null = null; // `text` (JSON)
  content: string | null = null; // `content` (call)
  direction: string | null = null;
  app: string | null = null; // `app` (JSON) or `app_name` (call)
  button: string | null = null;
}

// "[a, b]" or "[a, b, c, d]" of plain numbers into the point, the end or the start slot of `m`.
function readCoordinateList(m: Members, slot: i32): void {
  R.expect(0x5b);
  if (!R.ok) return;
  const v0 = R.readNumber();
  R.expect(0x2c);
  const v1 = R.readNumber();
  R.skipWs();
  let count = 2;
  let v2: f64 = 0;
  let v3: f64 = 0;
  if (R.ok && R.peek() == 0x2c) {
    R.pos++;
    v2 = R.readNumber();
    R.expect(0x2c);
    v3 = R.readNumber();
    count = 4;
  }
  R.expect(0x5d);
  if (!R.ok) return;
  if (slot == SLOT_END) {
    m.endCount = count;
    m.ea = v0;
    m.eb = v1;
    m.ec = v2;
    m.ed = v3;
  } else if (slot == SLOT_START) {
    m.startCount = count;
    m.sa = v0;
    m.sb = v1;
    m.sc = v2;
    m.sd = v3;
  } else {
    m.count = count;
    m.a = v0;
    m.b = v1;
    m.c = v2;
    m.d = v3;
  }
}

// The numbers written in the last string read, as `numbersIn` (gui_action/point.ts) finds them (ASCII
// text only): exactly 2 (a point) or 4 (a box) into `m`; `ok` cleared otherwise.
function coordinatesInString(m: Members): void {
  if (R.strWide) {
    R.ok = false;
    return;
  }
  const b = R.base;
  const e = R.strEnd;
  let i = R.strStart;
  let count = 0;
  while (i < e && count <= 4) {
    const c = <i32>load<u8>(b + <usize>i);
    const digit = c >= 0x30 && c <= 0x39;
    const next = i + 1 < e ? <i32>load<u8>(b + <usize>(i + 1)) : 0;
    const lead = (c == 0x2d || c == 0x2e) && next >= 0x30 && next <= 0x39;
    if (!digit && !lead) {
      i++;
      continue;
    }
    let j = i + 1;
    let dots = c == 0x2e ? 1 : 0;
    while (j < e) {
      const d = <i32>load<u8>(b + <usize>j);
      if (d >= 0x30 && d <= 0x39) j++;
      else if (d == 0x2e && dots == 0) {
        dots++;
        j++;
      } else break;
    }
    const v = j - i > 40 ? NaN : parseNumber(b, i, j);
    if (count == 0) m.a = v;
    else if (count == 1) m.b = v;
    else if (count == 2) m.c = v;
    else if (count == 3) m.d = v;
    count++;
    i = j;
  }
  if (count != 2 && count != 4) {
    R.ok = false;
    return;
  }
  m.count = count;
}

// One member `"key": value` of a flat JSON action object, the cursor at the key.
function readJsonMember(m: Members): void {
  R.readPlainString(0x22, false);
  if (!R.ok) return;
  const s = R.strStart;
  const e = R.strEnd;
  R.expect(0x3a);
  if (!R.ok) return;
  let bit = 0;
  if (R.spells(s, e, "action")) {
    bit = M_ACTION;
    R.readPlainString(0x22, false);
    if (R.ok) {
      m.actionType = typeOfName(R.base, R.strStart, R.strEnd);
      if (m.actionType == T_DRAG) m.leftClickDrag = nameIs(R.lastString(), "leftclickdrag");
    }
  } else if (R.spells(s, e, "coordinate")) {
    bit = M_COORDINATE;
    readCoordinateList(m, SLOT_POINT);
  } else if (R.spells(s, e, "text")) {
    bit = M_TEXT;
    R.readPlainString(0x22, false);
    if (R.ok) m.text = R.lastString();
  } else if (R.spells(s, e, "direction")) {
    bit = M_DIRECTION;
    R.readPlainString(0x22, false);
    if (R.ok) m.direction = R.lastString();
  } else if (R.spells(s, e, "app")) {
    bit = M_APP;
    R.readPlainString(0x22, false);
    if (R.ok) m.app = R.lastString();
  } else if (R.spells(s, e, "coordinate2")) {
    bit = M_COORDINATE2;
    readCoordinateList(m, SLOT_END);
  } else if (R.spells(s, e, "start_coordinate")) {
    bit = M_START_COORDINATE;
    readCoordinateList(m, SLOT_START);
  } else if (R.spells(s, e, "button")) {
    bit = M_BUTTON;
    R.readPlainString(0x22, false);
    if (R.ok) m.button = R.lastString();
  }
  if (bit == 0 || (m.seen & bit) != 0) R.ok = false;
  m.seen |= bit;
}

// A flat JSON action object at the cursor ('{'); `ok` cleared when it is anything else.
function readJsonAction(m: Members): void {
  R.expect(0x7b);
  if (!R.ok) return;
  do {
    readJsonMember(m);
    if (!R.ok) return;
  } while (R.nextMember());
}

// GUI-R1 writes 'no input text' for "no text" (`textOf` in gui_action/from_json.ts)
function textOf(s: string | null): string | null {
  if (s === null || (s.length >= 13 && s.trim().toLowerCase() == "no input text")) return null;
  return s;
}

// The action `actionFromObject` (gui_action/from_json.ts) builds from these members, or null (decline).
function actionOf(m: Members, type: i32, syntax: string): GuiAction | null {
  const a = new GuiAction();
  a.type = type;
  a.name = typeName(type); // not shown anywhere
  a.syntax = syntax;
  // a computer-use drag: `coordinate` is where it ends, `start_coordinate` where it starts
  // (`coordinateEnds`, gui_action/from_json.ts)
  const ends = type == T_DRAG && (m.seen & M_COORDINATE2) == 0 && (m.seen & M_COORDINATE) != 0 &&
    (m.leftClickDrag || (m.seen & M_START_COORDINATE) != 0);
  if (ends) {
    if (m.startCount == 2) a.setPoint(m.sa, m.sb);
    else if (m.startCount == 4) a.setBox(m.sa, m.sb, m.sc, m.sd);
    if (m.count == 2) a.setEnd(m.a, m.b);
    else if (m.count == 4) a.setEnd((m.a + m.c) / 2, (m.b + m.d) / 2);
  } else {
    // the first of the point keys: `coordinate`, then `start_coordinate` (JSON); `point` or
    // `start_box` (calls: never both)
    if (m.count == 2) a.setPoint(m.a, m.b);
    else if (m.count == 4) a.setBox(m.a, m.b, m.c, m.d);
    else if (m.startCount == 2) a.setPoint(m.sa, m.sb);
    else if (m.startCount == 4) a.setBox(m.sa, m.sb, m.sc, m.sd);
    if (m.endCount == 2) a.setEnd(m.ea, m.eb);
    else if (m.endCount == 4) a.setEnd((m.ea + m.ec) / 2, (m.eb + m.ed) / 2);
  }
  if (type == T_TYPE) {
    // the first of the text keys: `text`, then `content`
    a.text = textOf(m.text !== null ? m.text : m.content);
  } else if (type == T_OPEN_APP) {
    a.app = textOf(m.app !== null ? m.app : m.text);
  } else if (type == T_HOTKEY || type == T_KEY || type == T_TERMINATE || type == T_CALL_USER) {
    return null;
  } else if (type == T_SYSTEM_BUTTON) {
    const b = m.button;
    const word = b === null ? "" : b.trim().toLowerCase();
    if (word == "back") a.type = T_BACK;
    else if (word == "home") a.type = T_HOME;
    else if (word == "enter") a.type = T_ENTER;
    else return null; // a key: the general path
  } else if (type == T_SCROLL || type == T_SWIPE || type == T_DRAG) {
    const word = m.direction !== null ? m.direction : m.text;
    if (word !== null) {
      const d = normalizeDirection(word);
      if (d !== null) a.direction = type == T_SWIPE ? oppositeDirection(d) : d;
    }
  }
  return a;
}

// A JSON value at the cursor: a flat action object ("json") or a tool call {"name": "…", "arguments":
// {flat action object}} ("tool_call"). Null (decline) for anything else.
function jsonAction(): GuiAction | null {
  const m = new Members();
  R.expect(0x7b);
  if (!R.ok) return null;
  R.skipWs();
  if (R.peek() != 0x22) return null;
  // a tool call starts with "name" or "arguments"; an action object with one of its own keys
  const keyAt = R.pos;
  R.readPlainString(0x22, false);
  if (!R.ok) return null;
  const wrapped = R.stringIs("name") || R.stringIs("arguments");
  R.pos = keyAt;
  if (!wrapped) {
    do {
      readJsonMember(m);
      if (!R.ok) return null;
    } while (R.nextMember());
    if (!R.ok) return null;
    return typedAction(m, "json");
  }
  let seen = 0;
  do {
    R.readPlainString(0x22, false);
    if (!R.ok) return null;
    const isName = R.stringIs("name");
    const isArgs = R.stringIs("arguments");
    const bit = isName ? 1 : isArgs ? 2 : 0;
    R.expect(0x3a);
    if (!R.ok || bit == 0 || (seen & bit) != 0) return null;
    seen |= bit;
    if (isName) R.readPlainString(0x22, false);
    else readJsonAction(m);
    if (!R.ok) return null;
  } while (R.nextMember());
  if (!R.ok || seen != 3) return null;
  return typedAction(m, "tool_call");
}

// The action of an object with an "action" string of a known type; null (decline) otherwise.
function typedAction(m: Members, syntax: string): GuiAction | null {
  if ((m.seen & M_ACTION) == 0 || m.actionType == T_NONE) return null;
  return actionOf(m, m.actionType, syntax);
}

// A call's keyword arguments, from after its '(' up to and including ')'; `ok` cleared on anything
// but string literals under keywords we know. Returns the offset after ')'.
function readCallArgs(m: Members, from: i32, end: i32): i32 {
  const b = R.base;
  let p = from;
  while (true) {
    while (p < end && isSpaceByte(<i32>load<u8>(b + <usize>p))) p++;
    if (p >= end) break;
    if (load<u8>(b + <usize>p) == 0x29) return p + 1;
    let q = p;
    while (q < end && isIdentByte(<i32>load<u8>(b + <usize>q), false)) q++;
    if (q == p) break;
    let r = q;
    while (r < end && isSpaceByte(<i32>load<u8>(b + <usize>r))) r++;
    if (r >= end || load<u8>(b + <usize>r) != 0x3d || (r + 1 < end && load<u8>(b + <usize>(r + 1)) == 0x3d)) break;
    let bit = 0;
    if (R.spells(p, q, "start_box")) bit = M_START_BOX;
    else if (R.spells(p, q, "direction")) bit = M_DIRECTION;
    else if (R.spells(p, q, "content")) bit = M_CONTENT;
    else if (R.spells(p, q, "app_name")) bit = M_APP_NAME;
    else if (R.spells(p, q, "point")) bit = M_POINT;
    if (bit == 0 || (m.seen & bit) != 0) break;
    // both `point` and `start_box`: the general path takes `point` whichever comes first
    if ((bit == M_START_BOX && (m.seen & M_POINT) != 0) || (bit == M_POINT && (m.seen & M_START_BOX) != 0)) break;
    m.seen |= bit;
    R.pos = r + 1;
    R.skipWs();
    const quote = R.peek();
    if (quote != 0x27 && quote != 0x22) break;
    R.readPlainString(quote, false);
    if (!R.ok) break;
    if (bit == M_START_BOX || bit == M_POINT) {
      coordinatesInString(m);
      if (!R.ok) break;
    } else if (bit == M_DIRECTION) m.direction = R.lastString();
    else if (bit == M_CONTENT) m.content = R.lastString();
    else m.app = R.lastString();
    p = R.pos;
    while (p < end && isSpaceByte(<i32>load<u8>(b + <usize>p))) p++;
    if (p < end && load<u8>(b + <usize>p) == 0x2c) {
      p++;
      continue;
    }
    if (p < end && load<u8>(b + <usize>p) == 0x29) return p + 1;
    break;
  }
  R.ok = false;
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Finding the one action (the scan of `extractActions`, gui_action/extract.ts, for the shapes above)

// Byte classes of the scan (static memory, filled once): what may start an attempt in
// `extractActions`, whether the byte continues an identifier, and its bracket-depth step.
const SCAN_CLASS: usize = memory.data(256);
const IDENT_BYTE: usize = memory.data(256); // isIdentByte(c, true)
const DEPTH_STEP: usize = memory.data(256); // +1 for [ { (, -1 (as 0xff) for ] } )
const C_OPEN_BRACE: i32 = 1;
const C_OPEN_BRACKET: i32 = 2;
const C_OPEN_PAREN: i32 = 3;
const C_ANGLE: i32 = 4;
const C_LETTER: i32 = 5;
let tablesReady = false;

function prepareTables(): void {
  for (let c = 0; c < 256; c++) {
    let k = 0;
    if (c == 0x7b) k = C_OPEN_BRACE;
    else if (c == 0x5b) k = C_OPEN_BRACKET;
    else if (c == 0x28) k = C_OPEN_PAREN;
    else if (c == 0x3c) k = C_ANGLE;
    else if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c == 0x5f) k = C_LETTER;
    store<u8>(SCAN_CLASS + <usize>c, <u8>k);
    store<u8>(IDENT_BYTE + <usize>c, isIdentByte(c, true) ? 1 : 0);
    let step = 0;
    if (c == 0x5b || c == 0x7b || c == 0x28) step = 1;
    else if (c == 0x5d || c == 0x7d || c == 0x29) step = -1;
    store<i8>(DEPTH_STEP + <usize>c, <i8>step);
  }
  tablesReady = true;
}

// `deepestBracket` (gui_action/extract.ts) > limit, by table.
function tooDeep(ptr: usize, s: i32, e: i32, limit: i32): bool {
  let depth = 0;
  for (let i = s; i < e; i++) {
    const step = <i32>load<i8>(DEPTH_STEP + <usize>load<u8>(ptr + <usize>i));
    if (step == 0) continue;
    depth += step;
    if (depth < 0) depth = 0;
    else if (depth > limit) return true;
  }
  return false;
}

/**
 * The single action in the span, found exactly as `extractActions` would find it (and nothing else
 * that counts), or null when the span holds anything the fast path does not know.
 */
function findOne(ptr: usize, span: Span): GuiAction | null {
  const s = span.start;
  const e = span.end;
  if (e - s > MAX_FAST_BYTES) return null;
  if (!tablesReady) prepareTables();
  if (tooDeep(ptr, s, e, MAX_BRACKET_DEPTH)) return null;
  R.start(ptr, s, e);
  let found: GuiAction | null = null;
  let i = s;
  while (i < e) {
    const k = <i32>load<u8>(SCAN_CLASS + <usize>load<u8>(ptr + <usize>i));
    if (k == 0) {
      i++;
      continue;
    }
    if (k == C_OPEN_BRACE) {
      if (found !== null) return null;
      R.pos = i;
      R.ok = true;
      found = jsonAction();
      if (found === null || !R.ok) return null;
      i = R.pos;
      continue;
    }
    if (k == C_OPEN_BRACKET) return null;
    if (k == C_OPEN_PAREN) {
      if (tupleLooksNumeric(ptr + <usize>s, e - s, i - s)) return null;
      i++;
      continue;
    }
    if (k == C_ANGLE) {
      if (
        matchesAt(ptr, e, i, "<|box_start|>") || matchesAt(ptr, e, i, "<point>") || matchesAt(ptr, e, i, "<bbox>") ||
        matchesAt(ptr, e, i, "<box>")
      ) return null;
      i++;
      continue;
    }
    // a letter or '_': an identifier starts here unless an identifier byte comes right before
    if (i > s && load<u8>(IDENT_BYTE + <usize>load<u8>(ptr + <usize>(i - 1))) != 0) {
      i++;
      continue;
    }
    let j = i;
    let dotted = false;
    while (j < e) {
      const d = <i32>load<u8>(ptr + <usize>j);
      if (load<u8>(IDENT_BYTE + <usize>d) == 0) break;
      if (d == 0x2e) dotted = true;
      j++;
    }
    if (j >= e || load<u8>(ptr + <usize>j) != 0x28 || j - i > 64) {
      i = j;
      continue;
    }
    // a call: `name(` — dotted names (pyautogui.…) go the general way
    if (dotted) return null;
    if (isHscroll(ptr, i, j)) return null;
    const type = typeOfName(ptr, i, j);
    if (type == T_NONE) {
      i = j;
      continue;
    }
    if (found !== null) return null;
    const m = new Members();
    R.ok = true;
    const next = readCallArgs(m, j + 1, e);
    if (!R.ok) return null;
    found = actionOf(m, type, "function_call");
    if (found === null) return null;
    i = next;
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Writing the verdict: the bytes `judge` (gui_action/verdict.ts) writes through a JsonWriter for one
// matched action, assembled in static scratch from pre-encoded pieces and copied out once.

const OUT_CAP: i32 = 32768;
const OUT: usize = memory.data(OUT_CAP + 64); // 64 bytes of slack for 8-byte and number stores
let out: usize = 0;
let overflow = false;

const POOL: usize = memory.data(2048);
let poolUsed: i32 = 0;
let poolReady = false;
let P_HEAD: i32 = 0;
let P_TRUE: i32 = 0;
let P_FALSE: i32 = 0;
let P_EXTRACTION: i32 = 0;
let P_MAPPING: i32 = 0;
let P_SCALE: i32 = 0;
let P_SYNTAX: i32 = 0;
let P_PREDICTED: i32 = 0;
let P_REFERENCE: i32 = 0;
let P_PARTS: i32 = 0;
let P_TARGET: i32 = 0;
let P_ARGS: i32 = 0;
let P_FORMAT: i32 = 0;
let P_RULE: i32 = 0;
let P_INSIDE: i32 = 0;
let P_DISTANCE: i32 = 0;
let P_ARGS_RULE: i32 = 0;
let P_TEXT_SCORE: i32 = 0;
let P_PROBLEM: i32 = 0;
let P_TYPE: i32 = 0;
let P_POINT: i32 = 0;
let P_BOX: i32 = 0;
let P_END: i32 = 0;
let P_TEXT: i32 = 0;
let P_DIRECTION: i32 = 0;
let P_KEYS: i32 = 0;
let P_APP: i32 = 0;
let P_STATUS: i32 = 0;

// Each handle is (offset in POOL << 8) | length.
function pooled(s: string): i32 {
  const at = poolUsed;
  const n = s.length;
  for (let i = 0; i < n; i++) store<u8>(POOL + <usize>(at + i), <u8>s.charCodeAt(i));
  poolUsed += (n + 7) & ~7;
  return (at << 8) | n;
}

function preparePool(): void {
  P_HEAD = pooled('{"reward":');
  P_TRUE = pooled(',"correct":true,"details":{"reason":null,"profile":');
  P_FALSE = pooled(',"correct":false,"details":{"reason":"wrong","profile":');
  P_EXTRACTION = pooled(',"extraction":');
  P_MAPPING = pooled(',"mapping":{"coords":');
  P_SCALE = pooled(',"scale":[');
  P_SYNTAX = pooled(']},"syntax":');
  P_PREDICTED = pooled(',"predicted":');
  P_REFERENCE = pooled(',"reference":');
  P_PARTS = pooled(',"parts":{"type":');
  P_TARGET = pooled(',"target":');
  P_ARGS = pooled(',"args":');
  P_FORMAT = pooled(',"format":');
  P_RULE = pooled('},"target":{"rule":');
  P_INSIDE = pooled(',"inside":');
  P_DISTANCE = pooled(',"distance":');
  P_ARGS_RULE = pooled('},"args_rule":');
  P_TEXT_SCORE = pooled(',"text_score":');
  P_PROBLEM = pooled(',"problem":');
  P_TYPE = pooled('{"type":');
  P_POINT = pooled(',"point":[');
  P_BOX = pooled(',"box":[');
  P_END = pooled(',"end_point":[');
  P_TEXT = pooled(',"text":');
  P_DIRECTION = pooled(',"direction":');
  P_KEYS = pooled(',"keys":[');
  P_APP = pooled(',"app":');
  P_STATUS = pooled(',"status":');
  poolReady = true;
}

function piece(k: i32): void {
  const src = POOL + <usize>(k >> 8);
  const n = k & 0xff;
  for (let i = 0; i < n; i += 8) store<u64>(out + <usize>i, load<u64>(src + <usize>i));
  out += <usize>n;
}

@inline function byte(c: i32): void {
  store<u8>(out, <u8>c);
  out++;
}

// The text of recent non-integral numbers (a pure function of the value), direct-mapped by its bits:
// the scales and thresholds of a batch repeat.
const NUM_SLOTS: i32 = 64;
const NUM_TEXT: usize = memory.data(NUM_SLOTS * 32);
const NUM_BITS: usize = memory.data(NUM_SLOTS * 8);
const NUM_LEN: usize = memory.data(NUM_SLOTS * 4); // 0: an empty slot

function number(v: f64): void {
  if (!isFinite(v) || (v == Math.floor(v) && Math.abs(v) < 1e15)) {
    out += <usize>writeNumberText(out, v);
    return;
  }
  const bits = reinterpret<u64>(v);
  let h = bits * 0x9e3779b97f4a7c15;
  const k = <usize>(h >> 58); // 64 slots
  const text = NUM_TEXT + (k << 5);
  if (load<u64>(NUM_BITS + (k << 3)) == bits && load<i32>(NUM_LEN + (k << 2)) != 0) {
    store<u64>(out, load<u64>(text));
    store<u64>(out + 8, load<u64>(text + 8));
    store<u64>(out + 16, load<u64>(text + 16));
    store<u64>(out + 24, load<u64>(text + 24));
    out += <usize>load<i32>(NUM_LEN + (k << 2));
    return;
  }
  const n = writeNumberText(out, v);
  memory.copy(text, out, 32);
  store<u64>(NUM_BITS + (k << 3), bits);
  store<i32>(NUM_LEN + (k << 2), n);
  out += <usize>n;
}

function boolean(v: bool): void {
  if (v) {
    store<u32>(out, 0x65757274); // "true"
    out += 4;
  } else {
    store<u32>(out, 0x736c6166); // "fals"
    store<u8>(out + 4, 0x65);
    out += 5;
  }
}

function hexDigit(n: i32): i32 {
  return n < 10 ? 0x30 + n : 0x57 + n;
}

// A JSON string exactly as JsonWriter.str writes it: '"' and '\' escaped, control characters as
// \u00XX, everything from U+0080 on as \uXXXX (the output stays ASCII).
function str(s: string): void {
  const at = changetype<usize>(s);
  if (at < __heap_base) {
    literal(s, at);
    return;
  }
  plainStr(s);
}

// Constant strings (static data below the heap: their bytes never change) as encoded once, by address.
const LIT_SLOTS: i32 = 64;
const LIT_ADDR: usize = memory.data(LIT_SLOTS * 8);
const LIT_PIECE: usize = memory.data(LIT_SLOTS * 4);
const LIT_POOL_CAP: i32 = 8192;
const LIT_POOL: usize = memory.data(LIT_POOL_CAP + 64);
let litUsed: i32 = 0;

function literal(s: string, at: usize): void {
  const k = <usize>((<u32>at * 0x9e3779b1) >> 26); // 64 slots
  if (load<usize>(LIT_ADDR + (k << 3)) == at) {
    const handle = load<i32>(LIT_PIECE + (k << 2));
    const src = LIT_POOL + <usize>(handle >> 12);
    const n = handle & 0xfff;
    for (let i = 0; i < n; i += 8) store<u64>(out + <usize>i, load<u64>(src + <usize>i));
    out += <usize>n;
    return;
  }
  const from = out;
  plainStr(s);
  const n = <i32>(out - from);
  if (overflow || n > 0xfff || litUsed + n > LIT_POOL_CAP) return;
  memory.copy(LIT_POOL + <usize>litUsed, from, <usize>n);
  store<usize>(LIT_ADDR + (k << 3), at);
  store<i32>(LIT_PIECE + (k << 2), (litUsed << 12) | n);
  litUsed += (n + 7) & ~7;
}

function plainStr(s: string): void {
  const n = s.length;
  // room for the string and for everything after it but other strings (under 2 KiB)
  if (<i32>(out - OUT) + 6 * n + 2 + 2048 > OUT_CAP) {
    overflow = true;
    return;
  }
  const src = changetype<usize>(s);
  byte(0x22);
  for (let i = 0; i < n; i++) {
    const c = <i32>load<u16>(src + (<usize>i << 1));
    if (c >= 0x20 && c < 0x80 && c != 0x22 && c != 0x5c) {
      byte(c);
    } else if (c == 0x22 || c == 0x5c) {
      byte(0x5c);
      byte(c);
    } else if (c < 0x20) {
      byte(0x5c);
      byte(0x75);
      byte(0x30);
      byte(0x30);
      byte(hexDigit(c >> 4));
      byte(hexDigit(c & 15));
    } else {
      byte(0x5c);
      byte(0x75);
      byte(hexDigit((c >> 12) & 15));
      byte(hexDigit((c >> 8) & 15));
      byte(hexDigit((c >> 4) & 15));
      byte(hexDigit(c & 15));
    }
  }
  byte(0x22);
}

// `writeAction` (gui_action/explain.ts)
function action(a: GuiAction, direction: string | null): void {
  piece(P_TYPE);
  str(typeName(a.type));
  if (a.hasPoint) {
    piece(P_POINT);
    number(a.x);
    byte(0x2c);
    number(a.y);
    byte(0x5d);
  }
  if (a.hasBox) {
    piece(P_BOX);
    number(a.x1);
    byte(0x2c);
    number(a.y1);
    byte(0x2c);
    number(a.x2);
    byte(0x2c);
    number(a.y2);
    byte(0x5d);
  }
  if (a.hasEnd) {
    piece(P_END);
    number(a.ex);
    byte(0x2c);
    number(a.ey);
    byte(0x5d);
  }
  const text = a.text;
  if (text !== null) {
    piece(P_TEXT);
    str(shown(text));
  }
  const dir = a.direction !== null ? a.direction : direction;
  if (dir !== null) {
    piece(P_DIRECTION);
    str(dir);
  }
  const keys = a.keys;
  if (keys !== null) {
    piece(P_KEYS);
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) byte(0x2c);
      str(shown(keys[i]));
      if (overflow) return;
    }
    byte(0x5d);
  }
  const app = a.app;
  if (app !== null) {
    piece(P_APP);
    str(shown(app));
  }
  const status = a.status;
  if (status !== null) {
    piece(P_STATUS);
    str(shown(status));
  }
  byte(0x7d);
}

// The extraction rule as `judge` names it: the span's rule, '+', the action's syntax.
function extractionOf(via: string, syntax: string): void {
  byte(0x22);
  for (let k = 0; k < 2; k++) {
    const s = k == 0 ? via : syntax;
    const src = changetype<usize>(s);
    for (let i = 0; i < s.length; i++) byte(<i32>load<u16>(src + (<usize>i << 1)));
    if (k == 0) byte(0x2b);
  }
  byte(0x22);
}

/**
 * Scores the response [start, end) whose answer span is `span` when it holds exactly one action of
 * the shapes above and the reference is on screen; null otherwise (the general path then scores it).
 * `p` must come from `readGuiParamsFast` (its profile and coords are literals that need no escaping).
 */
export function fastScore(ptr: usize, start: i32, end: i32, span: Span, p: GuiParams): ArrayBuffer | null {
  if (p.refAbsent) return null;
  const a = findOne(ptr, span);
  if (a === null) return null;
  const pred = mapped(a, p);
  if (!finite(pred)) return null;
  const m: MatchResult = matchAction(pred, p);
  const format = formatOk(ptr, start, end, a, p);
  const accuracy = m.typeOk && m.targetOk && m.argsOk;
  let reward = weighted(p, accuracy, m, format);
  if (!(reward >= 0)) reward = 0;
  if (reward > 1) reward = 1;
  if (!poolReady) preparePool();
  out = OUT;
  overflow = false;
  piece(P_HEAD);
  number(reward);
  piece(accuracy ? P_TRUE : P_FALSE);
  str(p.profile);
  piece(P_EXTRACTION);
  extractionOf(span.via, pred.syntax);
  piece(P_MAPPING);
  str(p.coords);
  piece(P_SCALE);
  number(p.numX / p.denX);
  byte(0x2c);
  number(p.numY / p.denY);
  piece(P_SYNTAX);
  str(pred.syntax);
  piece(P_PREDICTED);
  action(pred, m.predDirection);
  if (overflow) return null;
  piece(P_REFERENCE);
  action(p.ref, null);
  if (overflow) return null;
  piece(P_PARTS);
  boolean(m.typeOk);
  piece(P_TARGET);
  boolean(m.targetOk);
  piece(P_ARGS);
  boolean(m.argsOk);
  piece(P_FORMAT);
  boolean(format);
  piece(P_RULE);
  str(m.targetRule);
  if (m.targetRule != "none" && m.targetRule != "distance") {
    piece(P_INSIDE);
    boolean(m.inside);
  }
  if (m.distance >= 0) {
    piece(P_DISTANCE);
    number(m.distance);
  }
  piece(P_ARGS_RULE);
  str(m.argsRule);
  if (m.textScore >= 0) {
    piece(P_TEXT_SCORE);
    number(m.textScore);
  }
  const problem = m.problem;
  if (problem !== null) {
    piece(P_PROBLEM);
    str(problem);
  }
  byte(0x7d);
  byte(0x7d);
  if (overflow) return null;
  const n = <i32>(out - OUT);
  const bytes = changetype<ArrayBuffer>(__new(<usize>n, idof<ArrayBuffer>()));
  memory.copy(changetype<usize>(bytes), OUT, <usize>n);
  return bytes;
}
