// The kernel's input after the parameters: what the host stage assembled from two renderings.
//   "CHK2", u32 width, u32 height, u32 candidate trace bytes, u32 reference trace bytes,
//   u32 flags (bit 0: the reference has a trace; bit 1: `return_image` asked for the rendering),
//   u32 rendering bytes, candidate RGBA, reference RGBA, candidate trace, reference trace, the
//   candidate's rendering as base64 PNG (encoded by the host from the candidate RGBA; empty when the
//   host has no encoder). The pixels and traces came out of the sandbox: every length is checked here.

export const HEADER_BYTES: i32 = 28;

/** Offsets of the parts of a well-formed input. */
export class ChartInput {
  width: i32 = 0;
  height: i32 = 0;
  candPixels: usize = 0;
  refPixels: usize = 0;
  candTrace: usize = 0;
  candTraceLen: i32 = 0;
  refTrace: usize = 0;
  refTraceLen: i32 = 0;
  refHasTrace: bool = false;
  renderingAsked: bool = false;
  rendering: usize = 0;
  renderingLen: i32 = 0;
}

/** Reads the header at [ptr + start, ptr + end); null when the lengths do not add up. */
export function readChartInput(ptr: usize, start: i32, end: i32): ChartInput | null {
  const len = end - start;
  if (len < HEADER_BYTES) return null;
  const p = ptr + <usize>start;
  if (load<u8>(p) != 0x43 || load<u8>(p + 1) != 0x48 || load<u8>(p + 2) != 0x4b || load<u8>(p + 3) != 0x32) return null;
  const w = load<u32>(p + 4);
  const h = load<u32>(p + 8);
  const ct = load<u32>(p + 12);
  const rt = load<u32>(p + 16);
  const flags = load<u32>(p + 20);
  const img = load<u32>(p + 24);
  if (w < 8 || h < 8 || w > 4096 || h > 4096 || ct > (1 << 24) || rt > (1 << 24) || img > (1 << 24)) return null;
  const pixels = <u64>w * <u64>h * 4;
  if (<u64>HEADER_BYTES + 2 * pixels + <u64>ct + <u64>rt + <u64>img != <u64>len) return null;
  const out = new ChartInput();
  out.width = <i32>w;
  out.height = <i32>h;
  out.candPixels = p + <usize>HEADER_BYTES;
  out.refPixels = out.candPixels + <usize>pixels;
  out.candTrace = out.refPixels + <usize>pixels;
  out.candTraceLen = <i32>ct;
  out.refTrace = out.candTrace + <usize>ct;
  out.refTraceLen = <i32>rt;
  out.refHasTrace = (flags & 1) != 0;
  out.renderingAsked = (flags & 2) != 0;
  out.rendering = out.refTrace + <usize>rt;
  out.renderingLen = <i32>img;
  return out;
}
