// The `gui_action` kernel's parameters, as the host glue (verifiers/gui_action/params.ts) resolves
// them: the reference action, the coordinate mapping, and the profile's matching rules spelled out.

import { GuiAction, T_HOTKEY, T_KEY, T_TERMINATE, typeFromName } from "./action";
import { normalizeKeyAction } from "./from_json";
import { keySet, normalizeStatus } from "./words";
import { JsonKind, JsonValue } from "../_lib/json";

export const DIST_SCREEN: i32 = 0; // Euclidean distance of (x / W, y / H) points, AITW
export const DIST_WIDTH: i32 = 1; // pixel distance as a fraction of the screen width, UI-R1
export const DIST_PIXELS: i32 = 2; // pixel distance, GUI-R1

export const TEXT_EXACT: i32 = 0;
export const TEXT_F1: i32 = 1;
export const TEXT_SUBSTRING: i32 = 2;
export const TEXT_IGNORE: i32 = 3;

export const FORMAT_PARSED: i32 = 0;
export const FORMAT_THINK_ANSWER: i32 = 1;
export const FORMAT_GUI_R1: i32 = 2;

/** How a profile matches two actions. */
export class GuiRules {
  boxInclusive: bool = true;
  // AITW grows each side of the box by this fraction of its size before testing (1.4); 0: none
  boxAugment: f64 = 0;
  // with a box and a point in the reference: a point near the reference point also counts (AITW)
  boxOrDistance: bool = false;
  distance: i32 = DIST_SCREEN;
  distanceThreshold: f64 = 0.04;
  distanceStrict: bool = false; // `<` instead of `<=`
  text: i32 = TEXT_EXACT;
  textThreshold: f64 = 0.5;
  app: i32 = TEXT_EXACT;
  directionAxisOnly: bool = false;
  keys: bool = true;
  status: bool = true;
  targets: bool = true;
  args: bool = true;
  format: i32 = FORMAT_PARSED;
}

/** Everything trusted about one item. */
export class GuiParams {
  profile: string = "default";
  coords: string = "pixel";
  ref: GuiAction = new GuiAction();
  refAbsent: bool = false;
  // a prediction coordinate p maps to reference pixels as p / den * num (per axis)
  numX: f64 = 1;
  denX: f64 = 1;
  numY: f64 = 1;
  denY: f64 = 1;
  screenW: f64 = 0;
  screenH: f64 = 0;
  rules: GuiRules = new GuiRules();
  // reward = Σ w·part / Σ w over accuracy, type, target, args and format
  wAccuracy: f64 = 1;
  wType: f64 = 0;
  wTarget: f64 = 0;
  wArgs: f64 = 0;
  wFormat: f64 = 0;
  aepo: bool = false;

  mapX(x: f64): f64 {
    return x / this.denX * this.numX;
  }

  mapY(y: f64): f64 {
    return y / this.denY * this.numY;
  }
}

function str(v: JsonValue | null, key: string, fallback: string): string {
  if (v === null) return fallback;
  const x = v.get(key);
  return x !== null && x.kind == JsonKind.String ? x.str : fallback;
}

function num(v: JsonValue | null, key: string, fallback: f64): f64 {
  if (v === null) return fallback;
  const x = v.get(key);
  return x !== null && x.kind == JsonKind.Number ? x.num : fallback;
}

function flag(v: JsonValue | null, key: string, fallback: bool): bool {
  if (v === null) return fallback;
  const x = v.get(key);
  return x !== null && x.kind == JsonKind.Bool ? x.bool : fallback;
}

function numbers(v: JsonValue | null, n: i32): f64[] | null {
  if (v === null || v.kind != JsonKind.Array || v.items.length != n) return null;
  const out = new Array<f64>();
  for (let i = 0; i < n; i++) out.push(v.items[i].num);
  return out;
}

function textRule(name: string): i32 {
  if (name == "f1") return TEXT_F1;
  if (name == "substring") return TEXT_SUBSTRING;
  if (name == "ignore") return TEXT_IGNORE;
  return TEXT_EXACT;
}

function readRules(v: JsonValue | null): GuiRules {
  const r = new GuiRules();
  r.boxInclusive = str(v, "box_edges", "inclusive") == "inclusive";
  r.boxAugment = num(v, "box_augment", 0);
  r.boxOrDistance = flag(v, "box_or_distance", false);
  const d = str(v, "distance", "screen");
  r.distance = d == "width" ? DIST_WIDTH : d == "pixels" ? DIST_PIXELS : DIST_SCREEN;
  r.distanceThreshold = num(v, "distance_threshold", 0.04);
  r.distanceStrict = flag(v, "distance_strict", false);
  r.text = textRule(str(v, "text", "exact"));
  r.textThreshold = num(v, "text_threshold", 0.5);
  r.app = textRule(str(v, "app", "exact"));
  r.directionAxisOnly = str(v, "direction", "exact") == "axis";
  r.keys = str(v, "keys", "set") != "ignore";
  r.status = str(v, "status", "exact") != "ignore";
  r.targets = str(v, "targets", "check") != "ignore";
  r.args = str(v, "args", "check") != "ignore";
  const f = str(v, "format", "parsed");
  r.format = f == "think_answer" ? FORMAT_THINK_ANSWER : f == "gui_r1" ? FORMAT_GUI_R1 : FORMAT_PARSED;
  return r;
}

function readReference(v: JsonValue | null, p: GuiParams): void {
  const a = p.ref;
  a.syntax = "reference";
  a.name = str(v, "type", "none");
  a.type = typeFromName(a.name);
  p.refAbsent = flag(v, "absent", false);
  if (v === null) return;
  const point = numbers(v.get("point"), 2);
  if (point !== null) a.setPoint(point[0], point[1]);
  const box = numbers(v.get("box"), 4);
  if (box !== null) a.setBox(box[0], box[1], box[2], box[3]);
  const end = numbers(v.get("end_point"), 2);
  if (end !== null) a.setEnd(end[0], end[1]);
  const text = v.get("text");
  if (text !== null && text.kind == JsonKind.String) a.text = text.str;
  const dir = v.get("direction");
  if (dir !== null && dir.kind == JsonKind.String) a.direction = dir.str;
  const app = v.get("app");
  if (app !== null && app.kind == JsonKind.String) a.app = app.str;
  const status = v.get("status");
  if (status !== null && status.kind == JsonKind.String) a.status = normalizeStatus(status.str);
  if (a.type == T_TERMINATE && a.status === null) a.status = "success";
  const keys = v.get("keys");
  if (keys !== null && keys.kind == JsonKind.Array && (a.type == T_HOTKEY || a.type == T_KEY)) {
    const parts = new Array<string>();
    for (let i = 0; i < keys.items.length; i++) parts.push(keys.items[i].str);
    normalizeKeyAction(a, keySet(parts));
  }
}

/** Reads the parameter object written by the host. */
export function readGuiParams(v: JsonValue): GuiParams {
  const p = new GuiParams();
  p.profile = str(v, "profile", "default");
  p.coords = str(v, "coords", "pixel");
  readReference(v.get("ref"), p);
  const scale = numbers(v.get("scale"), 4);
  if (scale !== null) {
    p.numX = scale[0];
    p.denX = scale[1];
    p.numY = scale[2];
    p.denY = scale[3];
  }
  const screen = numbers(v.get("screen"), 2);
  if (screen !== null) {
    p.screenW = screen[0];
    p.screenH = screen[1];
  }
  p.rules = readRules(v.get("rules"));
  const w = v.get("weights");
  p.wAccuracy = num(w, "accuracy", 1);
  p.wType = num(w, "type", 0);
  p.wTarget = num(w, "target", 0);
  p.wArgs = num(w, "args", 0);
  p.wFormat = num(w, "format", 0);
  p.aepo = str(v, "candidates", "none") == "aepo";
  return p;
}
