/** Published examples of the `match` verifier, each with the result it must get (one per seed paper rule and more). */
import type { VerifierExample } from "../types.ts";

const think = "<think>Compare the image with each option.</think>";

export const matchExamples: VerifierExample[] = [
  {
    title: "CLS-RL: a class label with aliases, case and a trailing period ignored",
    item: {
      response: `${think}<answer>Golden Retriever.</answer>`,
      reference: ["golden retriever", "golden", "retriever (golden)"],
      options: { mode: "any_of" },
    },
    expected: {
      reward: 1,
      correct: true,
      details: { reason: null, extracted: "golden retriever", matched_index: 0 },
    },
  },
  {
    title: "multiple choice: the letter read from 'B. <option text>'",
    item: {
      response: `${think}<answer>B. A dog barking</answer>`,
      reference: "B",
      options: { choices: ["A cat sleeping", "A dog barking", "A bird singing"] },
    },
    expected: { reward: 1, correct: true, details: { reason: null, extracted: "b" } },
  },
  {
    title: "multi-select: \\{C, A\\} is the set {A, C}",
    item: {
      response: `${think}<answer>\\boxed{\\{C, A\\}}</answer>`,
      reference: ["A", "C"],
      options: { mode: "set_exact", choices: { A: "red", B: "green", C: "blue", D: "white" } },
    },
    expected: {
      reward: 1,
      correct: true,
      details: { reason: null, extracted: ["c", "a"], missing: 0, extra: 0 },
    },
  },
  {
    title: "Jigsaw-R1: fraction of pieces in the right place, the order must be a permutation",
    item: {
      response: "<think>The sky is on top.</think><answer>[2, 1, 3, 4]</answer>",
      reference: [1, 2, 3, 4],
      options: { mode: "position_accuracy", require_permutation: true },
    },
    expected: { reward: 0.5, correct: false, details: { reason: "wrong", in_place: 2, positions: 4 } },
  },
  {
    title: "Jigsaw-R1: a wrong ordering never scores 1 (space-separated pieces are a sequence)",
    item: {
      response: "<answer>3 4 1 2</answer>",
      reference: [2, 1, 4, 3],
      options: { mode: "sequence_exact" },
    },
    expected: { reward: 0, correct: false, details: { reason: "wrong", extracted: ["3", "4", "1", "2"] } },
  },
  {
    title: "Jigsaw-R1: neighbours on a 2×2 grid (right of, below) shared with the solution",
    item: {
      response: "<answer>[1, 2, 4, 3]</answer>",
      reference: [1, 2, 3, 4],
      options: { mode: "adjacency", grid: [2, 2] },
    },
    expected: {
      reward: 0.25,
      correct: false,
      details: { reason: "wrong", shared_pairs: 1, reference_pairs: 4 },
    },
  },
  {
    title:
      "STAR-R1: per-transformation credit 5 / 1.5 / 0.5 for index+attribute+value / index+attribute / index, over-listing penalized",
    item: {
      response: "<think>Object 1 turned red; object 2 got bigger.</think>" +
        "<answer>(1, color, red), (2, size, small), (3, shape, cube)</answer>",
      reference: [[1, "color", "red"], [2, "size", "large"]],
      options: { mode: "weighted", weights: { right: 5, partial: [0.5, 1.5], extra: -1 } },
    },
    expected: {
      reward: 0.55,
      correct: false,
      details: { reason: "wrong", right: 1, partial: 1, extra: 1, credit: 5.5 },
    },
  },
  {
    title: "AlphaDrive: F1 over the unordered set of planned meta-actions",
    item: {
      response: "<think>The light is red.</think><answer>DECELERATE, STOP, LEFT</answer>",
      reference: ["DECELERATE", "STRAIGHT"],
      options: { mode: "set_f1" },
    },
    expected: { reward: 0.4, correct: false, details: { reason: "wrong", precision: 1 / 3, recall: 0.5 } },
  },
  {
    title: "reranking: NDCG@3 with graded relevance",
    item: {
      response: '<answer>["doc2", "doc1", "doc3"]</answer>',
      reference: { doc1: 3, doc2: 2, doc3: 0 },
      options: { k: 3 },
    },
    expected: {
      reward: 0.9134015924715544,
      correct: false,
      details: { reason: "wrong", dcg: 2 + 3 / Math.log2(3), ideal_dcg: 3 + 2 / Math.log2(3) },
    },
  },
  {
    title: "reranking: Kendall τ between the answer's order and the reference's",
    item: {
      response: "<answer>[3] > [1] > [2] > [4]</answer>",
      reference: ["[1]", "[2]", "[3]", "[4]"],
      options: { mode: "kendall_tau" },
    },
    expected: {
      reward: 2 / 3,
      correct: false,
      details: { reason: "wrong", tau: 1 / 3, concordant: 4, discordant: 2 },
    },
  },
  {
    title: "an answer inside another tag (<class>), read by the tag option",
    item: {
      response: "<think>Spots and a long neck.</think><class>giraffe</class>",
      reference: "Giraffe",
      options: { tag: "class" },
    },
    expected: { reward: 1, correct: true, details: { reason: null, extraction: "tag" } },
  },
  {
    title: "one label asked, two given: ambiguous",
    item: { response: '<answer>["cat", "dog"]</answer>', reference: "cat" },
    expected: { reward: 0, correct: false, details: { reason: "ambiguous", count: 2 } },
  },
  {
    title: "an empty answer",
    item: { response: "<answer> </answer>", reference: ["a", "b"], options: { mode: "set_f1" } },
    expected: { reward: 0, correct: false, details: { reason: "no_answer" } },
  },
];
