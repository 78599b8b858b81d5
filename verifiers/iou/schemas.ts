/** JSON Schemas of the `iou` verifier's reference and options. */
import type { JsonSchema } from "../types.ts";
import { coordinateOptionSchemas } from "../_coordinates/mod.ts";

const box: JsonSchema = {
  type: "array",
  items: { type: "number" },
  minItems: 4,
  maxItems: 4,
  description: "[x1, y1, x2, y2] in the reference image's pixels, x1 < x2 and y1 < y2.",
};

/** The reference: one box (rec, point), a list of boxes (detection) or a time segment (temporal). */
export const iouReferenceSchema: JsonSchema = {
  description: "Ground truth in the reference image's pixels (xyxy) or, for temporal, in seconds.",
  oneOf: [
    {
      type: "object",
      properties: { box: box },
      required: ["box"],
      additionalProperties: false,
    },
    {
      type: "object",
      properties: {
        boxes: {
          type: "array",
          items: box,
          maxItems: 1000,
          description: "Every object; [] when it is absent.",
        },
        labels: {
          type: "array",
          items: { type: "string" },
          maxItems: 1000,
          description: "One label per box (compared case-insensitively); omit for class-agnostic matching.",
        },
      },
      required: ["boxes"],
      additionalProperties: false,
    },
    {
      type: "object",
      properties: {
        segment: {
          type: "array",
          items: { type: "number" },
          minItems: 2,
          maxItems: 2,
          description: "[start, end] in seconds, start < end.",
        },
      },
      required: ["segment"],
      additionalProperties: false,
    },
  ],
};

/** Options of the `iou` verifier. */
export const iouOptionsSchema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    profile: {
      enum: ["default", "vlm_r1"],
      description: '"vlm_r1" reproduces VLM-R1\'s REC (IoU) and detection (AP@0.50) rewards for parity.',
    },
    mode: {
      enum: ["rec", "detection", "point", "temporal"],
      description: "Task; default rec for {box}, detection for {boxes}, temporal for {segment}.",
    },
    ...coordinateOptionSchemas("the reference image; needed for norm* coords and resizing"),
    box_format: {
      enum: ["xyxy", "xywh", "cxcywh"],
      description:
        "How the answer's 4-number boxes are written (default xyxy); corner pairs are always xyxy.",
    },
    threshold: {
      type: "number",
      minimum: 0,
      maximum: 1,
      description:
        "IoU at which a box (or segment) counts as correct and detection pairs may match (default 0.5).",
    },
    reward: {
      enum: ["iou", "binary", "f1", "map"],
      description:
        "iou: continuous; binary: 1 when correct; f1 and map (COCO AP over IoU 0.50:0.95) for detection. Default: iou (rec, temporal), binary (point), f1 (detection).",
    },
  },
};
