// Plane and time-line geometry for the grounding kernels: boxes are [x1, y1, x2, y2] with x1 < x2
// and y1 < y2 (xyxy, in the reference's pixels), segments are [start, end] in seconds.

/** An axis-aligned box in xyxy form, with an optional label and confidence from the answer. */
export class Box {
  x1: f64;
  y1: f64;
  x2: f64;
  y2: f64;
  label: string | null = null;
  score: f64 = 1.0;
  hasScore: bool = false;

  constructor(x1: f64, y1: f64, x2: f64, y2: f64) {
    this.x1 = x1;
    this.y1 = y1;
    this.x2 = x2;
    this.y2 = y2;
  }

  /** Area; negative or zero for a reversed or degenerate box. */
  area(): f64 {
    return (this.x2 - this.x1) * (this.y2 - this.y1);
  }

  /** True when every coordinate is finite, x1 < x2 and y1 < y2 (a box with a positive area). */
  isValid(): bool {
    return isFinite(this.x1) && isFinite(this.y1) && isFinite(this.x2) && isFinite(this.y2) &&
      this.x1 < this.x2 && this.y1 < this.y2;
  }

  sameAs(o: Box): bool {
    return this.x1 == o.x1 && this.y1 == o.y1 && this.x2 == o.x2 && this.y2 == o.y2;
  }
}

/** Intersection over union of two valid boxes; 0 when they do not overlap or the union is empty. */
export function boxIou(a: Box, b: Box): f64 {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (!(w > 0) || !(h > 0)) return 0;
  const inter = w * h;
  const union = a.area() + b.area() - inter;
  if (!(union > 0)) return 0;
  const r = inter / union;
  return r > 1 ? 1 : r;
}

/**
 * VLM-R1's REC IoU (pixel-inclusive convention): the intersection counts only when the overlap is
 * more than one unit wide and high, the union uses plain areas. Clamped to [0, 1]; 0 for an empty
 * or non-finite union (where VLM-R1's Python raises and its reward stays 0).
 */
export function vlmR1Iou(a: Box, b: Box): f64 {
  const ix1 = Math.max(a.x1, b.x1);
  const iy1 = Math.max(a.y1, b.y1);
  const ix2 = Math.min(a.x2 - 1, b.x2 - 1);
  const iy2 = Math.min(a.y2 - 1, b.y2 - 1);
  let inter: f64 = 0;
  if (ix1 < ix2 && iy1 < iy2) inter = (ix2 - ix1 + 1) * (iy2 - iy1 + 1);
  const union = a.area() + b.area() - inter;
  if (union == 0 || !isFinite(union)) return 0;
  const r = inter / union;
  if (!isFinite(r) || r < 0) return 0;
  return r > 1 ? 1 : r;
}

/** True when the point lies in the box, edges included. */
export function boxContains(b: Box, x: f64, y: f64): bool {
  return x >= b.x1 && x <= b.x2 && y >= b.y1 && y <= b.y2;
}

/** Temporal IoU of [s1, e1] and [s2, e2]; 0 when the union has no length (never divides by zero). */
export function segmentIou(s1: f64, e1: f64, s2: f64, e2: f64): f64 {
  const inter = Math.min(e1, e2) - Math.max(s1, s2);
  if (!(inter > 0)) return 0;
  const union = Math.max(e1, e2) - Math.min(s1, s2);
  if (!(union > 0)) return 0;
  const r = inter / union;
  return r > 1 ? 1 : r;
}
