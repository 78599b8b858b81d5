// Function-call syntax → normalized actions: UI-TARS (`click(start_box='(x,y)')`, `type(content='…')`,
// `hotkey(key='ctrl c')`, `scroll(direction='down')`, `finished()`, …) and pyautogui
// (`pyautogui.click(x=…, y=…)`, `pyautogui.hotkey('ctrl', 'c')`, …). Arguments must be literals
// (strings with escapes, numbers, tuples, lists, True/False/None); anything else fails the call.

import { GuiAction, T_CLICK, T_DOUBLE_CLICK, T_DRAG, T_HOTKEY, T_KEY, T_LONG_PRESS, T_NONE, T_OPEN_APP, T_RIGHT_CLICK, T_SCROLL, T_TERMINATE, T_TYPE, typeFromName } from "./action";
import { actionFromObject } from "./from_json";
import { JsonKind, JsonReader, JsonValue } from "../_lib/json";
import { isSpaceByte } from "../_lib/text";

/** Arguments per call before the call is rejected. */
const MAX_ARGS: i32 = 32;

/** True for bytes that may continue an identifier: letters, digits, '_' (and '.' in dotted names). */
export function isIdentByte(c: i32, dots: bool): bool {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c == 0x5f ||
    (dots && c == 0x2e);
}

/** The result of trying a call at one offset. */
export class CallAttempt {
  // offset after the closing ')' when the call parsed; -1 otherwise
  end: i32 = -1;
  // the name is an action name (so a failure to parse is worth reporting)
  known: bool = false;
  action: GuiAction | null = null;
}

function numberValue(n: f64): JsonValue {
  const v = new JsonValue();
  v.kind = JsonKind.Number;
  v.num = n;
  return v;
}

function put(obj: JsonValue, key: string, v: JsonValue): void {
  if (obj.get(key) !== null) return; // a keyword argument wins over a positional one
  obj.keys.push(key);
  obj.items.push(v);
}

function isPointFamily(t: i32): bool {
  return t == T_CLICK || t == T_LONG_PRESS || t == T_DOUBLE_CLICK || t == T_RIGHT_CLICK || t == T_NONE;
}

// Gives positional arguments the names the JSON reader knows, by the call's type.
function namePositionals(type: i32, lower: string, positional: JsonValue[], obj: JsonValue): void {
  const numbers = new Array<f64>();
  const strings = new Array<JsonValue>();
  let container: JsonValue | null = null;
  for (let i = 0; i < positional.length; i++) {
    const p = positional[i];
    if (p.kind == JsonKind.Number) numbers.push(p.num);
    else if (p.kind == JsonKind.String) strings.push(p);
    else if (p.kind == JsonKind.Array && container === null) container = p;
  }
  if (type == T_SCROLL) {
    // pyautogui.scroll(clicks, x, y); hscroll's clicks go right when positive
    if (numbers.length >= 1) {
      if (lower == "hscroll") {
        const d = new JsonValue();
        d.kind = JsonKind.String;
        d.str = numbers[0] > 0 ? "right" : "left";
        if (numbers[0] != 0) put(obj, "direction", d);
      } else put(obj, "clicks", numberValue(numbers[0]));
    }
    if (numbers.length >= 3) {
      put(obj, "x", numberValue(numbers[1]));
      put(obj, "y", numberValue(numbers[2]));
    }
    if (strings.length >= 1) put(obj, "direction", strings[0]);
    return;
  }
  if (type == T_HOTKEY || type == T_KEY) {
    if (container !== null) put(obj, "keys", container);
    else if (strings.length > 0) {
      const list = new JsonValue();
      list.kind = JsonKind.Array;
      for (let i = 0; i < strings.length; i++) list.items.push(strings[i]);
      put(obj, "keys", list);
    }
    return;
  }
  if (type == T_TYPE && strings.length > 0) put(obj, "text", strings[0]);
  if (type == T_OPEN_APP && strings.length > 0) put(obj, "app", strings[0]);
  if (type == T_TERMINATE && strings.length > 0) put(obj, "status", strings[0]);
  if (type == T_DRAG) {
    // pyautogui.dragTo(x, y): where the drag ends
    if (numbers.length >= 2) {
      const end = new JsonValue();
      end.kind = JsonKind.Array;
      end.items.push(numberValue(numbers[0]));
      end.items.push(numberValue(numbers[1]));
      put(obj, "end_point", end);
    }
    return;
  }
  if (isPointFamily(type) || type == T_TYPE) {
    if (numbers.length >= 2) {
      put(obj, "x", numberValue(numbers[0]));
      put(obj, "y", numberValue(numbers[1]));
    } else if (container !== null) put(obj, "coordinate", container);
    else if (strings.length > 0 && type != T_TYPE) put(obj, "coordinate", strings[0]);
  }
}

// Turns keyword `x` and `y` into the end point (renaming them so they are not read as the start).
function keywordsToEnd(obj: JsonValue): void {
  const x = obj.get("x");
  const y = obj.get("y");
  if (x === null || y === null || x.kind != JsonKind.Number || y.kind != JsonKind.Number) return;
  const end = new JsonValue();
  end.kind = JsonKind.Array;
  end.items.push(x);
  end.items.push(y);
  put(obj, "end_point", end);
  for (let i = 0; i < obj.keys.length; i++) {
    if (obj.keys[i] == "x" || obj.keys[i] == "y") obj.keys[i] = "_" + obj.keys[i];
  }
}

/**
 * Tries a call `name(args)` whose name starts at `at` (relative to `base`); `nameEnd` is the offset
 * of the '('. Unknown names give no action; a known name with non-literal arguments gives `end` -1.
 */
export function parseCall(base: usize, len: i32, at: i32, nameEnd: i32, reader: JsonReader): CallAttempt {
  const out = new CallAttempt();
  const full = String.UTF8.decodeUnsafe(base + <usize>at, <usize>(nameEnd - at), false);
  const dot = full.lastIndexOf(".");
  const prefix = dot >= 0 ? full.substring(0, dot).toLowerCase() : "";
  const short = dot >= 0 ? full.substring(dot + 1) : full;
  const lower = short.toLowerCase();
  // pyautogui.moveTo and friends only move the pointer: no action, not an error
  let type = typeFromName(short);
  if (lower == "hscroll") type = T_SCROLL;
  if (type == T_NONE) return out;
  out.known = true;
  const obj = new JsonValue();
  obj.kind = JsonKind.Object;
  const positional = new Array<JsonValue>();
  let p = nameEnd + 1;
  let count = 0;
  while (true) {
    while (p < len && isSpaceByte(<i32>load<u8>(base + <usize>p))) p++;
    if (p >= len) return out;
    if (load<u8>(base + <usize>p) == 0x29) {
      p++;
      break;
    }
    if (++count > MAX_ARGS) return out;
    // keyword: identifier, spaces, '=' (not '==')
    let key: string | null = null;
    let q = p;
    while (q < len && isIdentByte(<i32>load<u8>(base + <usize>q), false)) q++;
    if (q > p) {
      let r = q;
      while (r < len && isSpaceByte(<i32>load<u8>(base + <usize>r))) r++;
      if (r < len && load<u8>(base + <usize>r) == 0x3d && (r + 1 >= len || load<u8>(base + <usize>(r + 1)) != 0x3d)) {
        key = String.UTF8.decodeUnsafe(base + <usize>p, <usize>(q - p), false);
        p = r + 1;
      }
    }
    const v = reader.parseAt(p);
    if (v === null) return out;
    p = reader.end;
    if (key !== null) put(obj, key, v);
    else positional.push(v);
    while (p < len && isSpaceByte(<i32>load<u8>(base + <usize>p))) p++;
    if (p < len && load<u8>(base + <usize>p) == 0x2c) {
      p++;
      continue;
    }
    if (p < len && load<u8>(base + <usize>p) == 0x29) {
      p++;
      break;
    }
    return out;
  }
  namePositionals(type, lower, positional, obj);
  // pyautogui.dragTo(x=…, y=…) names where the drag ends, as dragTo(x, y) does
  if (prefix == "pyautogui" && lower == "dragto") keywordsToEnd(obj);
  out.end = p;
  out.action = actionFromObject(obj, type, short.length > 64 ? short.substring(0, 64) : short, prefix == "pyautogui" ? "pyautogui" : "function_call");
  return out;
}
