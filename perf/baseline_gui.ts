/**
 * The baseline for the `gui_action` benchmark: the same work as the engine on the common answer
 * shapes (validate the item, resolve its parameters, pull the action out of the response, map its
 * coordinates, match it against the reference, build the same result object) written as plain
 * TypeScript with regular expressions, in-process, on one thread. It knows only JSON actions,
 * Qwen2.5-VL tool calls and UI-TARS calls with the keys the benchmark items use: a floor, not a
 * verifier. Used only by `perf/`: the server never runs a regex on a model's output.
 */
import { ItemValidator } from "../verifiers/validate.ts";
import type { VerifyResult, WasmVerifier } from "../verifiers/mod.ts";
import type { GuiActionKernelParams } from "../verifiers/gui_action/mod.ts";

const ANSWER = /<answer>([\s\S]*?)<\/answer>/g;
const TOOL_CALL = /<tool_call>\s*([\s\S]*?)\s*<\/tool_call>/;
const ACTION_LINE = /Action:\s*([A-Za-z_]+)\(([\s\S]*)\)\s*$/;
const KWARG = /(\w+)\s*=\s*'((?:[^'\\]|\\.)*)'/g;
const NUMBER = /-?\d+(?:\.\d+)?/g;
const JSON_ACTION = /"action"\s*:\s*"([^"]*)"/;
const JSON_COORDINATE = /"coordinate"\s*:\s*\[\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*\]/;
const JSON_COORDINATE2 = /"coordinate2"\s*:\s*\[\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*\]/;
const JSON_STRING = (key: string) => new RegExp(`"${key}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`);
const JSON_TEXT = JSON_STRING("text");
const JSON_DIRECTION = JSON_STRING("direction");
const JSON_APP = JSON_STRING("app");
const JSON_BUTTON = JSON_STRING("button");

const TYPES: Record<string, string> = {
  click: "click",
  left_click: "click",
  tap: "click",
  long_press: "long_press",
  type: "type",
  scroll: "scroll",
  swipe: "swipe",
  open: "open_app",
  open_app: "open_app",
  back: "back",
  press_back: "back",
  home: "home",
  press_home: "home",
  system_button: "system_button",
};
const OPPOSITE: Record<string, string> = { up: "down", down: "up", left: "right", right: "left" };

interface Action {
  type: string;
  point?: [number, number];
  end?: [number, number];
  text?: string;
  direction?: string;
  app?: string;
}

function normalized(s: string): string {
  return s.trim().toLowerCase().split(/\s+/).join(" ");
}

// Parses the action out of the response; the syntax and the region it was found in.
function extract(response: string): { action: Action | null; syntax: string; extraction: string } {
  const answers = [...response.matchAll(ANSWER)];
  let region = response;
  let via = "whole";
  if (answers.length > 0) {
    region = answers[answers.length - 1][1];
    via = "answer_tag";
  } else {
    const line = ACTION_LINE.exec(response);
    if (line) {
      const type = TYPES[line[1].toLowerCase()];
      const kwargs: Record<string, string> = {};
      for (const m of line[2].matchAll(KWARG)) kwargs[m[1]] = m[2].replace(/\\(.)/g, "$1");
      const action: Action = { type: type ?? "none" };
      const box = kwargs.start_box ?? kwargs.point;
      const nums = box ? [...box.matchAll(NUMBER)].map((m) => Number(m[0])) : [];
      if (nums.length === 2) action.point = [nums[0], nums[1]];
      if (kwargs.content !== undefined) action.text = kwargs.content;
      if (kwargs.direction) action.direction = kwargs.direction.trim().toLowerCase();
      if (kwargs.app_name) action.app = kwargs.app_name;
      return {
        action: type ? action : null,
        syntax: "function_call",
        extraction: "action_line+function_call",
      };
    }
    const call = TOOL_CALL.exec(response);
    if (call) {
      region = call[1];
      const parsed = jsonAction(region);
      return { action: parsed, syntax: "tool_call", extraction: "whole+tool_call" };
    }
  }
  return { action: jsonAction(region), syntax: "json", extraction: `${via}+json` };
}

function jsonAction(text: string): Action | null {
  const name = JSON_ACTION.exec(text);
  const type = name ? TYPES[name[1].toLowerCase()] : undefined;
  if (!type) return null;
  const action: Action = { type };
  const c = JSON_COORDINATE.exec(text);
  if (c) action.point = [Number(c[1]), Number(c[2])];
  const c2 = JSON_COORDINATE2.exec(text);
  if (c2) action.end = [Number(c2[1]), Number(c2[2])];
  const t = JSON_TEXT.exec(text)?.[1];
  const d = JSON_DIRECTION.exec(text)?.[1];
  const a = JSON_APP.exec(text)?.[1];
  if (type === "type") action.text = t;
  if (type === "open_app") action.app = a ?? t;
  if (d) action.direction = d.toLowerCase();
  if (type === "system_button") {
    const button = (JSON_BUTTON.exec(text)?.[1] ?? "").toLowerCase();
    action.type = button === "back" || button === "home" || button === "enter" ? button : "key";
  }
  if (type === "swipe") {
    // a swipe names the finger's movement; compare the content's
    if (action.direction) action.direction = OPPOSITE[action.direction];
    else if (action.point && action.end) {
      const dx = action.end[0] - action.point[0];
      const dy = action.end[1] - action.point[1];
      const finger = Math.abs(dx) > Math.abs(dy) ? (dx > 0 ? "right" : "left") : dy > 0 ? "down" : "up";
      action.direction = OPPOSITE[finger];
    }
    action.type = "scroll";
  }
  return action;
}

/** Scores `gui_action` items the plain-TypeScript way, building the engine's result objects. */
export function scoreGuiBaseline(validator: ItemValidator, items: unknown[]): VerifyResult[] {
  return items.map((raw) => {
    const started = performance.now();
    const checked = validator.check(raw);
    if ("message" in checked) throw new Error(checked.message);
    const verifier: WasmVerifier = checked.item.verifier;
    const params = verifier.params(checked.item.reference, checked.item.options) as GuiActionKernelParams;
    const [numX, denX, numY, denY] = params.scale ?? [1, 1, 1, 1];
    const [w, h] = params.screen ?? [0, 0];
    const threshold = params.rules?.distance_threshold ?? 0.04;
    const ref = params.ref as {
      type: string;
      point?: number[];
      box?: number[];
      text?: string;
      direction?: string;
      app?: string;
    };
    const { action, syntax, extraction } = extract(checked.item.response);
    const details: Record<string, unknown> = {
      reason: null,
      profile: params.profile ?? "default",
      extraction,
      mapping: { coords: params.coords ?? "pixel", scale: [numX / denX, numY / denY] },
    };
    let correct = false;
    if (!action) details.reason = "bad_format";
    else {
      if (action.point) action.point = [action.point[0] / denX * numX, action.point[1] / denY * numY];
      const typeOk = action.type === ref.type;
      let targetOk = true;
      let rule = "none";
      const target: Record<string, unknown> = {};
      if (ref.box) {
        rule = "box";
        const [x1, y1, x2, y2] = ref.box;
        const p = action.point;
        targetOk = !!p && p[0] >= x1 && p[0] <= x2 && p[1] >= y1 && p[1] <= y2;
        target.inside = targetOk;
      } else if (ref.point) {
        rule = "distance";
        const p = action.point;
        const distance = p ? Math.hypot((p[0] - ref.point[0]) / w, (p[1] - ref.point[1]) / h) : Infinity;
        targetOk = distance <= threshold;
        if (p) target.distance = distance;
      }
      let argsOk = true;
      let argsRule = "none";
      if (ref.type === "type") {
        argsRule = "text";
        argsOk = action.text !== undefined && normalized(action.text) !== "" &&
          normalized(action.text) === normalized(ref.text!);
      } else if (ref.type === "scroll") {
        argsRule = "direction";
        argsOk = action.direction === ref.direction;
      } else if (ref.type === "open_app") {
        argsRule = "app";
        argsOk = action.app !== undefined && normalized(action.app) === normalized(ref.app!);
      }
      correct = typeOk && targetOk && argsOk;
      if (!correct) details.reason = "wrong";
      details.syntax = syntax;
      details.predicted = action;
      details.reference = ref;
      details.parts = { type: typeOk, target: targetOk, args: argsOk, format: true };
      details.target = { rule, ...target };
      details.args_rule = argsRule;
    }
    return {
      verifier: verifier.name,
      version: verifier.version,
      reward: correct ? 1 : 0,
      correct,
      details,
      error: null,
      ms: performance.now() - started,
    };
  });
}
