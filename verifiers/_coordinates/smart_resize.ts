/** Qwen2.5-VL's image resizing (`smart_resize`), computed exactly so that answers map back to pixels. */

/** Resize settings of a Qwen2.5-VL processor. */
export interface ResizeSettings {
  factor: number;
  min_pixels: number;
  max_pixels: number;
}

/** Qwen2.5-VL's defaults: 28-pixel patches (14 × 2 merge), 4 × 28 × 28 and 16384 × 28 × 28 pixels. */
export const QWEN25_VL_RESIZE: ResizeSettings = { factor: 28, min_pixels: 3136, max_pixels: 12845056 };

/** Python's `round()` for a float: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * The `[width, height]` the model saw for an image of `[width, height]`: both sides multiples of
 * `factor`, the pixel count within [min_pixels, max_pixels], the aspect ratio kept as far as possible.
 * Example: `smartResize([640, 480], QWEN25_VL_RESIZE)` is `[644, 476]`.
 */
export function smartResize(size: [number, number], s: ResizeSettings): [number, number] {
  const [width, height] = size;
  let hBar = Math.max(s.factor, roundHalfEven(height / s.factor) * s.factor);
  let wBar = Math.max(s.factor, roundHalfEven(width / s.factor) * s.factor);
  if (hBar * wBar > s.max_pixels) {
    const beta = Math.sqrt((height * width) / s.max_pixels);
    hBar = Math.max(s.factor, Math.floor(height / beta / s.factor) * s.factor);
    wBar = Math.max(s.factor, Math.floor(width / beta / s.factor) * s.factor);
  } else if (hBar * wBar < s.min_pixels) {
    const beta = Math.sqrt(s.min_pixels / (height * width));
    hBar = Math.ceil((height * beta) / s.factor) * s.factor;
    wBar = Math.ceil((width * beta) / s.factor) * s.factor;
  }
  return [wBar, hBar];
}
