/** Builds the `chart_code` kernel's parameters and the comparison size from validated options. */
import { InvalidRequestError } from "../types.ts";

/** Largest comparison grid (pixels): the kernel input holds two RGBA images of this size. */
export const MAX_COMPARE_PIXELS = 800 * 600;

/** The comparison size in pixels, from `figsize` (inches) and `dpi`. */
export function compareSize(options: Record<string, unknown>): [number, number] {
  const [w, h] = (options.figsize as number[] | undefined) ?? [8, 6];
  const dpi = (options.dpi as number | undefined) ?? 50;
  return [Math.round(w * dpi), Math.round(h * dpi)];
}

/** The kernel's parameters: profile, weights, threshold. Throws for an impossible size or profile. */
export function chartParams(reference: unknown, options: Record<string, unknown>): unknown {
  const [w, h] = compareSize(options);
  if (w < 16 || h < 16 || w * h > MAX_COMPARE_PIXELS) {
    throw new InvalidRequestError(
      `The comparison size figsize*dpi = ${w}x${h} pixels must be at least 16x16 and at most ${MAX_COMPARE_PIXELS} pixels`,
    );
  }
  const profile = (options.profile as string | undefined) ?? "default";
  if (profile === "chartmimic" && typeof (reference as { code?: unknown }).code !== "string") {
    throw new InvalidRequestError('The "chartmimic" profile compares traces: it needs reference.code');
  }
  return {
    profile,
    weights: options.weights ?? {},
    threshold: (options.threshold as number | undefined) ?? 0.9,
  };
}
