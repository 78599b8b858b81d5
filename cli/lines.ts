/**
 * Splits a byte stream into text lines (LF or CRLF) in time linear in its length, keeping memory
 * bounded by the longest line (plus a chunk).
 */

const LF = 10;
const CR = 13;

/** Yields each line of the stream without its line ending; a final line without one is yielded too. */
export async function* readLines(stream: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  for await (const lines of readLineBatches(stream)) yield* lines;
}

/**
 * Yields the stream's lines a chunk at a time: every line a chunk completes, decoded in one call
 * and split in one call (a newline byte never sits inside a UTF-8 sequence, so decoding the lines
 * together gives what decoding each alone would). The bytes after a chunk's last newline are kept
 * as parts and joined once, when the line's newline arrives.
 */
export async function* readLineBatches(stream: AsyncIterable<Uint8Array>): AsyncGenerator<string[]> {
  const decoder = new TextDecoder();
  let parts: Uint8Array[] = [];
  let partsLength = 0;
  /** The kept parts followed by `tail`, as one buffer (the parts are cleared). */
  const withParts = (tail: Uint8Array): Uint8Array => {
    if (parts.length === 0) return tail;
    const bytes = new Uint8Array(partsLength + tail.length);
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.length;
    }
    bytes.set(tail, offset);
    parts = [];
    partsLength = 0;
    return bytes;
  };
  for await (const chunk of stream) {
    const last = chunk.lastIndexOf(LF);
    if (last < 0) {
      // A copy: the stream may reuse its buffer for the next chunk.
      parts.push(chunk.slice());
      partsLength += chunk.length;
      continue;
    }
    yield withoutCR(decoder.decode(withParts(chunk.subarray(0, last))).split("\n"));
    if (last + 1 < chunk.length) {
      parts.push(chunk.slice(last + 1));
      partsLength += chunk.length - last - 1;
    }
  }
  if (partsLength > 0) yield withoutCR([decoder.decode(withParts(new Uint8Array(0)))]);
}

/** Drops the CR of CRLF line endings, in place. */
function withoutCR(lines: string[]): string[] {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.length > 0 && line.charCodeAt(line.length - 1) === CR) lines[i] = line.slice(0, -1);
  }
  return lines;
}
