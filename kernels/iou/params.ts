// The `iou` kernel's parameters, as the host glue (verifiers/iou/mod.ts) resolves them.

import { Box } from "./geometry";
import { JsonKind, JsonValue } from "../_lib/json";

export const MODE_REC: i32 = 0;
export const MODE_DETECTION: i32 = 1;
export const MODE_POINT: i32 = 2;
export const MODE_TEMPORAL: i32 = 3;

export const FORMAT_XYXY: i32 = 0;
export const FORMAT_XYWH: i32 = 1;
export const FORMAT_CXCYWH: i32 = 2;

/** Everything trusted about one item: the reference, the mode and how to map the answer's coordinates. */
export class IouParams {
  mode: i32 = MODE_REC;
  modeName: string = "rec";
  vlmR1: bool = false;
  reward: string = "iou";
  threshold: f64 = 0.5;
  boxFormat: i32 = FORMAT_XYXY;
  boxFormatName: string = "xyxy";
  coords: string = "pixel";
  // a prediction coordinate p maps to reference pixels as p / den * num (per axis)
  numX: f64 = 1;
  denX: f64 = 1;
  numY: f64 = 1;
  denY: f64 = 1;
  refBox: Box = new Box(0, 0, 0, 0);
  refBoxes: Box[] = [];
  // lower-cased by the host in the default profile; null when the reference has none
  refLabels: string[] | null = null;
  segStart: f64 = 0;
  segEnd: f64 = 0;
  maxMatches: i32 = 100;

  /** x in the answer's coordinates → x in reference pixels. */
  mapX(x: f64): f64 {
    return x / this.denX * this.numX;
  }

  mapY(y: f64): f64 {
    return y / this.denY * this.numY;
  }
}

function str(v: JsonValue, key: string, fallback: string): string {
  const x = v.get(key);
  return x !== null && x.kind == JsonKind.String ? x.str : fallback;
}

function num(v: JsonValue, key: string, fallback: f64): f64 {
  const x = v.get(key);
  return x !== null && x.kind == JsonKind.Number ? x.num : fallback;
}

function boxOf(v: JsonValue | null): Box {
  if (v === null || v.kind != JsonKind.Array || v.items.length != 4) return new Box(0, 0, 0, 0);
  return new Box(v.items[0].num, v.items[1].num, v.items[2].num, v.items[3].num);
}

/** Reads the parameter object written by the host. */
export function readIouParams(v: JsonValue): IouParams {
  const p = new IouParams();
  p.modeName = str(v, "mode", "rec");
  if (p.modeName == "detection") p.mode = MODE_DETECTION;
  else if (p.modeName == "point") p.mode = MODE_POINT;
  else if (p.modeName == "temporal") p.mode = MODE_TEMPORAL;
  p.vlmR1 = str(v, "profile", "default") == "vlm_r1";
  p.reward = str(v, "reward", "iou");
  p.threshold = num(v, "threshold", 0.5);
  p.boxFormatName = str(v, "box_format", "xyxy");
  if (p.boxFormatName == "xywh") p.boxFormat = FORMAT_XYWH;
  else if (p.boxFormatName == "cxcywh") p.boxFormat = FORMAT_CXCYWH;
  p.coords = str(v, "coords", "pixel");
  const scale = v.get("scale");
  if (scale !== null && scale.kind == JsonKind.Array && scale.items.length == 4) {
    p.numX = scale.items[0].num;
    p.denX = scale.items[1].num;
    p.numY = scale.items[2].num;
    p.denY = scale.items[3].num;
  }
  p.refBox = boxOf(v.get("box"));
  const boxes = v.get("boxes");
  if (boxes !== null && boxes.kind == JsonKind.Array) {
    for (let i = 0; i < boxes.items.length; i++) p.refBoxes.push(boxOf(boxes.items[i]));
  }
  const labels = v.get("labels");
  if (labels !== null && labels.kind == JsonKind.Array) {
    const list = new Array<string>();
    for (let i = 0; i < labels.items.length; i++) list.push(labels.items[i].str);
    p.refLabels = list;
  }
  const segment = v.get("segment");
  if (segment !== null && segment.kind == JsonKind.Array && segment.items.length == 2) {
    p.segStart = segment.items[0].num;
    p.segEnd = segment.items[1].num;
  }
  p.maxMatches = <i32>num(v, "max_matches", 100);
  return p;
}
