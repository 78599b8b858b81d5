// The part of a response that holds the answer, for kernels whose tag name is a parameter.

import { indexOfAscii, Span } from "./text";

/**
 * The content of the last complete `<tag>…</tag>` block; failing that, the text after the last
 * `<tag>`; failing that, the whole range. An empty tag name means the whole range. `via` is
 * "tag", "tag_unclosed" or "whole".
 */
export function tagRegion(ptr: usize, start: i32, end: i32, tag: string): Span {
  if (tag.length == 0) return new Span(start, end, "whole");
  // the usual tag's markers are constants (two string concatenations fewer per item)
  const usual = tag == "answer";
  const open = usual ? "<answer>" : "<" + tag + ">";
  const close = usual ? "</answer>" : "</" + tag + ">";
  let lastOpen = -1;
  let blockStart = -1;
  let blockEnd = -1;
  let at = indexOfAscii(ptr, end, open, start);
  while (at >= 0) {
    lastOpen = at + open.length;
    const shut = indexOfAscii(ptr, end, close, lastOpen);
    if (shut < 0) break;
    blockStart = lastOpen;
    blockEnd = shut;
    at = indexOfAscii(ptr, end, open, shut + close.length);
  }
  if (blockStart >= 0 && lastOpen == blockStart) return new Span(blockStart, blockEnd, "tag");
  if (lastOpen >= 0) return new Span(lastOpen, end, "tag_unclosed");
  return new Span(start, end, "whole");
}

/**
 * Within a span, the content of the last `\boxed{…}` with balanced braces, or null. Nesting is
 * counted, never recursed into, so deep nesting costs one pass.
 */
export function lastBoxed(ptr: usize, span: Span): Span | null {
  let found: Span | null = null;
  let at = indexOfAscii(ptr, span.end, "\\boxed{", span.start);
  while (at >= 0) {
    const body = at + 7;
    let depth = 1;
    let i = body;
    while (i < span.end && depth > 0) {
      const c = <i32>load<u8>(ptr + <usize>i);
      if (c == 0x5c && i + 1 < span.end) {
        i += 2; // an escaped brace \{ or \} does not nest
        continue;
      }
      if (c == 0x7b) depth++;
      else if (c == 0x7d) depth--;
      i++;
    }
    if (depth != 0) break;
    found = new Span(body, i - 1, "boxed");
    at = indexOfAscii(ptr, span.end, "\\boxed{", i);
  }
  return found;
}
