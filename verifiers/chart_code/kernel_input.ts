/** Assembles the kernel's input from two renderings (layout in kernels/_chart_input.ts). */
import type { CachedRender } from "./render_cache.ts";

const HEADER_BYTES = 24;

/** "CHK1", sizes, flags, both pixel buffers, both traces (the reference's may be empty). */
export function kernelInput(
  width: number,
  height: number,
  candidate: CachedRender,
  reference: { pixels: Uint8Array; trace: Uint8Array | null },
): Uint8Array {
  const refTrace = reference.trace ?? new Uint8Array(0);
  const pixels = width * height * 4;
  const out = new Uint8Array(HEADER_BYTES + 2 * pixels + candidate.trace.length + refTrace.length);
  out.set([0x43, 0x48, 0x4b, 0x31]);
  const view = new DataView(out.buffer);
  view.setUint32(4, width, true);
  view.setUint32(8, height, true);
  view.setUint32(12, candidate.trace.length, true);
  view.setUint32(16, refTrace.length, true);
  view.setUint32(20, reference.trace === null ? 0 : 1, true);
  out.set(candidate.pixels, HEADER_BYTES);
  out.set(reference.pixels, HEADER_BYTES + pixels);
  out.set(candidate.trace, HEADER_BYTES + 2 * pixels);
  out.set(refTrace, HEADER_BYTES + 2 * pixels + candidate.trace.length);
  return out;
}
