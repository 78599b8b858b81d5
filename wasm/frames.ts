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

/**
 * Encodes a header and binary sections as the parts of one frame (section lengths go into the
 * header). The sections are not copied: write the parts one after the other.
 */
export function encodeFrame(header: Record<string, unknown>, sections: Uint8Array[] = []): Uint8Array[] {
  const head = encoder.encode(JSON.stringify({ ...header, sections: sections.map((s) => s.byteLength) }));
  let total = 8 + head.length;
  for (const s of sections) total += s.byteLength;
  const prefix = new Uint8Array(8 + head.length);
  const view = new DataView(prefix.buffer);
  view.setUint32(0, total, true);
  view.setUint32(4, head.length, true);
  prefix.set(head, 8);
  return [prefix, ...sections.filter((s) => s.byteLength > 0)];
}

/**
 * Reassembles frames from the chunks a pipe delivers. Each frame gets its own buffer, filled
 * straight from the chunks; its sections are views into it (no further copies).
 */
export class FrameReader {
  private lengthBytes = new Uint8Array(8);
  private lengthFill = 0;
  private frame: Uint8Array | null = null;
  private fill = 0;

  /** Adds bytes; returns every frame completed by them. */
  push(bytes: Uint8Array): Frame[] {
    const frames: Frame[] = [];
    let at = 0;
    while (at < bytes.length) {
      if (this.frame === null) {
        const take = Math.min(8 - this.lengthFill, bytes.length - at);
        this.lengthBytes.set(bytes.subarray(at, at + take), this.lengthFill);
        this.lengthFill += take;
        at += take;
        if (this.lengthFill < 8) break;
        const total = new DataView(this.lengthBytes.buffer).getUint32(0, true);
        this.frame = new Uint8Array(total);
        this.frame.set(this.lengthBytes);
        this.fill = 8;
        this.lengthFill = 0;
      }
      const take = Math.min(this.frame.length - this.fill, bytes.length - at);
      this.frame.set(bytes.subarray(at, at + take), this.fill);
      this.fill += take;
      at += take;
      if (this.fill === this.frame.length) {
        frames.push(decodeFrame(this.frame));
        this.frame = null;
      }
    }
    return frames;
  }
}

function decodeFrame(frame: Uint8Array): Frame {
  const headLength = new DataView(frame.buffer, frame.byteOffset, 8).getUint32(4, true);
  const header = JSON.parse(decoder.decode(frame.subarray(8, 8 + headLength)));
  const sections: Uint8Array[] = [];
  let offset = 8 + headLength;
  for (const size of header.sections as number[]) {
    sections.push(frame.subarray(offset, offset + size));
    offset += size;
  }
  return { header, sections };
}

/** Views a section as a typed array of another element type (copying when unaligned). */
export function asUint32(section: Uint8Array): Uint32Array {
  const copy = section.byteOffset % 4 === 0 ? section : section.slice();
  return new Uint32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4);
}

/** Views a section as an Int32Array (copying when unaligned). */
export function asInt32(section: Uint8Array): Int32Array {
  const copy = section.byteOffset % 4 === 0 ? section : section.slice();
  return new Int32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4);
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

/** Byte arrays joined into one buffer (the single one itself when there is one). */
export function joinBytes(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let total = 0;
  for (const part of parts) total += part.byteLength;
  const joined = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.byteLength;
  }
  return joined;
}

const textDecoder = new TextDecoder();

/**
 * UTF-8 bytes read as text by byte ranges: the whole is decoded once, on the first read, and when it
 * is ASCII (byte offsets are then string offsets) every range is a slice of it; otherwise each range
 * is decoded alone. Ranges must start and end at character boundaries.
 */
export class Utf8Text {
  /** The whole decoded when it is ASCII; null when it is not; undefined until the first read. */
  private whole: string | null | undefined;

  constructor(readonly bytes: Uint8Array) {}

  /** The text of bytes [from, to). */
  slice(from: number, to: number): string {
    if (this.whole === undefined) {
      const whole = textDecoder.decode(this.bytes);
      this.whole = whole.length === this.bytes.length ? whole : null;
    }
    return this.whole !== null
      ? this.whole.slice(from, to)
      : textDecoder.decode(this.bytes.subarray(from, to));
  }

  /**
   * The text of bytes [from, to), as `slice` gives it, for a short range (a number, a word): when
   * the whole is not decoded yet and the range is ASCII, made from the range alone.
   */
  sliceShort(from: number, to: number): string {
    if (typeof this.whole !== "string") {
      const bytes = this.bytes;
      let ascii = true;
      for (let i = from; i < to && ascii; i++) ascii = bytes[i] < 0x80;
      if (ascii) return String.fromCharCode.apply(null, bytes.subarray(from, to) as unknown as number[]);
    }
    return this.slice(from, to);
  }
}
