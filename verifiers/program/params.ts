/** The kernel parameters of a `program` item: `math`'s, for grading what a program-of-thought printed. */
import { mathVerifier } from "../math/mod.ts";
import { PROGRAM_OPTION_KEYS } from "./schemas.ts";

/** Unit tests as the reference gives them. */
export interface TestsReference {
  tests: ({ stdin?: string; stdout: string } | { assert: string })[];
  entry_point?: string;
  compare?: "exact" | "tokens" | "float";
  partial?: "fraction" | "all_or_nothing";
}

/** Whether a (schema-valid) reference holds unit tests rather than an answer. */
export function isTestsReference(reference: unknown): reference is TestsReference {
  return reference !== null && typeof reference === "object" && !Array.isArray(reference) &&
    Object.hasOwn(reference, "tests");
}

/** The options without the program's own keys: what `math` reads. */
export function mathOptionsOf(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (!(PROGRAM_OPTION_KEYS as readonly string[]).includes(key)) out[key] = value;
  }
  return out;
}

/**
 * `math`'s kernel parameters for a program-of-thought answer. Unit-test items never reach the kernel
 * (their stage always settles them): their parameters are an empty object.
 */
export function programParams(reference: unknown, options: Record<string, unknown>): unknown {
  if (isTestsReference(reference)) return {};
  return mathVerifier.params(reference, mathOptionsOf(options));
}
