/**
 * The `text` benchmark's items and its baseline: ROUGE-L and token F1 as plain TypeScript
 * (validate, resolve the parameters, take the <answer> block, tokenize with a regex as rouge-score
 * does, dynamic-programme LCS or token counts), in-process, on one thread. Used only by `perf/`.
 */
import { ItemValidator } from "../verifiers/validate.ts";
import type { VerifyResult } from "../verifiers/mod.ts";
import type { TextKernelParams } from "../verifiers/text/mod.ts";
import { type BaselineScore, runBaseline } from "./match_baseline.ts";

const WORDS = ("a man rides brown horse on the beach near sea while two dogs run along wet sand under grey " +
  "sky with clouds and birds flying over waves at sunset people watch from distant pier").split(" ");

function sentence(seed: number, words: number): string {
  const out: string[] = [];
  let s = seed;
  for (let i = 0; i < words; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out.push(WORDS[s % WORDS.length]);
  }
  return out.join(" ");
}

/** `n` caption items under 200 bytes (ROUGE-L, token F1, WER in turn). */
export function shortTextItems(n: number): unknown[] {
  const metrics = ["rougeL", "token_f1", "wer"];
  return Array.from({ length: n }, (_, i) => ({
    verifier: "text",
    response: `<think>ok</think><answer>${sentence(i, 12)}</answer>`,
    reference: sentence(i + 1, 12),
    options: { metric: metrics[i % 3] },
  }));
}

/**
 * `n` caption items as a GRPO batch sends them: groups of `size` responses to one prompt, each item
 * with its own copy of the group's reference and options (as a JSON body gives them).
 */
export function groupedShortTextItems(n: number, size: number): unknown[] {
  const metrics = ["rougeL", "token_f1", "wer"];
  return Array.from({ length: n }, (_, i) => {
    const group = Math.floor(i / size);
    return {
      verifier: "text",
      response: `<think>ok</think><answer>${sentence(i, 12)}</answer>`,
      reference: sentence(group * size + 1, 12),
      options: { metric: metrics[group % 3] },
    };
  });
}

/** `n` items of about 2 kB of answer and 2 kB of reference, scored by ROUGE-L. */
export function longTextItems(n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => ({
    verifier: "text",
    response: `<answer>${sentence(i * 7, 380)}</answer>`,
    reference: sentence(i * 7 + 3, 380),
    options: { metric: "rougeL" },
  }));
}

/**
 * Pieces of text that exercise every path of the `text` kernel's tokenizers: ASCII tokens around the
 * eight-character key, case, punctuation, NUL, characters JSON escapes, accents, CJK and Unicode spaces
 * (tests/text_tokenize_test.ts, perf/text_kernel_diff.ts).
 */
export const TOKEN_PIECES: string[] = [
  "a",
  "Bc",
  "x",
  "z9",
  "xyzXYZ0", // 7: a key, and the window's longest token
  "abcdefgh", // 8: the longest key
  "ABCDEFGHI", // 9: interned by code points
  "longerWordHere15",
  "é",
  "É",
  "ß",
  "猫",
  "—",
  " ",
  "  ",
  "\t",
  "\n",
  "-",
  ".",
  "_",
  "\u0000",
  '"',
  "\\",
  "\u00a0",
  "\u3000",
];

const ANSWER = /<answer>([\s\S]*?)<\/answer>/g;

function tokens(text: string): string[] {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim().split(/\s+/).filter((t) => t.length > 0);
}

/** Length of the longest common subsequence, by the plain dynamic programme (also the tests' oracle). */
export function lcs<T>(a: T[], b: T[]): number {
  const row = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = a[i - 1] === b[j - 1] ? diag + 1 : Math.max(row[j], row[j - 1]);
      diag = up;
    }
  }
  return row[b.length];
}

/** Levenshtein distance, by the plain dynamic programme (also the tests' oracle). */
export function levenshtein<T>(a: T[], b: T[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1), prev[j] + 1, cur[j - 1] + 1);
    }
    prev = cur;
  }
  return prev[b.length];
}

function f(p: number, r: number): number {
  return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

function scoreOne(
  params: TextKernelParams,
  response: string,
): BaselineScore {
  const blocks = [...response.matchAll(ANSWER)];
  const region = blocks.length ? blocks[blocks.length - 1][1] : response;
  const details: Record<string, unknown> = { reason: null, metric: params.metric, extraction: "tag" };
  let reward: number;
  if (params.metric === "wer") {
    const h = region.trim().split(/\s+/), r = params.refs[0].trim().split(/\s+/);
    const wer = levenshtein(h, r) / r.length;
    reward = Math.max(0, 1 - wer);
    details.wer = wer;
  } else {
    const h = tokens(region), r = tokens(params.refs[0]);
    let overlap: number;
    if (params.metric === "rougeL") overlap = lcs(h, r);
    else {
      const counts = new Map<string, number>();
      for (const t of r) counts.set(t, (counts.get(t) ?? 0) + 1);
      overlap = 0;
      for (const t of h) {
        const c = counts.get(t) ?? 0;
        if (c > 0) {
          overlap++;
          counts.set(t, c - 1);
        }
      }
    }
    const p = h.length ? overlap / h.length : 0, rec = r.length ? overlap / r.length : 0;
    reward = f(p, rec);
    Object.assign(details, { precision: p, recall: rec });
  }
  if (reward < params.threshold) details.reason = "wrong";
  return { reward, correct: reward >= params.threshold, details };
}

/** Scores `text` items the plain-TypeScript way, building the engine's result objects. */
export function scoreTextBaseline(validator: ItemValidator, items: unknown[]): VerifyResult[] {
  return runBaseline(validator, items, scoreOne);
}
