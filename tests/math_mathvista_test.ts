/**
 * The LLM-free MathVista extraction (`profile: "mathvista"` without `extracted`): from a raw response,
 * the extraction GPT's would be, then the official scoring. Table-driven cases, one per response
 * shape the study of the 19 published prose runs found (project-made examples in those shapes), and a
 * fast-check property that no response makes the extraction trap.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { scoreInProcess } from "../wasm/mod.ts";
import { mathVerifier } from "../verifiers/math/mod.ts";
import { assertVerdict, loadKernel } from "./_kernel.ts";

const kernel = loadKernel("math");

function extract(response: string, reference: Record<string, unknown>) {
  const out = scoreInProcess(kernel, mathVerifier.params(reference, { profile: "mathvista" }), response);
  assertVerdict(out);
  return out;
}

const shapes = ["circle", "square", "triangle", "hexagon"];
const choice = (answer: string, choices = shapes) => ({
  answer,
  choices,
  question_type: "multi_choice",
  answer_type: "text",
  precision: null,
});
const yesNo = (answer: string) => choice(answer, ["Yes", "No"]);
const integer = (answer: string) => ({
  answer,
  choices: null,
  question_type: "free_form",
  answer_type: "integer",
  precision: null,
});

type Case = [what: string, response: string, reference: Record<string, unknown>, extracted: string];

function table(cases: Case[]): void {
  for (const [what, response, reference, expected] of cases) {
    const out = extract(response, reference);
    assert.equal(
      out.details.extracted,
      expected,
      `${what}: ${JSON.stringify(response)} → ${JSON.stringify(out.details)}`,
    );
  }
}

Deno.test("mathvista extraction: the answer statement decides, not a later mention of another option", () => {
  table([
    [
      "answer is (X)",
      "The correct answer is (C).\n\nChoice (D) is incorrect because it is too large.",
      choice("triangle"),
      "C",
    ],
    ["answer is X text", "So the answer is B (square), as the picture shows.", choice("square"), "B"],
    [
      "answer on its own line",
      "Okay, based on the figure, my answer is:\n\nB\n\nThe other shapes have more sides.",
      choice("square"),
      "B",
    ],
    ["option letter is X", "The correct option letter is D.", choice("hexagon"), "D"],
    ["option letter is X: text", "The correct option letter is C: hexagon.", choice("hexagon"), "C"],
    ["option ... is X", "The correct option for this figure is D: 22/3", choice("hexagon"), "D"],
    ["option would be", "Therefore, the correct option would be:\n\n(A) circle", choice("circle"), "A"],
    ["answer names option text", "The answer is the hexagon.", choice("hexagon"), "hexagon"],
    [
      "an echoed prompt is no statement",
      "It is a square.\nPlease provide the correct option letter, e.g., A, B, C, D, at the end.",
      choice("square"),
      "square",
    ],
    [
      "a box naming no option",
      "So $x = \\boxed{77}$.\n\nThe answer is (C).",
      choice("triangle", ["65", "120", "130", "155"]),
      "77",
    ],
  ]);
});

Deno.test("mathvista extraction: statements naming nothing, closing letters, no option fitting", () => {
  table([
    [
      "a later statement naming no option",
      "The answer is **(B) square**.\n\nThe answer in the figure is wrong because it counts the corners twice.",
      choice("square"),
      "B",
    ],
    ["a letter that is no option", "The correct option letter is F, Dark Green.", yesNo("No"), "F"],
    [
      "a letter alone on the last line",
      "Okay, based on the figure, my analysis is:\n\n**B**",
      choice("square"),
      "B",
    ],
    ["a closing 'is X.'", "Step 3) CD = 4\n\nTherefore, the length of CD is D.", choice("hexagon"), "D"],
    ["a closing '为C'", "所以△ABC的周长为C", choice("triangle"), "C"],
    [
      "a closing 'is A.' is a name",
      "No, Periwinkle is not the minimum. The minimum color is A.",
      yesNo("No"),
      "No",
    ],
    [
      "no option fits",
      "So the area is 0.\n\nHowever, none of the given options match this result.",
      choice("circle"),
      "None",
    ],
    [
      "one-letter options are not articles",
      "The missing shape is **(D)**.\n\nThe answer choice A is a triangle.",
      choice("D", ["A", "B", "C", "D"]),
      "D",
    ],
    [
      "8.0 is the option 8",
      "Based on the figure, the edge length of ABCD is 8.0.",
      choice("8", ["10", "8", "6", "5"]),
      "8",
    ],
  ]);
});

Deno.test("mathvista extraction: Chinese answer statements", () => {
  table([
    ["答案为", "由三角形内角和可得∠D=140°\n\n所以答案为:D", choice("hexagon"), "D"],
    ["答案是", "因此∠AOD的度数为155°。\n\n答案是C", choice("triangle"), "C"],
    ["选项", "所以∠A的度数为63°,选项C。", choice("triangle"), "C"],
  ]);
});

Deno.test("mathvista extraction: a follow-up question the model invents is not its answer", () => {
  table([
    [
      "Question: continuation",
      "tan X = 12/13\n\nSo the answer is B.\n\nQuestion: How many wheels are there?\n\nSolution: I count 4 wheels.\n\nThe answer is 4.",
      choice("square"),
      "B",
    ],
    [
      "Hint: continuation",
      "The answer is (A) circle.\n\nHint: Please answer the question.\nQuestion: Which shape has four sides?\nThe answer is (B)",
      choice("circle"),
      "A",
    ],
    [
      "free form",
      "There are 9 queries; 4 of them have p < 0.5.\n\nSo the answer is: 4\n\nQuestion: How many circles are in the image?\n\nAnswer: 7",
      integer("4"),
      "4",
    ],
  ]);
});

Deno.test("mathvista extraction: 'A:' opening a transcript answer is not option A", () => {
  table([
    ["A: No", "A: No, the red bar is not the tallest one.", yesNo("No"), "No"],
    ["A: option text", "A: hexagon", choice("hexagon"), "hexagon"],
    ["A: statement", "A:  The correct option letter is D. The length is 6.", choice("hexagon"), "D"],
    ["A) stays option A", "A) circle", choice("circle"), "A"],
  ]);
});

Deno.test("mathvista extraction: option texts are whole words and whole numbers", () => {
  table([
    [
      "2 inside 2.2",
      "Based on the image, the length of the segment AB is 2.2.",
      choice("2.2", ["1", "2", "2.2", "2.5"]),
      "2.2",
    ],
    ["no inside not", "The bar is not visible in the second chart, yes.", yesNo("Yes"), "Yes"],
    [
      "longer option wins an overlap",
      "The time shown is quarter past.",
      choice("quarter past", ["half", "quarter", "quarter past"]),
      "quarter past",
    ],
  ]);
});

Deno.test("mathvista extraction: a yes/no question answered by a negated statement is 'No'", () => {
  table([
    ["negated statement", "Periwinkle is not the maximum.", yesNo("No"), "No"],
    [
      "doesn't",
      "Based on the image, Dark Violet does not have the minimum area under the curve.",
      yesNo("No"),
      "No",
    ],
    [
      "a refusal is not a 'No'",
      "The question does not provide enough information to determine whether the function is odd.",
      yesNo("No"),
      "The question does not provide enough information to determine whether the function is odd.",
    ],
    [
      "affirmative statement: its first sentence",
      "The white plate is half full.",
      yesNo("Yes"),
      "The white plate is half full.",
    ],
  ]);
});

Deno.test("mathvista extraction: free-form counts", () => {
  table([
    ["there are N things", "There are 3 bars with values below 40.", integer("3"), "3"],
    [
      "a count not after 'there are': the last number",
      "2 items were sold less than 5 units in at least one store.",
      integer("2"),
      "5",
    ],
    ["a count in words", "After removing the blue spheres, there are three objects left.", integer("3"), "3"],
    ["a total of", "There are a total of four objects left on the table.", integer("4"), "4"],
    [
      "4/2 is no count",
      "Since the 4 dots are divided into 2 equal groups, there are 4/2 = 2 dots in each group.",
      integer("2"),
      "2",
    ],
    ["thousands", "The driver drove a total of 7,873 miles in January and April.", integer("7873"), "7873"],
    [
      "several sentences: the last number",
      "There are 2 small spheres. Removing them leaves 3 objects.",
      integer("3"),
      "3",
    ],
    [
      "final value",
      "There are 4 dots in 2 equal groups, so each holds 2.\n\nThe final value is: 2",
      integer("2"),
      "2",
    ],
    [
      "a bold number",
      "The maximum rating in 2008 is **70**. It has improved since 2005.",
      integer("70"),
      "70",
    ],
    ["no number at all", "Without the chart I cannot tell.", integer("2"), ""],
    [
      "an answer that is no number",
      "Without the function f(0) cannot be found. Therefore, the answer is undefined.",
      integer("0"),
      "undefined",
    ],
    [
      "the closing sentence's count",
      "The p-values are 0.92, 0.69, 0.01, 0.10, 0.43 and 0.01.\n\nSo, there are 4 queries with a p-value lower than 0.50.",
      integer("4"),
      "4",
    ],
  ]);
});

Deno.test("mathvista extraction: extract_answer.py's own shortcuts", () => {
  table([
    ["empty response", "", choice("circle"), ""],
    ["the response is an option", "hexagon", choice("hexagon"), "hexagon"],
    ["one letter", "B", choice("square"), "B"],
  ]);
  // an empty extraction is scored as the official code scores "": the nearest option by edit distance
  const out = extract("", choice("circle", ["No", "Yes"]));
  assert.equal(out.details.prediction, "No");
});

Deno.test("mathvista extraction reads 100 kB responses of repeated phrases", () => {
  const phrases = [
    "not ",
    "answer is ",
    "答案",
    "2.2",
    "\nQuestion:",
    "there are ",
    "**",
    "A: ",
    "(B) ",
    "option letter ",
  ];
  for (const p of phrases) {
    for (const ref of [yesNo("No"), choice("2", ["1", "2", "2.2"]), integer("3")]) {
      const out = extract(p.repeat(Math.ceil(100_000 / p.length)), ref);
      assert.ok(typeof out.details.extracted === "string");
    }
  }
});

Deno.test("mathvista extraction never traps and always gives a verdict (fast-check)", () => {
  const words = fc.constantFrom(
    "answer",
    "The answer is",
    "option letter",
    "is",
    ":",
    "答案",
    "选项",
    "(B)",
    "A:",
    "B",
    "not",
    "no",
    "there are",
    "two",
    "**",
    "12",
    "7,873",
    ".",
    "\n",
    "Question:",
    "Hint:",
    " ",
    "$\\boxed{3}$",
    "2.2",
  );
  const response = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.array(words, { maxLength: 40 }).map((w) => w.join(" ")),
  );
  fc.assert(
    fc.property(response, fc.constantFrom(choice("square"), yesNo("No"), integer("3")), (r, ref) => {
      const out = extract(r, ref);
      assert.ok(typeof out.details.extracted === "string");
    }),
    { numRuns: 2000, seed: 15 },
  );
});
