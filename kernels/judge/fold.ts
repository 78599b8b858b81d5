// Folds a response for phrase matching: ASCII letters lower-cased, every run of whitespace one
// space, and invisible format characters (U+200B..U+200D, U+2060, U+FEFF, soft hyphen U+00AD)
// dropped, so "IGNORE\u200b  previous\ninstructions" folds to "ignore previous instructions".
// The folded text is never longer than the response: one pass, one buffer.

/** The folded bytes of `[ptr + start, ptr + end)` and their length. */
export class Folded {
  bytes: Uint8Array;
  len: i32;

  constructor(bytes: Uint8Array, len: i32) {
    this.bytes = bytes;
    this.len = len;
  }
}

function isSpace(c: u32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d || c == 0x0b || c == 0x0c;
}

/** Folds the response bytes. */
export function foldResponse(ptr: usize, start: i32, end: i32): Folded {
  const out = new Uint8Array(end - start + 1);
  const dst = out.dataStart;
  let n = 0;
  let lastSpace = true; // drops leading whitespace
  let i = start;
  while (i < end) {
    const c = <u32>load<u8>(ptr + <usize>i);
    if (c == 0xe2 && i + 2 < end) {
      const c1 = <u32>load<u8>(ptr + <usize>(i + 1));
      const c2 = <u32>load<u8>(ptr + <usize>(i + 2));
      // U+200B..U+200D (E2 80 8B..8D), U+2060 (E2 81 A0)
      if ((c1 == 0x80 && c2 >= 0x8b && c2 <= 0x8d) || (c1 == 0x81 && c2 == 0xa0)) {
        i += 3;
        continue;
      }
    }
    if (c == 0xef && i + 2 < end && load<u8>(ptr + <usize>(i + 1)) == 0xbb && load<u8>(ptr + <usize>(i + 2)) == 0xbf) {
      i += 3; // U+FEFF
      continue;
    }
    if (c == 0xc2 && i + 1 < end && load<u8>(ptr + <usize>(i + 1)) == 0xad) {
      i += 2; // U+00AD
      continue;
    }
    if (isSpace(c)) {
      if (!lastSpace) {
        store<u8>(dst + <usize>n, 0x20);
        n++;
      }
      lastSpace = true;
      i++;
      continue;
    }
    store<u8>(dst + <usize>n, <u8>(c >= 0x41 && c <= 0x5a ? c + 0x20 : c));
    n++;
    lastSpace = false;
    i++;
  }
  return new Folded(out, n);
}
