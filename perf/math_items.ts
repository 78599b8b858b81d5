/** Deterministic math RL rollouts (a few kB of reasoning ending in \boxed{…}) for the benchmarks. */
import { seededRandom } from "./rec_items.ts";

const steps = [
  "First, we write the equation in standard form and collect the terms on one side.",
  "Substituting the values from the figure, the base is 6 and the height is 4.",
  "We can factor the quadratic as a product of two binomials and check each root.",
  "Using the Pythagorean theorem on the right triangle gives the missing side.",
  "The probability is the number of favourable outcomes over the total number of outcomes.",
  "Simplifying the fraction by the greatest common divisor of numerator and denominator.",
];

/** Gold answer and a (mostly equivalent) predicted form, per answer kind. */
const kinds: ((r: () => number) => [string, string])[] = [
  (r) => {
    const n = Math.floor(r() * 1000);
    return [String(n), r() < 0.8 ? String(n) : String(n + 1)];
  },
  (r) => {
    const a = 1 + Math.floor(r() * 9), b = 2 + Math.floor(r() * 9);
    return [`\\frac{${a}}{${b}}`, r() < 0.8 ? `\\dfrac{${2 * a}}{${2 * b}}` : `\\frac{${a + 1}}{${b}}`];
  },
  (r) => {
    const a = 2 + Math.floor(r() * 7);
    return [`${a}\\sqrt{2}`, r() < 0.8 ? `\\sqrt{${2 * a * a}}` : `${a}\\sqrt{3}`];
  },
  (r) => {
    const a = 1 + Math.floor(r() * 5);
    return [`x^2-${a * a}`, r() < 0.8 ? `(x-${a})(x+${a})` : `(x-${a})^2`];
  },
  (r) => {
    const a = Math.floor(r() * 10), b = a + 1 + Math.floor(r() * 5);
    return [`\\{${a}, ${b}\\}`, r() < 0.8 ? `\\{${b}, ${a}\\}` : `\\{${a}, ${b + 1}\\}`];
  },
  (r) => {
    const v = (r() * 100).toFixed(2);
    return [v, r() < 0.8 ? `${v}` : (Number(v) + 0.5).toFixed(2)];
  },
];

/** `count` items: `{verifier: "math", response, reference}` with ~2–4 kB responses. */
export function mathItems(
  count: number,
  seed = 11,
): { verifier: "math"; response: string; reference: string }[] {
  const random = seededRandom(seed);
  const items = [];
  for (let i = 0; i < count; i++) {
    const [gold, predicted] = kinds[i % kinds.length](random);
    const parts: string[] = ["<think>"];
    const target = 2000 + Math.floor(random() * 2000);
    let length = 0;
    while (length < target) {
      const step = steps[Math.floor(random() * steps.length)];
      parts.push(step);
      length += step.length + 1;
    }
    parts.push(`</think> Therefore the final answer is $\\boxed{${predicted}}$.`);
    items.push({ verifier: "math" as const, response: parts.join(" "), reference: gold });
  }
  return items;
}
