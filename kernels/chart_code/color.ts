// Color F1: colors grouped by chart type, each pair's similarity 1 - CIEDE2000 / 100 (at least 0),
// the best one-to-one pairing per group by the Hungarian method (ChartMimic tries every permutation,
// which gives the same optimum), precision = matched similarity / candidate colors, recall = / reference.

import { F1 } from "./f1";
import { assignMaxWeight } from "../_lib/hungarian";

/** Most colors compared per chart type (the assignment is cubic in it). */
const MAX_GROUP: i32 = 64;

function hexDigit(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** "#rrggbb" → 0xrrggbb, or -1 when the text is not a 6-digit hex color. */
export function parseHex(s: string): i32 {
  if (s.length != 7 || s.charCodeAt(0) != 0x23) return -1;
  let v = 0;
  for (let i = 1; i < 7; i++) {
    const d = hexDigit(s.charCodeAt(i));
    if (d < 0) return -1;
    v = (v << 4) | d;
  }
  return v;
}

function linear(c: f64): f64 {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
}

function labF(t: f64): f64 {
  return t > 216.0 / 24389.0 ? Math.cbrt(t) : (24389.0 / 27.0 * t + 16) / 116;
}

/** sRGB (0xrrggbb) → CIE L*a*b* under D65, written to out[0..2]. */
export function rgbToLab(rgb: i32, out: Float64Array): void {
  const r = linear(<f64>((rgb >> 16) & 255));
  const g = linear(<f64>((rgb >> 8) & 255));
  const b = linear(<f64>(rgb & 255));
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
  const fx = labF(x);
  const fy = labF(y);
  const fz = labF(z);
  out[0] = 116 * fy - 16;
  out[1] = 500 * (fx - fy);
  out[2] = 200 * (fy - fz);
}

function deg(r: f64): f64 {
  return (r * 180) / Math.PI;
}

function rad(d: f64): f64 {
  return (d * Math.PI) / 180;
}

/** CIEDE2000 color difference of two Lab colors (kL = kC = kH = 1; Sharma et al. 2005). */
export function ciede2000(l1: f64, a1: f64, b1: f64, l2: f64, a2: f64, b2: f64): f64 {
  const c1 = Math.sqrt(a1 * a1 + b1 * b1);
  const c2 = Math.sqrt(a2 * a2 + b2 * b2);
  const cBar = (c1 + c2) / 2;
  const c7 = Math.pow(cBar, 7);
  const g = 0.5 * (1 - Math.sqrt(c7 / (c7 + 6103515625.0))); // 25^7
  const a1p = (1 + g) * a1;
  const a2p = (1 + g) * a2;
  const c1p = Math.sqrt(a1p * a1p + b1 * b1);
  const c2p = Math.sqrt(a2p * a2p + b2 * b2);
  let h1p = c1p == 0 ? 0 : deg(Math.atan2(b1, a1p));
  if (h1p < 0) h1p += 360;
  let h2p = c2p == 0 ? 0 : deg(Math.atan2(b2, a2p));
  if (h2p < 0) h2p += 360;
  const dL = l2 - l1;
  const dC = c2p - c1p;
  let dh: f64 = 0;
  if (c1p * c2p != 0) {
    dh = h2p - h1p;
    if (dh > 180) dh -= 360;
    else if (dh < -180) dh += 360;
  }
  const dH = 2 * Math.sqrt(c1p * c2p) * Math.sin(rad(dh / 2));
  const lBar = (l1 + l2) / 2;
  const cBarP = (c1p + c2p) / 2;
  let hBar = h1p + h2p;
  if (c1p * c2p != 0) {
    if (Math.abs(h1p - h2p) <= 180) hBar = hBar / 2;
    else if (h1p + h2p < 360) hBar = (hBar + 360) / 2;
    else hBar = (hBar - 360) / 2;
  }
  const t = 1 - 0.17 * Math.cos(rad(hBar - 30)) + 0.24 * Math.cos(rad(2 * hBar)) +
    0.32 * Math.cos(rad(3 * hBar + 6)) - 0.2 * Math.cos(rad(4 * hBar - 63));
  const dTheta = 30 * Math.exp(-Math.pow((hBar - 275) / 25, 2));
  const cBar7 = Math.pow(cBarP, 7);
  const rc = 2 * Math.sqrt(cBar7 / (cBar7 + 6103515625.0));
  const l50 = (lBar - 50) * (lBar - 50);
  const sl = 1 + (0.015 * l50) / Math.sqrt(20 + l50);
  const sc = 1 + 0.045 * cBarP;
  const sh = 1 + 0.015 * cBarP * t;
  const rt = -Math.sin(rad(2 * dTheta)) * rc;
  const tl = dL / sl;
  const tc = dC / sc;
  const th = dH / sh;
  return Math.sqrt(tl * tl + tc * tc + th * th + rt * tc * th);
}

/** Similarity of two recorded colors: hex colors by CIEDE2000, colormap names by equality. */
export function colorSimilarity(a: string, b: string): f64 {
  const x = parseHex(a);
  const y = parseHex(b);
  if (x < 0 || y < 0) return x < 0 && y < 0 && a == b ? 1 : 0;
  const la = new Float64Array(3);
  const lb = new Float64Array(3);
  rgbToLab(x, la);
  rgbToLab(y, lb);
  return max(0, 1 - ciede2000(la[0], la[1], la[2], lb[0], lb[1], lb[2]) / 100);
}

function groupOf(types: string[], values: string[], type: string): string[] {
  const out = new Array<string>();
  for (let i = 0; i < types.length && out.length < MAX_GROUP; i++) if (types[i] == type) out.push(values[i]);
  return out;
}

/** Color F1 of two traces' (type, color) lists; `emptyBoth` when neither recorded a color. */
export function colorF1(
  candTypes: string[],
  candValues: string[],
  refTypes: string[],
  refValues: string[],
  emptyBoth: f64,
): F1 {
  if (candTypes.length == 0 && refTypes.length == 0) return new F1(emptyBoth, emptyBoth);
  if (candTypes.length == 0 || refTypes.length == 0) return new F1(0, 0);
  const types = new Array<string>();
  for (let i = 0; i < candTypes.length; i++) if (!types.includes(candTypes[i])) types.push(candTypes[i]);
  let matched: f64 = 0;
  let candCount = 0;
  let refCount = 0;
  for (let i = 0; i < refTypes.length; i++) if (!types.includes(refTypes[i])) types.push(refTypes[i]);
  for (let t = 0; t < types.length; t++) {
    const cand = groupOf(candTypes, candValues, types[t]);
    const ref = groupOf(refTypes, refValues, types[t]);
    candCount += cand.length;
    refCount += ref.length;
    if (cand.length == 0 || ref.length == 0) continue;
    const weights = new Float64Array(cand.length * ref.length);
    for (let i = 0; i < cand.length; i++) {
      for (let j = 0; j < ref.length; j++) weights[i * ref.length + j] = colorSimilarity(cand[i], ref[j]);
    }
    const assigned = assignMaxWeight(weights, cand.length, ref.length);
    for (let i = 0; i < cand.length; i++) if (assigned[i] >= 0) matched += weights[i * ref.length + assigned[i]];
  }
  return new F1(matched / candCount, matched / refCount);
}
