/** Published examples of the `program` verifier, each with the result it must get. */
import type { VerifierExample } from "../types.ts";

const addTests = {
  tests: [{ stdin: "2 3\n", stdout: "5" }, { stdin: "10 -4\n", stdout: "6" }],
};

export const programExamples: VerifierExample[] = [
  {
    title: "program of thought: the printed value is graded as a math answer",
    item: {
      response: "```python\nimport math\nradius = 3\nprint(round(math.pi * radius ** 2, 2))\n```",
      reference: "28.27",
    },
    expected: { reward: 1, correct: true, details: { reason: null } },
  },
  {
    title: "MathVista's code runs: a bare program, graded with profile mathvista",
    item: {
      response: "angle_A = 110\nangle_BOC = 180 - angle_A / 2\nprint(angle_BOC)",
      reference: { answer: "125", question_type: "free_form", answer_type: "integer", precision: null },
      options: { profile: "mathvista" },
    },
    expected: { reward: 1, correct: true },
  },
  {
    title: "nothing printed: the `ans` variable is graded",
    item: { response: "```python\nans = 7 * 6\n```", reference: 42 },
    expected: { reward: 1, correct: true },
  },
  {
    title: "a program that crashes gets runtime_error",
    item: { response: "```python\nprint(1 / 0)\n```", reference: "1" },
    expected: { reward: 0, correct: false, details: { reason: "runtime_error", problem: "exception" } },
  },
  {
    title: "unit tests over stdin/stdout: every test passes",
    item: { response: "```python\na, b = map(int, input().split())\nprint(a + b)\n```", reference: addTests },
    expected: { reward: 1, correct: true, details: { reason: null, passed: 2, total: 2 } },
  },
  {
    title: "unit tests: half pass, fraction reward",
    item: {
      response: "```python\na, b = map(int, input().split())\nprint(abs(a) + abs(b))\n```",
      reference: addTests,
    },
    expected: { reward: 0.5, correct: false, details: { reason: "tests_failed", passed: 1, total: 2 } },
  },
  {
    title: "assert tests with an entry point (HumanEval style)",
    item: {
      response: "```python\ndef double(x):\n    return 2 * x\n```",
      reference: {
        tests: [{
          assert: "def check(candidate):\n    assert candidate(2) == 4\n    assert candidate(-1) == -2\n",
        }],
        entry_point: "double",
      },
    },
    expected: { reward: 1, correct: true },
  },
  {
    title: "a failing solution cannot pass by exiting 0 early",
    item: {
      response: "```python\nimport os\ndef double(x):\n    os._exit(0)\n```",
      reference: { tests: [{ assert: "assert double(2) == 4" }] },
    },
    expected: { reward: 0, correct: false, details: { reason: "tests_failed" } },
  },
];
