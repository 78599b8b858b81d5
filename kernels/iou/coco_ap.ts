// COCO-style average precision for one image: greedy matching of detections in confidence order,
// precision envelope, 101-point interpolation over recall, averaged over categories (and IoU
// thresholds). Follows pycocotools' evaluate/accumulate for one image with area range "all".

import { Box } from "./geometry";

/** Detections per category after sorting by confidence (pycocotools' maxDets). */
export const MAX_DETECTIONS: i32 = 100;

/** IoU as pycocotools computes it, from xywh: 0 unless the overlap has positive width and height. */
export function cocoIou(d: Box, g: Box): f64 {
  const dw = d.x2 - d.x1;
  const dh = d.y2 - d.y1;
  const gw = g.x2 - g.x1;
  const gh = g.y2 - g.y1;
  const w = Math.min(d.x1 + dw, g.x1 + gw) - Math.max(d.x1, g.x1);
  if (!(w > 0)) return 0;
  const h = Math.min(d.y1 + dh, g.y1 + gh) - Math.max(d.y1, g.y1);
  if (!(h > 0)) return 0;
  const inter = w * h;
  const union = dw * dh + gw * gh - inter;
  if (union == 0 || !isFinite(union)) return 0;
  return inter / union;
}

/** pycocotools' IoU thresholds 0.50:0.05:0.95 (numpy.linspace values, bit for bit). */
export function cocoIouThresholds(): f64[] {
  const out = new Array<f64>(10);
  const step = (0.95 - 0.5) / 9.0;
  for (let i = 0; i < 10; i++) unchecked((out[i] = <f64>i * step + 0.5));
  unchecked((out[9] = 0.95));
  return out;
}

/**
 * Precision at the 101 recall levels for one category at one IoU threshold, written to
 * `out[at + r * stride]` (0 past the highest recall reached). `ious` is row-major (detection × ground truth) with the
 * detections already in confidence order and truncated. `epsilon` adds numpy's spacing(1) to the
 * precision denominator, as pycocotools does (a perfect answer then scores 0.9999999999999998).
 */
export function categoryAp(ious: Float64Array, nd: i32, ng: i32, threshold: f64, epsilon: bool, out: Float64Array, at: i32, stride: i32): void {
  for (let r = 0; r <= 100; r++) unchecked((out[at + r * stride] = 0));
  if (nd == 0) return;
  const gtMatched = new Uint8Array(ng);
  const tp = new Float64Array(nd);
  const fp = new Float64Array(nd);
  let tpSum: f64 = 0;
  let fpSum: f64 = 0;
  const need = Math.min(threshold, 1 - 1e-10);
  for (let d = 0; d < nd; d++) {
    let best = need;
    let m = -1;
    for (let g = 0; g < ng; g++) {
      if (unchecked(gtMatched[g])) continue;
      const iou = unchecked(ious[d * ng + g]);
      if (iou < best) continue;
      best = iou;
      m = g;
    }
    if (m >= 0) {
      unchecked((gtMatched[m] = 1));
      tpSum += 1;
    } else {
      fpSum += 1;
    }
    unchecked((tp[d] = tpSum));
    unchecked((fp[d] = fpSum));
  }
  const eps: f64 = epsilon ? 2.220446049250313e-16 : 0;
  const recall = new Float64Array(nd);
  const precision = new Float64Array(nd);
  for (let d = 0; d < nd; d++) {
    unchecked((recall[d] = tp[d] / <f64>ng));
    unchecked((precision[d] = tp[d] / (tp[d] + fp[d] + eps)));
  }
  for (let d = nd - 1; d > 0; d--) {
    if (unchecked(precision[d]) > unchecked(precision[d - 1])) unchecked((precision[d - 1] = precision[d]));
  }
  // 101 recall thresholds (numpy.linspace(0, 1, 101)); for each, the first detection reaching it
  let idx = 0;
  for (let r = 0; r <= 100; r++) {
    const level: f64 = r == 100 ? 1.0 : <f64>r * 0.01;
    while (idx < nd && unchecked(recall[idx]) < level) idx++;
    if (idx >= nd) break;
    unchecked((out[at + r * stride] = precision[idx]));
  }
}

/** numpy's pairwise summation (add.reduce over a contiguous float64 array), bit for bit. */
export function numpySum(a: Float64Array, start: i32, n: i32): f64 {
  if (n < 8) {
    let res: f64 = 0;
    for (let i = 0; i < n; i++) res += unchecked(a[start + i]);
    return res;
  }
  if (n <= 128) {
    const r = new Float64Array(8);
    for (let j = 0; j < 8; j++) unchecked((r[j] = a[start + j]));
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) unchecked((r[j] += a[start + i + j]));
    }
    let res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += unchecked(a[start + i]);
    return res;
  }
  let n2 = n / 2;
  n2 -= n2 % 8;
  return numpySum(a, start, n2) + numpySum(a, start + n2, n - n2);
}

/**
 * Mean AP (pycocotools' summarize) over the categories that have ground truth and over the given IoU thresholds.
 * `detCat`/`gtCat` give each box's category index; detections are taken in confidence order
 * (stable for ties, so output order decides among equal confidences), at most MAX_DETECTIONS per
 * category. Returns 0 when there is no ground truth.
 */
export function meanAp(dets: Box[], detCat: i32[], gts: Box[], gtCat: i32[], categories: i32, thresholds: f64[], epsilon: bool): f64 {
  // precision at each (threshold, recall level, category), laid out as pycocotools' array is
  // flattened, then averaged with numpy's summation so that the mean matches to the last bit
  const kept = new Array<i32>();
  for (let k = 0; k < categories; k++) {
    let has = false;
    for (let i = 0; i < gts.length && !has; i++) has = gtCat[i] == k;
    if (has) kept.push(k);
  }
  const nk = kept.length;
  if (nk == 0) return 0;
  const nt = thresholds.length;
  const values = new Float64Array(nt * 101 * nk);
  for (let kk = 0; kk < nk; kk++) {
    const k = kept[kk];
    const g = new Array<Box>();
    for (let i = 0; i < gts.length; i++) if (gtCat[i] == k) g.push(gts[i]);
    const d = new Array<Box>();
    for (let i = 0; i < dets.length; i++) if (detCat[i] == k) d.push(dets[i]);
    stableSortByScore(d);
    const nd = min(d.length, MAX_DETECTIONS);
    const ng = g.length;
    const ious = new Float64Array(nd * ng);
    for (let a = 0; a < nd; a++) for (let b = 0; b < ng; b++) unchecked((ious[a * ng + b] = cocoIou(d[a], g[b])));
    for (let t = 0; t < nt; t++) categoryAp(ious, nd, ng, thresholds[t], epsilon, values, t * 101 * nk + kk, nk);
  }
  return numpySum(values, 0, values.length) / <f64>values.length;
}

// Insertion sort by descending score; stable, and the lists are short (capped upstream).
function stableSortByScore(a: Box[]): void {
  for (let i = 1; i < a.length; i++) {
    const x = a[i];
    let j = i - 1;
    while (j >= 0 && a[j].score < x.score) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = x;
  }
}
