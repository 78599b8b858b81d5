/**
 * The `match` and `text` schemas written as union types (one `type` list, each keyword applying to
 * its own type) accept and refuse exactly what one schema per type did: table-driven, through the
 * item validator the engine uses.
 */
import { strictEqual } from "node:assert/strict";
import { ItemValidator } from "../verifiers/validate.ts";
import { VERIFIERS } from "../verifiers/mod.ts";

const validator = new ItemValidator(VERIFIERS, 1 << 20);

/** [verifier, reference, options, accepted?] */
const CASES: [string, unknown, Record<string, unknown> | undefined, boolean][] = [
  ["match", "cat", undefined, true],
  ["match", 3, undefined, true],
  ["match", ["cat", "kitty"], { mode: "any_of" }, true],
  ["match", [["car", 1], ["bus", 2]], { mode: "weighted" }, true],
  ["match", { a: 3, b: 0 }, undefined, true],
  ["match", "x".repeat(1001), undefined, false],
  ["match", ["x".repeat(1001)], { mode: "any_of" }, false],
  ["match", [[]], { mode: "weighted" }, false],
  ["match", [Array(17).fill(1)], { mode: "weighted" }, false],
  ["match", [[{}]], { mode: "weighted" }, false],
  ["match", [true], { mode: "any_of" }, false],
  ["match", { a: -1 }, undefined, false],
  ["match", { a: "1" }, undefined, false],
  ["match", { ["k".repeat(1001)]: 1 }, undefined, false],
  ["match", true, undefined, false],
  ["match", Array(10001).fill("a"), { mode: "any_of" }, false],
  ["match", "B", { choices: { A: "a dog", B: "a cat" } }, true],
  ["match", "B", { choices: ["a dog", "a cat"] }, true],
  ["match", "B", { choices: {} }, false],
  ["match", "B", { choices: [] }, false],
  ["match", "B", { choices: "a dog" }, false],
  ["match", "B", { choices: { A: 1 } }, false],
  ["match", "B", { choices: Array(27).fill("x") }, false],
  ["match", ["a"], { mode: "weighted", weights: { partial: 0.5 } }, true],
  ["match", ["a"], { mode: "weighted", weights: { partial: [0.5, 1.5] } }, true],
  ["match", ["a"], { mode: "weighted", weights: { partial: 101 } }, false],
  ["match", ["a"], { mode: "weighted", weights: { partial: [101] } }, false],
  ["match", ["a"], { mode: "weighted", weights: { partial: [] } }, false],
  ["match", ["a"], { mode: "weighted", weights: { partial: "0.5" } }, false],
  ["text", "a cat", undefined, true],
  ["text", ["a cat", "the cat"], undefined, true],
  ["text", [], undefined, false],
  ["text", Array(17).fill("a"), undefined, false],
  ["text", [1], undefined, false],
  ["text", 1, undefined, false],
  ["text", { text: "a" }, undefined, false],
];

Deno.test("union-typed schemas of match and text: the same verdicts on valid and invalid references and options", () => {
  for (const [verifier, reference, options, accepted] of CASES) {
    const item = { verifier, response: "x", reference, ...(options ? { options } : {}) };
    const got = validator.validVerifier(item);
    strictEqual(!("message" in got), accepted, `${JSON.stringify(item).slice(0, 120)}`);
  }
});
