// JSON and Python-literal values → normalized actions. Understands action objects with the common
// key variants, lists of them (UI-R1 / GUI-R1), Qwen2.5-VL tool calls ({"name": "mobile_use",
// "arguments": {…}}) and bare points or boxes (grounding answers). Never evaluates anything.

import {
  GuiAction, T_CALL_USER, T_DRAG, T_ENTER, T_HOTKEY, T_KEY, T_NONE, T_OPEN_APP, T_SCROLL, T_SWIPE,
  T_SYSTEM_BUTTON, T_TERMINATE, T_TYPE, T_BACK, T_HOME, nameIs, typeFromName,
} from "./action";
import { Coords, readCoords } from "./point";
import { keySet, normalizeDirection, normalizeStatus, oppositeDirection } from "./words";
import { JsonKind, JsonReader, JsonValue } from "../_lib/json";

/** Containers deeper than this are not searched for actions. */
const MAX_ACTION_DEPTH: i32 = 6;
/** Actions (and bare points) per response before the verdict is `too_complex`. */
export const MAX_ACTIONS: i32 = 256;

/** Everything found in one answer. */
export class Found {
  actions: GuiAction[] = [];
  // points or boxes written without an action (grounding answers); they count as clicks
  bare: GuiAction[] = [];
  // something shaped like an action or a call that could not be parsed (e.g. `__import__('os')`)
  unparsed: i32 = 0;
  // an action name that is not in our list
  unknown: string | null = null;
  // an explicit "nothing here": null, None, [] or a refusal phrase
  refusal: bool = false;
  tooComplex: bool = false;

  add(a: GuiAction): void {
    if (this.actions.length + this.bare.length >= MAX_ACTIONS) {
      this.tooComplex = true;
      return;
    }
    this.actions.push(a);
  }

  addBare(a: GuiAction): void {
    if (this.actions.length + this.bare.length >= MAX_ACTIONS) {
      this.tooComplex = true;
      return;
    }
    this.bare.push(a);
  }
}

function first(v: JsonValue, keys: string[]): JsonValue | null {
  for (let i = 0; i < keys.length; i++) {
    const x = v.get(unchecked(keys[i]));
    if (x !== null && x.kind != JsonKind.Null) return x;
  }
  return null;
}

function stringOf(v: JsonValue | null): string | null {
  if (v === null) return null;
  if (v.kind == JsonKind.String) return v.str;
  if (v.kind == JsonKind.Number) return v.num.toString();
  return null;
}

// GUI-R1 writes 'no input text' for "no text"
function textOf(v: JsonValue | null): string | null {
  const s = stringOf(v);
  if (s === null || s.trim().toLowerCase() == "no input text") return null;
  return s;
}

const ACTION_KEYS: string[] = ["action", "action_type", "function", "action_name", "operation"];
const POINT_KEYS: string[] = [
  "coordinate", "coordinates", "point", "position", "click_point", "start_box", "start_point", "start",
  "point_2d", "coordinate1", "start_coordinate", "location", "touch_point",
];
// the start of a computer-use drag whose `coordinate` is its end (see `coordinateEnds`)
const DRAG_START_KEYS: string[] = [
  "coordinates", "point", "position", "click_point", "start_box", "start_point", "start", "point_2d", "coordinate1",
  "start_coordinate", "location", "touch_point",
];
const BOX_KEYS: string[] = ["bbox", "box", "bbox_2d", "element_box"];
const END_KEYS: string[] = ["coordinate2", "end_coordinate", "end_point", "end_box", "end", "end_position", "lift_point"];
const TEXT_KEYS: string[] = ["text", "input_text", "content", "value", "typed_text", "string"];
const DIRECTION_KEYS: string[] = ["direction", "scroll_direction"];
const APP_KEYS: string[] = ["app", "app_name", "package", "package_name", "text", "input_text", "name"];
const KEYS_KEYS: string[] = ["keys", "key", "hotkey", "combination", "text", "input_text"];
const STATUS_KEYS: string[] = ["status", "goal_status", "result"];
const AMOUNT_KEYS: string[] = ["pixels", "amount", "clicks", "scroll_amount"];

/** The action type an object names, or T_NONE. `name` gets the spelling used. */
function typeOfObject(v: JsonValue, out: GuiAction): i32 {
  const named = first(v, ACTION_KEYS);
  let spelled: string | null = stringOf(named);
  if (spelled === null) {
    // {"type": "click", …} or {"name": "click", …}: only when the word is an action name
    const t = stringOf(v.get("type"));
    if (t !== null && typeFromName(t) != T_NONE) spelled = t;
  }
  if (spelled === null) {
    const t = stringOf(v.get("name"));
    if (t !== null && typeFromName(t) != T_NONE) spelled = t;
  }
  if (spelled === null) return T_NONE;
  out.name = spelled.length > 64 ? spelled.substring(0, 64) : spelled;
  return typeFromName(spelled);
}

function applyCoords(c: Coords, a: GuiAction, asEnd: bool): void {
  if (c.count == 2) {
    if (asEnd) a.setEnd(c.a, c.b);
    else a.setPoint(c.a, c.b);
  } else if (c.count == 4) {
    if (asEnd) a.setEnd((c.a + c.c) / 2, (c.b + c.d) / 2);
    else a.setBox(c.a, c.b, c.c, c.d);
  } else if (c.count < 0) {
    a.malformed = true;
  }
}

/**
 * True for a computer-use drag (Qwen2.5-VL's `computer_use` and Anthropic's `left_click_drag`):
 * `coordinate` is where it ends and `start_coordinate`, when given, where it starts. That reading
 * applies to a drag named `left_click_drag`, or to any drag with both `start_coordinate` and
 * `coordinate`, whenever no end key (`coordinate2`, `end_point`, …) is given.
 */
function coordinateEnds(v: JsonValue, a: GuiAction): bool {
  if (a.type != T_DRAG || first(v, END_KEYS) !== null) return false;
  const c = v.get("coordinate");
  if (c === null || c.kind == JsonKind.Null) return false;
  if (nameIs(a.name, "leftclickdrag")) return true;
  const s = v.get("start_coordinate");
  return s !== null && s.kind != JsonKind.Null;
}

function readTargets(v: JsonValue, a: GuiAction): void {
  const box = first(v, BOX_KEYS);
  if (box !== null) applyCoords(readCoords(box), a, false);
  const ends = coordinateEnds(v, a);
  const point = first(v, ends ? DRAG_START_KEYS : POINT_KEYS);
  if (point !== null) {
    const c = readCoords(point);
    if (c.count == 2) a.setPoint(c.a, c.b);
    else applyCoords(c, a, false);
  }
  if (!a.hasPoint) {
    const x = v.get("x");
    const y = v.get("y");
    if (x !== null && y !== null && x.kind == JsonKind.Number && y.kind == JsonKind.Number) a.setPoint(x.num, y.num);
  }
  const end = ends ? v.get("coordinate") : first(v, END_KEYS);
  if (end !== null) applyCoords(readCoords(end), a, true);
}

function keysOf(v: JsonValue | null): string[] {
  const parts = new Array<string>();
  if (v === null) return parts;
  if (v.kind == JsonKind.String) parts.push(v.str);
  else if (v.kind == JsonKind.Array) {
    for (let i = 0; i < v.items.length && i < 16; i++) {
      const s = stringOf(v.items[i]);
      if (s !== null) parts.push(s);
    }
  }
  return keySet(parts);
}

/** Applies the type-specific rules: key counts, system buttons, status, swipe conventions. */
export function finishAction(a: GuiAction, v: JsonValue): void {
  if (a.type == T_TYPE) a.text = textOf(first(v, TEXT_KEYS));
  else if (a.type == T_OPEN_APP) a.app = textOf(first(v, APP_KEYS));
  else if (a.type == T_HOTKEY || a.type == T_KEY) normalizeKeyAction(a, keysOf(first(v, KEYS_KEYS)));
  else if (a.type == T_SYSTEM_BUTTON) {
    const b = stringOf(v.get("button"));
    const word = b === null ? "" : b.trim().toLowerCase();
    if (word == "back") a.type = T_BACK;
    else if (word == "home") a.type = T_HOME;
    else if (word == "enter") a.type = T_ENTER;
    else normalizeKeyAction(a, keySet([word]));
  } else if (a.type == T_TERMINATE || a.type == T_CALL_USER) {
    const s = stringOf(first(v, STATUS_KEYS));
    a.status = a.type == T_CALL_USER ? "failure" : s === null ? "success" : normalizeStatus(s);
    a.type = T_TERMINATE;
    const content = textOf(first(v, TEXT_KEYS));
    if (content !== null) a.text = content;
  } else if (a.type == T_SCROLL || a.type == T_SWIPE || a.type == T_DRAG) {
    readDirection(a, v);
  }
}

/** One key (or none) is a `key`, Enter alone is `enter`, two or more keys are a `hotkey`. */
export function normalizeKeyAction(a: GuiAction, keys: string[]): void {
  a.keys = keys;
  if (keys.length >= 2) a.type = T_HOTKEY;
  else if (keys.length == 1 && keys[0] == "enter") {
    a.type = T_ENTER;
    a.keys = null;
  } else a.type = T_KEY;
}

function readDirection(a: GuiAction, v: JsonValue): void {
  let word = stringOf(first(v, DIRECTION_KEYS));
  // GUI-R1 puts the direction in input_text
  if (word === null) word = stringOf(first(v, ["input_text", "text"]));
  if (word !== null) {
    const d = normalizeDirection(word);
    // a swipe word names the finger's movement; the normalized direction is the content's
    if (d !== null) a.direction = a.type == T_SWIPE ? oppositeDirection(d) : d;
    return;
  }
  const amount = first(v, AMOUNT_KEYS);
  if (a.type == T_SCROLL && amount !== null && amount.kind == JsonKind.Number && amount.num != 0) {
    // pyautogui and computer_use: positive scrolls up, negative down
    a.direction = amount.num > 0 ? "up" : "down";
  }
}

function guiR1Shape(v: JsonValue): bool {
  const action = v.get("action");
  const point = v.get("point");
  const text = v.get("input_text");
  if (action === null || action.kind != JsonKind.String || text === null || text.kind != JsonKind.String) return false;
  if (point === null || point.kind != JsonKind.Array || point.items.length < 2) return false;
  const px = point.items[0];
  const py = point.items[1];
  if (px.kind != JsonKind.Number || !px.integral || py.kind != JsonKind.Number || !py.integral) return false;
  const name = action.str;
  if ((name == "type" || name == "select" || name == "open_app") && text.str == "no input text") return false;
  if (name == "scroll" && !(text.str == "up" || text.str == "down" || text.str == "left" || text.str == "right")) {
    return false;
  }
  return true;
}

/** Builds an action of a known type from an object of arguments (JSON keys or call keywords). */
export function actionFromObject(v: JsonValue, type: i32, name: string, syntax: string): GuiAction {
  const a = new GuiAction();
  a.type = type;
  a.name = name;
  a.syntax = syntax;
  readTargets(v, a);
  finishAction(a, v);
  a.guiR1Shape = guiR1Shape(v);
  return a;
}

// Parses a JSON text held in a string (tool-call arguments written as a string).
function parseNested(s: string): JsonValue | null {
  if (s.length > 1 << 20) return null;
  const bytes = String.UTF8.encode(s);
  return new JsonReader(changetype<usize>(bytes), bytes.byteLength, true).parseWhole();
}

function collectObject(v: JsonValue, depth: i32, syntax: string, out: Found): void {
  // Qwen2.5-VL: {"name": "mobile_use", "arguments": {"action": …}}; OpenAI-style {"name": "click", "arguments": {…}}
  let args = v.get("arguments");
  if (args === null) args = v.get("args");
  if (args === null) args = v.get("parameters");
  if (args !== null) {
    if (args.kind == JsonKind.String) {
      const nested = parseNested(args.str);
      if (nested === null) {
        out.unparsed++;
        return;
      }
      args = nested;
    }
    if (args.kind == JsonKind.Object) {
      const probe = new GuiAction();
      if (typeOfObject(args, probe) == T_NONE && first(args, ACTION_KEYS) === null) {
        // the action is the call's name
        const name = stringOf(v.get("name"));
        const t = name === null ? T_NONE : typeFromName(name);
        if (t != T_NONE) {
          out.add(actionFromObject(args, t, name!, "tool_call"));
          return;
        }
      }
      collectFrom(args, depth + 1, "tool_call", out);
      return;
    }
  }
  const probe = new GuiAction();
  const type = typeOfObject(v, probe);
  if (type != T_NONE) {
    out.add(actionFromObject(v, type, probe.name, syntax));
    return;
  }
  if (first(v, ACTION_KEYS) !== null) {
    const s = stringOf(first(v, ACTION_KEYS));
    if (s !== null && (s.trim().toLowerCase() == "none" || s.trim().length == 0)) out.refusal = true;
    else out.unknown = s === null ? "?" : s.length > 64 ? s.substring(0, 64) : s;
    return;
  }
  // a grounding answer without an action: {"point_2d": [x, y]} or {"bbox_2d": […]}
  const bare = new GuiAction();
  bare.type = T_NONE;
  bare.syntax = "bare_point";
  readTargets(v, bare);
  if (bare.hasPoint || bare.malformed) {
    out.addBare(bare);
    return;
  }
  // a wrapper such as {"actions": [...]} or {"answer": {...}}
  for (let i = 0; i < v.items.length; i++) collectFrom(unchecked(v.items[i]), depth + 1, syntax, out);
}

/** Collects the actions (and bare points) in one parsed value. */
export function collectFrom(v: JsonValue, depth: i32, syntax: string, out: Found): void {
  if (depth > MAX_ACTION_DEPTH || out.tooComplex) return;
  if (v.kind == JsonKind.Null) {
    out.refusal = true;
    return;
  }
  if (v.kind == JsonKind.Object) {
    collectObject(v, depth, syntax, out);
    return;
  }
  if (v.kind != JsonKind.Array) return;
  if (v.items.length == 0) {
    out.refusal = true;
    return;
  }
  const c = readCoords(v);
  if (c.count == 2 || c.count == 4) {
    const bare = new GuiAction();
    bare.type = T_NONE;
    bare.syntax = "bare_point";
    applyCoords(c, bare, false);
    out.addBare(bare);
    return;
  }
  for (let i = 0; i < v.items.length; i++) collectFrom(unchecked(v.items[i]), depth + 1, syntax, out);
}
