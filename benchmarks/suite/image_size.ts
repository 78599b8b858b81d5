/**
 * An image's `[width, height]` read from its header (PNG, JPEG, GIF, WebP, BMP), without decoding it:
 * what lmms-eval takes from the decoded image to normalize RefCOCO boxes, and what a 0-1 or 0-1000
 * grounding answer needs to be mapped to pixels.
 */

function be16(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}

function le16(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}

function be32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) >>> 0) + (b[at + 1] << 16) + (b[at + 2] << 8) + b[at + 3];
}

function le24(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
}

function le32(b: Uint8Array, at: number): number {
  return (le24(b, at) + (b[at + 3] << 24)) | 0;
}

function starts(b: Uint8Array, ...sig: number[]): boolean {
  return b.length >= sig.length && sig.every((v, i) => b[i] === v);
}

/** JPEG: the first start-of-frame marker (SOF0-SOF15 except DHT, JPG, DAC) holds height then width. */
function jpegSize(b: Uint8Array): [number, number] | null {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1];
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2; // markers without a length
      continue;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return [be16(b, at + 7), be16(b, at + 5)];
    at += 2 + be16(b, at + 2);
  }
  return null;
}

function webpSize(b: Uint8Array): [number, number] | null {
  const chunk = String.fromCharCode(b[12], b[13], b[14], b[15]);
  if (chunk === "VP8X" && b.length >= 30) return [le24(b, 24) + 1, le24(b, 27) + 1];
  if (chunk === "VP8L" && b.length >= 25 && b[20] === 0x2f) {
    const bits = le32(b, 21);
    return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
  }
  if (chunk === "VP8 " && b.length >= 30) return [le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff];
  return null;
}

/** `[width, height]` of PNG, JPEG, GIF, WebP or BMP bytes (the header is enough); null otherwise. */
export function imageSizeOf(b: Uint8Array): [number, number] | null {
  let size: [number, number] | null = null;
  if (starts(b, 0x89, 0x50, 0x4e, 0x47) && b.length >= 24) size = [be32(b, 16), be32(b, 20)];
  else if (starts(b, 0xff, 0xd8)) size = jpegSize(b);
  else if (starts(b, 0x47, 0x49, 0x46, 0x38) && b.length >= 10) size = [le16(b, 6), le16(b, 8)];
  else if (starts(b, 0x52, 0x49, 0x46, 0x46) && b.length >= 16 && b[8] === 0x57 && b[9] === 0x45) {
    size = webpSize(b);
  } else if (starts(b, 0x42, 0x4d) && b.length >= 26) size = [le32(b, 18), Math.abs(le32(b, 22))];
  return size && size[0] > 0 && size[1] > 0 ? size : null;
}
