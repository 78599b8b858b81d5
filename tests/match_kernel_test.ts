/** Table-driven tests of the `match` kernel through its host glue: extraction forms, choices, every mode, bounds. */
import assert from "node:assert/strict";
import { encodeItem, type KernelOutput, scoreInProcess } from "../wasm/mod.ts";
import { matchVerifier } from "../verifiers/match/mod.ts";
import { InvalidRequestError } from "../verifiers/types.ts";
import { assertVerdict, loadKernel } from "./_kernel.ts";

const kernel = loadKernel("match");

function score(response: string, reference: unknown, options: Record<string, unknown> = {}): KernelOutput {
  const out = scoreInProcess(kernel, matchVerifier.params(reference, options), response);
  assertVerdict(out);
  return out;
}

function near(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} is not ${expected}`);
}

Deno.test("`match` gives every published example its expected result", () => {
  assert.ok(matchVerifier.examples.length >= 6);
  for (const ex of matchVerifier.examples) {
    const out = score(ex.item.response, ex.item.reference, ex.item.options ?? {});
    near(out.reward, ex.expected.reward, ex.title);
    assert.equal(out.correct, ex.expected.correct, ex.title);
    for (const [k, v] of Object.entries(ex.expected.details ?? {})) {
      if (typeof v === "number") near(out.details[k] as number, v, `${ex.title}: ${k}`);
      else assert.deepEqual(out.details[k], v, `${ex.title}: ${k}`);
    }
  }
});

Deno.test("list answers are read from every common way of writing them", () => {
  const forms: [string, string][] = [
    ['<answer>["cat", "dog", "bird"]</answer>', "tag+json"],
    ["<answer>['cat', 'dog', 'bird']</answer>", "tag+json"],
    ["<answer>('cat', 'dog', 'bird')</answer>", "tag+json"],
    ["<answer>cat, dog, bird</answer>", "tag+comma"],
    ["<answer>cat; dog; bird</answer>", "tag+comma"],
    ["<answer>cat，dog、bird</answer>", "tag+comma"],
    ["<answer>\n- cat\n- dog\n- bird\n</answer>", "tag+newline"],
    ["<answer>1. cat\n2. dog\n3. bird</answer>", "tag+newline"],
    ["<answer>cat dog bird</answer>", "tag+whitespace"],
    ["<answer>[cat, dog, bird]</answer>", "tag+brackets+comma"],
    ["The answer is \\boxed{cat, dog, bird}.", "whole+boxed+comma"],
    ['<answer>```json\n["cat", "dog", "bird"]\n```</answer>', "tag+fence+json"],
    ["<think>x</think><answer>cat > dog > bird", "tag_unclosed+comma"],
  ];
  for (const [response, via] of forms) {
    const out = score(response, ["cat", "dog", "bird"], { mode: "sequence_exact" });
    assert.equal(out.reward, 1, response);
    assert.equal(out.details.extraction, via, response);
  }
});

Deno.test("a multi-word reference label turns off splitting on spaces", () => {
  const out = score("<answer>golden retriever</answer>", ["golden retriever"], { mode: "set_exact" });
  assert.equal(out.reward, 1);
  assert.equal(
    score("<answer>golden retriever, poodle</answer>", ["poodle", "golden retriever"], {
      mode: "set_exact",
    }).reward,
    1,
  );
});

Deno.test("a choice's letter is read from every common form, and from its text alone", () => {
  const choices = { A: "A cat sleeping", B: "A dog barking", C: "A bird singing" };
  const forms = [
    "B",
    "(B)",
    "B.",
    "B)",
    "B:",
    "Option B",
    "option: B",
    "\\text{(B)}",
    "**B**",
    "b",
    "B. A dog barking",
    "(B) A dog barking",
    "B A dog barking",
    "A dog barking",
    "a dog barking.",
    "\\boxed{B}",
  ];
  for (const f of forms) {
    assert.equal(score(`<answer>${f}</answer>`, "B", { choices }).reward, 1, f);
  }
  for (const f of ["A", "(C)", "B C", "Option D", "dog", "A dog"]) {
    assert.equal(score(`<answer>${f}</answer>`, "B", { choices }).reward, 0, f);
  }
  // a reference written as the option's text means its letter
  assert.equal(score("<answer>(B)</answer>", "A dog barking", { choices }).reward, 1);
  // multi-select letters
  for (const f of ["A, C", "C, A", "AC", '["A", "C"]', "(A), (C)", "\\{C, A\\}"]) {
    assert.equal(score(`<answer>${f}</answer>`, ["A", "C"], { mode: "set_exact", choices }).reward, 1, f);
  }
  assert.equal(score("<answer>A, B, C</answer>", ["A", "C"], { mode: "set_exact", choices }).reward, 0);
});

Deno.test("label normalization: case, spaces and end punctuation by default; options change it", () => {
  assert.equal(score("<answer>  Golden   RETRIEVER! </answer>", "golden retriever").reward, 1);
  assert.equal(score("<answer>Cat</answer>", "cat", { case_sensitive: true }).reward, 0);
  assert.equal(score("<answer>t-shirt</answer>", "tshirt", { punctuation: "remove" }).reward, 1);
  assert.equal(score("<answer>C</answer>", "C++").reward, 0);
  assert.equal(score("<answer>“C++”.</answer>", "c++").reward, 1);
  assert.equal(score("<answer>(A+)</answer>", "A").reward, 0);
  assert.equal(score("<answer>a - b * c</answer>", ["a", "b", "c"], { mode: "sequence_exact" }).reward, 1);
  assert.equal(score("<answer>t-shirt</answer>", "tshirt").reward, 0);
  assert.equal(score("<answer>cat.</answer>", "cat", { punctuation: "keep" }).reward, 0);
  assert.equal(score("<answer>The cat</answer>", "cat", { articles: true }).reward, 1);
  assert.equal(score("<answer>The cat</answer>", "cat").reward, 0);
  // numbers compare by value
  assert.equal(score("<answer>2.0</answer>", 2).reward, 1);
  assert.equal(score("<answer>[1.0, 2, 3.50]</answer>", [1, 2, 3.5], { mode: "sequence_exact" }).reward, 1);
  assert.equal(score("<answer>-3</answer>", -3).reward, 1);
  assert.equal(score("<answer>-3</answer>", 3).reward, 0);
});

Deno.test("every mode scores by its definition", () => {
  const table: [string, unknown, Record<string, unknown>, number][] = [
    ["<answer>cat</answer>", ["dog", "cat"], { mode: "any_of" }, 1],
    ["<answer>a, a, b</answer>", ["a", "b"], { mode: "set_exact" }, 1],
    ["<answer>a, b, c</answer>", ["a", "b"], { mode: "set_exact" }, 0],
    ["<answer>a, b, c, d</answer>", ["a", "b"], { mode: "set_f1" }, 2 / 3],
    ["<answer>[]</answer>", [], { mode: "set_f1" }, 1],
    ["<answer>[]</answer>", ["a"], { mode: "set_f1" }, 0],
    ["<answer>a</answer>", [], { mode: "set_exact" }, 0],
    ["<answer>1 2 3</answer>", [1, 2, 3], { mode: "sequence_exact" }, 1],
    ["<answer>1 2</answer>", [1, 2, 3], { mode: "sequence_exact" }, 0],
    ["<answer>1 2 3 4 5</answer>", [1, 2, 3], { mode: "position_accuracy" }, 3 / 5],
    ["<answer>1 3 2</answer>", [1, 2, 3], { mode: "position_accuracy" }, 1 / 3],
    ["<answer>1 2 3 4</answer>", [1, 2, 3, 4], { mode: "adjacency" }, 1],
    ["<answer>4 3 2 1</answer>", [1, 2, 3, 4], { mode: "adjacency" }, 0],
    ["<answer>4 3 2 1</answer>", [1, 2, 3, 4], { mode: "adjacency", directed: false }, 1],
    ["<answer>1 2 3 4</answer>", [1, 2, 3, 4], { mode: "kendall_tau" }, 1],
    ["<answer>4 3 2 1</answer>", [1, 2, 3, 4], { mode: "kendall_tau" }, 0],
    ["<answer>1 2</answer>", [1, 2, 3, 4], { mode: "kendall_tau" }, 5 / 6],
    ["<answer>x</answer>", [1], { mode: "kendall_tau" }, 0],
    ["<answer>a b x c</answer>", ["a", "b", "c"], { mode: "lcs" }, 6 / 7],
    ["<answer>d2, d1</answer>", ["d1", "d2"], { mode: "ndcg" }, 1],
    ["<answer>x, d1</answer>", ["d1"], { mode: "ndcg" }, 0],
    ["<answer>x, d1</answer>", ["d1"], { mode: "ndcg", k: 2 }, 1 / Math.log2(3)],
    ["<answer>d1, d1, d2</answer>", { d1: 1, d2: 1 }, { k: 3 }, (1 + 0.5) / (1 + 1 / Math.log2(3))],
    [
      "<answer>b, a</answer>",
      { a: 2, b: 1 },
      { gain: "exponential" },
      (1 + 3 / Math.log2(3)) / (3 + 1 / Math.log2(3)),
    ],
    ["<answer>b, a</answer>", { a: 2, b: 1 }, { k: 1 }, 1 / 2],
    ["<answer>a, b, c</answer>", ["a", "b"], { mode: "weighted" }, 0.75],
    ["<answer>a</answer>", ["a", "b"], { mode: "weighted", weights: { missing: -0.5 } }, 0.25],
    ["<answer>(1, red), (2, blue)</answer>", [[1, "red"], [2, "green"]], { mode: "weighted" }, 0.75],
    ['<answer>[[1, "red"], [2, "green"]]</answer>', [[1, "red"], [2, "green"]], { mode: "weighted" }, 1],
  ];
  for (const [response, reference, options, reward] of table) {
    near(score(response, reference, options).reward, reward, `${options.mode ?? "default"} ${response}`);
  }
});

Deno.test("correct means the reward reached the threshold (default 1)", () => {
  const out = score("<answer>a, b, c, d</answer>", ["a", "b"], { mode: "set_f1", threshold: 0.6 });
  assert.equal(out.correct, true);
  assert.equal(out.details.reason, null);
  assert.equal(score("<answer>a, b, c, d</answer>", ["a", "b"], { mode: "set_f1" }).details.reason, "wrong");
});

Deno.test("a sequence that must be a permutation and is not is bad_format", () => {
  const out = score("<answer>1 1 2 3</answer>", [1, 2, 3, 4], {
    mode: "position_accuracy",
    require_permutation: true,
  });
  assert.equal(out.details.reason, "bad_format");
  assert.equal(out.details.problem, "not_a_permutation");
  assert.equal(out.reward, 0);
});

Deno.test("parse failures are verdicts with reasons", () => {
  assert.equal(score("<answer></answer>", "a").details.reason, "no_answer");
  assert.equal(score("", "a").details.reason, "no_answer");
  assert.equal(score("<answer>[]</answer>", "a").details.reason, "no_answer");
  assert.equal(score('<answer>["a", "b"]</answer>', "a").details.reason, "ambiguous");
  assert.equal(
    score("<answer>a, b</answer>", ["a", "b"], { mode: "set_exact", split: "json" }).details.reason,
    "bad_format",
  );
});

Deno.test("hostile lists: 100k elements, deep nesting, mixed types, duplicates, invalid UTF-8", () => {
  // up to 10,000 elements are scored; past that the verdict is too_complex, never a trap
  const many = Array.from({ length: 10_000 }, (_, i) => i);
  const big = score(`<answer>${JSON.stringify(many)}</answer>`, many, { mode: "sequence_exact" });
  assert.equal(big.reward, 1);
  assert.equal(big.details.count, 10_000);
  const bigText = score(`<answer>${many.join(", ")}</answer>`, [1, 2], { mode: "set_f1" });
  assert.equal(bigText.details.count, 10_000);
  const tuples = many.map((i) => [i, `x${i}`, i]);
  assert.equal(score(`<answer>${JSON.stringify(tuples)}</answer>`, tuples, { mode: "weighted" }).reward, 1);
  const huge = Array.from({ length: 100_000 }, (_, i) => i);
  for (
    const response of [
      JSON.stringify(huge),
      huge.join(","),
      huge.join(" "),
      huge.join("\n"),
      "[1],".repeat(100_000),
    ]
  ) {
    const out = score(`<answer>${response}</answer>`, [1], { mode: "set_f1" });
    assert.equal(out.details.reason, "too_complex", response.slice(0, 20));
    assert.equal(out.reward, 0);
  }
  for (const depth of [300, 100_000]) {
    const deep = score(`<answer>${"[".repeat(depth)}1${"]".repeat(depth)}</answer>`, [1], { mode: "set_f1" });
    assert.ok(deep.reward <= 1);
    const unbalanced = score(`<answer>${"(".repeat(depth)}</answer>`, [1], { mode: "lcs" });
    assert.ok(unbalanced.reward <= 1);
  }
  const mixed = score('<answer>[1, "1", 1.0, true, null, {"a": [1]}, [2, "x"]]</answer>', [1, "true"], {
    mode: "set_f1",
  });
  near(mixed.reward, 2 * (2 / 5) / (2 / 5 + 1), "mixed types");
  assert.equal(score("<answer>a, a, a, a</answer>", ["a"], { mode: "set_exact" }).details.duplicates, 3);
  const params = matchVerifier.params(["a"], { mode: "set_f1", tag: "" });
  const head = encodeItem(params, "");
  const junk = new Uint8Array([0xff, 0x2c, 0x61, 0x2c, 0xc3, 0x00, 0xe2, 0x82, 0x2c, 0xf0, 0x9f]);
  const item = new Uint8Array(head.length + junk.length);
  item.set(head);
  item.set(junk, head.length);
  const out = JSON.parse(new TextDecoder().decode(kernel.scoreBytes(item)));
  assertVerdict(out);
  assert.ok(out.reward > 0, "the valid element a still counts");
  // LCS is bounded by cells: 9,000 × 9,000 is past MAX_LCS_CELLS
  const long = Array.from({ length: 9000 }, (_, i) => i);
  assert.equal(
    score(`<answer>${JSON.stringify(long)}</answer>`, long, { mode: "lcs" }).details.reason,
    "too_complex",
  );
});

Deno.test("references the schema cannot rule out are invalid requests", () => {
  const bad: [unknown, Record<string, unknown>][] = [
    [["a", "b"], {}],
    [{ a: 1 }, { mode: "set_f1" }],
    ["a", { mode: "set_f1" }],
    ["  ", {}],
    [["a", ""], { mode: "set_exact" }],
    [["a", "b"], { mode: "exact" }],
    [[], { mode: "any_of" }],
    [[], { mode: "kendall_tau" }],
    [{ a: 0, b: 0 }, {}],
    [[1, 2, 3], { mode: "adjacency", grid: [2, 2] }],
    [[1, 2, 3, 4], { mode: "lcs", grid: [2, 2] }],
    [Array.from({ length: 2000 }, () => Array.from({ length: 16 }, (_, i) => i)), { mode: "weighted" }],
    ["E", { choices: ["x", "y"] }],
  ];
  for (const [reference, options] of bad) {
    assert.throws(
      () => matchVerifier.params(reference, options),
      InvalidRequestError,
      JSON.stringify(reference),
    );
  }
});
