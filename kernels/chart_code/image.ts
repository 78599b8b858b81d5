// Image similarity of two RGBA renderings of the same size: SSIM on luminance over 8x8 windows
// moved by 4 pixels (built from 4x4 cell sums, one pass over the pixels), and the intersection of
// their color histograms (8 levels per channel, 512 bins, over the pixels at even rows and columns). Luminance is (77 R + 150 G + 29 B) / 256.

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
  // per 4x4 cell: sum x, sum y, sum x^2, sum y^2, sum xy of integer luminance 0..255
  const sums = new Float64Array(cw * ch * 5);
  const histA = new Int32Array(512);
  const histB = new Int32Array(512);
  const stride = <usize>width << 2;
  for (let cy = 0; cy < ch; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
      const base = <usize>(cy << 2) * stride + (<usize>(cx << 2) << 2);
      for (let dy = 0; dy < 4; dy++) {
        const row = base + <usize>dy * stride;
        for (let dx = 0; dx < 4; dx++) {
          const off = row + (<usize>dx << 2);
          const pa = load<u32>(a + off);
          const pb = load<u32>(b + off);
          const la = <i32>(((pa & 255) * 77 + ((pa >> 8) & 255) * 150 + ((pa >> 16) & 255) * 29) >> 8);
          const lb = <i32>(((pb & 255) * 77 + ((pb >> 8) & 255) * 150 + ((pb >> 16) & 255) * 29) >> 8);
          if (((dx | dy) & 1) == 0) {
            unchecked(histA[<i32>(((pa >> 5) & 7) << 6 | ((pa >> 13) & 7) << 3 | ((pa >> 21) & 7))]++);
            unchecked(histB[<i32>(((pb >> 5) & 7) << 6 | ((pb >> 13) & 7) << 3 | ((pb >> 21) & 7))]++);
          }
          sx += la;
          sy += lb;
          sxx += la * la;
          syy += lb * lb;
          sxy += la * lb;
        }
      }
      const c = (cy * cw + cx) * 5;
      unchecked((sums[c] = <f64>sx));
      unchecked((sums[c + 1] = <f64>sy));
      unchecked((sums[c + 2] = <f64>sxx));
      unchecked((sums[c + 3] = <f64>syy));
      unchecked((sums[c + 4] = <f64>sxy));
    }
  }
  // pixels past the last whole cell still count in the histograms
  for (let y = 0; y < height; y += 2) {
    const from = y < ch << 2 ? cw << 2 : 0;
    for (let x = from; x < width; x += 2) {
      const off = <usize>y * stride + (<usize>x << 2);
      const pa = load<u32>(a + off);
      const pb = load<u32>(b + off);
      unchecked(histA[<i32>(((pa >> 5) & 7) << 6 | ((pa >> 13) & 7) << 3 | ((pa >> 21) & 7))]++);
      unchecked(histB[<i32>(((pb >> 5) & 7) << 6 | ((pb >> 13) & 7) << 3 | ((pb >> 21) & 7))]++);
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
  const sampled = <f64>(((width + 1) >> 1) * ((height + 1) >> 1));
  return new ImageScore(ssim, <f64>common / sampled);
}
