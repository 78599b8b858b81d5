/** Published examples of the `text` verifier, each with the result it must get (one per seed paper rule and more). */
import type { VerifierExample } from "../types.ts";

const caption = "A man rides a brown horse on the beach.";

export const textExamples: VerifierExample[] = [
  {
    title: "SATORI-R1: caption scored by ROUGE-L F",
    item: {
      response: "<think>A rider, sand, sea.</think><answer>A man riding a horse on a beach.</answer>",
      reference: caption,
      options: { metric: "rougeL" },
    },
    expected: {
      reward: 12 / 17,
      correct: false,
      details: { reason: "wrong", lcs: 6, precision: 0.75, recall: 2 / 3 },
    },
  },
  {
    title: "SATORI-R1: caption scored by sentence BLEU-4 (sacreBLEU, exp smoothing)",
    item: {
      response: "<think>A rider, sand, sea.</think><answer>A man rides a horse on the beach.</answer>",
      reference: caption,
      options: { metric: "bleu" },
    },
    expected: {
      reward: 0.6690484408935988,
      correct: false,
      details: { reason: "wrong", sys_len: 9, ref_len: 10, precision_1: 100, precision_4: 50 },
    },
  },
  {
    title: "SophiaVL-R1: OCR rewarded by exp(-WER)",
    item: {
      response: "<answer>STOP AHEAD 500 FT</answer>",
      reference: "STOP AHEAD 300 FT",
      options: { metric: "wer", wer_reward: "exp" },
    },
    expected: { reward: Math.exp(-0.25), correct: false, details: { reason: "wrong", wer: 0.25, edits: 1 } },
  },
  {
    title: "SophiaVL-R1: a free-form answer scored by ROUGE-1 F",
    item: {
      response: "<think>The chart peaks in 2019.</think><answer>Sales peaked in 2019 and then fell.</answer>",
      reference: "Sales reached their peak in 2019, then declined.",
      options: { metric: "rouge1" },
    },
    expected: { reward: 0.5333333333333333, correct: false, details: { reason: "wrong" } },
  },
  {
    title: "Chinese OCR: CER over characters",
    item: { response: "<answer>北京欢迎你</answer>", reference: "北京欢迎您", options: { metric: "cer" } },
    expected: {
      reward: 0.8,
      correct: false,
      details: { reason: "wrong", cer: 0.2, edits: 1, reference_length: 5 },
    },
  },
  {
    title: "Chinese free-form answer: ROUGE-L over characters (CJK one token each)",
    item: {
      response: "<answer>猫坐在垫子上</answer>",
      reference: "猫在垫子上",
      options: { metric: "rougeL" },
    },
    expected: { reward: 10 / 11, correct: false, details: { reason: "wrong", lcs: 5 } },
  },
  {
    title: "SQuAD: token F1 after normalization (case, punctuation, articles)",
    item: {
      response: "<answer>The Eiffel Tower, in Paris</answer>",
      reference: ["Eiffel Tower", "the tower"],
      options: { metric: "token_f1" },
    },
    expected: {
      reward: 2 / 3,
      correct: false,
      details: { reason: "wrong", reference_index: 0, precision: 0.5, recall: 1 },
    },
  },
  {
    title: "Mixed-R1: an open answer equal after normalization scores 1",
    item: { response: "<answer>the Nile!</answer>", reference: "Nile", options: { metric: "exact" } },
    expected: { reward: 1, correct: true, details: { reason: null } },
  },
  {
    title: "chrF (sacreBLEU): character n-gram F-score, β = 2",
    item: {
      response: "<answer>The cat sat on the mat.</answer>",
      reference: "The cat is on the mat.",
      options: { metric: "chrf" },
    },
    expected: { reward: 0.6717273492330232, correct: false, details: { reason: "wrong" } },
  },
  {
    title: "normalized edit similarity, correct above a threshold",
    item: {
      response: "<answer>recieve</answer>",
      reference: "receive",
      options: { metric: "edit_similarity", threshold: 0.7 },
    },
    expected: { reward: 5 / 7, correct: true, details: { reason: null, edits: 2 } },
  },
  {
    title: "an empty answer",
    item: { response: "<think>…</think><answer></answer>", reference: caption },
    expected: { reward: 0, correct: false, details: { reason: "no_answer" } },
  },
];
