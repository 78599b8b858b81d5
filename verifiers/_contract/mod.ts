/**
 * The result contract of DESIGN.md §2 as plain data and types, with no imports: the reason and error
 * registries and the result's shape. The engine builds results from it; the TypeScript client
 * (which must type-check for browsers, without the engine) shares it.
 */

/** The error registry (DESIGN.md §2): every `error.code` a result or an HTTP error may carry. */
export const ERROR_CODES = [
  "invalid_request",
  "internal",
  "sandbox_unavailable",
  "overloaded",
  "unauthorized",
  "upstream_unavailable",
] as const;

/** One code of the error registry. */
export type ErrorCode = typeof ERROR_CODES[number];

/** The reason registry (DESIGN.md §2): every `details.reason` a verdict may carry (null when correct). */
export const REASONS = [
  "no_answer",
  "bad_format",
  "ambiguous",
  "invalid_geometry",
  "wrong",
  "too_complex",
  "render_failed",
  "no_data_drawn",
  "parse_error",
  "runtime_error",
  "tests_failed",
  "judge_unparsable",
  "judge_injection",
] as const;

/** One reason of the registry. */
export type Reason = typeof REASONS[number];

/** One item's result, exactly as the API returns it. */
export interface VerifyResult {
  id?: string;
  /** For a composite reward: the spec's name, or "inline". */
  spec?: string;
  verifier: string | null;
  version: string | null;
  reward: number | null;
  correct: boolean | null;
  details: Record<string, unknown> | null;
  error: { code: ErrorCode; message: string } | null;
  ms: number;
  /** For a composite reward: each verifier leaf's result, with its path and weight. */
  components?: (VerifyResult & { path: string; weight: number; gated_out?: boolean })[];
}
