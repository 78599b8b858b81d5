// `return_image`: copies the candidate's rendering, base64 PNG encoded by the host, into the details as
// a data URL (`details.rendering`), or says why it is not there (`details.rendering_omitted`).

import { ChartInput } from "./input";
import { JsonWriter } from "../_lib/writer";

const PREFIX = "data:image/png;base64,";

/** Longest `details.rendering` data URL written (characters); a longer one is omitted as too large. */
export const MAX_RENDERING_CHARS: i32 = 200_000;

// A base64 character (standard alphabet, no padding)?
function isBase64(c: i32): bool {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x2b || c == 0x2f;
}

// Canonical padded base64: a multiple of 4 characters, "=" only as the last one or two.
function wellFormed(ptr: usize, n: i32): bool {
  if (n == 0 || (n & 3) != 0) return false;
  let body = n;
  if (load<u8>(ptr + <usize>(n - 1)) == 0x3d) body--;
  if (load<u8>(ptr + <usize>(n - 2)) == 0x3d) body--;
  for (let i = 0; i < body; i++) {
    if (!isBase64(<i32>load<u8>(ptr + <usize>i))) return false;
  }
  return true;
}

/** Writes `rendering` or `rendering_omitted` when the host was asked for the rendering; else nothing. */
export function writeRendering(w: JsonWriter, input: ChartInput): void {
  if (!input.renderingAsked) return;
  const n = input.renderingLen;
  if (n == 0) {
    w.key("rendering_omitted").str("encoder_unavailable");
  } else if (!wellFormed(input.rendering, n)) {
    w.key("rendering_omitted").str("malformed");
  } else if (PREFIX.length + n > MAX_RENDERING_CHARS) {
    w.key("rendering_omitted").str("too_large");
  } else {
    w.key("rendering").str(PREFIX + String.UTF8.decodeUnsafe(input.rendering, <usize>n, false));
  }
}
