/**
 * The `math` answer families of issue #13: ordered answers (sequences, tuples, vectors) and the
 * `order` option, option letters in every common form, multi-select letter sets, mixed numbers,
 * inequalities against interval unions, ± solution sets, and answers that only restate the task.
 * Table-driven cases pin each rule; fast-check properties cover the parsing added for them.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { scoreInProcess } from "../wasm/mod.ts";
import { mathVerifier } from "../verifiers/math/mod.ts";
import { assertVerdict, loadKernel } from "./_kernel.ts";

const kernel = loadKernel("math");

function score(response: string, reference: unknown, options: Record<string, unknown> = {}) {
  const out = scoreInProcess(kernel, mathVerifier.params(reference, options), response);
  assertVerdict(out);
  assert.equal(out.reward, out.correct ? 1 : 0);
  return out;
}

type Case = [
  response: string,
  reference: unknown,
  correct: boolean,
  reason?: string | null,
  options?: object,
];

function table(cases: Case[]): void {
  for (const [response, reference, correct, reason, options] of cases) {
    const out = score(response, reference, { ...options });
    const what = `${JSON.stringify(response)} vs ${JSON.stringify(reference)} ${
      JSON.stringify(options ?? {})
    }`;
    assert.equal(out.correct, correct, `${what}: ${JSON.stringify(out.details)}`);
    if (reason !== undefined) {
      assert.equal(out.details.reason, reason, `${what}: ${JSON.stringify(out.details)}`);
    }
  }
}

Deno.test("a space between numbers is a sequence, never a product; sequences keep their order", () => {
  table([
    ["\\boxed{3 4 1 2}", "2 1 4 3", false, "wrong"],
    ["<answer>3 4 1 2</answer>", "2 1 4 3", false, "wrong"],
    ["3 4 1 2", "2 1 4 3", false, "wrong"],
    ["3 4 1 2", "3 4 1 2", true],
    ["\\boxed{3 4 1 2}", "24", false, "wrong"],
    ["\\boxed{3\\,4}", "12", false, "wrong"],
    ["\\boxed{2 1 4 3}", "2, 1, 4, 3", true],
    ["\\boxed{3 4 1 2}", "2, 1, 4, 3", false, "wrong"],
    ["\\boxed{(3 4 1 2)}", "(3, 4, 1, 2)", true],
    ["\\boxed{1, 2 3}", "1, 2, 3", false, "parse_error"],
    // a sequence is never one number, even of equal elements (as a set, "5 5" was {5})
    ["\\boxed{5 5}", "5", false, "wrong"],
    ["\\boxed{1 1 1}", "1", false, "wrong"],
    ["\\boxed{5}", "5 5", false, "wrong"],
    ["\\boxed{5 5}", "5 5", true],
    ["\\boxed{5, 5}", "5", false, "wrong", { order: "ordered" }],
    // still products and thousands
    ["\\boxed{2 \\cdot 3}", "6", true],
    ["\\boxed{2(3)}", "6", true],
    ["\\boxed{2x}", "2 x", true],
    ["12 345", "12345", true],
    ["The answer is 1 000.", "1000", true],
  ]);
});

Deno.test("order: auto keeps tuples, vectors and sequences ordered, sets and comma lists order-free", () => {
  table([
    ["\\boxed{(1,2,3)}", "(3,2,1)", false],
    ["\\boxed{[1,2,3]}", "[3,2,1]", false],
    ["\\boxed{\\{1,2,3\\}}", "\\{3,2,1\\}", true],
    ["\\boxed{2, 1, 3, 4}", "2, 1, 4, 3", true], // Math-Verify's "all solutions separated by commas"
    ["\\boxed{2, 1, 3, 4}", "2, 1, 4, 3", false, "wrong", { order: "ordered" }],
    ["\\boxed{2, 1, 4, 3}", "2, 1, 4, 3", true, null, { order: "ordered" }],
    ["\\boxed{\\{1,2\\}}", "\\{2,1\\}", false, "wrong", { order: "ordered" }],
    ["\\boxed{(1,2,3)}", "(3,2,1)", true, null, { order: "unordered" }],
    ["\\boxed{3 4 1 2}", "2 1 4 3", true, null, { order: "unordered" }],
    ["\\boxed{3 4 1 2}", "2 1 4 5", false, "wrong", { order: "unordered" }],
    ["\\boxed{[0,1)}", "(0,1]", false, "wrong", { order: "unordered" }],
    ["\\boxed{2, 1, 3}", "2, 1", false, "wrong", { order: "auto" }],
  ]);
});

Deno.test("vectors: brackets, angle brackets and one-column or one-row matrices are the same vector", () => {
  table([
    ["\\boxed{[1,2,3]}", "(1,2,3)", true],
    ["\\boxed{\\langle 1,2,3\\rangle}", "(1,2,3)", true],
    ["\\boxed{\\begin{pmatrix}1\\\\2\\\\3\\end{pmatrix}}", "(1,2,3)", true],
    ["\\boxed{\\begin{bmatrix}1 & 2 & 3\\end{bmatrix}}", "\\langle 1, 2, 3\\rangle", true],
    ["\\boxed{\\langle 1, 2\\rangle}", "\\begin{pmatrix}1\\\\2\\end{pmatrix}", true],
    ["\\boxed{\\begin{pmatrix}2\\\\1\\end{pmatrix}}", "(1,2)", false],
    ["\\boxed{[1,2]}", "(1,2)", false], // two elements in brackets: intervals
    // unit vectors and transposes
    ["\\boxed{\\mathbf{i}+2\\mathbf{j}}", "(1,2)", true],
    ["\\boxed{\\hat{i}+2\\hat{j}-\\hat{k}}", "(1,2,-1)", true],
    ["\\boxed{\\hat{i}+2\\hat{j}-\\hat{k}}", "(1,2,1)", false],
    ["\\boxed{3\\vec i - \\vec j}", "\\langle 3,-1\\rangle", true],
    ["\\boxed{\\hat{\\imath}+\\hat{\\jmath}}", "(1,1)", true],
    ["\\boxed{\\mathbf{i}+2\\mathbf{j}+1}", "(1,2)", false], // a constant part is not a vector component
    ["\\boxed{\\mathbf{k}}", "(0,1)", false], // k in two dimensions
    ["\\boxed{(1,2,3)^T}", "(1,2,3)", true],
    [
      "\\boxed{\\begin{pmatrix}1&2&3\\end{pmatrix}^{\\top}}",
      "\\begin{pmatrix}1\\\\2\\\\3\\end{pmatrix}",
      true,
    ],
    ["\\boxed{\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}^T}", "\\begin{pmatrix}1&3\\\\2&4\\end{pmatrix}", true],
    [
      "\\boxed{\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}^T}",
      "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}",
      false,
    ],
    ["\\boxed{2i}", "2i", true], // a plain i is still the imaginary unit
  ]);
});

Deno.test("multiple choice: the letter in every common form, with or without the option's text", () => {
  const ref = { answer: "B", choices: ["A cat", "A dog barking", "A bird"] };
  table([
    ["<answer>B. A dog barking</answer>", ref, true],
    ["<answer>B</answer>", ref, true],
    ["(B) A dog barking", ref, true],
    ["B) A dog barking", ref, true],
    ["B: A dog barking", ref, true],
    ["Option B", ref, true],
    ["\\boxed{\\text{(B)}}", ref, true],
    ["**B**", ref, true],
    ["A dog barking", ref, true], // the option's text alone
    ["<answer>A dog barking</answer>", ref, true],
    ["<answer>A. A cat</answer>", ref, false, "wrong"],
    ["<answer>(C)</answer>", ref, false, "wrong"],
    ["<answer>B. A cat</answer>", ref, false, "ambiguous"], // a letter with another option's text
    ["<answer>b</answer>", ref, true], // the whole answer one letter: lower case too
    ["b.", ref, true],
    ["I think it is A or B", ref, false, "ambiguous"], // two letters joined by "or": a hedge
    ["It is (A) or (B).", ref, false, "ambiguous"],
    ["The right one is (B) because dogs bark.", ref, true],
    ["<answer>A bird or a cat</answer>", ref, false],
    // a plain letter reference without choices
    ["(B) A dog barking", "B", true],
    ["Option B", "B", true],
    ["\\text{(B)}", "B", true],
    ["<answer>B. because it barks</answer>", "B", true],
    ["<answer>C</answer>", "B", false, "wrong"],
    ["<answer>(b)</answer>", "(B)", true],
  ]);
});

Deno.test("multi-select: letters as sets, in any order and notation", () => {
  const ref = { answer: "C, A", choices: ["one", "two", "three", "four"] };
  table([
    ["\\boxed{A, C}", ref, true],
    ["\\boxed{\\{C, A\\}}", ref, true],
    ["<answer>AC</answer>", ref, true],
    ["<answer>(A) and (C)</answer>", ref, true],
    ["The answer is A and C", ref, true],
    ["\\boxed{A, B, C}", ref, false, "wrong"],
    ["\\boxed{A}", ref, false, "wrong"],
    ["\\boxed{\\{C, A\\}}", "\\{A, C\\}", true],
    ["\\boxed{A, C}", "\\{A, C\\}", true],
    ["\\boxed{C}", "\\{A, C\\}", false, "wrong"],
    // several letters where one is asked: a hedge, not an answer
    ["\\boxed{AC}", { answer: "A", choices: ["one", "two", "three"] }, false, "ambiguous"],
  ]);
});

Deno.test("equal forms: mixed numbers, inequalities and interval unions, ± and solution sets", () => {
  table([
    ["\\boxed{2\\frac{1}{2}}", "\\frac52", true],
    ["\\boxed{-2\\frac{1}{2}}", "-\\frac52", true],
    ["\\boxed{3\\tfrac{1}{3}}", "\\frac{10}{3}", true],
    ["\\boxed{2 1/2}", "2.5", true],
    ["\\boxed{2\\frac{\\pi}{3}}", "\\frac{2\\pi}{3}", true], // not a proper fraction of integers: a product
    ["\\boxed{2\\frac{3}{2}}", "3", true], // an improper fraction after a number: a product
    ["\\boxed{x<1 \\text{ or } x>3}", "(-\\infty,1)\\cup(3,\\infty)", true],
    ["\\boxed{x \\le -1 \\text{ or } x \\ge 2}", "(-\\infty,-1]\\cup[2,\\infty)", true],
    ["\\boxed{(-\\infty,1)\\cup(3,\\infty)}", "x<1 \\text{ or } x>3", true],
    ["\\boxed{x<1 \\text{ or } x>3}", "x\\in(-\\infty,1]\\cup(3,\\infty)", false, "wrong"],
    ["\\boxed{x<1 \\text{ or } x>3}", "x<1", false, "wrong"],
    ["\\boxed{x\\in[-1,2]}", "-1\\le x\\le 2", true],
    ["\\boxed{x=2 \\text{ or } x=-2}", "\\pm2", true],
    ["\\boxed{x=\\pm 2}", "x=2, x=-2", true],
    ["\\boxed{x = -2, 2}", "\\pm 2", true],
    ["\\boxed{x=1\\pm\\sqrt{2}}", "1+\\sqrt2, 1-\\sqrt2", true],
    ["\\boxed{2x - y + 1 = 0}", "y=2x+1", true],
    // a hedge stays a hedge when one value is asked
    ["\\boxed{x=2 \\text{ or } x=-2}", "2", false, "ambiguous"],
    ["\\boxed{3 \\text{ or } 4}", "3", false, "ambiguous"],
    ["\\boxed{\\pm 2}", "2", false, "wrong"],
  ]);
});

Deno.test("an answer is taken from the model's own statement, not from the task it restates", () => {
  table([
    ["Compute $2+3$.", "5", false, "no_answer"],
    ["What is $2+3$?", "5", false, "no_answer"],
    ["We need to find $\\frac{6}{4}$ in lowest terms.", "\\frac32", false, "no_answer"],
    ["Evaluate $\\sqrt{16}$. I am not sure.", "4", false, "no_answer"],
    ["Compute $2+3$. We get $5$.", "5", true],
    ["Compute $2+3 = 5$.", "5", true],
    ["So the sum is $2+3$.", "5", true],
    ["The total is $5$.", "5", true],
    ["Compute $2+3$. \\boxed{5}", "5", true],
    ["What is 2+3? It is 5", "5", true],
  ]);
});

Deno.test("references: a whole solution gives its stated answer; a plain-text decimal comma is a decimal", () => {
  const solution = "The stock keeps 90% and then 80% of its value, 72% in all. " +
    "The final answer is $28\\%$. I hope it is correct.";
  table([
    ["\\boxed{28\\%}", solution, true],
    ["\\boxed{72\\%}", solution, false, "wrong"],
    ["\\boxed{12}", "We count the pairs one by one and find twelve of them in all. Answer: 12", true],
    ["\\boxed{28}", solution, false, "wrong", { extract_reference: false }], // told: the reference is the answer
    ["1.22", "1,22", true],
    ["\\boxed{1.22}", "1,22", true],
    ["\\boxed{-2,1}", "$-2,1$", true], // in LaTeX a comma separates a list
    ["\\boxed{1,22}", "$1,22$", true],
    ["\\boxed{1.22}", "$1,22$", false, "wrong"],
    ["1000", "1,000", true],
  ]);
});

Deno.test("bad input in the new families gets a verdict, never a trap", () => {
  const long = Array.from({ length: 30000 }, (_, i) => String(i % 97)).join(" ");
  for (
    const [response, reference] of [
      [`\\boxed{${long}}`, "1 2 3"],
      [long, long],
      [`\\boxed{${"A, ".repeat(5000)}B}`, { answer: "A, B", choices: ["x", "y"] }],
      [`<answer>${"(B) ".repeat(3000)}</answer>`, "B"],
      [`${"What is $1$? ".repeat(2000)}`, "1"],
      [`\\boxed{${"2\\frac{1}{2} ".repeat(3000)}}`, "\\frac52"],
      [`\\boxed{${"x<1 \\text{ or } ".repeat(500)}x>3}`, "(-\\infty,1)\\cup(3,\\infty)"],
    ] as [string, unknown][]
  ) {
    const out = score(response, reference);
    assert.ok(
      ["wrong", "too_complex", "bad_format", "ambiguous", "no_answer", "parse_error"].includes(
        out.details.reason as string,
      ) || out.correct,
      JSON.stringify(out.details).slice(0, 200),
    );
  }
});

Deno.test("the math verifier's version moved with its scoring", () => {
  assert.equal(mathVerifier.version, "1.2.1");
});

// ------------------------------------------------------------------ properties

const distinctInts = fc.uniqueArray(fc.integer({ min: 0, max: 999 }), { minLength: 3, maxLength: 8 });

/** A permutation of `xs` that differs from it (xs has distinct elements, length ≥ 2). */
function rotate<T>(xs: T[], k: number): T[] {
  const s = 1 + (k % (xs.length - 1));
  return [...xs.slice(s), ...xs.slice(0, s)];
}

Deno.test("property: sequences and tuples equal only in the same order; sets in any order", () => {
  fc.assert(
    fc.property(distinctInts, fc.nat(), (xs, k) => {
      const ys = rotate(xs, k);
      assert.equal(score(`\\boxed{${xs.join(" ")}}`, xs.join(" ")).correct, true);
      assert.equal(score(`\\boxed{${ys.join(" ")}}`, xs.join(" ")).correct, false);
      assert.equal(score(ys.join(" "), xs.join(", ")).correct, false);
      assert.equal(score(`\\boxed{(${ys.join(", ")})}`, `(${xs.join(", ")})`).correct, false);
      assert.equal(score(`\\boxed{\\{${ys.join(", ")}\\}}`, `\\{${xs.join(", ")}\\}`).correct, true);
      assert.equal(score(`\\boxed{${ys.join(", ")}}`, xs.join(", "), { order: "ordered" }).correct, false);
      assert.equal(
        score(`\\boxed{(${ys.join(", ")})}`, `(${xs.join(", ")})`, { order: "unordered" }).correct,
        true,
      );
    }),
    { numRuns: 150 },
  );
});

const LETTER_FORMS = [
  (l: string, _t: string) => l,
  (l: string, _t: string) => `(${l})`,
  (l: string, t: string) => `${l}. ${t}`,
  (l: string, t: string) => `(${l}) ${t}`,
  (l: string, t: string) => `${l}) ${t}`,
  (l: string, t: string) => `${l}: ${t}`,
  (l: string, _t: string) => `Option ${l}`,
  (l: string, _t: string) => `\\text{(${l})}`,
  (_l: string, t: string) => t,
];

const optionText = fc.stringMatching(/^[a-z]{3,8}( [a-z]{2,8}){0,3}$/);

Deno.test("property: an option letter is read from every form, with or without its text", () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(optionText, { minLength: 2, maxLength: 8, selector: (s) => s.replaceAll(" ", "") }),
      fc.nat(),
      fc.nat(),
      fc.integer({ min: 0, max: LETTER_FORMS.length - 1 }),
      fc.constantFrom("<answer>%</answer>", "%", "The answer is %"),
      (choices, a, b, form, wrap) => {
        const gold = a % choices.length;
        const picked = b % choices.length;
        const letter = String.fromCharCode(65 + picked);
        const response = wrap.replace("%", LETTER_FORMS[form](letter, choices[picked]));
        const out = score(response, { answer: String.fromCharCode(65 + gold), choices });
        assert.equal(out.correct, gold === picked, `${response} for ${gold}: ${JSON.stringify(out.details)}`);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("property: multi-select letter sets compare order-free, in any notation", () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { minLength: 2, maxLength: 6 }),
      fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 6 }),
      fc.constantFrom(
        (ls: string[]) => ls.join(", "),
        (ls: string[]) => `\\{${ls.join(", ")}\\}`,
        (ls: string[]) => ls.join(""),
      ),
      (gold, pred, write) => {
        const letters = (xs: number[]) => xs.map((i) => String.fromCharCode(65 + i));
        const choices = ["a", "b", "c", "d", "e", "f"];
        const out = score(`\\boxed{${write(letters(pred))}}`, { answer: letters(gold).join(", "), choices });
        const same = gold.length === pred.length && gold.every((g) => pred.includes(g));
        assert.equal(
          out.correct,
          same,
          `${letters(pred)} vs ${letters(gold)}: ${JSON.stringify(out.details)}`,
        );
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("property: mixed numbers equal their improper fractions", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 999 }),
      fc.integer({ min: 2, max: 99 }),
      fc.nat(),
      fc.boolean(),
      (w, q, r, neg) => {
        const p = 1 + (r % (q - 1));
        const sign = neg ? "-" : "";
        const value = `${sign}\\frac{${w * q + p}}{${q}}`;
        assert.equal(score(`\\boxed{${sign}${w}\\frac{${p}}{${q}}}`, value).correct, true);
        assert.equal(score(`\\boxed{${sign}${w} ${p}/${q}}`, value).correct, true);
        assert.equal(
          score(`\\boxed{${sign}${w}\\frac{${p}}{${q}}}`, `${sign}${w * p}/${q}`).correct,
          w * p === w * q + p,
        );
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("property: digit-and-space answers never trap and never read as products", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 99 }), { minLength: 2, maxLength: 12 }),
      fc.constantFrom(" ", "  ", "\\,", "\\ ", "~"),
      (xs, sep) => {
        const product = xs.reduce((a, b) => a * b, 1);
        const out = score(`\\boxed{${xs.join(sep)}}`, String(product));
        assert.equal(out.correct, xs.length === 1, `${xs.join(sep)}: ${JSON.stringify(out.details)}`);
      },
    ),
    { numRuns: 200 },
  );
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9 ,.\-/{}()\\]{0,40}$/), (s) => {
      score(`\\boxed{${s}}`, "1 2 3");
      score(s, "1 2 3");
    }),
    { numRuns: 500 },
  );
});

Deno.test("property: the option and letter-set readers never trap on arbitrary text", () => {
  const choices = ["A cat", "A dog barking", "(B)", "B or C", ""];
  fc.assert(
    fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 12 }), (response, gold) => {
      score(response, { answer: "B", choices });
      score(`<answer>${response}</answer>`, { answer: gold, choices });
      score(response, gold.length > 0 ? gold : "B");
      score(response, "\\{A, C\\}");
    }),
    { numRuns: 400 },
  );
});
