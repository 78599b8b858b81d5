// profile "vlm_r1": VLM-R1's published REC and detection accuracy rewards, re-implemented for parity.
// REC: the first <answer>…</answer> block, the first "[int, int, int, int]" in it, mapped to the
// image's pixels, VLM-R1's pixel-inclusive IoU. Detection: the first ```json fence of the whole
// completion, a strict JSON list of {"bbox_2d", "label"}, COCO AP at IoU 0.50 (pycocotools stats[1]).

import { Box, vlmR1Iou } from "./geometry";
import { detectionMap, matchBoxes } from "./detection";
import { writeBox, writeCommon } from "./explain";
import { IouParams } from "./params";
import { JsonKind, JsonReader } from "../_lib/json";
import { beginResult, finishResult } from "../_lib/result";
import { indexOfAscii } from "../_lib/text";

// Byte length of the Python `\s` character at i (ASCII and the UTF-8 forms of Unicode spaces), or 0.
function spaceLength(ptr: usize, end: i32, i: i32): i32 {
  const c = <i32>load<u8>(ptr + <usize>i);
  if (c == 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f)) return 1;
  if (c == 0xc2 && i + 1 < end) {
    const d = <i32>load<u8>(ptr + <usize>(i + 1));
    return d == 0x85 || d == 0xa0 ? 2 : 0;
  }
  if (i + 2 >= end) return 0;
  const d = <i32>load<u8>(ptr + <usize>(i + 1));
  const e = <i32>load<u8>(ptr + <usize>(i + 2));
  if (c == 0xe1 && d == 0x9a && e == 0x80) return 3; // U+1680
  if (c == 0xe2 && d == 0x80 && ((e >= 0x80 && e <= 0x8a) || e == 0xa8 || e == 0xa9 || e == 0xaf)) return 3;
  if (c == 0xe2 && d == 0x81 && e == 0x9f) return 3; // U+205F
  if (c == 0xe3 && d == 0x80 && e == 0x80) return 3; // U+3000
  return 0;
}

// Digits at i: returns the offset after them (i when there are none).
function digitsEnd(ptr: usize, end: i32, i: i32): i32 {
  let j = i;
  while (j < end) {
    const c = <i32>load<u8>(ptr + <usize>j);
    if (c < 0x30 || c > 0x39) break;
    j++;
  }
  return j;
}

// The pattern \[(\d+),\s*(\d+),\s*(\d+),\s*(\d+)] at i: the four numbers, or null.
function intBoxAt(ptr: usize, end: i32, i: i32): f64[] | null {
  if (load<u8>(ptr + <usize>i) != 0x5b) return null;
  const out = new Array<f64>();
  let j = i + 1;
  for (let k = 0; k < 4; k++) {
    if (k > 0) {
      if (j >= end || load<u8>(ptr + <usize>j) != 0x2c) return null;
      j++;
      let s = 0;
      while (j < end && (s = spaceLength(ptr, end, j)) > 0) j += s;
    }
    const e = digitsEnd(ptr, end, j);
    if (e == j) return null;
    out.push(parseFloat(String.UTF8.decodeUnsafe(ptr + <usize>j, <usize>(e - j), false)));
    j = e;
  }
  if (j >= end || load<u8>(ptr + <usize>j) != 0x5d) return null;
  return out;
}

/** VLM-R1's REC reward (`iou_reward` of its Qwen module). */
export function vlmR1Rec(ptr: usize, start: i32, end: i32, p: IouParams): ArrayBuffer {
  const open = indexOfAscii(ptr, end, "<answer>", start);
  const close = open < 0 ? -1 : indexOfAscii(ptr, end, "</answer>", open + 8);
  if (close < 0) {
    const w = beginResult(0, false, "no_answer");
    writeCommon(w, p, "vlm_r1:none");
    return finishResult(w);
  }
  let nums: f64[] | null = null;
  for (let i = open + 8; i < close && nums === null; i++) nums = intBoxAt(ptr, close, i);
  if (nums === null) {
    const w = beginResult(0, false, "bad_format");
    writeCommon(w, p, "vlm_r1:answer_tag");
    w.key("problem").str("no_int_box");
    return finishResult(w);
  }
  const box = new Box(p.mapX(nums[0]), p.mapY(nums[1]), p.mapX(nums[2]), p.mapY(nums[3]));
  const iou = vlmR1Iou(box, p.refBox);
  const correct = iou >= p.threshold;
  const w = beginResult(iou, correct, correct ? null : "wrong");
  writeCommon(w, p, "vlm_r1:answer_tag+int_box");
  w.key("extracted");
  writeBox(w, box);
  w.key("iou").num(iou);
  w.key("threshold").num(p.threshold);
  w.key("reward_mode").str("iou");
  return finishResult(w);
}

/** VLM-R1's detection reward (`map_reward` of grpo_jsonl.py): AP@0.50 over the reference labels. */
export function vlmR1Detection(ptr: usize, start: i32, end: i32, p: IouParams): ArrayBuffer {
  const fence = indexOfAscii(ptr, end, "```json", start);
  const close = fence < 0 ? -1 : indexOfAscii(ptr, end, "```", fence + 7);
  if (close < 0) {
    const w = beginResult(0, false, "no_answer");
    writeCommon(w, p, "vlm_r1:none");
    return finishResult(w);
  }
  const reader = new JsonReader(ptr + <usize>(fence + 7), close - fence - 7, false);
  const v = reader.parseWhole();
  if (v === null || v.kind != JsonKind.Array || v.items.length == 0) {
    const w = beginResult(0, false, "bad_format");
    writeCommon(w, p, "vlm_r1:json_fence");
    w.key("problem").str(v === null ? "invalid_json" : "not_a_list");
    return finishResult(w);
  }
  const labels = p.refLabels;
  const preds = new Array<Box>();
  for (let i = 0; i < v.items.length && preds.length < 1000; i++) {
    const item = v.items[i];
    if (item.kind != JsonKind.Object) continue;
    const b = item.get("bbox_2d");
    const l = item.get("label");
    if (b === null || l === null || b.kind != JsonKind.Array || b.items.length < 4 || l.kind != JsonKind.String) continue;
    let numeric = true;
    for (let k = 0; k < 4; k++) numeric = numeric && b.items[k].kind == JsonKind.Number;
    if (!numeric || labels === null || !labels.includes(l.str)) continue;
    const box = new Box(p.mapX(b.items[0].num), p.mapY(b.items[1].num), p.mapX(b.items[2].num), p.mapY(b.items[3].num));
    box.label = l.str;
    preds.push(box);
  }
  const nr = p.refBoxes.length;
  const reward = preds.length == 0 || nr == 0 ? 0 : detectionMap(preds, p, [0.5], true, false);
  const matches = matchBoxes(preds, p.refBoxes, labels, p.threshold, false);
  const correct = nr > 0 && matches.length == nr && matches.length == preds.length;
  const w = beginResult(reward, correct, correct ? null : "wrong");
  writeCommon(w, p, "vlm_r1:json_fence");
  w.key("extracted").beginArray();
  for (let i = 0; i < min(preds.length, p.maxMatches); i++) {
    w.beginObject().key("box");
    writeBox(w, preds[i]);
    w.key("label").strOrNull(preds[i].label).endObject();
  }
  w.endArray();
  w.key("predicted").int(preds.length);
  w.key("reference").int(nr);
  w.key("matched").int(matches.length);
  w.key("reward_mode").str("map50");
  return finishResult(w);
}

