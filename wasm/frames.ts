/**
 * Framing of the pipe between the pool and a sandbox process: each frame is
 * [u32 total length][u32 header length][header JSON][binary sections, in the order the header lists].
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A decoded frame: its JSON header and its binary sections. */
export interface Frame {
  header: Record<string, unknown>;
  sections: Uint8Array[];
}

/** Encodes a header and binary sections into one frame (section lengths go into the header). */
export function encodeFrame(header: Record<string, unknown>, sections: Uint8Array[] = []): Uint8Array {
  const head = encoder.encode(JSON.stringify({ ...header, sections: sections.map((s) => s.byteLength) }));
  let total = 8 + head.length;
  for (const s of sections) total += s.byteLength;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, total, true);
  view.setUint32(4, head.length, true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const s of sections) {
    out.set(s, at);
    at += s.byteLength;
  }
  return out;
}

/** Accumulates bytes from a pipe and yields the complete frames in them. */
export class FrameReader {
  private buffer = new Uint8Array(1 << 16);
  private length = 0;

  /** Adds bytes; returns every frame completed by them. */
  push(bytes: Uint8Array): Frame[] {
    if (this.length + bytes.length > this.buffer.length) {
      let size = this.buffer.length * 2;
      while (size < this.length + bytes.length) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
    const frames: Frame[] = [];
    let at = 0;
    while (this.length - at >= 8) {
      const view = new DataView(this.buffer.buffer, at, 8);
      const total = view.getUint32(0, true);
      if (this.length - at < total) break;
      const headLength = view.getUint32(4, true);
      const header = JSON.parse(decoder.decode(this.buffer.subarray(at + 8, at + 8 + headLength)));
      const sections: Uint8Array[] = [];
      let offset = at + 8 + headLength;
      for (const size of header.sections as number[]) {
        sections.push(this.buffer.slice(offset, offset + size));
        offset += size;
      }
      frames.push({ header, sections });
      at += total;
    }
    if (at > 0) {
      this.buffer.copyWithin(0, at, this.length);
      this.length -= at;
    }
    return frames;
  }
}

/** Views a section as a typed array of another element type (copying when unaligned). */
export function asUint32(section: Uint8Array): Uint32Array {
  const copy = section.byteOffset % 4 === 0 ? section : section.slice();
  return new Uint32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4);
}

/** Views a section as a Float64Array (copying when unaligned). */
export function asFloat64(section: Uint8Array): Float64Array {
  const copy = section.byteOffset % 8 === 0 ? section : section.slice();
  return new Float64Array(copy.buffer, copy.byteOffset, copy.byteLength / 8);
}

/** The bytes of a typed array, for a frame section. */
export function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
