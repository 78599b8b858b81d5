/** Tests of the `math` kernel driven in-process through its host glue (params) and `score()`. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { compileKernel, KernelInstance, type KernelOutput, scoreInProcess } from "../wasm/mod.ts";
import { mathVerifier } from "../verifiers/math/mod.ts";
import { REASONS } from "../verifiers/mod.ts";

const kernel = new KernelInstance(
  compileKernel(Deno.readFileSync(new URL("../wasm/math.wasm", import.meta.url))),
);
const KNOWN = new Set<string | null>([null, ...REASONS]);

function score(response: string, reference: unknown, options: Record<string, unknown> = {}): KernelOutput {
  const out = scoreInProcess(kernel, mathVerifier.params(reference, options), response);
  assert.ok(KNOWN.has(out.details.reason), `unknown reason ${out.details.reason}`);
  assert.equal(out.reward, out.correct ? 1 : 0);
  return out;
}

function check(
  response: string,
  reference: unknown,
  correct: boolean,
  options: Record<string, unknown> = {},
): void {
  const out = score(response, reference, options);
  assert.equal(
    out.correct,
    correct,
    `${JSON.stringify(response)} vs ${JSON.stringify(reference)}: ${JSON.stringify(out)}`,
  );
}

Deno.test("math examples published by the verifier get their expected results", () => {
  for (const ex of mathVerifier.examples) {
    const out = score(ex.item.response, ex.item.reference, ex.item.options ?? {});
    assert.equal(out.reward, ex.expected.reward, ex.title);
    assert.equal(out.correct, ex.expected.correct, ex.title);
    for (const [k, v] of Object.entries(ex.expected.details ?? {})) {
      assert.deepEqual(out.details[k], v, ex.title);
    }
  }
});

Deno.test("extraction rules: boxed, fbox, answer tag, answer is, last LaTeX block, last number", () => {
  const cases: [string, string, string][] = [
    ["so \\boxed{1} then \\boxed{\\frac{3}{4}}", "\\frac{3}{4}", "boxed"],
    ["\\fbox{12}", "12", "boxed"],
    ["\\boxed{\\{1, \\{2\\}\\}}", "\\{1, \\{2\\}\\}", "boxed"],
    ["<think>2</think><answer>42</answer>", "42", "answer_tag"],
    ["The final answer is 17. I hope it is correct.", "17", "final_answer"],
    ["Answer: $x^2$", "x^2", "answer_is"],
    ["We get $3$ and then $\\frac12$", "\\frac12", "last_latex"],
    ["so it is \\[ 9 \\]", " 9 ", "last_latex"],
    ["there are 12 apples and 13 pears", "13", "last_number"],
  ];
  for (const [response, extracted, rule] of cases) {
    const out = score(response, "0");
    assert.equal(out.details.extracted, extracted, response);
    assert.equal(out.details.extraction, rule, response);
  }
  assert.equal(score("no digits here", "1").details.reason, "no_answer");
  assert.equal(score("x", "1", { extract: ["boxed"] }).details.reason, "no_answer");
  // joined boxes: "and"/"," join them into a set, "or" is a hedge
  check("\\boxed{1} and \\boxed{2}", "\\{1,2\\}", true);
  assert.equal(score("\\boxed{1} or \\boxed{2}", "1").details.reason, "ambiguous");
  assert.equal(score("The answer is 3 or 4", "3").details.reason, "ambiguous");
  check("1/2", "0.5", true, { extracted: true });
});

Deno.test("normalization: LaTeX noise, separators, units, percent, unicode", () => {
  const pairs: [string, string][] = [
    ["\\boxed{\\left(\\frac{1}{2}\\right)}", "1/2"],
    ["\\boxed{\\dfrac{1}{2}}", "1/2"],
    ["\\boxed{\\tfrac12}", "1/2"],
    ["\\boxed{\\frac12}", "1/2"],
    ["\\boxed{1\\,000\\!}", "1000"],
    ["\\boxed{1{,}000}", "1000"],
    ["\\boxed{11,\\! 111}", "11111"],
    ["\\boxed{7,425,000}", "7425000"],
    ["\\boxed{5\\text{ cm}}", "5"],
    ["\\boxed{125\\mbox{ miles}}", "125"],
    ["\\boxed{90^\\circ}", "90"],
    ["\\boxed{90^{\\circ}}", "90"],
    ["\\boxed{28\\%}", "28"],
    ["\\boxed{28 percent}", "28\\%"],
    ["\\boxed{\\$4.50}", "4.5"],
    ["\\boxed{2.50}", "2.5"],
    ["\\boxed{3\\cdot 4}", "12"],
    ["\\boxed{3\\times 4}", "12"],
    ["\\boxed{1.5e3}", "1500"],
    ["\\boxed{1.5\\times10^{3}}", "1500"],
    ["\\boxed{−5}", "-5"],
    ["\\boxed{１２}", "12"],
    ["\\boxed{.4}", "0.4"],
  ];
  for (const [response, reference] of pairs) check(response, reference, true);
  check("\\boxed{(7, 250)}", "7250", false); // a tuple stays a tuple
  check("\\boxed{32, 349}", "32349", false);
});

Deno.test("equivalence: numbers, floats, symbolic, equations, intervals, sets, tuples, matrices, text", () => {
  const yes: [string, string][] = [
    ["2^{64}", "18446744073709551616"],
    ["\\frac{6}{4}", "1.5"],
    ["\\sqrt{8}", "2\\sqrt2"],
    ["\\sqrt{17}", "4.123105625617661"],
    ["(x-1)(x+1)", "x^2-1"],
    ["\\sin^2x+\\cos^2x", "1"],
    ["\\tan^2(y)+1", "\\sec^2(y)"],
    ["\\log_2 8", "3"],
    ["\\binom{5}{2}", "10"],
    ["5!", "120"],
    ["e^{i\\pi}", "-1"],
    ["i^2", "-1"],
    ["2\\pi", "6.283185307179586"],
    ["x=3", "3"],
    ["y=2x+1", "y=1+2x"],
    ["2x+4y-3=0", "y=-\\frac{1}{2}x+\\frac{3}{4}"],
    ["x \\geq 5", "5 \\le x"],
    ["-x > -1", "x < 1"],
    ["x \\le 5", "(-\\infty, 5]"],
    ["-2 \\le x < 7", "[-2, 7)"],
    ["[0,1) \\cup (2, 3]", "(2,3] \\cup [0,1)"],
    ["\\{1,2,3\\}", "3,1,2"],
    ["1 \\pm \\sqrt{2}", "\\{1+\\sqrt2, 1-\\sqrt2\\}"],
    ["(1, 2)", "(1, 2)"],
    ["\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}"],
    ["3+4i", "4i+3"],
    ["\\text{Evelyn}", "evelyn"],
    ["\\text{(C)}", "C"],
  ];
  for (const [a, b] of yes) check(`\\boxed{${a}}`, b, true);
  const no: [string, string][] = [
    ["10^{100}+1", "10^{100}"],
    ["0.333", "\\frac13"],
    ["4\\sqrt2", "4"],
    ["x^2+1", "x^2-1"],
    ["(2,1)", "(1,2)"],
    ["[0,9)", "(0,9)"],
    ["x > 5", "x < 5"],
    ["\\{1,2\\}", "\\{1,2,3\\}"],
    ["\\begin{pmatrix}1&2\\\\3&5\\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}"],
    ["d", "\\text{E}"],
  ];
  for (const [a, b] of no) check(`\\boxed{${a}}`, b, false);
  check("\\boxed{0.3333}", "\\frac13", true, { precision: 4 });
  check("\\boxed{100.5}", "100", true, { tolerance: 0.01 });
});

Deno.test("multiple choice by letter or by option text", () => {
  const ref = { answer: "B", choices: ["red", "blue", "green"] };
  check("The answer is (B).", ref, true);
  check("\\boxed{B}", ref, true);
  check("Answer: blue", ref, true);
  check("\\boxed{C}", ref, false);
  assert.equal(score("\\boxed{purple}", ref).details.reason, "bad_format");
  // no rule found an option: a letter opening the response, else the last letter standing alone
  const abcd = { answer: "A", choices: ["1", "2", "3", "4"] };
  check("A. Because B is not valid", abcd, true);
  check("Because B is valid", { ...abcd, answer: "B" }, true);
  assert.equal(score("No valid answer here", abcd).details.reason, "no_answer");
});

Deno.test("rule groups: a box and 'the final answer is' compete by position; the latest block or number", () => {
  const rollout = "so $0.04 \\cdot 10,000 = \\boxed{200}$ and $\\boxed{255}$ more. " +
    "Final Answer: The final answer is $10,455$. I hope it is correct.";
  check(rollout, "10455", true);
  check(rollout, "255", false);
  // an earlier box still wins over a later "answer is" of lower priority
  check("\\boxed{7}. The answer is probably between 6 and 8.", "7", true);
  // no box, no phrase: the latest of the last math block and the last bare number
  check("we get $d = \\frac{90}{n}$ for each divisor, so there are 12 sequences", "12", true);
  check("we get 12 sequences, each with $d = 3$", "d=3", true);
  // explicit groups and plain rule lists
  check("\\boxed{1} final answer is 2", "1", true, { extract: ["boxed", "final_answer"] });
  check("\\boxed{1} final answer is 2", "2", true, { extract: [["boxed", "final_answer"]] });
  // blocks joined by "and" / "," are one answer; "or" hedges
  check("the roots are $1$ and $2$", "\\{1,2\\}", true);
  assert.equal(score("the root is $1$ or $2$", "1").details.reason, "ambiguous");
  check('The final answer is "$12$ and $13$". I hope it is correct.', "12, 13", true);
  check("final answer is $9999$, \\boxed{1}", "9999", true, { extract: ["final_answer"] });
  // inline \( … \) may not span lines
  assert.equal(score("Answer \\( \n 9 \n \\)", "9", { extract: ["last_latex"] }).details.reason, "no_answer");
  // numbers: space thousands, glued to a name, decimal comma
  check("1 000", "1000", true);
  check("the total is 12 345 678 dollars", "12345678", true);
  check("scores 1 2 3 100", "100", true);
  assert.equal(score("AZYUK2A", "2", { extract: ["last_number"] }).details.reason, "no_answer");
  check("100m2", "100", true);
});

Deno.test("extract_reference: a whole solution as the reference gives its final answer", () => {
  const solution =
    "The loss is $100 - 72 = 28$ percent. Final Answer: The final answer is $28\\%$. I hope it is correct.";
  check("\\boxed{28\\%}", solution, true, { extract_reference: true });
  check("\\boxed{28}", "The answer is \\boxed{28}. Checking: $2 \\cdot 14 = 28$.", true, {
    extract_reference: true,
  });
  check("1.22", "1,22", true, { extract: ["last_number"], extract_reference: true });
  check("0.111", "0,111", true, { extract: ["last_number"], extract_reference: true });
});

Deno.test("matrix arithmetic, |x| in inequalities, labelled groups, renaming, strict LaTeX", () => {
  const m = (a: string) => `\\begin{pmatrix}${a}\\end{pmatrix}`;
  check(`$${m("1 & 2 \\\\ 3 & 4")} + ${m("5 & 6 \\\\ 7 & 8")}$`, m("6 & 8 \\\\ 10 & 12"), true);
  check(`$${m("1 & 2 \\\\ 3 & 4")} ${m("0 & 1 \\\\ 1 & 0")}$`, m("2 & 1 \\\\ 4 & 3"), true);
  check(`$${m("1 & 2 \\\\ 3 & 4")} ${m("0 & 1 \\\\ 1 & 0")}$`, m("1 & 2 \\\\ 3 & 4"), false);
  check(`$2${m("1 & 2")} - ${m("1 & 1")}$`, m("1 & 3"), true);
  check(`$${m("1 & 2")} + ${m("1 \\\\ 1")}$`, m("2 & 3"), false); // shapes differ
  check(
    "$z \\in \\left[-\\frac{3}{2}, -1\\right] \\cup \\left[1, \\frac{3}{2}\\right]$",
    "1\\leq|z|\\leq \\frac{3}{2}",
    true,
  );
  check("$-3 < x < 3$", "|x| < 3", true);
  check("$x \\in (-\\infty, -2] \\cup [2, \\infty)$", "|x| \\ge 2", true);
  check("$x \\in (-\\infty, -2) \\cup [2, \\infty)$", "|x| \\ge 2", false);
  check("$(5,2),(7,2)$", "p=5,q=2;p=7,q=2", true);
  check("$(5,2),(2,7)$", "p=5,q=2;p=7,q=2", false);
  check("$f(y)$", "f(x)", false);
  check("$f(y)$", "f(x)", true, { strict: false });
  check("$y^2+2y$", "x^2+2x", true, { strict: false });
  check("$y^2+3y$", "x^2+2x", false, { strict: false });
  assert.equal(score("$\\frac12$", "0.5", { latex_shorthand: false }).details.reason, "parse_error");
  check("$\\frac{1}{2}$", "0.5", true, { latex_shorthand: false });
  // division by zero never equals anything (also after many items: no state survives the heap reset)
  for (let i = 0; i < 3; i++) {
    check("1/0", "5/0", false, { extracted: true });
    check("$1:00$", "12:00", false);
    check("\\boxed{x^2}", "x^2", true);
  }
});

Deno.test("MathVista profile reproduces Python's round, float repr, int truncation and nearest option", () => {
  const mv = (extraction: string, reference: Record<string, unknown>, strict = false) =>
    score(extraction, reference, { profile: strict ? "mathvista_strict" : "mathvista", extracted: true })
      .details
      .prediction;
  const float = (p: number) => ({
    answer: "x",
    answer_type: "float",
    precision: p,
    question_type: "free_form",
  });
  assert.equal(mv("2.675", float(2)), "2.67");
  assert.equal(mv("0.125", float(2)), "0.12");
  assert.equal(mv("6", float(1)), "6.0");
  assert.equal(mv("-0.04", float(1)), "-0.0");
  assert.equal(mv("1e16", float(1)), "1e+16");
  assert.equal(mv("abc", float(1)), null);
  const int = { answer: "5", answer_type: "integer", question_type: "free_form" };
  assert.equal(mv("5.9", int), "5");
  assert.equal(mv("-5.9", int), "-5");
  assert.equal(mv(" 1_000 ", int), "1000");
  assert.equal(mv("1e30", int), "1000000000000000019884624838656");
  assert.equal(mv("inf", int), null);
  const mc = { answer: "6", choices: ["2", "4", "6"], answer_type: "text", question_type: "multi_choice" };
  assert.equal(mv("(c) six", mc), "6");
  assert.equal(mv("B", mc), "4");
  assert.equal(mv("5", mc), "2"); // nearest by edit distance, first on ties
  assert.equal(mv("5", mc, true), null);
  assert.equal(mv("[1, 2]", { answer: "[1, 2]", answer_type: "list", question_type: "free_form" }), "[1, 2]");
});

Deno.test("bad input gets a verdict, never a trap", () => {
  const nested = "\\boxed{" + "(".repeat(10000) + "1" + ")".repeat(10000) + "}";
  const inputs = [
    nested,
    "\\boxed{" + "{".repeat(10000) + "1" + "}".repeat(10000) + "}",
    "\\boxed{" + "9".repeat(100000) + "}",
    "\\boxed{10^{10^{10}}}",
    "\\boxed{2^{2^{2^{2^{2^{2^{2}}}}}}}",
    "\\boxed{1/0}",
    "\\boxed{\\frac{1}{0}}",
    "\\boxed{0^{-1}}",
    "\\boxed{{{{",
    "}}}\\boxed{",
    "\\boxed{\\begin{pmatrix}" + Array(300).fill(Array(300).fill("1").join("&")).join("\\\\") +
    "\\end{pmatrix}}",
    "\\boxed{" + "x+".repeat(20000) + "1}",
    "\\boxed{100000!}",
    "\\boxed{\\binom{100000}{50000}}",
    "\\left(".repeat(5000),
    "$".repeat(10000),
    "\\boxed{\\sqrt[0]{2}}",
  ];
  for (const r of inputs) {
    const out = score(r, "1");
    assert.equal(out.correct, false);
  }
  assert.equal(score("\\boxed{10^{10^{10}}}", "1").details.reason, "too_complex");
  assert.equal(score("\\boxed{" + "9".repeat(100000) + "}", "1").details.reason, "too_complex");
  const bytes = new Uint8Array(4096);
  let s = 7;
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < bytes.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      bytes[i] = s >>> 24;
    }
    score(new TextDecoder().decode(bytes), "1");
  }
});

Deno.test("parser never traps on random and adversarial strings", () => {
  const alphabet = fc.constantFrom(
    ..."0123456789+-*/^_()[]{}|,.=<>!%$&xye ".split(""),
    "\\frac",
    "\\sqrt",
    "\\boxed{",
    "\\left(",
    "\\right)",
    "\\pm",
    "\\infty",
    "\\begin{pmatrix}",
    "\\end{pmatrix}",
    "\\\\",
    "\\text{",
    "\\{",
    "\\}",
    "\\cup",
    "\\le",
  );
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 80 }), fc.string(), (parts, ref) => {
      score("\\boxed{" + parts.join("") + "}", ref);
      score(parts.join(""), parts.join(""));
    }),
    { numRuns: 2000 },
  );
});

// A generated expression: coefficients and structure that can be expanded and reordered.
interface Poly {
  text: string; // as written: products of binomials
  expanded: string; // expanded and in reverse order
  perturbed: string; // one coefficient changed
}

function genPoly(): fc.Arbitrary<Poly> {
  return fc.tuple(
    fc.integer({ min: -9, max: 9 }),
    fc.integer({ min: -9, max: 9 }),
    fc.integer({ min: 1, max: 5 }),
  )
    .map(([a, b, k]) => {
      // k (x + a)(x + b) = k x^2 + k(a+b) x + k a b
      const c2 = k, c1 = k * (a + b), c0 = k * a * b;
      const sign = (n: number) => (n < 0 ? `- ${-n}` : `+ ${n}`);
      return {
        text: `${k}(x ${sign(a)})(x ${sign(b)})`,
        expanded: `${c0} ${sign(c1)}x ${sign(c2)}x^2`,
        perturbed: `${c0 + 1} ${sign(c1)}x ${sign(c2)}x^2`,
      };
    });
}

Deno.test("equivalence is reflexive and symmetric; expanded forms agree; perturbed ones do not", () => {
  fc.assert(
    fc.property(genPoly(), fc.boolean(), (p, wrapInFraction) => {
      const text = wrapInFraction ? `\\frac{${p.text}}{2}` : p.text;
      const expanded = wrapInFraction ? `\\frac{${p.expanded}}{2}` : p.expanded;
      const perturbed = wrapInFraction ? `\\frac{${p.perturbed}}{2}` : p.perturbed;
      assert.equal(score(`\\boxed{${text}}`, text).correct, true);
      const ab = score(`\\boxed{${text}}`, expanded).correct;
      const ba = score(`\\boxed{${expanded}}`, text).correct;
      assert.equal(ab, ba);
      assert.equal(ab, true, `${text} vs ${expanded}`);
      assert.equal(score(`\\boxed{${perturbed}}`, text).correct, false, `${text} vs ${perturbed}`);
    }),
    { numRuns: 300 },
  );
});

Deno.test("the same item always gets the same result", () => {
  const a = score("\\boxed{\\frac{x^2-1}{x-1}}", "x+1");
  for (let i = 0; i < 5; i++) assert.deepEqual(score("\\boxed{\\frac{x^2-1}{x-1}}", "x+1"), a);
});
