// Image similarity of two RGBA renderings of the same size: SSIM on luminance over 8x8 windows
// moved by 4 pixels (built from 4x4 cell sums, one pass over the pixels), and the intersection of
// their color histograms (8 levels per channel, 512 bins).

const C1: f64 = (0.01 * 255) * (0.01 * 255);
const C2: f64 = (0.03 * 255) * (0.03 * 255);

/** The two parts of the image score. */
export class ImageScore {
  constructor(public ssim: f64, public histogram: f64) {}
}

/** Compares the RGBA images at `a` and `b`, each `width` x `height` (both at least 8). */
export function compareImages(a: usize, b: usize, width: i32, height: i32): ImageScore {
  // Identical renderings score exactly 1 (the windowed sums below would round to 1 - 1e-14).
  if (memory.compare(a, b, <usize>width * <usize>height * 4) == 0) return new ImageScore(1, 1);
  const cw = width >> 2;
  const ch = height >> 2;
  const cells = cw * ch;
  // per 4x4 cell: sum x, sum y, sum x^2, sum y^2, sum xy (luminance 0..255)
  const sums = new Float64Array(cells * 5);
  const histA = new Int32Array(512);
  const histB = new Int32Array(512);
  for (let y = 0; y < height; y++) {
    const row = <usize>(y * width) << 2;
    const cellRow = (y >> 2) < ch ? (y >> 2) * cw : -1;
    for (let x = 0; x < width; x++) {
      const p = row + (<usize>x << 2);
      const ra = <i32>load<u8>(a + p);
      const ga = <i32>load<u8>(a + p + 1);
      const ba = <i32>load<u8>(a + p + 2);
      const rb = <i32>load<u8>(b + p);
      const gb = <i32>load<u8>(b + p + 1);
      const bb = <i32>load<u8>(b + p + 2);
      unchecked(histA[((ra >> 5) << 6) | ((ga >> 5) << 3) | (ba >> 5)]++);
      unchecked(histB[((rb >> 5) << 6) | ((gb >> 5) << 3) | (bb >> 5)]++);
      if (cellRow < 0 || (x >> 2) >= cw) continue;
      const la: f64 = 0.299 * <f64>ra + 0.587 * <f64>ga + 0.114 * <f64>ba;
      const lb: f64 = 0.299 * <f64>rb + 0.587 * <f64>gb + 0.114 * <f64>bb;
      const c = (cellRow + (x >> 2)) * 5;
      unchecked((sums[c] += la));
      unchecked((sums[c + 1] += lb));
      unchecked((sums[c + 2] += la * la));
      unchecked((sums[c + 3] += lb * lb));
      unchecked((sums[c + 4] += la * lb));
    }
  }
  let total: f64 = 0;
  let windows = 0;
  const n: f64 = 64;
  for (let cy = 0; cy + 1 < ch; cy++) {
    for (let cx = 0; cx + 1 < cw; cx++) {
      let sx: f64 = 0, sy: f64 = 0, sxx: f64 = 0, syy: f64 = 0, sxy: f64 = 0;
      for (let k = 0; k < 4; k++) {
        const c = ((cy + (k >> 1)) * cw + cx + (k & 1)) * 5;
        sx += unchecked(sums[c]);
        sy += unchecked(sums[c + 1]);
        sxx += unchecked(sums[c + 2]);
        syy += unchecked(sums[c + 3]);
        sxy += unchecked(sums[c + 4]);
      }
      const mx = sx / n;
      const my = sy / n;
      const vx = max(0, sxx / n - mx * mx);
      const vy = max(0, syy / n - my * my);
      const cov = sxy / n - mx * my;
      total += ((2 * mx * my + C1) * (2 * cov + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
      windows++;
    }
  }
  let common: i64 = 0;
  for (let i = 0; i < 512; i++) common += min(unchecked(histA[i]), unchecked(histB[i]));
  const ssim = windows > 0 ? total / windows : 0;
  return new ImageScore(ssim, <f64>common / (<f64>width * <f64>height));
}
