/** Builds the `math` kernel's parameters from a validated reference and options. */

/** The parameter object the kernel reads: the reference as given and the scoring options. */
export interface MathKernelParams {
  reference: unknown;
  options: Record<string, unknown>;
}

/**
 * The canonical text of a number (DESIGN.md §2's one rule): JavaScript's shortest round-trip digits,
 * written without an exponent and without a sign on zero: 72 → "72", 0.5 → "0.5", 1e-7 → "0.0000001",
 * 1e21 → "1000000000000000000000", -0 → "0".
 */
export function numberText(value: number): string {
  if (Object.is(value, -0)) return "0";
  const text = String(value);
  const e = text.indexOf("e");
  if (e < 0) return text;
  const sign = text.startsWith("-") ? "-" : "";
  const mantissa = text.slice(sign.length, e);
  const exponent = Number(text.slice(e + 1));
  const point = mantissa.indexOf(".");
  const digits = mantissa.replace(".", "");
  const intLength = (point < 0 ? mantissa.length : point) + exponent;
  if (intLength <= 0) return `${sign}0.${"0".repeat(-intLength)}${digits}`;
  if (intLength >= digits.length) return `${sign}${digits}${"0".repeat(intLength - digits.length)}`;
  return `${sign}${digits.slice(0, intLength)}.${digits.slice(intLength)}`;
}

/**
 * A single-answer reference as the kernel reads it: a number or a one-element list becomes the
 * answer's text, and an object's numeric `answer` its canonical text; anything else is unchanged.
 */
export function singleAnswer(reference: unknown): unknown {
  const value = Array.isArray(reference) && reference.length === 1 ? reference[0] : reference;
  if (typeof value === "number") return numberText(value);
  if (Array.isArray(reference) && typeof value === "string") return value;
  if (
    value !== null && typeof value === "object" && typeof (value as { answer?: unknown }).answer === "number"
  ) {
    return { ...value, answer: numberText((value as { answer: number }).answer) };
  }
  return reference;
}

/** The reference as `singleAnswer()` reads it, and only the options the kernel reads (not `timeout_ms`). */
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
      "order",
    ]
  ) {
    if (options[key] !== undefined) kept[key] = options[key];
  }
  return { reference: singleAnswer(reference), options: kept };
}
