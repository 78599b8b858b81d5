/** JSON Schemas of the `gui_action` verifier's reference and options. */
import type { JsonSchema } from "../types.ts";
import { coordinateOptionSchemas } from "../_coordinates/mod.ts";

/** The normalized action types, in the order the kernel numbers them. */
export const ACTION_TYPES = [
  "click",
  "long_press",
  "double_click",
  "right_click",
  "type",
  "scroll",
  "swipe",
  "drag",
  "hotkey",
  "key",
  "open_app",
  "back",
  "home",
  "enter",
  "wait",
  "terminate",
] as const;

/** The scoring profiles; each is documented with its source in README.md. */
export const PROFILES = [
  "default",
  "androidcontrol",
  "aitw",
  "gui_r1",
  "ui_r1",
  "screenspot",
  "screenspot_pro",
] as const;

const point: JsonSchema = {
  type: "array",
  items: { type: "number" },
  minItems: 2,
  maxItems: 2,
};

/** The reference: one action in the screenshot's original pixels. */
export const guiActionReferenceSchema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["action"],
  description: "The expected action, coordinates in the screenshot's original pixels.",
  properties: {
    action: { enum: [...ACTION_TYPES], description: "The normalized action type." },
    point: { ...point, description: "[x, y] of the target (click-like actions, drag start, swipe start)." },
    box: {
      type: "array",
      items: { type: "number" },
      minItems: 4,
      maxItems: 4,
      description: "[x1, y1, x2, y2] of the target element; a click inside it (edges per profile) hits.",
    },
    end_point: { ...point, description: "[x, y] where a drag or swipe ends." },
    text: { type: "string", minLength: 1, description: "The text to type (type actions)." },
    direction: {
      enum: ["up", "down", "left", "right"],
      description:
        'Scroll direction in the content convention: "down" reveals what is below (the finger moves up).',
    },
    keys: {
      type: "array",
      items: { type: "string", minLength: 1 },
      minItems: 1,
      maxItems: 16,
      description: 'Keys pressed together, compared as a set: ["ctrl", "c"].',
    },
    app: { type: "string", minLength: 1, description: "The app to open (open_app)." },
    status: { enum: ["success", "failure"], description: "How a terminate action ends the task." },
    absent: {
      type: "boolean",
      description:
        "The target is not on screen (ScreenSpot-Pro negatives): a refusal is right, any point is wrong.",
    },
  },
};

/** Options of the `gui_action` verifier. */
export const guiActionOptionsSchema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    profile: {
      enum: [...PROFILES],
      description: "Matching rules: default (strict) or a benchmark's published rules (see the README).",
    },
    ...coordinateOptionSchemas(
      "the screenshot; needed for norm* coords, resizing and screen-fraction distances",
    ),
    weights: {
      type: "object",
      additionalProperties: false,
      description:
        "Reward = Σ weight · part / Σ weight over the parts; default: the profile's (default profile: accuracy 1).",
      properties: {
        accuracy: { type: "number", minimum: 0, description: "All of type, target and arguments right." },
        type: { type: "number", minimum: 0, description: "The action type is right." },
        target: { type: "number", minimum: 0, description: "The point hits the target (or none is needed)." },
        args: { type: "number", minimum: 0, description: "Text, direction, keys, app or status are right." },
        format: { type: "number", minimum: 0, description: "The response layout the profile asks for." },
      },
    },
    click_threshold: {
      type: "number",
      minimum: 0,
      description:
        "Distance from a reference point that still hits, in the profile's unit (screen fraction, width fraction or pixels).",
    },
    text_threshold: {
      type: "number",
      minimum: 0,
      maximum: 1,
      description: "Token F1 needed where the profile compares text by F1 (gui_r1; default 0.5).",
    },
    candidates: {
      enum: ["none", "aepo"],
      description:
        'How several distinct answers are scored: "none" (ambiguous, 0) or "aepo" (InfiGUI-G1: 1/sqrt(k·N)).',
    },
  },
};
