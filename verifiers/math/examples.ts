/** Published examples of the `math` verifier, each with the result it must get. */
import type { VerifierExample } from "../types.ts";

export const mathExamples: VerifierExample[] = [
  {
    title: "A boxed fraction equals the reference",
    item: { response: "So the probability is $\\boxed{\\dfrac{1}{2}}$.", reference: "1/2" },
    expected: { reward: 1, correct: true, details: { extraction: "boxed", extracted: "\\dfrac{1}{2}" } },
  },
  {
    title: "Big integers are exact: 2^{64}",
    item: { response: "\\boxed{2^{64}}", reference: "18446744073709551616" },
    expected: { reward: 1, correct: true, details: { method: "rational" } },
  },
  {
    title: "10^{100}+1 is not 10^{100}",
    item: { response: "\\boxed{10^{100}+1}", reference: "10^{100}" },
    expected: { reward: 0, correct: false, details: { reason: "wrong", method: "rational" } },
  },
  {
    title: "Radicals compared symbolically",
    item: { response: "\\boxed{2\\sqrt2}", reference: "\\sqrt{8}" },
    expected: { reward: 1, correct: true, details: { method: "symbolic" } },
  },
  {
    title: "A factored polynomial equals its expansion",
    item: { response: "The answer is $(x-1)(x+1)$.", reference: "x^2-1" },
    expected: { reward: 1, correct: true, details: { method: "symbolic" } },
  },
  {
    title: "An equation x = 3 answers 3",
    item: { response: "\\boxed{x=3}", reference: "3" },
    expected: { reward: 1, correct: true },
  },
  {
    title: "An inequality equals its interval",
    item: { response: "\\boxed{(-\\infty, 5]}", reference: "x \\le 5" },
    expected: { reward: 1, correct: true, details: { method: "interval" } },
  },
  {
    title: "Sets are order-free",
    item: { response: "\\boxed{\\{3, 1, 2\\}}", reference: "\\{1,2,3\\}" },
    expected: { reward: 1, correct: true, details: { method: "set" } },
  },
  {
    title: "Tuples are ordered",
    item: { response: "\\boxed{(2, 1)}", reference: "(1, 2)" },
    expected: { reward: 0, correct: false, details: { reason: "wrong" } },
  },
  {
    title: "Thousands separators",
    item: { response: "The total is \\boxed{7{,}425{,}000}.", reference: "7425000" },
    expected: { reward: 1, correct: true },
  },
  {
    title: "Matrices cell by cell",
    item: {
      response: "\\boxed{\\begin{pmatrix}1 & 0\\\\ 0 & 1\\end{pmatrix}}",
      reference: "\\begin{bmatrix}1&0\\\\0&1\\end{bmatrix}",
    },
    expected: { reward: 1, correct: true, details: { method: "matrix" } },
  },
  {
    title: "Hedged answers score 0",
    item: { response: "It is \\boxed{3} or \\boxed{4}.", reference: "3" },
    expected: { reward: 0, correct: false, details: { reason: "ambiguous" } },
  },
  {
    title: "No answer at all",
    item: { response: "I am not sure.", reference: "3" },
    expected: { reward: 0, correct: false, details: { reason: "no_answer" } },
  },
  {
    title: "Multiple choice by letter",
    item: { response: "The answer is (B).", reference: { answer: "12", choices: ["10", "12", "14"] } },
    expected: { reward: 1, correct: true, details: { method: "choice" } },
  },
  {
    title: "MathVista: Python round(2.675, 2) is 2.67",
    item: {
      response: "2.675",
      reference: { answer: "2.67", answer_type: "float", precision: 2, question_type: "free_form" },
      options: { profile: "mathvista", extracted: true },
    },
    expected: { reward: 1, correct: true, details: { prediction: "2.67", method: "mathvista" } },
  },
  {
    title: "MathVista: the nearest option when no letter is given",
    item: {
      response: "the (C) one",
      reference: {
        answer: "6",
        choices: ["2", "4", "6"],
        answer_type: "text",
        question_type: "multi_choice",
      },
      options: { profile: "mathvista", extracted: true },
    },
    expected: { reward: 1, correct: true, details: { prediction: "6" } },
  },
  {
    title:
      "A permutation in the wrong order scores 0 (space-separated numbers are a sequence, not a product)",
    item: { response: "<answer>3 4 1 2</answer>", reference: "2 1 4 3" },
    expected: { reward: 0, correct: false, details: { reason: "wrong", method: "sequence" } },
  },
  {
    title: "A ranking written with commas is compared in order with order: ordered",
    item: { response: "\\boxed{1, 2, 4, 3}", reference: "2, 1, 4, 3", options: { order: "ordered" } },
    expected: { reward: 0, correct: false, details: { reason: "wrong", method: "sequence" } },
  },
  {
    title: "An option letter followed by the option's text",
    item: {
      response: "<answer>B. A dog barking</answer>",
      reference: { answer: "B", choices: ["A cat meowing", "A dog barking", "A bird singing"] },
    },
    expected: { reward: 1, correct: true, details: { method: "choice" } },
  },
  {
    title: "Multi-select letters compare as a set",
    item: { response: "\\boxed{\\{C, A\\}}", reference: "\\{A, C\\}" },
    expected: { reward: 1, correct: true, details: { method: "choice_set" } },
  },
  {
    title: "A mixed number equals its improper fraction",
    item: { response: "\\boxed{2\\frac{1}{2}}", reference: "\\frac{5}{2}" },
    expected: { reward: 1, correct: true, details: { method: "rational" } },
  },
];
