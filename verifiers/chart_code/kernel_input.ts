/** Assembles the kernel's input from two renderings (layout in kernels/chart_code/input.ts). */
import type { CachedRender } from "./render_cache.ts";

const HEADER_BYTES = 28;
const encoder = new TextEncoder();

/** The candidate's rendering as PNG for `details.rendering`: not asked for, base64, or unavailable (null). */
export type RenderingPng = undefined | string | null;

/**
 * "CHK2", sizes, flags, both pixel buffers, both traces (the reference's may be empty), and the
 * candidate's rendering as base64 PNG when `return_image` asked for it (flags bit 1; empty when the
 * encoder is unavailable).
 */
export function kernelInput(
  width: number,
  height: number,
  candidate: CachedRender,
  reference: { pixels: Uint8Array; trace: Uint8Array | null },
  png?: RenderingPng,
): Uint8Array {
  const refTrace = reference.trace ?? new Uint8Array(0);
  const image = typeof png === "string" ? encoder.encode(png) : new Uint8Array(0);
  const pixels = width * height * 4;
  const out = new Uint8Array(
    HEADER_BYTES + 2 * pixels + candidate.trace.length + refTrace.length + image.length,
  );
  out.set([0x43, 0x48, 0x4b, 0x32]);
  const view = new DataView(out.buffer);
  view.setUint32(4, width, true);
  view.setUint32(8, height, true);
  view.setUint32(12, candidate.trace.length, true);
  view.setUint32(16, refTrace.length, true);
  view.setUint32(20, (reference.trace === null ? 0 : 1) | (png === undefined ? 0 : 2), true);
  view.setUint32(24, image.length, true);
  let at = HEADER_BYTES;
  for (const part of [candidate.pixels, reference.pixels, candidate.trace, refTrace, image]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
