// The normalized GUI action every syntax lands in: a type from a closed list plus its arguments.
// Coordinates stay in the answer's own space here; `_gui_match` maps them to reference pixels.

export const T_NONE: i32 = -1;
export const T_CLICK: i32 = 0;
export const T_LONG_PRESS: i32 = 1;
export const T_DOUBLE_CLICK: i32 = 2;
export const T_RIGHT_CLICK: i32 = 3;
export const T_TYPE: i32 = 4;
export const T_SCROLL: i32 = 5;
export const T_SWIPE: i32 = 6;
export const T_DRAG: i32 = 7;
export const T_HOTKEY: i32 = 8;
export const T_KEY: i32 = 9;
export const T_OPEN_APP: i32 = 10;
export const T_BACK: i32 = 11;
export const T_HOME: i32 = 12;
export const T_ENTER: i32 = 13;
export const T_WAIT: i32 = 14;
export const T_TERMINATE: i32 = 15;
/** `call_user()` and friends: a terminate with status "failure" (the agent hands over). */
export const T_CALL_USER: i32 = 16;
/** `system_button` (Qwen2.5-VL mobile_use): back, home, enter or menu by its `button` argument. */
export const T_SYSTEM_BUTTON: i32 = 17;

const TYPE_NAMES: string[] = [
  "click", "long_press", "double_click", "right_click", "type", "scroll", "swipe", "drag", "hotkey", "key",
  "open_app", "back", "home", "enter", "wait", "terminate",
];

/** The normalized name of a type ("none" for T_NONE). */
export function typeName(t: i32): string {
  return t >= 0 && t < TYPE_NAMES.length ? unchecked(TYPE_NAMES[t]) : "none";
}

// Spellings of each type, lower-cased with '_', '-', '.' and spaces removed (see `typeFromName`).
const ALIASES: string[] = [
  "click tap leftclick leftsingle singleclick singletap touch clickat",
  "longpress longclick longtap pressandhold hold",
  "doubleclick leftdouble doubletap dblclick",
  "rightclick rightsingle contextclick secondaryclick",
  "type typing input inputtext write typewrite typetext entertext settext",
  "scroll scrollpage",
  "swipe fling",
  "drag dragto leftclickdrag draganddrop dragdrop",
  "hotkey keycombination presskeys keycombo shortcut",
  "key press presskey keypress keyboard",
  "openapp open launch launchapp startapp awake openapplication",
  "back navigateback pressback goback",
  "home navigatehome presshome gohome",
  "enter pressenter",
  "wait sleep pause",
  "terminate finished finish done complete completed stop taskcomplete statustaskcomplete",
  "calluser fail failed infeasible impossible statustaskimpossible",
  "systembutton",
];

function isSkipped(c: i32): bool {
  return c == 0x5f || c == 0x2d || c == 0x2e || c == 0x20;
}

function lowerAscii(c: i32): i32 {
  return c >= 0x41 && c <= 0x5a ? c + 32 : c;
}

// True when `name`, lower-cased and without '_', '-', '.' and spaces, equals words[from, to).
function sameSquashed(name: string, words: string, from: i32, to: i32): bool {
  let j = from;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (isSkipped(c)) continue;
    if (j >= to || lowerAscii(c) != words.charCodeAt(j)) return false;
    j++;
  }
  return j == to;
}

/** True when `name`, lower-cased and without '_', '-', '.' and spaces, is `squashed` ("leftclickdrag"). */
export function nameIs(name: string, squashed: string): bool {
  return name.length <= 64 && sameSquashed(name, squashed, 0, squashed.length);
}

/** The type an action name stands for (any listed spelling, any case, '_', '-', '.' or spaces ignored), or T_NONE. */
export function typeFromName(name: string): i32 {
  if (name.length == 0 || name.length > 40) return T_NONE;
  for (let t = 0; t < ALIASES.length; t++) {
    const words = unchecked(ALIASES[t]);
    let from = 0;
    const n = words.length;
    while (from < n) {
      let to = from;
      while (to < n && words.charCodeAt(to) != 0x20) to++;
      if (sameSquashed(name, words, from, to)) return t;
      from = to + 1;
    }
  }
  return T_NONE;
}

/** One action as the model wrote it, after normalization of names and arguments. */
export class GuiAction {
  type: i32 = T_NONE;
  // the spelling the model used for the type
  name: string = "";
  hasPoint: bool = false;
  x: f64 = 0;
  y: f64 = 0;
  // a box the model gave instead of (or as well as) a point; the point is then its center
  hasBox: bool = false;
  x1: f64 = 0;
  y1: f64 = 0;
  x2: f64 = 0;
  y2: f64 = 0;
  hasEnd: bool = false;
  ex: f64 = 0;
  ey: f64 = 0;
  text: string | null = null;
  // always in the scroll (content) convention: "down" shows what is below
  direction: string | null = null;
  keys: string[] | null = null;
  app: string | null = null;
  status: string | null = null;
  // a point or box was present but could not be read
  malformed: bool = false;
  // "json", "tool_call", "python_literal", "function_call", "pyautogui", "bare_point"
  syntax: string = "json";
  // for the gui_r1 format rule: the dict had action, point (2 integers) and input_text (a string)
  guiR1Shape: bool = false;

  setPoint(x: f64, y: f64): void {
    this.hasPoint = true;
    this.x = x;
    this.y = y;
  }

  setBox(x1: f64, y1: f64, x2: f64, y2: f64): void {
    this.hasBox = true;
    this.x1 = x1;
    this.y1 = y1;
    this.x2 = x2;
    this.y2 = y2;
    if (!this.hasPoint) this.setPoint((x1 + x2) / 2, (y1 + y2) / 2);
  }

  setEnd(x: f64, y: f64): void {
    this.hasEnd = true;
    this.ex = x;
    this.ey = y;
  }

  /** True when both actions say the same thing (used to tell a repeat from a hedge). */
  sameAs(o: GuiAction): bool {
    if (this.type != o.type || this.hasPoint != o.hasPoint || this.hasEnd != o.hasEnd) return false;
    if (this.hasPoint && (this.x != o.x || this.y != o.y)) return false;
    if (this.hasEnd && (this.ex != o.ex || this.ey != o.ey)) return false;
    if (!sameText(this.text, o.text) || !sameText(this.direction, o.direction)) return false;
    if (!sameText(this.app, o.app) || !sameText(this.status, o.status)) return false;
    return sameText(joinKeys(this.keys), joinKeys(o.keys));
  }
}

function sameText(a: string | null, b: string | null): bool {
  if (a === null) return b === null;
  if (b === null) return false;
  return a == b;
}

function joinKeys(k: string[] | null): string | null {
  if (k === null) return null;
  return k.join("+");
}
