// The region of the default tag `answer`: _lib/text.ts's answerRegion (the content of the last complete
// `<answer>…</answer>` block, else the text after the last `<answer>`, else the whole response), found in one pass
// over the response's `<` bytes (eight bytes at a time) instead of a search per marker, and named as tagRegion names
// it ("tag", "tag_unclosed", "whole").

import { Span } from "../_lib/text";

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;
const LT: u64 = ONES * 0x3c;
// "<answer>" and "</answer" as little-endian u64s
const OPEN: u64 = 0x3e726577736e613c;
const CLOSE: u64 = 0x726577736e612f3c;

/** The answer region of the response [start, end) of `ptr`. */
export function answerSpan(ptr: usize, start: i32, end: i32): Span {
  let lastOpen = -1;
  let blockStart = -1;
  let blockEnd = -1;
  let inBlock = false; // after an opening marker, looking for the closing one
  let from = start; // markers start at or after this
  let i = start;
  while (i < end) {
    // the next `<` from i on
    let p = -1;
    if (i + 8 <= end) {
      const x = load<u64>(ptr + <usize>i) ^ LT;
      const hits = (x - ONES) & ~x & HIGHS; // the lowest set bit marks the first `<` (exact)
      if (hits == 0) {
        i += 8;
        continue;
      }
      p = i + <i32>(ctz(hits) >> 3);
    } else {
      if (load<u8>(ptr + <usize>i) != 0x3c) {
        i++;
        continue;
      }
      p = i;
    }
    i = p + 1;
    if (p < from) continue;
    if (!inBlock) {
      if (p + 8 <= end && load<u64>(ptr + <usize>p) == OPEN) {
        lastOpen = p + 8;
        inBlock = true;
        from = p + 8;
      }
    } else if (p + 9 <= end && load<u64>(ptr + <usize>p) == CLOSE && load<u8>(ptr + <usize>p, 8) == 0x3e) {
      blockStart = lastOpen;
      blockEnd = p;
      inBlock = false;
      from = p + 9;
    }
  }
  if (blockStart >= 0 && lastOpen == blockStart) return new Span(blockStart, blockEnd, "tag");
  if (lastOpen >= 0) return new Span(lastOpen, end, "tag_unclosed");
  return new Span(start, end, "whole");
}
