/**
 * The `match` benchmark's items and its baseline: the same comparisons (validate, resolve the
 * parameters, take the <answer> block, split the list, lowercase and trim labels, score) written as
 * plain TypeScript with regular expressions, in-process, on one thread. Used only by `perf/`: the
 * server never runs a regex on a model's output.
 */
import { ItemValidator } from "../verifiers/validate.ts";
import type { VerifyResult } from "../verifiers/mod.ts";
import type { MatchKernelParams } from "../verifiers/match/mod.ts";

const LABELS = ["cat", "dog", "golden retriever", "tabby cat", "bird", "horse", "zebra", "fox"];
const ACTIONS = ["ACCELERATE", "DECELERATE", "KEEP", "STOP", "LEFT", "RIGHT", "STRAIGHT"];

/** Match item `i` (under 200 bytes): of five kinds in turn, a label, a choice, a set, a permutation, a ranking. */
function matchItem(i: number): unknown {
  const think = "<think>look</think>";
  switch (i % 5) {
    case 0:
      return {
        verifier: "match",
        response: `${think}<answer>${LABELS[i % 8]}</answer>`,
        reference: [LABELS[(i * 7) % 8], "pet"],
        options: { mode: "any_of" },
      };
    case 1:
      return {
        verifier: "match",
        response: `${think}<answer>${"ABCD"[i % 4]}</answer>`,
        reference: "B",
        options: { choices: ["a cat", "a dog", "a bird", "a fox"] },
      };
    case 2:
      return {
        verifier: "match",
        response: `${think}<answer>${ACTIONS[i % 7]}, ${ACTIONS[(i + 3) % 7]}</answer>`,
        reference: [ACTIONS[i % 7], ACTIONS[(i + 1) % 7]],
        options: { mode: "set_f1" },
      };
    case 3:
      return {
        verifier: "match",
        response: `${think}<answer>[${i % 2 ? "2, 1, 3, 4" : "1, 2, 3, 4"}]</answer>`,
        reference: [1, 2, 3, 4],
        options: { mode: "position_accuracy" },
      };
    default:
      return {
        verifier: "match",
        response: `${think}<answer>3 1 2 ${4 + (i % 3)}</answer>`,
        reference: [1, 2, 3, 4],
        options: { mode: "kendall_tau" },
      };
  }
}

/** `n` match items under 200 bytes: labels, choices, sets, permutations, rankings. */
export function matchItems(n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => matchItem(i));
}

/**
 * `n` match items as a GRPO batch sends them: groups of `size` responses to one prompt, one after
 * another, each item with its own copy of the group's reference and options (as a JSON body gives
 * them); the kinds and responses of `matchItems`.
 */
export function groupedMatchItems(n: number, size: number): unknown[] {
  return Array.from({ length: n }, (_, i) => {
    const group = Math.floor(i / size);
    const kind = group % 5;
    const own = matchItem(5 * i + kind) as Record<string, unknown>;
    const first = matchItem(5 * group * size + kind) as Record<string, unknown>;
    return { ...own, reference: first.reference, options: first.options };
  });
}

const ANSWER = /<answer>([\s\S]*?)<\/answer>/g;

function elements(text: string): string[] {
  const t = text.trim();
  let parts: string[];
  if (t.startsWith("[")) {
    try {
      parts = (JSON.parse(t) as unknown[]).map(String);
    } catch {
      parts = t.slice(1, -1).split(",");
    }
  } else if (/[,;]/.test(t)) parts = t.split(/[,;]/);
  else parts = t.split(/\s+/);
  return parts.map((p) => p.trim().toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")).filter((
    p,
  ) => p.length > 0);
}

function choiceLetter(text: string, keys: string[]): string {
  const m = /^\s*(?:option\s*)?\(?([A-Za-z])[.):]?(?:\s|$)/i.exec(text);
  return m && keys.includes(m[1].toUpperCase()) ? m[1].toLowerCase() : text.trim().toLowerCase();
}

function kendall(answer: string[], ref: string[]): number {
  const pos = new Map<string, number>();
  answer.forEach((x, i) => pos.has(x) || pos.set(x, i));
  let c = 0, d = 0;
  for (let i = 0; i < ref.length; i++) {
    for (let j = i + 1; j < ref.length; j++) {
      if ((pos.get(ref[i]) ?? Infinity) < (pos.get(ref[j]) ?? Infinity)) c++;
      else d++;
    }
  }
  return ((c - d) / (c + d) + 1) / 2;
}

function scoreOne(
  params: MatchKernelParams,
  response: string,
): BaselineScore {
  const blocks = [...response.matchAll(ANSWER)];
  const region = blocks.length ? blocks[blocks.length - 1][1] : response;
  const ref = params.ref.map((r) => String(r).toLowerCase());
  const details: Record<string, unknown> = { reason: null, mode: params.mode, extraction: "tag" };
  let reward = 0;
  if (params.mode === "any_of" || params.mode === "exact") {
    const label = params.choice_keys ? choiceLetter(region, params.choice_keys) : elements(region).join(" ");
    reward = ref.includes(label) ? 1 : 0;
    details.extracted = label;
  } else {
    const answer = elements(region);
    details.extracted = answer;
    details.count = answer.length;
    if (params.mode === "set_f1") {
      const a = new Set(answer), r = new Set(ref);
      const both = [...a].filter((x) => r.has(x)).length;
      const p = both / a.size, rec = both / r.size;
      reward = p + rec > 0 ? 2 * p * rec / (p + rec) : 0;
      Object.assign(details, { precision: p, recall: rec });
    } else if (params.mode === "position_accuracy") {
      const right = ref.filter((x, i) => answer[i] === x).length;
      reward = right / Math.max(answer.length, ref.length);
      details.in_place = right;
    } else {
      reward = kendall(answer, ref);
    }
  }
  if (reward < 1) details.reason = "wrong";
  return { reward, correct: reward >= 1, details };
}

/** What a baseline's scoring of one item gives. */
export interface BaselineScore {
  reward: number;
  correct: boolean;
  details: Record<string, unknown>;
}

/** Validates each item, resolves its parameters and scores it with `scoreOne`, as the engine's results. */
export function runBaseline<P>(
  validator: ItemValidator,
  items: unknown[],
  scoreOne: (params: P, response: string) => BaselineScore,
): VerifyResult[] {
  return items.map((raw) => {
    const started = performance.now();
    const checked = validator.check(raw);
    if ("message" in checked) throw new Error(checked.message);
    const verifier = checked.item.verifier;
    const { reward, correct, details } = scoreOne(
      verifier.params(checked.item.reference, checked.item.options) as P,
      checked.item.response,
    );
    return {
      verifier: verifier.name,
      version: verifier.version,
      reward,
      correct,
      details: details as VerifyResult["details"],
      error: null,
      ms: performance.now() - started,
    };
  });
}

/** Scores `match` items the plain-TypeScript way, building the engine's result objects. */
export function scoreMatchBaseline(validator: ItemValidator, items: unknown[]): VerifyResult[] {
  return runBaseline(validator, items, scoreOne);
}
