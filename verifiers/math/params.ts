/** Builds the `math` kernel's parameters from a validated reference and options. */

/** The parameter object the kernel reads: the reference as given and the scoring options. */
export interface MathKernelParams {
  reference: unknown;
  options: Record<string, unknown>;
}

/** Passes the reference through and keeps only the options the kernel reads (not `timeout_ms`). */
export function mathParams(reference: unknown, options: Record<string, unknown>): MathKernelParams {
  const kept: Record<string, unknown> = {};
  for (
    const key of [
      "profile",
      "extract",
      "extracted",
      "extract_reference",
      "tolerance",
      "precision",
      "strict",
      "latex_shorthand",
    ]
  ) {
    if (options[key] !== undefined) kept[key] = options[key];
  }
  return { reference, options: kept };
}
