/**
 * Reads a judge's verdict. The judge's text is untrusted (it may echo the policy's response), so
 * reading is bounded (only its last `VERDICT_WINDOW` characters), uses no regular expressions and
 * evaluates nothing: find the last `VERDICT:` line, then read a number, a label or a preference.
 * Logprob scoring reads the probabilities of the verdict token's alternatives instead of its text.
 */
import type { TokenLogprob } from "../_openai/mod.ts";
import type { TemplateParse } from "./settings.ts";

/** How much of the end of a judge's answer is searched for the verdict line. */
export const VERDICT_WINDOW = 4096;

/** A parsed verdict: `score` in [0, 1] and the value the judge gave. */
export type ParsedVerdict = { ok: true; score: number; value: string } | { ok: false; why: string };

const TRIM = new Set([
  " ",
  "\t",
  "\r",
  "\n",
  "*",
  "`",
  "_",
  "[",
  "]",
  "(",
  ")",
  ".",
  '"',
  "'",
  ":",
  "<",
  ">",
]);

function trimMarks(text: string): string {
  let start = 0, end = text.length;
  while (start < end && TRIM.has(text[start])) start++;
  while (end > start && TRIM.has(text[end - 1])) end--;
  return text.slice(start, end);
}

/** The value after the last `VERDICT:` in `answer` (case-insensitive), or null when there is none. */
export function verdictValue(answer: string): string | null {
  const tail = answer.length > VERDICT_WINDOW ? answer.slice(answer.length - VERDICT_WINDOW) : answer;
  const at = tail.toLowerCase().lastIndexOf("verdict:");
  if (at < 0) return null;
  let line = tail.slice(at + "verdict:".length);
  const newline = line.indexOf("\n");
  if (newline >= 0) line = line.slice(0, newline);
  const value = trimMarks(line);
  return value === "" ? null : value;
}

/** The leading number of `text` ("7", "7.5", "7/10", "7 out of 10"), or null. */
export function leadingNumber(text: string): number | null {
  let end = 0;
  if (text[0] === "-" || text[0] === "+") end = 1;
  let digits = 0, dots = 0;
  while (end < text.length && end < 32) {
    const c = text.charCodeAt(end);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && dots === 0) dots++;
    else break;
    end++;
  }
  if (digits === 0) return null;
  const n = Number(text.slice(0, end));
  return Number.isFinite(n) ? n : null;
}

/** The score of a verdict value under a template's parse rule. */
export function scoreOfValue(value: string, parse: TemplateParse): ParsedVerdict {
  const shown = value.slice(0, 80);
  if (parse.kind === "scale") {
    const n = leadingNumber(value);
    if (n === null || n < parse.min || n > parse.max) {
      return {
        ok: false,
        why: `verdict ${JSON.stringify(shown)} is not a number in [${parse.min}, ${parse.max}]`,
      };
    }
    return { ok: true, score: (n - parse.min) / (parse.max - parse.min), value: String(n) };
  }
  const lower = value.toLowerCase();
  if (parse.kind === "pairwise") {
    const word = trimMarks(firstWord(lower));
    const score = word === "a" ? 1 : word === "b" ? 0 : word === "tie" ? 0.5 : null;
    if (score === null) return { ok: false, why: `verdict ${JSON.stringify(shown)} is not A, B or tie` };
    return { ok: true, score, value: word };
  }
  if (lower in parse.rewards) return { ok: true, score: parse.rewards[lower], value: lower };
  const word = trimMarks(firstWord(lower));
  if (word in parse.rewards) return { ok: true, score: parse.rewards[word], value: word };
  return {
    ok: false,
    why: `verdict ${JSON.stringify(shown)} is none of ${Object.keys(parse.rewards).join(", ")}`,
  };
}

function firstWord(text: string): string {
  let end = 0;
  while (end < text.length && text[end] !== " " && text[end] !== "\t" && text[end] !== ",") end++;
  return text.slice(0, end);
}

/** Parses a judge's final answer text. */
export function parseVerdict(answer: string, parse: TemplateParse): ParsedVerdict {
  const value = verdictValue(answer);
  if (value === null) return { ok: false, why: "the judge's answer has no VERDICT: line" };
  return scoreOfValue(value, parse);
}

/**
 * Logprob scoring: at the verdict token (the first non-blank token after the last `VERDICT:`, or the first
 * non-blank token when the judge wrote no such prefix), the probability-weighted score over the
 * alternatives that are valid verdicts. Needs single-token verdicts (yes/no, A/B, 0–10).
 */
export function scoreFromLogprobs(tokens: TokenLogprob[], parse: TemplateParse): ParsedVerdict {
  const position = verdictPosition(tokens);
  if (position < 0) return { ok: false, why: "no verdict token in the judge's logprobs" };
  const token = tokens[position];
  const alternatives = token.top.length > 0 ? token.top : [{ token: token.token, logprob: token.logprob }];
  let mass = 0, weighted = 0;
  for (const alt of alternatives) {
    const parsed = scoreOfValue(trimMarks(alt.token), parse);
    if (!parsed.ok || !Number.isFinite(alt.logprob)) continue;
    const p = Math.exp(Math.min(0, alt.logprob));
    mass += p;
    weighted += p * parsed.score;
  }
  if (!(mass > 0)) {
    return {
      ok: false,
      why: `no valid verdict among the top logprobs at token ${JSON.stringify(token.token)}`,
    };
  }
  return { ok: true, score: weighted / mass, value: `p=${Math.round(mass * 1000) / 1000}` };
}

function verdictPosition(tokens: TokenLogprob[]): number {
  // The last "verdict:" in the tokens' text (a reasoning judge may mention it earlier), then the
  // first token that ends after it.
  const ends: number[] = [];
  let text = "";
  for (const token of tokens) {
    text += token.token;
    ends.push(text.length);
  }
  const at = text.toLowerCase().lastIndexOf("verdict:");
  let start = 0;
  if (at >= 0) {
    const end = at + "verdict:".length;
    start = ends.findIndex((e) => e >= end) + 1;
  }
  for (let i = start; i < tokens.length; i++) {
    if (trimMarks(tokens[i].token) !== "") return i;
  }
  return -1;
}
