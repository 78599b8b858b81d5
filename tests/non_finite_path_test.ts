/**
 * `nonFinitePath` (verifiers/validate.ts), which every item's reference, options and spec pass: the
 * path it names for a non-finite number (`1e309` parses to Infinity) against a plain recursive
 * reading of the same order, on random values and on nesting far deeper than any stack allows.
 */
import { strictEqual } from "node:assert/strict";
import fc from "fast-check";
import { nonFinitePath } from "../verifiers/validate.ts";

/** The order the path has always followed: depth first, array elements in order, object keys last first. */
function expectedPath(value: unknown, path: string): string | null {
  if (typeof value === "number") return Number.isFinite(value) ? null : path;
  if (value === null || typeof value !== "object") return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = expectedPath(value[i], `${path}/${i}`);
      if (found !== null) return found;
    }
    return null;
  }
  const entries = Object.entries(value).reverse();
  for (const [key, child] of entries) {
    const found = expectedPath(child, `${path}/${key}`);
    if (found !== null) return found;
  }
  return null;
}

Deno.test("property: nonFinitePath names the first non-finite number, depth first", () => {
  const leaf = fc.oneof(
    fc.double(),
    fc.constantFrom(Infinity, -Infinity, NaN, 0, 1e308),
    fc.string({ maxLength: 4 }),
    fc.constant(null),
    fc.boolean(),
  );
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof(
      { depthSize: "small" },
      leaf,
      fc.array(tie("tree"), { maxLength: 5 }),
      fc.dictionary(fc.string({ maxLength: 3 }), tie("tree"), { maxKeys: 4 }),
    ),
  }));
  fc.assert(
    fc.property(
      tree,
      (value) => strictEqual(nonFinitePath(value, "reference"), expectedPath(value, "reference")),
    ),
    { numRuns: 3000 },
  );
});

Deno.test("nonFinitePath on values nested 200,000 deep: no stack overflow, the right path, in linear time", () => {
  const DEPTH = 200_000;
  let finite: unknown = 1;
  let infinite: unknown = -Infinity;
  for (let i = 0; i < DEPTH; i++) {
    finite = i % 2 ? [finite] : { k: finite };
    infinite = i % 2 ? [0, infinite] : { k: infinite, a: "x" };
  }
  const started = performance.now();
  strictEqual(nonFinitePath(finite, "options"), null);
  const path = nonFinitePath(infinite, "options")!;
  strictEqual(path.split("/").length, DEPTH + 1);
  strictEqual(path.startsWith(DEPTH % 2 ? "options/k/1/k/1" : "options/1/k/1/k"), true, path.slice(0, 30));
  strictEqual(performance.now() - started < 5_000, true);
});
