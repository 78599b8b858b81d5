/**
 * Coordinate spaces shared by the verifiers that read positions from model output (`iou`,
 * `gui_action`): the options' JSON Schemas and the exact mapping of an answer's coordinates back to
 * the reference image's pixels (pixels, 0..1000, 0..1, or pixels of a resized image).
 */
import { InvalidRequestError, type JsonSchema } from "../types.ts";
import { QWEN25_VL_RESIZE, type ResizeSettings, smartResize } from "./smart_resize.ts";

export { QWEN25_VL_RESIZE, type ResizeSettings, roundHalfEven, smartResize } from "./smart_resize.ts";

/** A `[width, height]` pair. */
export const sizeSchema: JsonSchema = {
  type: "array",
  items: { type: "number", exclusiveMinimum: 0 },
  minItems: 2,
  maxItems: 2,
};

/** The options `coords`, `image_size`, `resized_size` and `resize`; `imageIs` says what the image is. */
export function coordinateOptionSchemas(imageIs: string): Record<string, JsonSchema> {
  return {
    coords: {
      enum: ["pixel", "norm1000", "norm1"],
      description:
        "Coordinate space of the answer: pixels (of the resized image when one is given), 0..1000 or 0..1.",
    },
    image_size: { ...sizeSchema, description: `[width, height] of ${imageIs}.` },
    resized_size: {
      ...sizeSchema,
      description: "[width, height] of the image the model saw, when it was resized.",
    },
    resize: {
      type: "object",
      additionalProperties: false,
      description: "Qwen2.5-VL smart_resize settings; the model saw image_size resized by them.",
      properties: {
        factor: { type: "integer", minimum: 1, description: "Patch multiple (default 28)." },
        min_pixels: { type: "integer", minimum: 1, description: "Fewest pixels (default 3136)." },
        max_pixels: { type: "integer", minimum: 1, description: "Most pixels (default 12845056)." },
      },
    },
  };
}

/**
 * How an answer coordinate maps to reference pixels: `p / den * num`, as `[numX, denX, numY, denY]`.
 * Throws `InvalidRequestError` when the options cannot define a mapping (e.g. norm1000 without
 * `image_size`).
 */
export function coordinateScale(options: Record<string, unknown>): [number, number, number, number] {
  const coords = (options.coords ?? "pixel") as string;
  const image = options.image_size as [number, number] | undefined;
  const resized = options.resized_size as [number, number] | undefined;
  const resize = options.resize as Partial<ResizeSettings> | undefined;
  if (resized && resize) throw new InvalidRequestError('Give either "resized_size" or "resize", not both.');
  if (coords !== "pixel" && (resized || resize)) {
    throw new InvalidRequestError(
      `Coordinates "${coords}" are relative; "resized_size" and "resize" apply to pixels only.`,
    );
  }
  if ((coords !== "pixel" || resized || resize) && !image) {
    throw new InvalidRequestError(
      `"image_size" is needed to map ${coords === "pixel" ? "resized pixels" : coords} coordinates.`,
    );
  }
  if (!image) return [1, 1, 1, 1];
  const [w, h] = image;
  if (coords === "norm1000") return [w, 1000, h, 1000];
  if (coords === "norm1") return [w, 1, h, 1];
  if (resized) return [w, resized[0], h, resized[1]];
  if (resize) {
    const [rw, rh] = smartResize(image, { ...QWEN25_VL_RESIZE, ...resize });
    return [w, rw, h, rh];
  }
  return [1, 1, 1, 1];
}
