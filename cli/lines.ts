/**
 * Splits a byte stream into lines (LF or CRLF) in time linear in its length, keeping memory bounded
 * by the longest line (plus a chunk).
 */

import { joinBytes } from "../wasm/mod.ts";

const LF = 10;
const CR = 13;
const decoder = new TextDecoder();

/** Yields each line of the stream, decoded, without its line ending; a final line without one is yielded too. */
export async function* readLines(stream: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  for await (const { bytes, starts, ends } of readLineRanges(stream)) {
    for (let i = 0; i < starts.length; i++) yield decoder.decode(bytes.subarray(starts[i], ends[i]));
  }
}

/** Lines of a stream as byte ranges of one buffer: line i is `bytes[starts[i]..ends[i])`, without its line ending. */
export interface LineRanges {
  bytes: Uint8Array;
  starts: number[];
  ends: number[];
}

/**
 * Yields, a chunk at a time, the lines the chunk completes as byte ranges of one buffer (a copy, so
 * the stream may reuse its own), not decoded: whoever reads a line decodes it (the CLI's
 * preparation threads), and the reading thread only looks for newline bytes (a newline byte never
 * sits inside a UTF-8 sequence). The bytes after a chunk's last newline wait as parts, joined once
 * when the line's newline arrives, so a long line costs time linear in its length.
 */
export async function* readLineRanges(stream: AsyncIterable<Uint8Array>): AsyncGenerator<LineRanges> {
  let parts: Uint8Array[] = [];
  for await (const chunk of stream) {
    const last = chunk.lastIndexOf(LF);
    if (last < 0) {
      parts.push(chunk.slice());
      continue;
    }
    parts.push(chunk.subarray(0, last + 1));
    // One part is a view of the chunk: copied; several are joined into a new buffer anyway.
    yield rangesOf(parts.length === 1 ? parts[0].slice() : joinBytes(parts));
    parts = last + 1 < chunk.length ? [chunk.slice(last + 1)] : [];
  }
  if (parts.length > 0) yield rangesOf(joinBytes(parts));
}

/** The lines of `bytes` (each ended by LF or CRLF, the last one perhaps by the end of the buffer). */
function rangesOf(bytes: Uint8Array): LineRanges {
  const starts: number[] = [];
  const ends: number[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(LF, start);
    const next = end < 0 ? bytes.length : end + 1;
    if (end < 0) end = bytes.length;
    starts.push(start);
    ends.push(end > start && bytes[end - 1] === CR ? end - 1 : end);
    start = next;
  }
  return { bytes, starts, ends };
}

/**
 * Whether line [start, end) of `bytes` is blank (only whitespace, as `String.prototype.trim` sees
 * it): decided on the bytes for ASCII, by decoding when a non-ASCII byte is all there is.
 */
export function isBlankLine(bytes: Uint8Array, start: number, end: number): boolean {
  let ascii = true;
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b === 32 || (b >= 9 && b <= 13)) continue;
    if (b < 128) return false;
    ascii = false;
  }
  return ascii || decoder.decode(bytes.subarray(start, end)).trim() === "";
}
