/**
 * Test helpers for the `gui_action` verifier: a normalized action (the shape the kernel shows as
 * `details.predicted`) printed in each syntax the kernel reads (verifiers/gui_action/README.md), the
 * way a model would write it. Used by tests/gui_action_roundtrip_test.ts; `pyEscape` also by
 * conformance/gui_action_test.ts.
 */

export type GuiActionType =
  | "click"
  | "long_press"
  | "double_click"
  | "right_click"
  | "type"
  | "scroll"
  | "swipe"
  | "drag"
  | "hotkey"
  | "key"
  | "open_app"
  | "back"
  | "home"
  | "enter"
  | "wait"
  | "terminate";

export type Direction = "up" | "down" | "left" | "right";

/**
 * A normalized action as the kernel writes it: a box comes with its center as `point`, `direction`
 * is in the scroll (content) convention, `keys` are canonical, de-duplicated and sorted.
 */
export interface GuiAct {
  type: GuiActionType;
  point?: [number, number];
  box?: [number, number, number, number];
  end_point?: [number, number];
  text?: string;
  direction?: Direction;
  keys?: string[];
  app?: string;
  status?: "success" | "failure";
}

/** The syntaxes, named as `details.syntax` names them. */
export const SYNTAX_NAMES = ["json", "tool_call", "function_call", "pyautogui", "python_literal"] as const;
export type SyntaxName = typeof SYNTAX_NAMES[number];

/** Picks among equivalent spellings: each call takes the next number of `list` (0 once it runs out). */
export class Choices {
  private at = 0;
  constructor(private readonly list: readonly number[] = []) {}
  pick<T>(options: readonly T[]): T {
    const n = this.list[this.at++] ?? 0;
    return options[n % options.length];
  }
  flip(): boolean {
    return this.pick([false, true]);
  }
}

/** The finger's movement for a scroll (content) direction: the finger moves up to scroll down. */
export const FINGER: Record<Direction, Direction> = { up: "down", down: "up", left: "right", right: "left" };

/** The inside of a Python single-quoted string: `\\`, `\'`, `\n` escaped (UI-TARS, pyautogui). */
export function pyEscape(s: string): string {
  return s.replaceAll("\\", "\\\\").replaceAll("'", "\\'").replaceAll("\n", "\\n");
}

// What Python's str.isprintable() rejects: controls, format characters, separators other than the
// ASCII space, private use, surrogates and unassigned code points.
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Zs}\p{Co}\p{Cs}\p{Cn}]$/u;

function controlEscape(s: string): string {
  // what Python's repr() escapes besides the quote and the backslash: \n, \r, \t, then \xNN below
  // U+0100 and \uNNNN in the rest of the BMP (beyond it repr() writes \UNNNNNNNN, which the kernel's
  // literal reader does not know: those characters are left as they are)
  let out = "";
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === " " || code > 0xffff || !NON_PRINTABLE.test(ch)) out += ch;
    else if (code < 0x100) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += `\\u${code.toString(16).padStart(4, "0")}`;
  }
  return out;
}

/** A Python single-quoted string literal with every escape a model may write. */
export function pyString(s: string): string {
  return `'${controlEscape(s.replaceAll("\\", "\\\\").replaceAll("'", "\\'"))}'`;
}

/** A string literal as Python's repr() writes it: double quotes when the text has ' and no ". */
export function pyRepr(s: string): string {
  if (s.includes("'") && !s.includes('"')) return `"${controlEscape(s.replaceAll("\\", "\\\\"))}"`;
  return pyString(s);
}

/** A Python literal of JSON-like data (dicts, lists, strings, numbers, True/False/None). */
export function pyLiteral(v: unknown): string {
  if (typeof v === "string") return pyRepr(v);
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "True" : "False";
  if (v === null || v === undefined) return "None";
  if (Array.isArray(v)) return `[${v.map(pyLiteral).join(", ")}]`;
  return `{${
    Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pyRepr(k)}: ${pyLiteral(x)}`).join(", ")
  }}`;
}

const KEY_SPELLINGS: Record<string, string[]> = {
  ctrl: ["ctrl", "Ctrl", "CTRL", "control", "Control"],
  meta: ["meta", "cmd", "command", "win", "super"],
  alt: ["alt", "Alt", "option"],
  shift: ["shift", "Shift"],
  escape: ["escape", "esc", "Esc"],
  enter: ["enter", "Enter", "return"],
  delete: ["delete", "del"],
  pageup: ["pageup", "pgup"],
  pagedown: ["pagedown", "pgdn"],
  up: ["up", "arrowup", "ArrowUp"],
  down: ["down", "arrowdown"],
  left: ["left", "ArrowLeft"],
  right: ["right", "arrowright"],
  space: ["space", "spacebar"],
  backspace: ["backspace", "bksp"],
};

/** A canonical key name as a model may spell it ("ctrl" → "Control", "meta" → "cmd", "c" → "C"). */
export function spellKey(k: string, c: Choices): string {
  return c.pick(KEY_SPELLINGS[k] ?? [k, k.toUpperCase()]);
}

function spelledKeys(a: GuiAct, c: Choices): string[] {
  return (a.keys ?? []).map((k) => spellKey(k, c));
}

const CLICKS = new Set<GuiActionType>(["click", "long_press", "double_click", "right_click"]);

// ---------------------------------------------------------------------------------------------
// JSON action: every action type can be written.

const JSON_NAMES: Record<GuiActionType, string[]> = {
  click: ["click", "tap", "left_click", "CLICK"],
  long_press: ["long_press", "longPress", "long_click"],
  double_click: ["double_click", "doubleClick", "double_tap"],
  right_click: ["right_click", "rightClick"],
  type: ["type", "input_text", "write", "TYPE"],
  scroll: ["scroll", "Scroll"],
  swipe: ["swipe"],
  drag: ["drag", "drag_and_drop", "dragTo"],
  hotkey: ["hotkey", "key", "key_combination"],
  key: ["key", "press", "press_key", "hotkey"],
  open_app: ["open_app", "open", "launch"],
  back: ["back", "navigate_back", "press_back"],
  home: ["home", "navigate_home", "press_home"],
  enter: ["enter", "press_enter"],
  wait: ["wait"],
  terminate: ["terminate", "finished", "done", "status_task_complete"],
};

/** The arguments of a JSON action object (also GUI-R1's dict and a tool call's `arguments`). */
function jsonObject(a: GuiAct, c: Choices): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const actionKey = c.pick(["action", "action_type"]);
  o[actionKey] = c.pick(JSON_NAMES[a.type]);
  if (a.type === "terminate" && a.status === "failure" && c.flip()) {
    o[actionKey] = c.pick(["call_user", "infeasible"]);
  } else if (a.type === "enter" && c.flip()) {
    o[actionKey] = "key";
    o.keys = [spellKey("enter", c)];
  }
  if (a.box) o[c.pick(["bbox", "box", "bbox_2d"])] = a.box;
  else if (a.point) {
    const key = c.pick(["coordinate", "point", "position", "x+y"]);
    if (key === "x+y") {
      o.x = a.point[0];
      o.y = a.point[1];
    } else o[key] = a.point;
  }
  if (a.end_point) o[c.pick(["coordinate2", "end_point", "end_coordinate"])] = a.end_point;
  if (a.type === "type" && a.text !== undefined) o[c.pick(["text", "input_text", "content"])] = a.text;
  if (a.type === "terminate" && a.text !== undefined) o[c.pick(["text", "content"])] = a.text;
  if (a.type === "scroll") o.direction = a.direction;
  // a swipe word names the finger's movement; with two points the direction follows from them
  if (a.type === "swipe" && !a.end_point) o.direction = FINGER[a.direction!];
  if (a.keys) {
    const keys = spelledKeys(a, c);
    o[c.pick(["keys", "key"])] = c.pick([keys, keys.join("+"), keys.join(" ")]);
  }
  if (a.app !== undefined) o[c.pick(["app", "app_name"])] = a.app;
  if (a.status === "failure" && !["call_user", "infeasible"].includes(o[actionKey] as string)) {
    o.status = "failure";
  }
  if (a.status === "success" && c.flip()) o.status = "success";
  return o;
}

/** `{"action": …}`, bare, inside <answer> tags or in a ```json fence. */
export function renderJson(a: GuiAct, c: Choices = new Choices()): string {
  const json = JSON.stringify(jsonObject(a, c), null, c.pick([undefined, 1]));
  return c.pick([
    json,
    `<think>I act.</think>\n<answer>${json}</answer>`,
    `<answer>\`\`\`json\n${json}\n\`\`\`</answer>`,
  ]);
}

// ---------------------------------------------------------------------------------------------
// Qwen2.5-VL tool call (mobile_use / computer_use, their own argument names).

/** `<tool_call>{"name": "mobile_use" | "computer_use", "arguments": {…}}</tool_call>`, or null. */
export function renderToolCall(a: GuiAct, c: Choices = new Choices()): string | null {
  let name = "mobile_use";
  let args: Record<string, unknown>;
  // Qwen's actions take a coordinate, never a box
  if (a.box) return null;
  switch (a.type) {
    case "click":
      name = c.pick(["mobile_use", "computer_use"]);
      args = { action: name === "mobile_use" ? "click" : "left_click", coordinate: a.point };
      break;
    case "long_press":
      args = { action: "long_press", coordinate: a.point, time: 2 };
      break;
    case "double_click":
    case "right_click":
      name = "computer_use";
      args = { action: a.type, coordinate: a.point };
      break;
    case "type":
      name = c.pick(["mobile_use", "computer_use"]);
      args = { action: "type", text: a.text };
      break;
    case "scroll": {
      // computer_use scrolls the wheel: positive pixels up, negative down; no left or right
      if (a.direction !== "up" && a.direction !== "down") return null;
      name = "computer_use";
      const pixels = c.pick([1, 100, 300, 1000]) * (a.direction === "up" ? 1 : -1);
      args = a.point ? { action: "scroll", coordinate: a.point, pixels } : { action: "scroll", pixels };
      break;
    }
    case "swipe":
      // mobile_use swipes from a point to a point
      if (!a.point || !a.end_point) return null;
      args = { action: "swipe", coordinate: a.point, coordinate2: a.end_point };
      break;
    case "hotkey":
      name = "computer_use";
      args = { action: "key", keys: spelledKeys(a, c) };
      break;
    case "key":
      name = c.pick(["mobile_use", "computer_use"]);
      args = name === "mobile_use" ? { action: "key", text: spelledKeys(a, c)[0] } : {
        action: "key",
        keys: spelledKeys(a, c),
      };
      break;
    case "open_app":
      args = { action: "open", text: a.app };
      break;
    case "back":
    case "home":
      args = { action: "system_button", button: c.pick([a.type === "back" ? "Back" : "Home", a.type]) };
      break;
    case "enter":
      if (c.flip()) {
        name = "computer_use";
        args = { action: "key", keys: [spellKey("enter", c)] };
      } else args = { action: "system_button", button: "Enter" };
      break;
    case "wait":
      name = c.pick(["mobile_use", "computer_use"]);
      args = { action: "wait", time: c.pick([1, 2.5]) };
      break;
    case "terminate":
      if (a.text !== undefined) return null;
      name = c.pick(["mobile_use", "computer_use"]);
      args = { action: "terminate", status: a.status };
      break;
    case "drag":
      // computer_use's left_click_drag: `coordinate` is where the drag ends, `start_coordinate` (as
      // Anthropic's computer use writes it) where it starts
      if (!a.point || !a.end_point) return null;
      name = "computer_use";
      args = c.flip()
        ? { action: "left_click_drag", start_coordinate: a.point, coordinate: a.end_point }
        : { action: "left_click_drag", coordinate: a.end_point, start_coordinate: a.point };
      break;
  }
  const call = { name, arguments: c.flip() ? JSON.stringify(args) : args };
  return `${c.pick(["", "I will do it.\n"])}<tool_call>\n${JSON.stringify(call)}\n</tool_call>`;
}

// ---------------------------------------------------------------------------------------------
// UI-TARS function call.

function uiTarsPoint(p: [number, number], c: Choices): string {
  return c.pick([
    `'(${p[0]},${p[1]})'`,
    `'<|box_start|>(${p[0]},${p[1]})<|box_end|>'`,
    `'<point>${p[0]} ${p[1]}</point>'`,
  ]);
}

function uiTarsTarget(a: GuiAct, c: Choices): string {
  if (a.box) {
    const [x1, y1, x2, y2] = a.box;
    return `start_box=${
      c.pick([`'(${x1},${y1},${x2},${y2})'`, `'<|box_start|>(${x1},${y1}),(${x2},${y2})<|box_end|>'`])
    }`;
  }
  const point = uiTarsPoint(a.point!, c);
  return `${point.includes("<point>") ? "point" : "start_box"}=${point}`;
}

/** `Thought: …\nAction: click(start_box='(x,y)')` and the other UI-TARS calls, or null. */
export function renderUiTars(a: GuiAct, c: Choices = new Choices()): string | null {
  let call: string;
  switch (a.type) {
    case "click":
    case "long_press":
    case "double_click":
    case "right_click": {
      const name = {
        click: "click",
        long_press: "long_press",
        double_click: "left_double",
        right_click: "right_single",
      }[
        a.type
      ];
      call = `${a.type === "click" ? c.pick(["click", "left_single"]) : name}(${uiTarsTarget(a, c)})`;
      break;
    }
    case "type":
      call = `type(content=${pyString(a.text!)})`;
      break;
    case "scroll":
      call = `scroll(${a.point ? uiTarsTarget(a, c) + ", " : ""}direction='${a.direction}')`;
      break;
    case "swipe":
      // UI-TARS has no swipe of its own; the call syntax takes any action name the kernel knows
      call = a.end_point
        ? `swipe(start_box=${uiTarsPoint(a.point!, c)}, end_box=${uiTarsPoint(a.end_point, c)})`
        : `swipe(${a.point ? uiTarsTarget(a, c) + ", " : ""}direction='${FINGER[a.direction!]}')`;
      break;
    case "drag":
      call = `drag(start_box=${uiTarsPoint(a.point!, c)}, end_box=${uiTarsPoint(a.end_point!, c)})`;
      break;
    case "hotkey":
    case "key":
      call = `hotkey(key='${spelledKeys(a, c).join(" ")}')`;
      break;
    case "open_app":
      call = `open_app(app_name=${pyString(a.app!)})`;
      break;
    case "back":
      call = "press_back()";
      break;
    case "home":
      call = "press_home()";
      break;
    case "enter":
      call = c.pick(["press_enter()", `hotkey(key='${spellKey("enter", c)}')`]);
      break;
    case "wait":
      call = "wait()";
      break;
    case "terminate":
      if (a.status === "failure") {
        // call_user() hands over without an answer
        if (a.text !== undefined) return null;
        call = "call_user()";
      } else call = a.text === undefined ? "finished()" : `finished(content=${pyString(a.text)})`;
      break;
  }
  return `Thought: ${c.pick(["", "I see the screen.", "Next step (1, 2)"])}\nAction: ${call}`;
}

// ---------------------------------------------------------------------------------------------
// pyautogui (desktop: no long press, app, back, home, swipe, wait or terminate; no boxes).

/** `pyautogui.click(x=…, y=…)` and the other pyautogui calls, or null. */
export function renderPyautogui(a: GuiAct, c: Choices = new Choices()): string | null {
  if (a.box) return null;
  const at = (p: [number, number]) => c.pick([`x=${p[0]}, y=${p[1]}`, `${p[0]}, ${p[1]}`]);
  let call: string;
  switch (a.type) {
    case "click":
      call = `click(${at(a.point!)})`;
      break;
    case "double_click":
      call = `doubleClick(${at(a.point!)})`;
      break;
    case "right_click":
      call = `rightClick(${at(a.point!)})`;
      break;
    case "type":
      call = `${c.pick(["write", "typewrite"])}(${pyString(a.text!)})`;
      break;
    case "scroll": {
      // scroll(clicks): positive up; hscroll(clicks): positive right
      const n = c.pick([1, 3, 10]);
      const clicks = a.direction === "up" || a.direction === "right" ? n : -n;
      const name = a.direction === "up" || a.direction === "down" ? "scroll" : "hscroll";
      call = `${name}(${clicks}${a.point ? ", " + at(a.point) : ""})`;
      break;
    }
    case "hotkey":
      call = `hotkey(${spelledKeys(a, c).map(pyString).join(", ")})`;
      break;
    case "key":
      call = `press(${pyString(spelledKeys(a, c)[0])})`;
      break;
    case "enter":
      call = `press(${pyString(spellKey("enter", c))})`;
      break;
    default:
      return null;
  }
  return `pyautogui.${call}`;
}

// ---------------------------------------------------------------------------------------------
// GUI-R1 / UI-R1 Python-literal list: action, point and input_text, plus the JSON keys the action
// needs beyond them (bbox, end_point, status).

const R1_NAMES: Partial<Record<GuiActionType, string[]>> = {
  back: ["press_back"],
  home: ["press_home"],
  terminate: ["complete", "terminate"],
};

/** `[{'action': 'click', 'point': [x, y], 'input_text': 'no input text'}]`. */
export function renderPythonLiteral(a: GuiAct, c: Choices = new Choices()): string {
  const o: Record<string, unknown> = { action: c.pick(R1_NAMES[a.type] ?? [a.type]) };
  if (a.box) o.bbox = a.box;
  else if (a.point) o.point = a.point;
  if (a.end_point) o.end_point = a.end_point;
  let text = "no input text";
  if (a.type === "type" || a.type === "terminate") text = a.text ?? text;
  else if (a.type === "open_app") text = a.app!;
  else if (a.type === "scroll") text = a.direction!;
  else if (a.type === "swipe" && !a.end_point) text = FINGER[a.direction!];
  else if (a.keys) text = spelledKeys(a, c).join(" ");
  o.input_text = text;
  if (a.status === "failure") o.status = "failure";
  const list = pyLiteral([o]);
  return c.pick([list, `<think>I act.</think>\n<answer>${list}</answer>`, `<answer>${list}</answer>`]);
}

/** The printer of each syntax; null where the syntax cannot express the action. */
export const RENDERERS: Record<SyntaxName, (a: GuiAct, c?: Choices) => string | null> = {
  json: renderJson,
  tool_call: renderToolCall,
  function_call: renderUiTars,
  pyautogui: renderPyautogui,
  python_literal: renderPythonLiteral,
};

/** True for click-like types (a point or a box). */
export function isClick(t: GuiActionType): boolean {
  return CLICKS.has(t);
}
