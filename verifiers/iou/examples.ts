/** Published examples of the `iou` verifier, each with the result it must get. */
import type { VerifierExample } from "../types.ts";

const think = "<think>The cat sits on the left cushion.</think>";

export const iouExamples: VerifierExample[] = [
  {
    title: "rec: a JSON box in the answer tag, exact",
    item: {
      response: `${think}<answer>{"bbox_2d": [10, 20, 110, 220], "label": "cat"}</answer>`,
      reference: { box: [10, 20, 110, 220] },
    },
    expected: {
      reward: 1,
      correct: true,
      details: { reason: null, iou: 1, extraction: "answer_tag+json_object" },
    },
  },
  {
    title: "rec: a Qwen-VL <box> answer, partly overlapping",
    item: { response: "<box>(0,0),(100,100)</box>", reference: { box: [50, 0, 150, 100] } },
    expected: { reward: 1 / 3, correct: false, details: { reason: "wrong", extraction: "whole+qwen_box" } },
  },
  {
    title: "rec: binary reward against the threshold",
    item: {
      response: "<answer>[0, 0, 100, 80]</answer>",
      reference: { box: [0, 0, 100, 100] },
      options: { reward: "binary", threshold: 0.75 },
    },
    expected: { reward: 1, correct: true, details: { reason: null, iou: 0.8 } },
  },
  {
    title: "rec: two different boxes are hedging",
    item: {
      response: "<answer>[0, 0, 10, 10] or [50, 50, 60, 60]</answer>",
      reference: { box: [0, 0, 10, 10] },
    },
    expected: { reward: 0, correct: false, details: { reason: "ambiguous", candidates: 2 } },
  },
  {
    title: "rec: a reversed box is invalid geometry, never reordered",
    item: { response: "<answer>[100, 100, 0, 0]</answer>", reference: { box: [0, 0, 100, 100] } },
    expected: { reward: 0, correct: false, details: { reason: "invalid_geometry", problem: "reversed" } },
  },
  {
    title: "rec: norm1000 coordinates mapped to the image's pixels",
    item: {
      response: "<answer>[100, 100, 500, 500]</answer>",
      reference: { box: [64, 48, 320, 240] },
      options: { coords: "norm1000", image_size: [640, 480] },
    },
    expected: { reward: 1, correct: true, details: { reason: null, extracted: [64, 48, 320, 240] } },
  },
  {
    title: "rec: pixels of the smart_resize'd image mapped back (Qwen2.5-VL)",
    item: {
      response: "<answer>[0, 0, 644, 476]</answer>",
      reference: { box: [0, 0, 640, 480] },
      options: { image_size: [640, 480], resize: {} },
    },
    expected: { reward: 1, correct: true, details: { reason: null, extracted: [0, 0, 640, 480] } },
  },
  {
    title: "rec: no answer at all",
    item: { response: "<think>hmm</think><answer> </answer>", reference: { box: [0, 0, 10, 10] } },
    expected: { reward: 0, correct: false, details: { reason: "no_answer" } },
  },
  {
    title: "point: a point inside the box, edges included",
    item: {
      response: '<answer>{"point_2d": [100, 50]}</answer>',
      reference: { box: [0, 0, 100, 100] },
      options: { mode: "point" },
    },
    expected: { reward: 1, correct: true, details: { reason: null, inside: true, point_from: "point" } },
  },
  {
    title: "temporal: start and end times as numeric strings",
    item: {
      response: '<answer>{"start_time": "2.0", "end_time": "6"}</answer>',
      reference: { segment: [4, 8] },
    },
    expected: { reward: 1 / 3, correct: false, details: { reason: "wrong", extracted: [2, 6] } },
  },
  {
    title: "detection: label-aware matching, one miss",
    item: {
      response: "<answer>```json\n[{'bbox_2d': [0, 0, 10, 10], 'label': 'Cat'}]\n```</answer>",
      reference: { boxes: [[0, 0, 10, 10], [20, 20, 30, 30]], labels: ["cat", "dog"] },
    },
    expected: {
      reward: 2 / 3,
      correct: false,
      details: { reason: "wrong", precision: 1, recall: 0.5, matches: [{ pred: 0, ref: 0, iou: 1 }] },
    },
  },
  {
    title: "detection: the object is absent and the answer says so",
    item: { response: "<answer>[]</answer>", reference: { boxes: [] } },
    expected: { reward: 1, correct: true, details: { reason: null, empty_answer: true } },
  },
  {
    title: "detection: COCO mAP over IoU 0.50:0.95",
    item: {
      response: "<answer>[[0, 0, 10, 10], [20, 20, 30, 32]]</answer>",
      reference: { boxes: [[0, 0, 10, 10], [20, 20, 30, 30]] },
      options: { reward: "map" },
    },
    expected: { reward: 0.8514851485148515, correct: true, details: { reason: null, f1: 1, matched: 2 } },
  },
  {
    title: "vlm_r1: VLM-R1's REC reward reads the first integer box in the answer",
    item: {
      response: '<think>left cat</think><answer>{"bbox": [10, 10, 50, 50]}</answer>',
      reference: { box: [10, 10, 50, 50] },
      options: { profile: "vlm_r1" },
    },
    expected: {
      reward: 1,
      correct: true,
      details: { reason: null, extraction: "vlm_r1:answer_tag+int_box" },
    },
  },
];
