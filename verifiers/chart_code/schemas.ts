/** JSON Schemas of the `chart_code` verifier's reference and options. */
import type { JsonSchema } from "../types.ts";

/** Longest reference or candidate code accepted (characters). */
export const MAX_CODE_CHARS = 200_000;

/** The target chart: reference matplotlib code (rendered once, cached by hash) and/or a PNG. */
export const chartReferenceSchema: JsonSchema = {
  type: "object",
  description:
    "The target chart. `code`: reference matplotlib code (rendered in the same sandbox, cached by hash; gives " +
    "the texts, layout, chart types and colors to compare). `image`: the target as a base64 PNG (decoded inside " +
    "the sandbox; with `code` too, the image is what the rendering is compared with).",
  properties: {
    code: { type: "string", minLength: 1, maxLength: MAX_CODE_CHARS },
    image: { type: "string", minLength: 1, maxLength: 16 * 1024 * 1024, description: "base64 PNG" },
  },
  anyOf: [{ required: ["code"] }, { required: ["image"] }],
  additionalProperties: false,
};

const weight: JsonSchema = { type: "number", minimum: 0, maximum: 100 };

/** Options of the `chart_code` verifier. */
export const chartOptionsSchema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    profile: {
      enum: ["default", "chartmimic"],
      description:
        '"chartmimic": the reward is the mean of ChartMimic\'s four low-level F1 scores (text, layout, type, ' +
        "color), without its stale-score bug; needs reference code.",
    },
    figsize: {
      type: "array",
      items: { type: "number", minimum: 0.5, maximum: 32 },
      minItems: 2,
      maxItems: 2,
      description: "Comparison size in inches [width, height] (default [8, 6]); pixels = figsize * dpi.",
    },
    dpi: {
      type: "number",
      minimum: 4,
      maximum: 200,
      description: "Comparison dots per inch (default 50: 400x300 pixels; at most 800x600 pixels in all).",
    },
    weights: {
      type: "object",
      additionalProperties: false,
      properties: {
        format: weight,
        text: weight,
        ticks: weight,
        layout: weight,
        type: weight,
        color: weight,
        image: weight,
      },
      description: "Weights of the default profile's reward (missing keys keep their defaults).",
    },
    threshold: {
      type: "number",
      minimum: 0,
      maximum: 1,
      description: "Reward at which `correct` is true (default 0.9).",
    },
    return_image: {
      type: "boolean",
      description:
        "Return the candidate's rendering as a small PNG (at most 320x320 pixels, from the comparison-size " +
        'pixels) in `details.rendering` as a "data:image/png;base64,..." URL, for debugging and the UI; ' +
        "omitted with `details.rendering_omitted` when over 200,000 characters (default false).",
    },
  },
};
