/**
 * A chat judge's verdict on one item: fill the template once the call is admitted (fresh marker
 * code per HTTP attempt), ask through the shared client, parse the verdict line (or the verdict
 * token's logprobs); ask once more when the answer cannot be parsed. Pairwise templates may run a
 * second pass with the two answers swapped, to cancel position bias (disagreement is reported).
 */
import { type ChatOutcome, requestCompletion, type SamplingParams } from "../_openai/mod.ts";
import { type CallLimits, callWithRetries } from "./attempts.ts";
import { filledLength, fillTemplate, type JudgeInputs } from "./fill.ts";
import { type ParsedVerdict, parseVerdict, scoreFromLogprobs } from "./parse.ts";
import type { JudgeSettings, JudgeTemplate } from "./settings.ts";

/** How much of the judge's raw answer is kept in `details.judge_output`. */
export const RAW_OUTPUT_CHARS = 1000;

/** How the verdict is read. */
export interface ChatScoring {
  mode: "verdict" | "logprob";
  /** Pairwise only: also ask with the answers swapped. */
  swap: boolean;
}

/** One pass's result. */
export type PassOutcome =
  | { kind: "scored"; score: number; value: string; raw: string; tokens: number; attempts: number }
  | { kind: "unparsable"; why: string; raw: string; tokens: number; attempts: number }
  | { kind: "failed"; code: string; message: string; attempts: number; cancelled: boolean };

/** The sampling parameters actually sent (logprob scoring asks for the top 20 alternatives). */
export function samplingOf(judge: JudgeSettings, scoring: ChatScoring): SamplingParams {
  return scoring.mode === "logprob"
    ? { ...judge.sampling, logprobs: true, top_logprobs: 20 }
    : { ...judge.sampling };
}

function tokensOf(outcome: ChatOutcome): number {
  const total = outcome.usage?.total_tokens;
  return typeof total === "number" && Number.isFinite(total) ? total : 0;
}

function parsedOf(
  outcome: ChatOutcome & { ok: true },
  template: JudgeTemplate,
  scoring: ChatScoring,
): ParsedVerdict {
  if (scoring.mode === "logprob") {
    if (!outcome.logprobs || outcome.logprobs.length === 0) {
      return { ok: false, why: "the judge sent no logprobs (does the endpoint support top_logprobs?)" };
    }
    return scoreFromLogprobs(outcome.logprobs, template.parse);
  }
  return parseVerdict(outcome.answer, template.parse);
}

/** One pass: up to two parsed attempts (the second only when the first answer was unparsable). */
export async function judgePass(
  judge: JudgeSettings,
  template: JudgeTemplate,
  inputs: JudgeInputs,
  images: string[],
  scoring: ChatScoring,
  limits: Omit<CallLimits, "estimatedTokens">,
): Promise<PassOutcome> {
  let attempts = 0;
  let tokens = 0;
  let unparsable: PassOutcome | null = null;
  for (let parseTry = 0; parseTry < 2; parseTry++) {
    // The text is made once the call is admitted (fresh marker code per attempt): calls queued
    // behind the judge's limits hold no filled template.
    const estimatedTokens = Math.ceil(filledLength(template, inputs) / 4) + images.length * 800 +
      judge.sampling.max_tokens;
    const call = await callWithRetries({ ...limits, estimatedTokens }, async (timeoutMs, signal) => {
      const filled = fillTemplate(template, inputs);
      const outcome = await requestCompletion(
        { url: judge.url, model: judge.model, apiKey: judge.apiKey ?? undefined },
        samplingOf(judge, scoring),
        { system: filled.system, user: filled.user, images },
        timeoutMs,
        signal,
        limits.client,
      );
      if (outcome.ok) return { ok: true, value: outcome, tokens: tokensOf(outcome) || null };
      // A complete answer that is empty or cut at max_tokens is the judge's answer: parse what is there.
      if (outcome.code === "length" || outcome.code === "empty_response") {
        return {
          ok: true,
          value: { ...outcome, ok: true, answer: outcome.answer ?? "" } as ChatOutcome,
          tokens: null,
        };
      }
      return outcome;
    });
    attempts += call.attempts;
    if (!call.ok) {
      return { kind: "failed", code: call.code, message: call.message, attempts, cancelled: call.cancelled };
    }
    const outcome = call.value as ChatOutcome & { ok: true };
    tokens += tokensOf(outcome);
    const raw = outcome.answer.slice(-RAW_OUTPUT_CHARS);
    const parsed = parsedOf(outcome, template, scoring);
    if (parsed.ok) return { kind: "scored", score: parsed.score, value: parsed.value, raw, tokens, attempts };
    unparsable = { kind: "unparsable", why: parsed.why, raw, tokens, attempts };
  }
  return unparsable!;
}

/** The combined outcome of one or two pairwise passes (second pass: answers swapped). */
export interface ChatVerdict {
  pass: PassOutcome;
  /** Pairwise with swap: the swapped pass, and whether the two passes disagreed. */
  swapped?: PassOutcome;
  disagreement?: boolean;
}

/** Judges an item with a chat judge (one pass, or two for a swapped pairwise comparison). */
export async function chatVerdict(
  judge: JudgeSettings,
  template: JudgeTemplate,
  inputs: JudgeInputs,
  images: string[],
  scoring: ChatScoring,
  limits: Omit<CallLimits, "estimatedTokens">,
): Promise<ChatVerdict> {
  if (template.parse.kind !== "pairwise" || !scoring.swap) {
    return { pass: await judgePass(judge, template, inputs, images, scoring, limits) };
  }
  const swappedInputs = { ...inputs, response: inputs.reference, reference: inputs.response };
  const [first, second] = await Promise.all([
    judgePass(judge, template, inputs, images, scoring, limits),
    judgePass(judge, template, swappedInputs, images, scoring, limits),
  ]);
  if (first.kind !== "scored" || second.kind !== "scored") {
    return { pass: first.kind !== "scored" ? first : second };
  }
  // In the swapped pass "A" is the reference: the response's preference there is 1 − score.
  const mirrored = 1 - second.score;
  const combined: PassOutcome = {
    ...first,
    score: (first.score + mirrored) / 2,
    tokens: first.tokens + second.tokens,
    attempts: first.attempts + second.attempts,
  };
  const side = (s: number) => Math.sign(s - 0.5);
  return { pass: combined, swapped: second, disagreement: side(first.score) !== side(mirrored) };
}
