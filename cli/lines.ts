/**
 * Splits a byte stream into text lines (LF or CRLF) in time linear in its length, keeping memory
 * bounded by the longest line: each chunk is searched once for newlines, and the bytes of a line
 * that spans chunks are kept as parts and joined and decoded once, when its newline arrives.
 */

const LF = 10;
const CR = 13;

/** Yields each line of the stream without its line ending; a final line without one is yielded too. */
export async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let parts: Uint8Array[] = [];
  let partsLength = 0;
  // The line made of the kept parts and `tail`, decoded (a newline byte never sits inside a UTF-8
  // sequence, so a whole line decodes alone).
  const lineOf = (tail: Uint8Array): string => {
    let bytes = tail;
    if (parts.length > 0) {
      bytes = new Uint8Array(partsLength + tail.length);
      let offset = 0;
      for (const part of parts) {
        bytes.set(part, offset);
        offset += part.length;
      }
      bytes.set(tail, offset);
      parts = [];
      partsLength = 0;
    }
    const end = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
    return decoder.decode(bytes.subarray(0, end));
  };
  for await (const chunk of stream) {
    let start = 0;
    let newline: number;
    while ((newline = chunk.indexOf(LF, start)) >= 0) {
      yield lineOf(chunk.subarray(start, newline));
      start = newline + 1;
    }
    if (start < chunk.length) {
      // A copy: the stream may reuse its buffer for the next chunk.
      parts.push(chunk.slice(start));
      partsLength += chunk.length - start;
    }
  }
  if (partsLength > 0) yield lineOf(new Uint8Array(0));
}
